#!/usr/bin/env bash
# One command from a fresh clone: environment, then the test suite. Extra arguments go to pytest,
# e.g. scripts/test.sh -m "not slow" for the fast tests only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m secmodel.models.prepare
exec .venv/bin/python -m pytest "$@"
