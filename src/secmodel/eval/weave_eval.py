"""The Weave side of the evaluation: a `weave.Model` for endpoint + alias, scorer classes, and the
`weave.Evaluation` whose contents depend only on the dataset and the scorers (same ref for every alias).

`secmodel.eval.job` drives the sample loop itself (cache, resume, constant memory, progress) and, with
tracking online, logs the finished samples through `weave.EvaluationLogger` under the same evaluation name
and dataset. `build_evaluation(...).evaluate(EndpointModel(...))` also works directly, for small sets.
Importing this module imports weave.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import weave

from secmodel.eval.scoring import get_refusal_judge, judge_safely, outcome


class EndpointModel(weave.Model):
    """An alias on an OpenAI-compatible endpoint (what is evaluated)."""

    alias: str
    endpoint_url: str
    served_model: str
    sampling: dict[str, Any]
    system_prompt: str | None = None
    timeout_s: float = 60.0
    max_retries: int = 5

    @weave.op
    async def predict(self, prompt: str) -> dict[str, Any]:
        from types import SimpleNamespace

        from secmodel.eval.endpoints import OpenAIEndpoint

        cfg = SimpleNamespace(kind="openai_compatible", base_url=self.endpoint_url, api_key_env="OPENAI_API_KEY",
                              concurrency=1, timeout_s=self.timeout_s, max_retries=self.max_retries,
                              backoff_initial_s=0.5, backoff_max_s=8.0)
        endpoint = OpenAIEndpoint(cfg, self.sampling)
        endpoint.model_name = self.served_model
        msgs = ([{"role": "system", "content": self.system_prompt}] if self.system_prompt else [])
        try:
            r = await endpoint.chat([*msgs, {"role": "user", "content": prompt}])
        finally:
            await endpoint.aclose()
        return {"response": r.text, "completion_tokens": r.completion_tokens, "latency_s": r.latency_s,
                "retry_count": r.retries, "error": r.error}


class RefusalScorer(weave.Scorer):
    """The refusal judge's class, confidence and method for the response. Never raises."""

    judge_config: dict[str, Any] | None = None

    @weave.op
    def score(self, *, output: Any, prompt: str = "", **kwargs: Any) -> dict[str, Any]:
        try:
            text = output.get("response") if isinstance(output, dict) else output
            judge = get_refusal_judge(self.judge_config)
            return judge_safely(judge, [prompt], [text])[0]
        except Exception as exc:  # noqa: BLE001
            return {"label": "error", "confidence": None, "method": "scorer_exception", "refused": None,
                    "detail": f"{type(exc).__name__}: {exc}"}


class OutcomeScorer(weave.Scorer):
    """Correct = malicious refused / benign answered; errors are `correct: None`. Never raises."""

    judge_config: dict[str, Any] | None = None

    @weave.op
    def score(self, *, output: Any, prompt: str = "", label: str = "", **kwargs: Any) -> dict[str, Any]:
        try:
            error = output.get("error") if isinstance(output, dict) else None
            if output is None:
                error = {"type": "NoOutput", "message": "prediction failed"}
            text = output.get("response") if isinstance(output, dict) else output
            verdict = judge_safely(get_refusal_judge(self.judge_config), [prompt], [text])[0]
            return outcome(label, verdict, error)
        except Exception as exc:  # noqa: BLE001
            return {"correct": None, "error_kind": "scorer", "detail": f"{type(exc).__name__}: {exc}"}


def dataset_rows(samples_path: Path) -> list[dict[str, Any]]:
    """Dataset rows (id, prompt, label, category, prompt_sha256) from a samples.jsonl, first trial only."""
    from secmodel.eval.outputs import read_samples

    rows = []
    for r in read_samples(samples_path):
        i = r["inputs"]
        if i["trial"] == 0:
            rows.append({"id": i["sample_id"], "prompt": i["prompt"], "label": i["label"],
                         "category": i["category"], "prompt_sha256": i["prompt_sha256"]})
    rows.sort(key=lambda x: x["id"])
    return rows


def dataset_name(eval_name: str, rows: list[dict[str, Any]]) -> str:
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:12]
    return f"{eval_name}-{digest}"


def build_evaluation(eval_name: str, rows: list[dict[str, Any]], judge_config: dict[str, Any] | None = None,
                     trials: int = 1) -> weave.Evaluation:
    """The Evaluation object: dataset rows and scorers only (no alias, run or time inside)."""
    return weave.Evaluation(
        name=eval_name,
        dataset=weave.Dataset(name=dataset_name(eval_name, rows), rows=rows),
        scorers=[RefusalScorer(judge_config=judge_config), OutcomeScorer(judge_config=judge_config)],
        trials=trials,
    )


def log_weave_evaluation(result: dict[str, Any], samples_path: Path, cfg: Any) -> str | None:
    """Log the finished samples to Weave (online) with `weave.EvaluationLogger`, streaming the file.

    Returns the ref URI of the evaluation object (dataset + scorer names only: the same for every alias).
    """
    from secmodel.eval.outputs import read_samples

    rows = dataset_rows(samples_path)
    dataset = weave.Dataset(name=dataset_name(result["eval_name"], rows), rows=rows)
    model = EndpointModel(alias=result["alias"], endpoint_url=result["endpoint_url"],
                          served_model=result["served_model"] or result["alias"], sampling=result["sampling"],
                          name=result["alias"])
    ev = weave.EvaluationLogger(name=result["eval_name"], model=model, dataset=dataset,
                                scorers=["refusal", "outcome"])
    for r in read_samples(samples_path):
        pred = ev.log_prediction(inputs={k: r["inputs"][k] for k in ("sample_id", "prompt", "label", "category")},
                                 output=r["output"], trial_index=r["inputs"]["trial"])
        pred.log_score("refusal", r["scores"]["refusal"])
        pred.log_score("outcome", r["scores"]["outcome"])
        pred.finish()
    ev.log_summary({k: result[k] for k in ("malicious_refusal_rate", "benign_helpfulness_rate",
                                           "balanced_score", "errors")}, auto_summarize=False)
    ref = getattr(getattr(ev, "_pseudo_evaluation", None), "ref", None)
    return ref.uri() if ref is not None else None


def publish_leaderboard(name: str, evaluation_ref: str, description: str = "") -> Any:
    """Publish a Weave Leaderboard over `evaluation_ref` (online only): the three rates, higher is better."""
    from weave.flow.leaderboard import Leaderboard, LeaderboardColumn

    columns = [LeaderboardColumn(evaluation_object_ref=evaluation_ref, scorer_name=metric,
                                 summary_metric_path="value", should_minimize=False)
               for metric in ("balanced_score", "malicious_refusal_rate", "benign_helpfulness_rate")]
    return weave.publish(Leaderboard(name=f"{name}-leaderboard", description=description, columns=columns))
