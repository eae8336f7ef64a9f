"""SFT step time: secmodel's SFT job vs a bare TRL script with identical settings, in the same process.

    .venv/bin/python benchmarks/sft_step_time.py [--steps 6] [--rounds 2] [--threads 1] [--out FILE.json]

Both sides train the real SmolLM2-135M with the same LoRA, SFTConfig values, data rows and chat template.
secmodel's side is `secmodel.train.sft.build_trainer` with its callbacks (sampled tracing, W&B offline
logging into the job's run). The bare side is SFTTrainer built by hand. Rounds alternate (secmodel, bare,
secmodel, bare ...) so load on a shared machine hits both alike; the first step of every round (warm-up) is
dropped, and the ratio is median(secmodel step) / median(bare step). Target: <= 1.05.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _step_timer() -> tuple[Any, list[float]]:
    from transformers import TrainerCallback

    times: list[float] = []

    class StepTimer(TrainerCallback):
        def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.t0 = time.perf_counter()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            times.append(time.perf_counter() - self.t0)

    return StepTimer(), times


def _cfg(steps: int, threads: int) -> Any:
    from hydra import compose, initialize_config_dir

    from secmodel.config import register_configs

    register_configs()
    overrides = ["trainer=sft", "task_name=bench-sft", "tracking=offline", f"trainer.args.max_steps={steps}",
                 "trainer.args.max_length=128", "trainer.args.logging_steps=1", "trainer.args.save_steps=100000",
                 "hardware.per_device_train_batch_size=4", "hardware.gradient_accumulation_steps=1",
                 f"hardware.torch_threads={threads}"]
    with initialize_config_dir(config_dir=str(REPO / "conf"), version_base="1.3"):
        return compose(config_name="config", overrides=overrides)


def secmodel_round(cfg: Any, rows: list[dict[str, Any]], out: Path) -> list[float]:
    """Steps of secmodel's SFT trainer (its own callbacks included)."""
    from secmodel.tracking.run import start_run
    from secmodel.train import common, sft
    from secmodel.train.tracing import Tracer

    run = start_run(cfg, "sft", out)
    timer, times = _step_timer()
    tracer = Tracer(run, int(cfg.trainer.get("trace_every_n_steps", 10)))
    trainer = sft.build_trainer(cfg, run, rows, callbacks=[*common.callbacks(cfg, run, tracer), timer])
    trainer.train()
    run.finish()
    return times[1:]


def bare_round(cfg: Any, rows: list[dict[str, Any]], out: Path) -> tuple[list[float], dict[str, Any]]:
    """Steps of a bare TRL SFTTrainer with the same settings (written out as a user script would)."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from secmodel.models.prepare import prepare_default_model

    path = str(prepare_default_model())
    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.chat_template = (REPO / "src/secmodel/templates/smollm2_chat.jinja").read_text()
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    a = cfg.trainer.args
    args = SFTConfig(
        output_dir=str(out / "checkpoints"), seed=42, report_to="none", use_cpu=True,
        learning_rate=a.learning_rate, max_steps=a.max_steps, warmup_steps=a.warmup_steps,
        lr_scheduler_type=a.lr_scheduler_type, weight_decay=a.weight_decay, logging_steps=a.logging_steps,
        save_steps=a.save_steps, save_total_limit=a.save_total_limit, max_length=a.max_length,
        assistant_only_loss=True, packing=False, per_device_train_batch_size=4, gradient_accumulation_steps=1,
        bf16=False, activation_checkpointing=False,
    )
    lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, bias="none", task_type="CAUSAL_LM",
                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    timer, times = _step_timer()
    trainer = SFTTrainer(model=model, args=args, processing_class=tokenizer, peft_config=lora, callbacks=[timer],
                         train_dataset=Dataset.from_list([{"messages": r["messages"]} for r in rows]))
    trainer.train()
    return times[1:], args.to_dict()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6, help="optimizer steps per round (first one dropped)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per side, alternating")
    parser.add_argument("--threads", type=int, default=1, help="torch threads for both sides")
    parser.add_argument("--out", type=Path, default=None, help="write the result JSON here")
    ns = parser.parse_args()

    from secmodel.tracking.env import configure_environment

    configure_environment("offline")
    import torch

    torch.set_num_threads(ns.threads)
    cfg = _cfg(ns.steps, ns.threads)
    from secmodel.train import sft

    rows = sft.load_rows(cfg)
    ours: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SECMODEL_CACHE"] = os.environ.get("SECMODEL_CACHE") or str(Path(tmp) / "cache")
        models = Path(os.environ["SECMODEL_CACHE"]) / "models"
        if not models.exists():
            models.parent.mkdir(parents=True, exist_ok=True)
            models.symlink_to(Path.home() / ".cache" / "secmodel" / "models", target_is_directory=True)
        for i in range(ns.rounds):
            ours += secmodel_round(cfg, rows, Path(tmp) / f"ours-{i}")
            times, _ = bare_round(cfg, rows, Path(tmp) / f"bare-{i}")
            bare += times
    result = {
        "secmodel_step_s_median": statistics.median(ours), "bare_trl_step_s_median": statistics.median(bare),
        "ratio": statistics.median(ours) / statistics.median(bare), "secmodel_steps_s": ours, "bare_steps_s": bare,
        "settings": {"steps": ns.steps, "rounds": ns.rounds, "threads": ns.threads, "batch": 4, "max_length": 128},
    }
    print(json.dumps({k: v for k, v in result.items() if not k.endswith("steps_s")}, indent=2))
    if ns.out:
        ns.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
