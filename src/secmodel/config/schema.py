"""Schemas of the config groups secmodel owns.

Each YAML file in `conf/<group>/` starts with `defaults: [<group>_schema, _self_]`, so Hydra merges it onto
the dataclass below: a misspelt key or a value of the wrong type fails at composition, naming the key.
Field names follow the libraries they feed (TRL's `SFTConfig`/`GRPOConfig`, PEFT's `LoraConfig`, the
OpenAI client), so a config section maps straight onto the library object.

Keep this module free of heavy imports: `python main.py --cfg job` loads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, OmegaConf

from secmodel.judge import JudgeConfig


@dataclass
class ModelConfig:
    """The base model that is trained and served."""

    name: str = MISSING  # short name, also the alias of the un-tuned base model
    path: str = MISSING  # HF folder or hub id; "embedded" = the packaged SmolLM2 GGUF, converted once
    # training template with {% generation %} markers: a file name in src/secmodel/templates/ or a path
    chat_template: Optional[str] = None
    torch_dtype: str = "auto"  # float32 | bfloat16 | float16 | auto (hardware decides)
    max_length: int = 1024  # tokens per training example (prompt + answer)
    attn_implementation: Optional[str] = None  # e.g. "sdpa", "flash_attention_2" on GPUs
    aliases: Dict[str, Any] = field(default_factory=dict)  # prompt-only aliases: {name: {system_prompt: ...}}


@dataclass
class LoraSection:
    """Maps onto `peft.LoraConfig` (same field names)."""

    r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    target_modules: List[str] = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj"])
    bias: str = "none"
    task_type: str = "CAUSAL_LM"


@dataclass
class TrainArgsSection:
    """The common subset of `transformers.TrainingArguments` / TRL configs (same field names).

    Anything else TRL accepts goes in `trainer.extra_args`, checked against TRL's dataclass at build time.
    """

    learning_rate: float = 2e-4
    num_train_epochs: float = 1.0
    max_steps: int = -1
    per_device_train_batch_size: int = 8
    gradient_accumulation_steps: int = 1
    warmup_steps: float = 0  # int = steps; a float in [0, 1) = share of all steps (transformers 5)
    lr_scheduler_type: str = "cosine"
    weight_decay: float = 0.0
    logging_steps: int = 1
    save_steps: int = 50
    save_total_limit: int = 2
    report_to: List[str] = field(default_factory=lambda: ["wandb"])


@dataclass
class SFTArgsSection(TrainArgsSection):
    """Maps onto `trl.SFTConfig`."""

    max_length: Optional[int] = None  # None = model.max_length
    assistant_only_loss: bool = True
    packing: bool = False


@dataclass
class GRPOArgsSection(TrainArgsSection):
    """Maps onto `trl.GRPOConfig`."""

    num_generations: int = 4
    max_completion_length: int = 96
    temperature: float = 1.0
    beta: float = 0.0
    loss_type: str = "dapo"
    scale_rewards: str = "group"


@dataclass
class RewardSection:
    """GRPO reward weights (see `secmodel.train.rewards`)."""

    refusal_weight: float = 1.0  # reward for refusing malicious prompts
    helpfulness_weight: float = 1.0  # reward for answering benign prompts
    length_penalty: float = 0.0  # per-token penalty on over-long completions


@dataclass
class TrainerConfig:
    """Which training job runs. `name: none` evaluates only."""

    name: str = "none"  # none | sft | grpo
    data: Optional[str] = None  # training data (pkg://, path, or hf:name)
    split: Optional[str] = "train"
    alias: Optional[str] = None  # alias the trained adapter registers as; default: task_name
    init_adapter: Optional[str] = None  # start from a registered adapter alias (GRPO from SFT)
    resume: bool = False  # resume from the last checkpoint in the output folder
    evaluate_after: bool = True  # evaluate the new alias at once
    args: Dict[str, Any] = field(default_factory=dict)
    lora: LoraSection = field(default_factory=LoraSection)
    extra_args: Dict[str, Any] = field(default_factory=dict)  # other TRL config fields, checked at build


@dataclass
class SFTTrainerConfig(TrainerConfig):
    name: str = "sft"
    args: SFTArgsSection = field(default_factory=SFTArgsSection)  # type: ignore[assignment]
    answer_tokens: Optional[int] = None  # >0: loss on the first N tokens of each answer only (the decision)


@dataclass
class GRPOTrainerConfig(TrainerConfig):
    name: str = "grpo"
    args: GRPOArgsSection = field(default_factory=GRPOArgsSection)  # type: ignore[assignment]
    rewards: RewardSection = field(default_factory=RewardSection)
    max_prompt_length: Optional[int] = 256  # secmodel truncates longer prompts from the left (not a GRPOConfig field)
    trace_every_n_steps: int = 10  # Weave-trace one rollout batch every N steps (keeps tracing < 2%)


@dataclass
class SamplingConfig:
    """OpenAI chat-completions sampling parameters (same names)."""

    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 160
    seed: Optional[int] = None


@dataclass
class EvalConfig:
    """What is evaluated, on which data."""

    name: str = MISSING  # evaluation name; stays the same across aliases so Weave can compare them
    alias: str = "${model.name}"  # model alias (served model name, or a registered adapter)
    data: str = MISSING  # prompts: pkg://file.jsonl, a path (.jsonl/.csv), or hf:name
    split: Optional[str] = "test"
    limit: Optional[int] = None  # first N rows only (smoke tests)
    trials: int = 1  # repeated samples per prompt (temperature > 0)
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    system_prompt: Optional[str] = None
    cache: bool = True  # reuse cached responses (resume after a crash); false bypasses the cache
    judge: Optional[str] = None  # endpoint option name for the LLM judge layer (off when null)
    enabled: bool = True  # false skips evaluation after training


@dataclass
class EndpointConfig:
    """Where the alias is served."""

    kind: str = MISSING  # local | openai_compatible | vllm
    base_url: Optional[str] = None  # http://host:port/v1 for servers
    api_key_env: str = "OPENAI_API_KEY"  # NAME of the env var holding the key; never the key itself
    concurrency: int = 8  # requests in flight (servers)
    batch_size: int = 8  # prompts per generate() call (local)
    torch_dtype: str = "auto"  # local generation: auto (bf16 on fast-bf16 CPUs / bf16 GPUs) | float32 | bfloat16
    timeout_s: float = 60.0  # per request
    max_retries: int = 5  # on 429, 5xx, timeouts, connection errors
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 8.0
    check_alias: bool = True  # GET /v1/models before the first request


@dataclass
class HardwareConfig:
    """Machine preset: precision, memory savers, batch sizes, GRPO generation backend."""

    name: str = MISSING
    accelerator: str = "cpu"  # cpu | cuda
    bf16: bool = False
    tf32: Optional[bool] = None
    gradient_checkpointing: bool = False
    per_device_train_batch_size: Optional[int] = None  # overrides trainer.args when set
    gradient_accumulation_steps: Optional[int] = None
    use_vllm: bool = False  # GRPO generation through vLLM
    vllm_mode: str = "colocate"
    vllm_gpu_memory_utilization: float = 0.3
    num_processes: int = 1  # >1 launches through accelerate
    accelerate_config: Optional[str] = None  # TRL preset: zero2 | zero3 | fsdp1 | fsdp2 | path
    torch_threads: Optional[int] = None  # CPU threads (None = torch default)


@dataclass
class TrackingConfig:
    """W&B and Weave."""

    mode: str = "offline"  # offline | online | disabled
    project: str = "secmodel"  # W&B / Weave project
    entity: Optional[str] = None  # W&B entity (team or user)
    trace_file: str = "traces.jsonl"  # local traces, always written
    log_samples_table: bool = True  # wandb.Table of the evaluation samples


def sanitize(text: str) -> str:
    """Folder-safe text for job folder names: odd characters become '_' (at most 150 chars)."""
    return re.sub(r"[^A-Za-z0-9._,=+-]", "_", str(text))[:150]


# Registered at import: launcher workers (submitit) resolve job folders after importing secmodel.app.
if not OmegaConf.has_resolver("sanitize"):
    OmegaConf.register_new_resolver("sanitize", sanitize)


def register_configs() -> None:
    """Register the schemas with Hydra's ConfigStore (idempotent)."""
    cs = ConfigStore.instance()
    cs.store(group="model", name="model_schema", node=ModelConfig)
    cs.store(group="trainer", name="none_schema", node=TrainerConfig)
    cs.store(group="trainer", name="sft_schema", node=SFTTrainerConfig)
    cs.store(group="trainer", name="grpo_schema", node=GRPOTrainerConfig)
    cs.store(group="eval", name="eval_schema", node=EvalConfig)
    cs.store(group="endpoint", name="endpoint_schema", node=EndpointConfig)
    cs.store(group="hardware", name="hardware_schema", node=HardwareConfig)
    cs.store(group="tracking", name="tracking_schema", node=TrackingConfig)
    cs.store(group="judge", name="judge_schema", node=JudgeConfig)
