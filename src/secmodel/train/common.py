"""Shared pieces of the SFT and GRPO jobs: TRL config building, model loading, resume, alias registration.

The TRL config is built from, in order (later wins):
1. `trainer.args` (TRL/transformers field names);
2. `trainer.extra_args` (any other field of the TRL dataclass, checked by name);
3. the hardware preset (`bf16`, `tf32`, `gradient_checkpointing`, batch sizes, vLLM for GRPO);
4. what secmodel owns: `output_dir=<run folder>/checkpoints`, `seed`, `report_to`, `run_name`.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from secmodel.errors import ConfigError
from secmodel.models.registry import AliasEntry, base_model_path, register, resolve
from secmodel.tracking.run import RunContext, resolved_config

log = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints"
ADAPTER = "adapter"
# Fields secmodel sets itself; setting them in extra_args would be silently overridden, so it is an error.
OWNED_FIELDS = ("output_dir", "seed", "report_to", "run_name")
HARDWARE_FIELDS = ("bf16", "tf32", "gradient_checkpointing", "per_device_train_batch_size",
                   "gradient_accumulation_steps")
VLLM_FIELDS = ("use_vllm", "vllm_mode", "vllm_gpu_memory_utilization")


def _plain(node: Any) -> Any:
    return OmegaConf.to_container(node, resolve=True) if isinstance(node, DictConfig) else dict(node or {})


def config_fields(config_cls: type) -> set[str]:
    """Names of the fields of a TRL config dataclass."""
    return {f.name for f in dataclasses.fields(config_cls)}


def check_fields(keys: list[str], config_cls: type, where: str, owned: tuple[str, ...] = OWNED_FIELDS) -> None:
    """Raise ConfigError for keys that are not fields of `config_cls` (with close-match suggestions)."""
    names = config_fields(config_cls)
    for key in keys:
        if key in owned:
            raise ConfigError(f"{where}.{key}: secmodel sets {key} itself (run folder / seed / tracking group)")
        if key not in names:
            close = difflib.get_close_matches(key, sorted(names), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise ConfigError(f"{where}.{key} is not a field of trl.{config_cls.__name__}.{hint}")


def wants_wandb(cfg: DictConfig, run: RunContext) -> bool:
    """True when metrics go to W&B: `wandb` in `trainer.args.report_to` and tracking is not disabled."""
    return run.wandb_run is not None and "wandb" in list(cfg.trainer.args.get("report_to") or [])


def callbacks(cfg: DictConfig, run: RunContext, tracer: Any) -> list[Any]:
    """The trainer callbacks: sampled tracing, plus W&B logging into the run's own W&B run."""
    from secmodel.train.tracing import trace_callback, wandb_callback

    found = [trace_callback(tracer)]
    if wants_wandb(cfg, run):
        found.append(wandb_callback(run))
    return found


