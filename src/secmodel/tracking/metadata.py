"""Run metadata: git state, Hydra choices, job number and sweep folder."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]


def git_info(cwd: Path = REPO_ROOT) -> dict[str, Any]:
    """Git SHA and dirty flag of the source tree (None outside a git checkout)."""

    def _git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip()

    sha = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"git_sha": sha, "git_dirty": bool(status) if status is not None else None}


def hydra_info() -> dict[str, Any]:
    """Choices, job number, output and sweep folders of the current Hydra job (empty outside Hydra)."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized():
        return {}
    hc = HydraConfig.get()
    multirun = hc.mode == RunMode.MULTIRUN
    choices = {k: v for k, v in hc.runtime.choices.items() if not k.startswith("hydra/") and v is not None}
    return {
        "hydra_choices": choices,
        "hydra_overrides": list(hc.overrides.task),
        "job_num": hc.job.num if multirun else None,
        "sweep_dir": str(Path(hc.sweep.dir).resolve()) if multirun else None,
        "output_dir": str(Path(hc.runtime.output_dir).resolve()),
        "multirun": multirun,
    }


def choice_tags(choices: dict[str, str]) -> list[str]:
    """W&B tags from Hydra choices: ["trainer=grpo", "hardware=h200", ...]."""
    return [f"{k}={v}"[:64] for k, v in sorted(choices.items())]
