"""Settings of the refusal judge; mirrors conf/judge/default.yaml."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class JudgeConfig:
    """Which layers run and how. Plain types only, so OmegaConf can use it as a structured config.

    Attributes:
        rules: run the fast rules layer; it decides the clear shapes and abstains on the rest.
        learned: run the learned layer (MiniLM sentence embeddings + the shipped head) on what rules leave.
        llm_base_url: OpenAI-compatible base URL (e.g. "http://127.0.0.1:8000/v1"); None turns the LLM judge
            off.
        llm_model: model name sent to the endpoint (required when llm_base_url is set).
        llm_api_key_env: NAME of the environment variable holding the API key (the key never enters a config).
        llm_timeout_s: per-request timeout of the LLM judge in seconds.
        llm_max_retries: retries per request after the first attempt (tenacity, exponential back-off).
        llm_fallback: on an LLM failure, return the local layers' verdict (True) or an error verdict (False).
        llm_only_uncertain: send to the LLM only answers the local layers decided with confidence below
            `llm_threshold`; False sends every answer.
        llm_threshold: confidence below which a local verdict counts as uncertain.
        head_path: path of the trained head (.npz); None uses the head shipped in secmodel/judge/files.
        max_tokens_open: tokens of the response opening that are embedded.
        max_tokens_end: tokens of the response ending that are embedded (responses longer than the opening).
        batch_size: embedding batch size.
        num_threads: torch CPU threads for embedding; 0 keeps torch's default.
        dtype: embedding precision: "auto" (bfloat16 where the CPU has AMX/AVX512-BF16, else float32),
            "float32" or "bfloat16".
    """

    rules: bool = True
    learned: bool = True
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_timeout_s: float = 60.0
    llm_max_retries: int = 2
    llm_fallback: bool = True
    llm_only_uncertain: bool = False
    llm_threshold: float = 0.8
    head_path: str | None = None
    max_tokens_open: int = 64
    max_tokens_end: int = 48
    batch_size: int = 64
    num_threads: int = 0
    dtype: str = "auto"

    def key(self) -> tuple:
        """Hashable identity used to cache judges per config."""
        return tuple(sorted(vars(self).items()))
