"""SFT job (`trainer=sft`): TRL `SFTTrainer` + a PEFT LoRA adapter, loss on the assistant's tokens only.

    python main.py +experiment=sec-v2-sft            # trains, registers alias sec-v2-sft, evaluates it

The adapter is saved to `<run folder>/adapter` and registered as an alias (see `common.register_adapter`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from omegaconf import DictConfig

from secmodel.tracking.run import RunContext
from secmodel.train import common
from secmodel.train.launch import check_single_folder
from secmodel.train.tracing import Tracer

log = logging.getLogger(__name__)


def load_rows(cfg: DictConfig) -> list[dict[str, Any]]:
    """The SFT conversations: `trainer.data`, split `trainer.split`; rows of an evaluation split are dropped.

    Raises:
        ConfigError: `trainer.split` is an evaluation split.
        DataError: the file is malformed (message names file and line).
    """
    from secmodel.data import load_chat

    source, split = cfg.trainer.data, cfg.trainer.get("split")
    common.check_train_split(split, source, allow_all=True)
    rows = load_chat(source, split)
    kept = [r for r in rows if r.split in (None, "train")]
    if len(kept) < len(rows):
        log.info("SFT data: dropped %d rows of evaluation splits from %s", len(rows) - len(kept), source)
    return [{"id": r.id, "messages": [dict(m) for m in r.messages]} for r in kept]


def opening_tokens(tokenizer: Any, messages: list[dict[str, str]], n: int) -> dict[str, list[int]]:
    """Token ids of a conversation cut `n` tokens into its last assistant turn, labels on those `n` only.

    The refuse-or-answer decision sits in an answer's first tokens; a full answer spreads the loss over
    tokens the base model already writes well.
    """
    out = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    ids, mask = list(out["input_ids"]), list(out["assistant_masks"])
    last = len(mask) - 1 - mask[::-1].index(1)  # last assistant token
    start = last
    while start > 0 and mask[start - 1]:
        start -= 1
    end = min(start + n, last + 1)
    return {"input_ids": ids[:end], "labels": [-100] * start + ids[start:end]}


def build_trainer(cfg: DictConfig, run: RunContext, rows: list[dict[str, Any]],
                  callbacks: list[Any] | None = None) -> Any:
    """An `SFTTrainer` for this config (model, LoRA or init adapter, TRL config, dataset)."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    args = common.build_args(cfg, run, SFTConfig)
    model, tokenizer, init_entry = common.load_model(cfg)
    answer_tokens = cfg.trainer.get("answer_tokens")
    if answer_tokens:
        dataset = Dataset.from_list([opening_tokens(tokenizer, r["messages"], int(answer_tokens)) for r in rows])
        args.assistant_only_loss = False  # the labels already hold the answers' openings only
    else:
        dataset = Dataset.from_list([{"messages": r["messages"]} for r in rows])
    return SFTTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=None if init_entry else common.lora_config(cfg),
        callbacks=callbacks,
    )


def train(cfg: DictConfig, run: RunContext, callbacks: list[Any] | None = None) -> str:
    """Train the SFT adapter, register it, and return its alias (`callbacks`: extra TrainerCallbacks)."""
    check_single_folder()
    common.set_threads(cfg)
    rows = load_rows(cfg)
    data = common.data_info(cfg.trainer.data, cfg.trainer.get("split"), rows)
    run.add_metadata(train_data=data)
    tracer = Tracer(run, int(cfg.trainer.get("trace_every_n_steps", 10)))
    trainer = build_trainer(cfg, run, rows, callbacks=common.callbacks(cfg, run, tracer) + list(callbacks or []))
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=common.resume_checkpoint(cfg, run))
    wall = time.perf_counter() - started
    alias = common.register_adapter(cfg, run, trainer, data)
    summary = {"train/wall_s": round(wall, 1), "train/global_step": trainer.state.global_step,
               "train/loss_final": result.training_loss, "trace/overhead_frac": tracer.overhead_frac()}
    run.summary(summary)
    common.write_json(run.output_dir / "train_result.json", {**summary, "alias": alias,
                                                              "log_history": trainer.state.log_history})
    log.info("SFT done: %d steps in %.0f s, loss %.3f, alias %s", trainer.state.global_step, wall,
             result.training_loss, alias)
    return alias
