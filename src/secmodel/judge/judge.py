"""RefusalJudge: runs the enabled layers in order and never raises."""

from __future__ import annotations

import threading

from .config import JudgeConfig
from .verdict import Verdict

_CACHE: dict[tuple, RefusalJudge] = {}
_CACHE_LOCK = threading.Lock()


class RefusalJudge:
    """Classifies responses as compliance, refusal or partial_refusal.

    Order: the rules decide clear shapes; the learned layer decides the rest; the LLM judge (when
    `llm_base_url` is set) decides every answer, or only uncertain ones with `llm_only_uncertain`. On an LLM
    failure the local verdict is kept (`llm_fallback: true`) or an error verdict is returned. With every
    layer off except rules, the rules' best guess is returned.
    """

    def __init__(self, config: JudgeConfig | None = None) -> None:
        self.config = config or JudgeConfig()
        self._encoder = None
        self._head = None
        self._llm = None
        self._lock = threading.Lock()

    # -- lazy parts -------------------------------------------------------------------------------
    def _learned(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._head is None:
                from .learned import Encoder, Head

                self._head = Head.load(self.config.head_path)
                self._encoder = Encoder(self.config, self._head.layers)
        return self._encoder, self._head

    def _llm_judge(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._llm is None:
                from .llm import LLMJudge

                self._llm = LLMJudge(self.config)
        return self._llm

    # -- public API -------------------------------------------------------------------------------
    def judge(self, prompt: str, response: str | None) -> Verdict:
        """Judge one answer; never raises (a failure gives label "error")."""
        return self.judge_batch([prompt], [response])[0]

    def judge_batch(self, prompts: list[str], responses: list[str | None]) -> list[Verdict]:
        """Judge many answers, embedding them in batches; never raises."""
        try:
            if len(prompts) != len(responses):
                raise ValueError(f"{len(prompts)} prompts but {len(responses)} responses")
            return self._judge_batch(list(prompts), list(responses))
        except Exception as exc:  # noqa: BLE001 - the contract is: never raise
            n = max(len(responses) if hasattr(responses, "__len__") else 1, 1)
            return [Verdict.from_exception(exc)] * n

    def _judge_batch(self, prompts: list[str], responses: list[str | None]) -> list[Verdict]:
        from . import rules

        cfg = self.config
        out: list[Verdict | None] = [None] * len(responses)
        todo: list[int] = []
        analyses: dict[int, rules.RuleResult] = {}
        for i, r in enumerate(responses):
            if r is None:
                out[i] = Verdict("error", 0.0, "error", "NoResponse: response is None (generation failed)")
            elif not isinstance(r, str):
                out[i] = Verdict("error", 0.0, "error", f"TypeError: response is {type(r).__name__}, not str")
            else:
                try:
                    analyses[i] = rules.analyse(r)
                except Exception as exc:  # noqa: BLE001
                    out[i] = Verdict.from_exception(exc)
                    continue
                rr = analyses[i]
                if cfg.rules and rr.label is not None:
                    out[i] = Verdict(rr.label, rr.confidence, "rules")
                else:
                    todo.append(i)
        if todo and cfg.learned:
            try:
                from .learned import features

                enc, head = self._learned()
                x = features(enc, [responses[i] for i in todo], [analyses[i].features for i in todo])  # type: ignore[misc]
                for i, (label, conf) in zip(todo, head.decide(x), strict=False):
                    out[i] = Verdict(label, round(conf, 4), "learned")
            except Exception as exc:  # noqa: BLE001
                for i in todo:
                    out[i] = Verdict.from_exception(exc)
        for i in todo:
            if out[i] is None:  # learned off: the rules' best guess
                rr = analyses[i]
                out[i] = Verdict(rr.fallback_label, rr.fallback_confidence, "rules")
        if cfg.llm_base_url:
            llm_idx = [i for i, v in enumerate(out) if v is not None and v.label != "error"
                       and (not cfg.llm_only_uncertain or v.confidence < cfg.llm_threshold)]
            if llm_idx:
                llm = self._llm_judge()
                for i, v in zip(llm_idx, llm.judge_many([prompts[i] for i in llm_idx],
                                                        [responses[i] for i in llm_idx]), strict=False):  # type: ignore[misc]
                    if v.label != "error" or not cfg.llm_fallback:
                        out[i] = v
        missing = Verdict("error", 0.0, "error", "RuntimeError: not judged")
        return [v if v is not None else missing for v in out]


def get_judge(config: JudgeConfig | None = None) -> RefusalJudge:
    """A judge for `config`, cached per config so the model loads once per process."""
    cfg = config or JudgeConfig()
    if not isinstance(cfg, JudgeConfig):  # an OmegaConf DictConfig or a plain mapping
        from omegaconf import OmegaConf

        fields = OmegaConf.to_container(cfg, resolve=True) if OmegaConf.is_config(cfg) else dict(cfg)
        cfg = JudgeConfig(**fields)
    key = cfg.key()
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = RefusalJudge(cfg)
        return _CACHE[key]
