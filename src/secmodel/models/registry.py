"""Model aliases: names that evaluation and serving resolve to a base model (+ LoRA adapter, + system prompt).

An alias is one of:
- the base model's own name (`model.name`, e.g. `smollm2-135m`);
- a prompt-only alias declared in the model config (`model.aliases.sec-v1.system_prompt`);
- a trained adapter registered by SFT/GRPO: `<registry>/<alias>.json` with its base model, adapter folder,
  recipe (resolved config), git SHA and data hashes. `<registry>` is `$SECMODEL_CACHE/registry`
  (default `~/.cache/secmodel/registry`), shared by every run on the machine.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from secmodel.errors import ConfigError


def registry_dir() -> Path:
    base = os.environ.get("SECMODEL_CACHE") or Path.home() / ".cache" / "secmodel"
    return Path(base) / "registry"


@dataclass
class AliasEntry:
    """What an alias stands for."""

    alias: str
    base_model: str  # model.name of the base
    base_path: str  # model.path of the base ("embedded" or HF id/folder)
    adapter_path: str | None = None  # LoRA adapter folder
    system_prompt: str | None = None
    lora_rank: int | None = None
    recipe: dict[str, Any] = field(default_factory=dict)
    git_sha: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)
    wandb_artifact: str | None = None


def register(entry: AliasEntry) -> Path:
    """Write (or replace) an alias entry; returns its file."""
    folder = registry_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry.alias}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(asdict(entry), indent=2, default=str))
    tmp.replace(path)
    return path


def registered() -> list[str]:
    folder = registry_dir()
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def resolve(alias: str, model_cfg: Any) -> AliasEntry:
    """Resolve `alias` against the registry and the model config.

    Raises:
        ConfigError: the alias is unknown (the message lists the known ones).
    """
    path = registry_dir() / f"{alias}.json"
    if path.is_file():
        data = json.loads(path.read_text())
        entry = AliasEntry(**data)
        if entry.adapter_path and not Path(entry.adapter_path).is_dir():
            raise ConfigError(f"alias {alias!r}: adapter folder {entry.adapter_path} is missing ({path})")
        return entry
    if alias == model_cfg.name:
        return AliasEntry(alias=alias, base_model=model_cfg.name, base_path=model_cfg.path)
    prompt_aliases = model_cfg.get("aliases") or {}
    if alias in prompt_aliases:
        spec = prompt_aliases[alias]
        return AliasEntry(
            alias=alias,
            base_model=model_cfg.name,
            base_path=model_cfg.path,
            system_prompt=spec.get("system_prompt"),
        )
    known = sorted({model_cfg.name, *prompt_aliases, *registered()})
    raise ConfigError(
        f"unknown model alias {alias!r}. Known: {', '.join(known)}. Train one with "
        f"`python main.py +experiment=sec-v2-sft` or pick another with eval.alias=..."
    )


def base_model_path(path: str) -> str:
    """Turn `model.path` into something `from_pretrained` loads ("embedded" → the converted SmolLM2)."""
    if path == "embedded":
        from secmodel.models.prepare import prepare_default_model

        return str(prepare_default_model())
    return path
