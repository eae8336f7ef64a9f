"""GRPO rewards from the refusal judge: refuse malicious prompts, help on benign ones.

The rewards use the same judge as the evaluation scorers (`secmodel.judge`, one implementation), and are
graded: `refusal_score(verdict)` is a probability of refusal in [0, 1] built from the verdict's confidence,
so completions in one group rarely score exactly alike and the group's reward std stays non-zero (a 0/1
reward with 4 generations often gives whole groups the same score: std 0, advantage 0, no learning signal).

    malicious prompt: refusal_weight     * P(refusal)
    benign prompt:    helpfulness_weight * (1 - P(refusal))
    both:             - length_penalty * max(0, completion_tokens - max_completion_length / 2)

A judge error gives no reward (None, which TRL ignores) for that completion.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from secmodel.train.tracing import Tracer

log = logging.getLogger(__name__)


def completion_text(completion: Any) -> str:
    """Text of a TRL completion: a string, or a conversational list of messages."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(m.get("content") or "" for m in completion if isinstance(m, dict))
    return str(completion)


def prompt_text(prompt: Any) -> str:
    """The last user message of a TRL prompt (string or conversational)."""
    if isinstance(prompt, str):
        return prompt
    users = [m.get("content") or "" for m in prompt if isinstance(m, dict) and m.get("role") == "user"]
    return users[-1] if users else completion_text(prompt)


def security_rewards(scores: list[float | None], labels: list[str], lengths: list[int], *,
                     refusal_weight: float = 1.0, helpfulness_weight: float = 1.0, length_penalty: float = 0.0,
                     max_completion_length: int = 96) -> list[float | None]:
    """Rewards from graded refusal scores (see the module docstring)."""
    free = max_completion_length / 2
    out: list[float | None] = []
    for p, label, n in zip(scores, labels, lengths):
        if p is None:
            out.append(None)
            continue
        r = refusal_weight * p if label == "malicious" else helpfulness_weight * (1.0 - p)
        out.append(r - length_penalty * max(0.0, n - free))
    return out


def batch_metrics(scores: list[float | None], labels: list[str]) -> dict[str, float]:
    """Refusal rates on the batch (P(refusal) > 0.5 counts as refused), overall and per label."""
    metrics: dict[str, float] = {}
    groups = {"all": [s for s in scores if s is not None]}
    for label in ("malicious", "benign"):
        groups[label] = [s for s, lab in zip(scores, labels) if s is not None and lab == label]
    for name, vals in groups.items():
        if vals:
            metrics[f"refusal_rate/{name}"] = sum(s > 0.5 for s in vals) / len(vals)
    metrics["judge/error_rate"] = sum(s is None for s in scores) / max(len(scores), 1)
    return metrics


def make_reward_func(judge: Any, tracer: Tracer | None = None, *, refusal_weight: float = 1.0,
                     helpfulness_weight: float = 1.0, length_penalty: float = 0.0,
                     max_completion_length: int = 96) -> Callable[..., list[float | None]]:
    """A TRL reward function `(prompts, completions, label, completion_ids, **kwargs) -> rewards`.

    Args:
        judge: a `secmodel.judge.RefusalJudge` (`judge_batch(prompts, responses) -> list[Verdict]`).
        tracer: traces rollouts and reward scoring on sampled steps (None: no tracing).
    """
    from secmodel.judge import refusal_score

    def score(prompts: list[str], completions: list[str], labels: list[str], lengths: list[int]) -> dict[str, Any]:
        verdicts = judge.judge_batch(prompts, completions)
        scores = [refusal_score(v) for v in verdicts]
        rewards = security_rewards(scores, labels, lengths, refusal_weight=refusal_weight,
                                   helpfulness_weight=helpfulness_weight, length_penalty=length_penalty,
                                   max_completion_length=max_completion_length)
        return {"rewards": rewards, "refusal_scores": scores, "verdicts": [v.label for v in verdicts]}

    def rollout(prompts: list[str], completions: list[str]) -> list[str]:
        return completions

    def security_reward(prompts: list[Any], completions: list[Any], label: list[str] | None = None,
                        completion_ids: list[list[int]] | None = None, trainer_state: Any = None,
                        log_metric: Callable[[str, float], None] | None = None, **kwargs: Any) -> list[float | None]:
        if label is None:
            raise ValueError("security_reward needs a `label` column (malicious | benign) in the prompt dataset")
        step = int(trainer_state.global_step) if trainer_state is not None else 0
        p_text = [prompt_text(p) for p in prompts]
        c_text = [completion_text(c) for c in completions]
        lengths = [len(ids) for ids in completion_ids] if completion_ids is not None else [0] * len(c_text)
        inputs = {"prompts": p_text, "completions": c_text, "labels": list(label), "lengths": lengths}
        if tracer is not None:
            tracer.call("rollout", rollout, step, {"prompts": p_text, "completions": c_text})
            result = tracer.call("reward", score, step, inputs)
        else:
            result = score(**inputs)
        metrics = batch_metrics(result["refusal_scores"], list(label))
        if metrics["judge/error_rate"] > 0.5:
            errors = [v for v in result["verdicts"] if v == "error"]
            log.warning("step %d: the judge failed on %d of %d completions (no reward for them); check the judge "
                        "config (cfg.judge)", step, len(errors), len(c_text))
        if log_metric is not None:
            for name, value in metrics.items():
                log_metric(name, value)
        return result["rewards"]

    return security_reward
