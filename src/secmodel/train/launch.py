"""Multi-GPU launch: `accelerate launch` with TRL's own DeepSpeed/FSDP presets and ONE Hydra output folder.

    python -m secmodel.train.launch +experiment=sec-v2-grpo hardware=multi_gpu [overrides ...] [--dry-run]

Under `accelerate launch` / torchrun every rank is its own process, and Hydra resolves `${now:...}` in
`hydra.run.dir` once per process (Hydra issue 2070): ranks that start a second apart would write to different
folders. This launcher computes the folder once and passes `hydra.run.dir=<folder>` to every rank. The
accelerate config is `hardware.accelerate_config`: a TRL preset name (zero1/zero2/zero3/fsdp1/fsdp2/multi_gpu,
files in `trl/accelerate_configs/`) or a path; `--num_processes` is `hardware.num_processes`.
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

from secmodel.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]


def accelerate_config_path(name: str) -> Path:
    """A TRL preset name (e.g. `zero2`) or a path → the accelerate YAML file.

    Raises:
        ConfigError: neither a TRL preset nor an existing file.
    """
    import importlib.util

    spec = importlib.util.find_spec("trl")
    presets = Path(spec.origin).parent / "accelerate_configs" if spec and spec.origin else None
    if presets is not None and (presets / f"{name}.yaml").is_file():
        return presets / f"{name}.yaml"
    path = Path(name).expanduser()
    if path.is_file():
        return path
    known = sorted(p.stem for p in presets.glob("*.yaml")) if presets is not None else []
    raise ConfigError(f"hardware.accelerate_config={name!r} is neither a TRL preset ({', '.join(known)}) nor a file")


def _compose(overrides: list[str]):  # type: ignore[no-untyped-def]
    from hydra import compose, initialize_config_dir

    from secmodel.cli import CONF_DIR
    from secmodel.config import register_configs
    from secmodel.config.experiments import register_experiments

    register_configs()
    register_experiments()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=overrides)


def launch_command(overrides: list[str], stamp: str | None = None) -> list[str]:
    """The `accelerate launch ... main.py ... hydra.run.dir=<one folder>` command for `overrides`."""
    cfg = _compose([o for o in overrides if not o.startswith("hydra.")])
    hw = cfg.hardware
    if not hw.get("accelerate_config"):
        raise ConfigError(f"hardware={hw.name} has no accelerate_config; use hardware=multi_gpu or set one")
    run_dir = next((o.split("=", 1)[1] for o in overrides if o.startswith("hydra.run.dir=")), None)
    rest = [o for o in overrides if not o.startswith("hydra.run.dir=")]
    if run_dir is None:
        run_dir = str(Path("outputs") / str(cfg.task_name) / (stamp or time.strftime("%Y-%m-%d_%H-%M-%S")))
    return ["accelerate", "launch", "--config_file", str(accelerate_config_path(hw.accelerate_config)),
            "--num_processes", str(int(hw.num_processes)), str(REPO / "main.py"), *rest,
            f"hydra.run.dir={run_dir}"]


def main(argv: list[str] | None = None) -> int:
    """Print (`--dry-run`) or exec the launch command."""
    args = list(sys.argv[1:] if argv is None else argv)
    dry = "--dry-run" in args
    cmd = launch_command([a for a in args if a != "--dry-run"])
    print(shlex.join(cmd))
    if dry:
        return 0
    os.execvp(cmd[0], cmd)
    return 0  # pragma: no cover


def check_single_folder() -> None:
    """Under a multi-process launch, require an explicit `hydra.run.dir` (else each rank gets its own folder).

    Raises:
        ConfigError: WORLD_SIZE > 1 and `hydra.run.dir` was not given on the command line.
    """
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return
    from secmodel.tracking.metadata import hydra_info

    overrides = hydra_info().get("hydra_overrides") or []
    hydra_overrides = _hydra_overrides()
    if not any(o.startswith("hydra.run.dir=") for o in [*overrides, *hydra_overrides]):
        raise ConfigError("multi-process training needs one output folder for all ranks: launch with "
                          "`python -m secmodel.train.launch <overrides>` (or pass hydra.run.dir=<folder>)")


def _hydra_overrides() -> list[str]:
    from hydra.core.hydra_config import HydraConfig

    return list(HydraConfig.get().overrides.hydra) if HydraConfig.initialized() else []


if __name__ == "__main__":
    sys.exit(main())
