#!/usr/bin/env bash
# One command from a fresh clone: environment, default model (converted once), then the main job.
# Extra arguments go to main.py, e.g. scripts/run.sh eval=cyber_refusal_mix
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m secmodel.models.prepare
exec .venv/bin/python main.py "$@"
