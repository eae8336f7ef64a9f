"""Process environment for offline-first tracking.

weave and wandb read their settings from environment variables when they are imported, so
`configure_environment` runs first in every job, before anything imports them.
Known behaviour (weave 0.54, wandb 0.31, measured with no network):
- `import weave` sends DNS queries for error reporting unless WANDB_ERROR_REPORTING=false;
- after `import weave`, `wandb.init()` calls `weave.init` itself, which can prompt: WANDB_DISABLE_WEAVE stops it;
- `weave.init` without a key prompts (hangs on a terminal); WEAVE_DISABLED=true makes ops run untraced.
"""

from __future__ import annotations

import os

from secmodel.errors import TrackingError

MODES = ("offline", "online", "disabled")

# Set in every mode: we call weave.init ourselves (online only), never through wandb.init.
_ALWAYS = {
    "WANDB_DISABLE_WEAVE": "true",
    "WANDB_SILENT": "true",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
# Offline and disabled: nothing may reach the network, prompt, or hang.
_OFFLINE = {
    "WANDB_MODE": "offline",
    "WANDB_ERROR_REPORTING": "false",
    "WEAVE_DISABLED": "true",
    "WANDB_DISABLE_CODE": "true",
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
}


def configure_environment(mode: str) -> None:
    """Set the environment variables for tracking `mode` (offline | online | disabled)."""
    if mode not in MODES:
        raise TrackingError(f"tracking.mode must be one of {MODES}, got {mode!r}")
    for key, value in _ALWAYS.items():
        os.environ.setdefault(key, value)
    if mode == "online":
        os.environ.pop("WEAVE_DISABLED", None)
        os.environ["WANDB_MODE"] = "online"
        return
    for key, value in _OFFLINE.items():
        os.environ[key] = value
    if mode == "disabled":
        os.environ["WANDB_MODE"] = "disabled"


def require_online_credentials() -> None:
    """Fail at once, before any work, when online tracking has no W&B key.

    Raises:
        TrackingError: WANDB_API_KEY is not set.
    """
    if not os.environ.get("WANDB_API_KEY"):
        raise TrackingError(
            "tracking=online needs W&B credentials: set WANDB_API_KEY (and WEAVE_PROJECT or "
            "tracking.project). To run without network use tracking=offline (the default) and upload "
            "later with `secmodel sync RUN_DIR`."
        )
