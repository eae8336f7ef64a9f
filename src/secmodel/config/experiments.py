"""Experiment presets: every `experiments/*.yaml` becomes an option of the `experiment` group.

They are `# @package _global_` files (lightning-hydra-template style) kept in the top-level
`experiments/` folder, next to the leaderboard they produce: `python main.py +experiment=sec-v2-sft`.
"""

from __future__ import annotations

from pathlib import Path

from hydra.core.config_store import ConfigStore
from omegaconf import OmegaConf

EXPERIMENTS_DIR = Path(__file__).resolve().parents[3] / "experiments"


def register_experiments(folder: Path = EXPERIMENTS_DIR) -> list[str]:
    """Store each preset in Hydra's ConfigStore under group `experiment`; return their names."""
    cs = ConfigStore.instance()
    names = []
    for path in sorted(folder.glob("*.yaml")):
        cs.store(group="experiment", name=path.stem, node=OmegaConf.load(path), package="_global_")
        names.append(path.stem)
    return names
