"""GRPO job (`trainer=grpo`): TRL `GRPOTrainer` with LoRA and the refusal judge as a graded reward.

    python main.py +experiment=sec-v2-grpo           # from the sec-v2-sft adapter, registers sec-v2-grpo

Prompts come from the benchmark's train split only. `trainer.init_adapter=<alias>` continues training a
registered adapter (GRPO from SFT); otherwise a fresh LoRA adapter is trained from `trainer.lora`.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from omegaconf import DictConfig

from secmodel.errors import ConfigError
from secmodel.tracking.run import RunContext
from secmodel.train import common
from secmodel.train.launch import check_single_folder
from secmodel.train.tracing import Tracer

log = logging.getLogger(__name__)


def load_rows(cfg: DictConfig, tokenizer: Any) -> list[dict[str, Any]]:
    """GRPO prompts from `trainer.data`, train split only; prompts over `max_prompt_length` tokens keep their end.

    Raises:
        ConfigError: `trainer.split` is not `train`.
    """
    from secmodel.data import load_prompts

    source, split = cfg.trainer.data, cfg.trainer.get("split")
    if split != "train":
        raise ConfigError(f"trainer.split={split!r}: GRPO prompts come from the train split only ({source})")
    prompts = load_prompts(source, split="train")
    limit = cfg.trainer.get("max_prompt_length")
    rows = []
    for r in prompts:
        text = r.prompt
        if limit:
            ids = tokenizer(text, add_special_tokens=False)["input_ids"]
            if len(ids) > limit:
                text = tokenizer.decode(ids[-limit:])
        rows.append({"id": r.id, "prompt": [{"role": "user", "content": text}], "label": r.label})
    return rows


ZERO_STD = 1e-4  # below this a group's rewards are equal: float32 gives ~6e-8, not 0, for identical rewards


def reward_std_summary(log_history: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-step reward std from TRL's logs, and the share of logged steps where it is non-zero."""
    stds = [(h["step"], h["reward_std"]) for h in log_history if "reward_std" in h]
    nonzero = [s for _, s in stds if s is not None and not math.isnan(s) and s > ZERO_STD]
    return {"reward_std_per_step": stds, "reward_std_nonzero_frac": len(nonzero) / len(stds) if stds else None}


def build_trainer(cfg: DictConfig, run: RunContext, tracer: Tracer | None = None,
                  judge: Any = None, callbacks: list[Any] | None = None) -> tuple[Any, list[dict[str, Any]]]:
    """A `GRPOTrainer` for this config, and the prompt rows it trains on."""
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    from secmodel.config.judge import judge_config
    from secmodel.judge import get_judge
    from secmodel.train.rewards import make_reward_func

    args = common.build_args(cfg, run, GRPOConfig)
    model, tokenizer, init_entry = common.load_model(cfg)
    rows = load_rows(cfg, tokenizer)
    if judge is None:
        judge = get_judge(judge_config(cfg))  # the same judge (and settings) as the evaluation scorers
    rw = cfg.trainer.rewards
    reward = make_reward_func(judge, tracer, refusal_weight=rw.refusal_weight,
                              helpfulness_weight=rw.helpfulness_weight, length_penalty=rw.length_penalty,
                              max_completion_length=int(args.max_completion_length))
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=[reward],
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=None if init_entry else common.lora_config(cfg),
        callbacks=(common.callbacks(cfg, run, tracer) if tracer is not None else []) + list(callbacks or []),
    )
    return trainer, rows


def train(cfg: DictConfig, run: RunContext, callbacks: list[Any] | None = None) -> str:
    """Train the GRPO adapter, register it, and return its alias (`callbacks`: extra TrainerCallbacks)."""
    check_single_folder()
    common.set_threads(cfg)
    tracer = Tracer(run, int(cfg.trainer.get("trace_every_n_steps", 10)))
    trainer, rows = build_trainer(cfg, run, tracer, callbacks=callbacks)
    data = common.data_info(cfg.trainer.data, "train", rows)
    if cfg.trainer.get("init_adapter"):
        data["init_adapter"] = cfg.trainer.init_adapter
    run.add_metadata(train_data=data)
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=common.resume_checkpoint(cfg, run))
    wall = time.perf_counter() - started
    alias = common.register_adapter(cfg, run, trainer, data)
    stds = reward_std_summary(trainer.state.log_history)
    summary = {"train/wall_s": round(wall, 1), "train/global_step": trainer.state.global_step,
               "train/loss_final": result.training_loss, "trace/overhead_frac": tracer.overhead_frac(),
               "train/reward_std_nonzero_frac": stds["reward_std_nonzero_frac"]}
    run.summary(summary)
    common.write_json(run.output_dir / "train_result.json", {**summary, **stds, "alias": alias,
                                                              "log_history": trainer.state.log_history})
    log.info("GRPO done: %d steps in %.0f s, reward std non-zero on %s of steps, alias %s",
             trainer.state.global_step, wall, stds["reward_std_nonzero_frac"], alias)
    return alias
