"""The `secmodel` command: the Hydra app (same as `python main.py`) plus a few subcommands.

    secmodel [overrides...]          run the app, e.g. `secmodel trainer=sft`
    secmodel sync RUN_DIR            upload an offline run to W&B + Weave
    secmodel leaderboard SWEEP_DIR   rebuild a multirun's leaderboard from its files
    secmodel judge FILE.jsonl        classify responses as refusal / compliance
    secmodel serve --model ...       start a vLLM server for a model and its adapters
    secmodel prepare-model           convert the embedded default model (once)
"""

from __future__ import annotations

import sys
from pathlib import Path

CONF_DIR = Path(__file__).resolve().parents[2] / "conf"


def hydra_main() -> None:
    """Run the Hydra app with `sys.argv` overrides."""
    import hydra

    from secmodel.app import run
    from secmodel.config import register_configs
    from secmodel.config.experiments import register_experiments

    register_configs()
    register_experiments()
    hydra.main(config_path=str(CONF_DIR), config_name="config", version_base="1.3")(run)()


def _prepare_model(argv: list[str]) -> int:
    import logging

    from secmodel.models.prepare import prepare_default_model

    logging.basicConfig(level=logging.INFO)
    print(prepare_default_model(force="--force" in argv))
    return 0


def _subcommand(name: str, argv: list[str]) -> int:
    if name == "sync":
        from secmodel.tracking.sync import main as fn
    elif name == "leaderboard":
        from secmodel.eval.leaderboard import main as fn
    elif name == "judge":
        from secmodel.judge.cli import main as fn
    elif name == "serve":
        from secmodel.serve import serve_main as fn
    else:
        fn = _prepare_model
    return int(fn(argv) or 0)


SUBCOMMANDS = ("sync", "leaderboard", "judge", "serve", "prepare-model")


def main() -> None:
    """Console-script entry point."""
    if len(sys.argv) > 1 and sys.argv[1] in SUBCOMMANDS:
        from secmodel.errors import SecmodelError

        try:
            sys.exit(_subcommand(sys.argv[1], sys.argv[2:]))
        except SecmodelError as exc:
            print(f"secmodel {sys.argv[1]}: error: {exc}", file=sys.stderr)
            sys.exit(2)
    hydra_main()


if __name__ == "__main__":
    main()
