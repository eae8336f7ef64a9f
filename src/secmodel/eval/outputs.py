"""Run-folder outputs: `samples.jsonl` (streamed), `metrics.json`, `summary.md`, and W&B summary + table."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from secmodel.eval.metrics import fmt_rate

log = logging.getLogger("secmodel.eval")

SAMPLES_FILE = "samples.jsonl"
METRICS_FILE = "metrics.json"
SUMMARY_FILE = "summary.md"
WANDB_TABLE_MAX_ROWS = 10_000  # wandb's limit for a Table logged with run.log
TABLE_COLUMNS = ["sample_key", "sample_id", "label", "category", "alias", "prompt", "response", "refusal",
                 "confidence", "method", "correct", "error", "retry_count", "latency_s", "completion_tokens",
                 "cached"]


class SampleWriter:
    """Writes `samples.jsonl` from scratch (a re-run in the same folder rewrites it), one flushed line a row."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh = self.path.open("w", encoding="utf-8")

    def write(self, row: dict[str, Any]) -> None:
        self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def read_samples(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a samples.jsonl, skipping a torn last line."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def table_row(r: dict[str, Any]) -> list[Any]:
    i, o, s = r["inputs"], r["output"], r["scores"]
    err = o.get("error")
    return [r["sample_key"], i["sample_id"], i["label"], i["category"], r["alias"], i["prompt"], o["response"],
            s["refusal"].get("label"), s["refusal"].get("confidence"), s["refusal"].get("method"),
            s["outcome"]["correct"], f"{err['type']}: {err['message']}" if err else None, o["retry_count"],
            o["latency_s"], o["completion_tokens"], o["cached"]]


def summary_markdown(result: dict[str, Any]) -> str:
    ds = result["dataset"]
    errors = result["errors"]
    lines = [
        f"# {result['eval_name']}: {result['alias']}",
        "",
        f"Endpoint `{result['endpoint']}` ({result['endpoint_url']}), data `{ds['path']}` split "
        f"`{ds['split']}` (sha256 {ds['sha256'][:12]}), {result['n_samples']} samples.",
        "",
        "| metric | value [95% CI] (n) |",
        "|---|---|",
        f"| malicious refusal rate | {fmt_rate(result['malicious_refusal_rate'])} |",
        f"| benign helpfulness rate | {fmt_rate(result['benign_helpfulness_rate'])} |",
        f"| balanced score | {fmt_rate(result['balanced_score'])} |",
        "",
        f"Errors (kept out of the rates): {errors['request']} request, {errors['judge']} judge"
        + (f" ({', '.join(f'{k}: {v}' for k, v in errors['by_type'].items())})" if errors["by_type"] else "")
        + f". Retries: {result['retries_total']}. Cached samples: {result['cached_samples']}. "
        f"Wall time: {result['wall_time_s']:.1f} s.",
        "",
    ]
    return "\n".join(lines)


def wandb_metrics(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("malicious_refusal_rate", "benign_helpfulness_rate", "balanced_score"):
        for k in ("value", "ci_low", "ci_high", "n"):
            out[f"eval/{name}" if k == "value" else f"eval/{name}_{k}"] = result[name][k]
    out["eval/errors_request"] = result["errors"]["request"]
    out["eval/errors_judge"] = result["errors"]["judge"]
    out["eval/retries_total"] = result["retries_total"]
    out["eval/n_samples"] = result["n_samples"]
    return out


def write_results(result: dict[str, Any], run: Any, cfg: Any) -> None:
    """metrics.json, summary.md, W&B summary and (up to 10,000 rows) a wandb.Table of the samples."""
    out_dir = Path(run.output_dir)
    (out_dir / METRICS_FILE).write_text(json.dumps(result, indent=2, default=str))
    (out_dir / SUMMARY_FILE).write_text(summary_markdown(result))
    metrics = wandb_metrics(result)
    run.summary(metrics)
    if run.wandb_run is not None:
        run.log(metrics)
        if cfg.tracking.log_samples_table:
            import wandb

            # allow_mixed_types + appending to .data skips wandb's per-cell type inference (~1 ms a row).
            table = wandb.Table(columns=TABLE_COLUMNS, allow_mixed_types=True)
            for i, row in enumerate(read_samples(out_dir / SAMPLES_FILE)):
                if i >= WANDB_TABLE_MAX_ROWS:
                    log.info("wandb table holds the first %d samples; samples.jsonl has all", i)
                    break
                table.data.append(table_row(row))
            run.log({"eval/samples": table})
    if getattr(run, "weave_client", None) is not None:
        from secmodel.eval.weave_eval import log_weave_evaluation

        try:
            ref = log_weave_evaluation(result, out_dir / SAMPLES_FILE, cfg)
            if ref:
                result["weave_evaluation_ref"] = ref
                (out_dir / METRICS_FILE).write_text(json.dumps(result, indent=2, default=str))
        except Exception as exc:  # noqa: BLE001 - results are on disk; `secmodel sync` can re-log them
            log.warning("Weave evaluation logging failed (%s: %s); samples.jsonl keeps everything",
                        type(exc).__name__, exc)
