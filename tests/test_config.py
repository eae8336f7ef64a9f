"""Every config option composes and validates; bad overrides fail at composition with a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

from secmodel.config.experiments import EXPERIMENTS_DIR

from .conftest import REPO, offline_env, run_main

CONF = REPO / "conf"
GROUPS = ["model", "trainer", "eval", "endpoint", "hardware", "tracking", "judge"]


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF / group).glob("*.yaml"))


pytestmark = pytest.mark.usefixtures("hydra_ctx")


def test_every_group_has_options() -> None:
    for group in GROUPS:
        assert options(group), f"conf/{group}/ has no options"


@pytest.mark.parametrize("group,option", [(g, o) for g in GROUPS for o in options(g)])
def test_every_option_composes(group: str, option: str) -> None:
    cfg = compose(config_name="config", overrides=[f"{group}={option}"])
    # Resolve everything except Hydra's own runtime interpolations.
    container = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    assert container[group] is not None


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPERIMENTS_DIR.glob("*.yaml")))
def test_every_experiment_composes(name: str) -> None:
    cfg = compose(config_name="config", overrides=[f"+experiment={name}"])
    OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    assert cfg.task_name == name


def test_experiments_are_global_presets() -> None:
    for path in EXPERIMENTS_DIR.glob("*.yaml"):
        assert path.read_text().startswith("# @package _global_"), path


def test_sft_experiment_sets_trainer() -> None:
    cfg = compose(config_name="config", overrides=["+experiment=sec-v2-sft"])
    assert cfg.trainer.name == "sft"
    assert cfg.trainer.alias == "sec-v2-sft"
    assert cfg.trainer.args.assistant_only_loss is True


def test_grpo_h200_resolves() -> None:
    cfg = compose(config_name="config", overrides=["trainer=grpo", "hardware=h200"])
    c = OmegaConf.to_container(cfg, resolve=True)
    assert c["trainer"]["name"] == "grpo"
    assert c["hardware"]["bf16"] is True and c["hardware"]["use_vllm"] is True
    assert c["hardware"]["vllm_mode"] == "colocate"
    assert c["trainer"]["args"]["num_generations"] >= 2


def test_root_has_task_name_seed_tags() -> None:
    cfg = compose(config_name="config")
    assert cfg.seed == 42 and list(cfg.tags) == [] and cfg.task_name == "none"
    assert cfg.trainer.name == "none" and cfg.hardware.name == "cpu" and cfg.tracking.mode == "offline"


@pytest.mark.parametrize(
    "override,needle",
    [
        ("trainer=sft trainer.args.learning_rat=1", "learning_rat"),
        ("eval.trials=abc", "trials"),
        ("hardware=h300", "h300"),
        ("endpoint.concurrency=many", "concurrency"),
        ("lora_r=4", "lora_r"),
        ("model.nme=x", "nme"),
    ],
)
def test_bad_override_fails_at_composition(override: str, needle: str) -> None:
    with pytest.raises(ConfigCompositionException, match=needle):
        compose(config_name="config", overrides=override.split())


def test_bad_override_message_on_cli() -> None:
    res = run_main(["trainer=sft", "trainer.args.learning_rat=1", "--cfg", "job"], timeout=60)
    assert res.returncode != 0
    assert "learning_rat" in res.stderr and "SFTArgsSection" in res.stderr


def test_help_lists_groups() -> None:
    res = run_main(["--help"], timeout=60)
    assert res.returncode == 0, res.stderr
    for group in GROUPS + ["experiment"]:
        assert f"\n{group}:" in res.stdout
    assert "sec-v2-sft" in res.stdout


def test_cfg_job_imports_no_heavy_library(tmp_path: Path) -> None:
    """--cfg job must stay fast: no torch, transformers, trl, peft, weave or wandb import."""
    probe = (
        "import sys, runpy; sys.argv = ['main.py', '--cfg', 'job'];\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "names = ('torch', 'transformers', 'trl', 'peft', 'weave', 'wandb', 'datasets')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=offline_env(), capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert "HEAVY=\n" in res.stdout or res.stdout.rstrip().endswith("HEAVY="), res.stdout[-300:]
    assert "trainer:" in res.stdout


def test_console_script_runs_same_app() -> None:
    exe = Path(sys.executable).with_name("secmodel")
    res = subprocess.run(
        [str(exe), "--cfg", "job", "trainer=sft"],
        cwd=REPO,
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert "name: sft" in res.stdout


def test_eval_judge_endpoint_switches_llm_layer_on() -> None:
    from secmodel.config.judge import judge_config
    from secmodel.errors import ConfigError

    cfg = compose(config_name="config")
    assert judge_config(cfg).llm_base_url is None  # off by default
    cfg = compose(config_name="config", overrides=["eval.judge=vllm", "endpoint=local"])
    jc = judge_config(cfg)
    assert jc.llm_base_url == "http://127.0.0.1:8000/v1" and jc.llm_model == "smollm2-135m"
    assert jc.llm_api_key_env == "VLLM_API_KEY"
    cfg = compose(config_name="config", overrides=["eval.judge=http://127.0.0.1:9/v1", "judge.llm_model=j"])
    assert judge_config(cfg).llm_base_url == "http://127.0.0.1:9/v1" and judge_config(cfg).llm_model == "j"
    with pytest.raises(ConfigError, match="not an endpoint option"):
        judge_config(compose(config_name="config", overrides=["eval.judge=nope"]))
