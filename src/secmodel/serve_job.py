"""`python main.py task=serve`: serve the configured base model plus registered adapter aliases with vLLM.

    python main.py task=serve                          # base model + every adapter registered for it
    python main.py task=serve 'serve.aliases=[sec-v2-sft]' serve.port=8001

Evaluate against it from another shell with `endpoint=vllm endpoint.base_url=http://127.0.0.1:8000/v1`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from omegaconf import DictConfig

from secmodel.errors import ConfigError
from secmodel.models.registry import base_model_path, registered, resolve
from secmodel.serve import VLLMServer

log = logging.getLogger(__name__)


def adapters_to_serve(cfg: DictConfig) -> dict[str, str]:
    """Alias -> adapter folder for `serve.aliases` (default: every registered adapter of this base model)."""
    names = list(cfg.serve.aliases) or registered()
    adapters = {}
    for name in names:
        entry = resolve(name, cfg.model)
        if entry.base_model != cfg.model.name:
            if cfg.serve.aliases:
                raise ConfigError(f"alias {name!r} is an adapter of {entry.base_model}, not of {cfg.model.name}")
            continue
        if entry.adapter_path:
            adapters[name] = entry.adapter_path
    return adapters


def serve(cfg: DictConfig) -> None:
    """Start vLLM, block until Ctrl-C or SIGTERM, then stop it cleanly."""
    adapters = adapters_to_serve(cfg)
    model_path = base_model_path(cfg.model.path)
    out = Path.cwd() / "outputs" / "serve"
    server = VLLMServer(
        model_path,
        cfg.model.name,
        adapters=adapters,
        host=cfg.serve.host,
        port=cfg.serve.port,
        python=cfg.serve.python,
        extra_args=list(cfg.serve.extra_args),
        log_path=out / f"vllm-{cfg.serve.port}.log",
    )
    with server:
        log.info(
            "Serving %s at %s (log %s); Ctrl-C stops", ", ".join(server.models()), server.base_url, server.log_path
        )
        try:
            assert server.process is not None
            server.process.wait()
        except KeyboardInterrupt:
            log.info("Stopping vLLM")