def training_kwargs(cfg: DictConfig, config_cls: type, output_dir: Path, *, run_name: str | None = None,
                    drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The keyword arguments of the TRL config (`SFTConfig` or `GRPOConfig`) for this run.

    Args:
        cfg: the composed config.
        config_cls: `trl.SFTConfig` or `trl.GRPOConfig` (unknown keys are checked against its fields).
        output_dir: the run folder (checkpoints go to `<output_dir>/checkpoints`).
        run_name: the W&B run's name, when there is one.
        drop: keys of `trainer.args` that secmodel handles itself (e.g. GRPO's `max_prompt_length`).

    Raises:
        ConfigError: an unknown field (with close matches), or a field secmodel owns set in extra_args.
    """
    args = {k: v for k, v in _plain(cfg.trainer.args).items() if k not in drop}
    extra = _plain(cfg.trainer.get("extra_args"))
    check_fields(list(args), config_cls, "trainer.args", owned=())  # report_to: filtered below
    check_fields(list(extra), config_cls, "trainer.extra_args")
    merged = {**args, **extra}
    if "max_length" in config_fields(config_cls) and merged.get("max_length") is None:
        merged["max_length"] = cfg.model.max_length
    hw = cfg.hardware
    fields = config_fields(config_cls)
    for key in HARDWARE_FIELDS:
        value = hw.get(key)
        if value is not None:
            # transformers 5 renamed gradient_checkpointing (a deprecated alias now) to activation_checkpointing
            target = "activation_checkpointing" if key == "gradient_checkpointing" and \
                "activation_checkpointing" in fields else key
            merged[target] = value
    if "use_vllm" in config_fields(config_cls):
        for key in VLLM_FIELDS:
            merged[key] = hw.get(key)
    merged["use_cpu"] = hw.accelerator == "cpu"
    # W&B metrics go through secmodel's own callback into the run RunContext started (tracing.wandb_callback);
    # transformers' WandbCallback would open a second run. Other integrations (tensorboard ...) pass through.
    merged["report_to"] = [r for r in merged.get("report_to", []) if r != "wandb"] or "none"
    if run_name:
        merged["run_name"] = run_name
    merged["output_dir"] = str(Path(output_dir) / CHECKPOINTS)
    merged["seed"] = int(cfg.seed)
    return merged


def build_args(cfg: DictConfig, run: RunContext, config_cls: type, *, drop: tuple[str, ...] = ()) -> Any:
    """Build the TRL config (`SFTConfig` or `GRPOConfig`) for this run (see `training_kwargs`).

    Raises:
        ConfigError: as `training_kwargs`, or a GPU preset on a machine without a visible GPU.
    """
    if cfg.hardware.accelerator == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ConfigError(f"hardware={cfg.hardware.name} needs a CUDA GPU and none is visible; use hardware=cpu")
    name = run.wandb_run.name if run.wandb_run is not None else None
    return config_cls(**training_kwargs(cfg, config_cls, run.output_dir, run_name=name, drop=drop))


def set_threads(cfg: DictConfig) -> None:
    """Apply `hardware.torch_threads` (None keeps torch's default)."""
    threads = cfg.hardware.get("torch_threads")
    if threads:
        import torch

        torch.set_num_threads(int(threads))


def torch_dtype(cfg: DictConfig) -> Any:
    """The dtype to load the base model in: bf16 when the hardware preset says so, else `model.torch_dtype`."""
    import torch

    if cfg.hardware.bf16:
        return torch.bfloat16
    name = cfg.model.torch_dtype
    if name == "auto":
        return torch.float32 if cfg.hardware.accelerator == "cpu" else "auto"
    try:
        return getattr(torch, name)
    except AttributeError as exc:
        raise ConfigError(f"model.torch_dtype: unknown dtype {name!r}") from exc


def load_tokenizer(cfg: DictConfig, path: str) -> Any:
    """The base model's tokenizer with `model.chat_template` (the training template) attached."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    if cfg.model.chat_template:
        from secmodel.templates import load_template

        tokenizer.chat_template = load_template(cfg.model.chat_template)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(cfg: DictConfig) -> tuple[Any, Any, AliasEntry | None]:
    """Load the base model and tokenizer, plus the `trainer.init_adapter` adapter (trainable) when set.

    Returns:
        (model, tokenizer, init_entry): a PeftModel when an init adapter is given, else the plain base model
        (the trainer then adds a fresh LoRA adapter from `trainer.lora`).

    Raises:
        ConfigError: the init adapter is unknown, has no adapter folder, or belongs to another base model.
    """
    from transformers import AutoModelForCausalLM

    path = base_model_path(cfg.model.path)
    tokenizer = load_tokenizer(cfg, path)
    kwargs: dict[str, Any] = {"dtype": torch_dtype(cfg)}
    if cfg.model.get("attn_implementation"):
        kwargs["attn_implementation"] = cfg.model.attn_implementation
    model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    entry = None
    if cfg.trainer.get("init_adapter"):
        entry = resolve(cfg.trainer.init_adapter, cfg.model)
        if not entry.adapter_path:
            raise ConfigError(f"trainer.init_adapter={entry.alias!r} is not a trained adapter (no adapter folder)")
        if entry.base_model != cfg.model.name:
            raise ConfigError(f"trainer.init_adapter={entry.alias!r} was trained on {entry.base_model!r}, "
                              f"not on model={cfg.model.name!r}")
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, entry.adapter_path, is_trainable=True)
        log.info("Starting from adapter %s (%s)", entry.alias, entry.adapter_path)
    return model, tokenizer, entry


def lora_config(cfg: DictConfig) -> Any:
    """`peft.LoraConfig(**trainer.lora)`."""
    from peft import LoraConfig

    return LoraConfig(**_plain(cfg.trainer.lora))


def resume_checkpoint(cfg: DictConfig, run: RunContext) -> str | None:
    """The last checkpoint in `<run folder>/checkpoints` when `trainer.resume=true`, else None."""
    if not cfg.trainer.get("resume"):
        return None
    from transformers.trainer_utils import get_last_checkpoint

    folder = run.output_dir / CHECKPOINTS
    last = get_last_checkpoint(str(folder)) if folder.is_dir() else None
    if last is None:
        log.warning("trainer.resume=true but %s holds no checkpoint: training from the start. Resume in the "
                    "interrupted run's folder with hydra.run.dir=<that folder>.", folder)
        return None
    log.info("Resuming from %s", last)
    return last


def rows_sha256(rows: list[dict[str, Any]]) -> str:
    """sha256 of the rows actually trained on (canonical JSON, one per line)."""
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    return h.hexdigest()


def data_info(source: str, split: str | None, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Lineage of the training data: source, split, file sha256, rows and their sha256."""
    from secmodel.data import resolve_data_path
    from secmodel.data.readers import read_records

    resolved = resolve_data_path(source)
    _, file_sha = read_records(resolved)
    return {"source": source, "path": str(resolved), "split": split, "file_sha256": file_sha,
            "rows": len(rows), "rows_sha256": rows_sha256(rows)}


def check_train_split(split: str | None, source: str, allow_all: bool) -> None:
    """Training data never comes from an evaluation split.

    Raises:
        ConfigError: `split` is val/test, or None where the source has evaluation splits (`allow_all=False`).
    """
    if split in ("val", "test", "validation", "eval", "dev"):
        raise ConfigError(f"trainer.split={split!r}: training data never comes from an evaluation split ({source})")
    if split is None and not allow_all:
        raise ConfigError(f"trainer.split must be 'train' for {source} (it holds evaluation splits)")


def register_adapter(cfg: DictConfig, run: RunContext, trainer: Any, data: dict[str, Any]) -> str:
    """Save the adapter to `<run folder>/adapter`, register its alias and log it as a W&B artifact.

    Returns:
        The alias (`trainer.alias`, default `task_name`).
    """
    alias = cfg.trainer.get("alias") or cfg.task_name
    adapter_dir = run.output_dir / ADAPTER
    trainer.save_model(str(adapter_dir))
    if not trainer.accelerator.is_main_process:
        return alias
    trainer.processing_class.save_pretrained(str(adapter_dir))
    artifact = None
    if run.wandb_run is not None:
        import wandb

        art = wandb.Artifact(name=alias, type="model", metadata={
            "base_model": cfg.model.name, "lora_rank": int(cfg.trainer.lora.r), "git_sha": run.metadata.get("git_sha"),
            "data": data})
        art.add_dir(str(adapter_dir))
        run.wandb_run.log_artifact(art)
        artifact = f"{cfg.tracking.project}/{alias}:latest"
    entry = AliasEntry(
        alias=alias,
        base_model=cfg.model.name,
        base_path=cfg.model.path,
        adapter_path=str(adapter_dir),
        lora_rank=int(cfg.trainer.lora.r),
        recipe=resolved_config(cfg),
        git_sha=run.metadata.get("git_sha"),
        data=data,
        wandb_artifact=artifact,
    )
    path = register(entry)
    run.add_metadata(alias=alias, adapter_path=str(adapter_dir), registry_entry=str(path))
    log.info("Registered alias %s -> %s (%s)", alias, adapter_dir, path)
    return alias


def train_metrics_summary(trainer: Any) -> dict[str, Any]:
    """The last logged training metrics (for the run summary and the job's log line)."""
    history = [h for h in trainer.state.log_history if "loss" in h or "train_loss" in h]
    return dict(history[-1]) if history else {}


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str))
