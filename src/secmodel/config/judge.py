"""Build the refusal judge's settings from the composed config.

`judge.*` holds the layers (conf/judge/default.yaml). `eval.judge=<endpoint option>` (for example
`eval.judge=vllm`) switches the LLM-judge layer on, pointed at that endpoint option's `base_url` and
`api_key_env`; the judge model is `judge.llm_model`, default the base model's served name. A URL works too:
`eval.judge=http://127.0.0.1:8000/v1`.
"""

from __future__ import annotations

from typing import Any

from omegaconf import DictConfig, OmegaConf

from secmodel.errors import ConfigError
from secmodel.judge import JudgeConfig


def _endpoint_option(name: str) -> DictConfig:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from secmodel.cli import CONF_DIR
    from secmodel.config.schema import register_configs

    try:
        if GlobalHydra.instance().is_initialized():
            return compose(config_name="config", overrides=[f"endpoint={name}"]).endpoint
        register_configs()
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            return compose(config_name="config", overrides=[f"endpoint={name}"]).endpoint
    except Exception as exc:  # Hydra's MissingConfigException and friends
        raise ConfigError(f"eval.judge={name!r}: not an endpoint option or URL ({exc})") from exc


def judge_config(cfg: DictConfig) -> JudgeConfig:
    """The `JudgeConfig` for a run: `cfg.judge` plus the LLM layer that `cfg.eval.judge` asks for."""
    fields: dict[str, Any] = OmegaConf.to_container(cfg.judge, resolve=True) if "judge" in cfg else {}  # type: ignore[assignment]
    target = cfg.get("eval", {}).get("judge") if "eval" in cfg else None
    if target:
        if str(target).startswith(("http://", "https://")):
            fields["llm_base_url"] = str(target)
        else:
            endpoint = _endpoint_option(str(target))
            if not endpoint.base_url:
                raise ConfigError(f"eval.judge={target!r}: that endpoint has no base_url (it runs in-process)")
            fields["llm_base_url"] = endpoint.base_url
            fields["llm_api_key_env"] = endpoint.api_key_env
        fields["llm_model"] = fields.get("llm_model") or cfg.model.name
    return JudgeConfig(**fields)
