"""`secmodel sync RUN_DIR`: upload offline runs to W&B and Weave, and say what was sent.

For each run folder (a folder with `run_metadata.json`; RUN_DIR may be one, or a multirun sweep holding many):

1. W&B: `wandb sync <run>/wandb/offline-run-*` in a subprocess, bounded by `--timeout` (a sync without
   network retries forever). wandb marks a synced run with `run-<id>.wandb.synced`; such a run is skipped
   unless `--force`.
2. Weave: `weave.init("<entity>/<project>")`, then an evaluation run (`samples.jsonl`) is re-logged with
   `weave.EvaluationLogger` (one prediction and its scores per row, then `metrics.json` as the summary), and
   every other trace record (`traces.jsonl`, e.g. training rollouts) is replayed as a call of a `weave.op`
   named after the record's `op`, with the recorded inputs and output, inside `weave.attributes`.
3. `<run>/sync_report.json` records what was sent (counts, W&B run path, Weave project, times).

Local data is never deleted or rewritten: sync reads the run folder and adds only `sync_report.json` (and
wandb's own `.synced`/`.syncstate` markers and `files/` copies inside the offline-run folder). The API key is
never printed or written. Without WANDB_API_KEY (and not `--dry-run`) it stops before any network: exit 2.
Exit 1 when some upload failed; 0 when everything was sent (or already had been).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from secmodel.errors import SecmodelError, TrackingError
from secmodel.tracking.redact import redact, redact_text
from secmodel.tracking.run import METADATA_FILE

REPORT_FILE = "sync_report.json"
SAMPLES_FILE = "samples.jsonl"
METRICS_FILE = "metrics.json"
EVAL_SAMPLE_OP = "secmodel.eval.sample"
DEFAULT_BASE_URL = "https://api.wandb.ai"
# wandb sync prints "[entity/project/id] ..." ("[project/id]" when the run has no entity) and the run's URL.
_FINISHED = re.compile(r"\[([^\s\]]+)\] Finished syncing")
_VIEW = re.compile(r"View run .* at (\S+/runs/\S+)")

log = logging.getLogger(__name__)


@dataclass
class RunPlan:
    """What one run folder holds and where it goes (built without network)."""

    run_dir: Path
    metadata: dict[str, Any]
    project: str
    entity: str | None
    offline_runs: list[Path]
    synced_runs: list[Path]
    samples: int
    score_names: list[str]
    has_metrics: bool
    trace_ops: Counter[str] = field(default_factory=Counter)
    previous: dict[str, Any] = field(default_factory=dict)

    @property
    def weave_project(self) -> str:
        return f"{self.entity}/{self.project}" if self.entity else self.project

    @property
    def trace_file(self) -> Path:
        tracking = (self.metadata.get("config") or {}).get("tracking") or {}
        return self.run_dir / (tracking.get("trace_file") or "traces.jsonl")

    @property
    def is_eval(self) -> bool:
        return self.samples > 0 or self.trace_ops.get(EVAL_SAMPLE_OP, 0) > 0


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """JSON objects of a JSONL file, skipping blank lines and a torn last line of a killed run."""
    rows = []
    if not path.is_file():
        return rows
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                rows.append(obj)
    return rows


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TrackingError(f"{path}: not valid JSON ({exc})") from exc
    return obj if isinstance(obj, dict) else {}


def find_run_dirs(root: Path) -> list[Path]:
    """Run folders under `root` (itself included): folders holding run_metadata.json, outside wandb/."""
    if not root.is_dir():
        raise TrackingError(f"{root}: no such folder")
    found = [p.parent for p in root.rglob(METADATA_FILE) if "wandb" not in p.relative_to(root).parts[:-1]]
    if not found:
        raise TrackingError(f"{root}: no run folder here (no {METADATA_FILE} in it or below it)")
    return sorted(set(found))


def plan_run(run_dir: Path, project: str | None, entity: str | None) -> RunPlan:
    """Read a run folder and decide where it goes: flags, then the run's config, then env vars."""
    meta = _read_json(run_dir / METADATA_FILE)
    tracking = (meta.get("config") or {}).get("tracking") or {}
    project = project or tracking.get("project") or os.environ.get("WEAVE_PROJECT") or "secmodel"
    entity = entity or tracking.get("entity") or os.environ.get("WANDB_ENTITY") or None
    wandb_dir = run_dir / "wandb"
    offline = sorted(p for p in wandb_dir.glob("offline-run-*") if p.is_dir()) if wandb_dir.is_dir() else []
    synced = [p for p in offline if any(p.glob("*.wandb.synced"))]
    samples = _read_jsonl(run_dir / SAMPLES_FILE)
    scores: list[str] = []
    for row in samples:
        scores += [k for k in (row.get("scores") or {}) if k not in scores]
    plan = RunPlan(
        run_dir=run_dir,
        metadata=meta,
        project=str(project),
        entity=str(entity) if entity else None,
        offline_runs=offline,
        synced_runs=synced,
        samples=len(samples),
        score_names=scores,
        has_metrics=(run_dir / METRICS_FILE).is_file(),
        previous=_read_json(run_dir / REPORT_FILE),
    )
    plan.trace_ops.update(str(r.get("op")) for r in _read_jsonl(plan.trace_file))
    return plan


def _describe(plan: RunPlan, args: argparse.Namespace) -> list[str]:
    lines = [f"{plan.run_dir}"]
    if not args.no_wandb:
        for p in plan.offline_runs:
            state = " (already synced)" if p in plan.synced_runs and not args.force else ""
            lines.append(f"  W&B: wandb sync {p.name} -> {plan.weave_project}{state}")
        if not plan.offline_runs:
            lines.append("  W&B: no offline run (wandb/offline-run-*) in this folder")
    if not args.no_weave:
        lines.append(f"  Weave project: {plan.weave_project}")
        if plan.samples:
            lines.append(
                f"  Weave evaluation: {plan.samples} predictions, scores {plan.score_names}, "
                f"summary {'metrics.json' if plan.has_metrics else '(from the scores)'}"
            )
        other = {op: n for op, n in plan.trace_ops.items() if not (plan.samples and op == EVAL_SAMPLE_OP)}
        for op, n in sorted(other.items()):
            lines.append(f"  Weave op {op}: {n} calls")
    return lines


# ---- W&B --------------------------------------------------------------------------------------------


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """Stop the `wandb sync` process we started and its wandb-core child (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def sync_wandb(plan: RunPlan, timeout: float, force: bool) -> dict[str, Any]:
    """Run `wandb sync` on the run's offline-run folders; never raises for an upload failure."""
    todo = plan.offline_runs if force else [p for p in plan.offline_runs if p not in plan.synced_runs]
    result: dict[str, Any] = {"offline_runs": [p.name for p in plan.offline_runs]}
    if not plan.offline_runs:
        return {**result, "status": "no-offline-run"}
    if not todo:
        prev = plan.previous.get("wandb") or {}
        return {
            **result,
            "status": "already-synced",
            "run_path": prev.get("run_path"),
            "url": prev.get("url"),
        }
    cmd = [sys.executable, "-m", "wandb", "sync", "--project", plan.project]
    if plan.entity:
        cmd += ["--entity", plan.entity]
    if force:
        cmd.append("--include-synced")
    cmd += [str(p) for p in todo]
    # WANDB_SILENT would hide the "[entity/project/id] Finished syncing" lines the result is read from.
    env = {k: v for k, v in os.environ.items() if k != "WANDB_SILENT"}
    started = time.monotonic()
    # A scratch cwd: wandb writes ./wandb/debug-cli.*.log, which belongs in neither the run nor the cwd.
    with tempfile.TemporaryDirectory(prefix="secmodel-sync-") as scratch:
        proc = subprocess.Popen(
            cmd, cwd=scratch, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            out, _ = proc.communicate(timeout=timeout)
            status = "synced" if proc.returncode == 0 else "failed"
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, _ = proc.communicate()
            status = "timeout"
    text = redact_text(out or "")
    finished = _FINISHED.findall(text)
    if status == "synced" and len(finished) < len(todo):
        status = "failed"  # exit 0 without "Finished syncing": wandb printed an error instead
    view = _VIEW.findall(text)
    run_path = finished[-1] if finished else None
    if view:  # .../<entity>/<project>/runs/<id>: the entity W&B chose when the run named none
        parts = urlparse(view[-1]).path.strip("/").split("/")
        if len(parts) >= 4 and parts[-2] == "runs":
            run_path = "/".join([parts[-4], parts[-3], parts[-1]])
    result.update(
        status=status,
        synced=[p.name for p in todo] if status == "synced" else [],
        run_path=run_path,
        url=view[-1] if view else None,
        returncode=proc.returncode,
        duration_s=round(time.monotonic() - started, 2),
    )
    if status != "synced":
        result["output_tail"] = text.strip().splitlines()[-20:]
        if status == "timeout":
            result["error"] = (
                f"wandb sync did not finish within {timeout:g} s (no network? wandb retries forever)"
            )
    return result


# ---- Weave ------------------------------------------------------------------------------------------


class _WeaveErrors(logging.Handler):
    """Collects the errors weave logs (it drops failed batches with a log line instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 50:
            self.messages.append(redact_text(record.getMessage())[:500])


class _Replay:
    """`weave.op`s that return (or raise) what a trace record holds, one per op name."""

    def __init__(self, weave: Any) -> None:
        self.weave = weave
        self.ops: dict[str, Any] = {}
        self.record: dict[str, Any] = {}

    def _op(self, name: str) -> Any:
        if name not in self.ops:
            replay = self

            def replayed(**recorded: Any) -> Any:
                error = replay.record.get("error")
                if error:
                    raise RuntimeError(f"{error.get('type', 'Error')}: {error.get('message', '')}")
                return replay.record.get("output")

            self.ops[name] = self.weave.op(
                replayed, name=name, postprocess_inputs=lambda inputs: dict(inputs.get("recorded", inputs))
            )
        return self.ops[name]

    def __call__(self, record: dict[str, Any]) -> bool:
        """Replay one record; True when it was an error record."""
        self.record = record
        inputs = record.get("inputs")
        inputs = inputs if isinstance(inputs, dict) else {"inputs": inputs}
        attributes = dict(record.get("attributes") or {})
        attributes["secmodel_trace"] = {
            k: record.get(k) for k in ("trace_id", "started_at", "ended_at", "latency_s")
        }
        with self.weave.attributes(attributes):
            try:
                self._op(str(record.get("op") or "secmodel.trace"))(**{str(k): v for k, v in inputs.items()})
            except RuntimeError:
                return True
        return False


def _eval_rows(plan: RunPlan) -> list[dict[str, Any]]:
    """Rows to log as predictions: samples.jsonl, or else the eval-sample records of traces.jsonl."""
    rows = _read_jsonl(plan.run_dir / SAMPLES_FILE)
    if rows:
        return rows
    rows = []
    for r in _read_jsonl(plan.trace_file):
        if r.get("op") == EVAL_SAMPLE_OP:
            output = r.get("output")
            scores = (
                output.pop("scores", None) if isinstance(output, dict) else None
            )  # the eval job nests them
            rows.append({"inputs": r.get("inputs"), "output": output, "scores": scores or {}})
    return rows


def _dataset(weave: Any, eval_name: str, samples: Path, fallback: str) -> Any:
    """The dataset the live evaluation logs (same name and rows, so Weave compares them), else a name."""
    if not samples.is_file():
        return fallback
    try:
        from secmodel.eval.weave_eval import dataset_name, dataset_rows

        rows = dataset_rows(samples)
        return weave.Dataset(name=dataset_name(eval_name, rows), rows=rows) if rows else fallback
    except Exception:  # noqa: BLE001 - other row formats: fall back to the dataset's name
        return fallback


def relog_evaluation(weave: Any, plan: RunPlan) -> dict[str, Any]:
    """Re-log an evaluation run with weave.EvaluationLogger; returns the counts sent."""
    meta = plan.metadata
    config = meta.get("config") or {}
    eval_cfg = config.get("eval") or {}
    metrics = _read_json(plan.run_dir / METRICS_FILE)
    rows = _eval_rows(plan)
    name = metrics.get("eval_name") or eval_cfg.get("name") or meta.get("task_name") or "secmodel-eval"
    alias = str(metrics.get("alias") or meta.get("alias") or eval_cfg.get("alias") or "model")
    model = {
        "name": alias,
        **{k: metrics[k] for k in ("endpoint_url", "served_model", "sampling") if k in metrics},
    }
    ds_info = metrics.get("dataset") if isinstance(metrics.get("dataset"), dict) else {}
    ds_fallback = str(
        meta.get("dataset") or Path(str(ds_info.get("path") or eval_cfg.get("data") or name)).stem
    )
    dataset = _dataset(weave, name, plan.run_dir / SAMPLES_FILE, ds_fallback)
    attrs = {k: v for k, v in meta.items() if k != "config"}
    ev = weave.EvaluationLogger(
        name=name, model=model, dataset=dataset, eval_attributes=attrs, scorers=plan.score_names or None
    )
    n_scores = 0
    for row in rows:
        inputs = row.get("inputs") if isinstance(row.get("inputs"), dict) else {"inputs": row.get("inputs")}
        trial = inputs.get("trial")
        pred = ev.log_prediction(
            inputs={k: v for k, v in inputs.items() if k != "trial"},
            output=row.get("output"),
            trial_index=trial if isinstance(trial, int) else None,
        )
        for score_name, value in (row.get("scores") or {}).items():
            pred.log_score(str(score_name), value)
            n_scores += 1
        pred.finish()
    if metrics:
        ev.log_summary(metrics, auto_summarize=False)
    else:
        ev.log_summary()
    dataset_name = getattr(dataset, "name", dataset)
    return {
        "name": name,
        "model": alias,
        "dataset": dataset_name,
        "predictions": len(rows),
        "scores": n_scores,
        "summary": "metrics.json" if metrics else "auto",
        "url": ev.ui_url,
    }


def _weave_todo(plan: RunPlan, force: bool) -> bool:
    """False when an earlier sync already sent this run to the same Weave project."""
    prev = plan.previous.get("weave") or {}
    return force or not (
        prev.get("status") in ("sent", "already-sent") and prev.get("target") == plan.weave_project
    )


def sync_weave(weave: Any, plan: RunPlan, force: bool) -> dict[str, Any]:
    """Send the run's evaluation and traces to Weave; never raises for an upload failure."""
    if not _weave_todo(plan, force):
        return {**plan.previous["weave"], "status": "already-sent"}
    result: dict[str, Any] = {"target": plan.weave_project, "project": plan.weave_project}
    errors = _WeaveErrors()
    weave_log = logging.getLogger("weave")
    weave_log.addHandler(errors)
    started = time.monotonic()
    try:
        client = weave.init(plan.weave_project)
        result["project"] = (
            f"{client.entity}/{client.project}"  # the entity weave resolved, if none was given
        )
        if plan.is_eval:
            result["evaluation"] = relog_evaluation(weave, plan)
        replay, ops, failed = _Replay(weave), Counter[str](), 0
        for record in _read_jsonl(plan.trace_file):
            if record.get("op") == EVAL_SAMPLE_OP and plan.is_eval:
                continue  # sent as predictions of the evaluation
            failed += replay(record)
            ops[str(record.get("op"))] += 1
        result["ops"] = dict(ops)
        result["error_records"] = failed
        client.finish(use_progress_bar=False)
        status = "sent"
    except Exception as exc:  # noqa: BLE001 - reported, the other runs go on
        status = "failed"
        result["error"] = redact_text(f"{type(exc).__name__}: {exc}")
    finally:
        weave_log.removeHandler(errors)
    if errors.messages:
        status = "failed"
        result["weave_errors"] = errors.messages
    result.update(status=status, duration_s=round(time.monotonic() - started, 2))
    return result


# ---- command ----------------------------------------------------------------------------------------


def _preflight(base_url: str, timeout: float = 10.0) -> None:
    """Fail fast, with the URL, when the W&B host cannot even be connected to (a TCP connect, no request)."""
    url = urlparse(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname or "", port), timeout=timeout).close()
    except OSError as exc:
        raise TrackingError(
            f"cannot reach the W&B server {base_url} ({exc}); nothing was sent, the run folder is unchanged"
        ) from exc


def _write_report(plan: RunPlan, report: dict[str, Any]) -> Path:
    path = plan.run_dir / REPORT_FILE
    tmp = path.with_name(f".{REPORT_FILE}.tmp")
    tmp.write_text(json.dumps(redact(report), indent=2, default=str, ensure_ascii=False))
    tmp.replace(path)
    return path


def _summary_line(report: dict[str, Any]) -> str:
    parts = []
    w = report.get("wandb")
    if w:
        parts.append(f"W&B {w['status']}" + (f" ({w['run_path']})" if w.get("run_path") else ""))
    v = report.get("weave")
    if v:
        sent = []
        if ev := v.get("evaluation"):
            sent.append(f"evaluation {ev['name']!r}: {ev['predictions']} predictions, {ev['scores']} scores")
        if v.get("ops"):
            sent.append(", ".join(f"{op} x{n}" for op, n in sorted(v["ops"].items())))
        parts.append(f"Weave {v['status']} to {v.get('project')}" + (f" ({'; '.join(sent)})" if sent else ""))
    return "; ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="secmodel sync",
        description="Upload offline runs to W&B (wandb sync) and Weave (traces + evaluation). "
        "Never deletes local data. Needs WANDB_API_KEY (WANDB_BASE_URL for a self-hosted server).",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", type=Path, help="a run folder, or a multirun sweep folder")
    p.add_argument(
        "--project", help="W&B/Weave project (default: the run's tracking.project, then WEAVE_PROJECT)"
    )
    p.add_argument("--entity", help="W&B entity (default: the run's tracking.entity, then WANDB_ENTITY)")
    p.add_argument(
        "--dry-run", action="store_true", help="list what would be sent; no network, no key needed"
    )
    p.add_argument("--no-wandb", action="store_true", help="skip `wandb sync`")
    p.add_argument("--no-weave", action="store_true", help="skip the Weave upload")
    p.add_argument("--timeout", type=float, default=600.0, metavar="S", help="limit for `wandb sync` per run")
    p.add_argument("--force", action="store_true", help="send again what an earlier sync already sent")
    return p


def run_sync(args: argparse.Namespace) -> int:
    plans = [plan_run(d, args.project, args.entity) for d in find_run_dirs(args.run_dir.resolve())]
    if args.dry_run:
        print(f"secmodel sync --dry-run: {len(plans)} run folder(s); nothing is sent")
        for plan in plans:
            print("\n".join(_describe(plan, args)))
        return 0
    if not os.environ.get("WANDB_API_KEY"):
        raise TrackingError(
            "WANDB_API_KEY is not set: nothing was sent. Set it (and WANDB_BASE_URL for a self-hosted "
            "server), or use --dry-run to list what would be sent."
        )
    from secmodel.tracking.env import configure_environment

    configure_environment("online")
    base_url = os.environ.get("WANDB_BASE_URL", DEFAULT_BASE_URL)
    _preflight(base_url)
    weave = None
    if not args.no_weave and any(_weave_todo(plan, args.force) for plan in plans):
        import weave  # noqa: F811 - heavy (seconds), imported only when something goes to Weave

    ok = True
    for plan in plans:
        report: dict[str, Any] = {"run_dir": str(plan.run_dir), "started_at": _now(), "base_url": base_url}
        if not args.no_wandb:
            report["wandb"] = sync_wandb(plan, args.timeout, args.force)
            ok &= report["wandb"]["status"] in ("synced", "already-synced", "no-offline-run")
        if not args.no_weave:
            report["weave"] = sync_weave(weave, plan, args.force)
            ok &= report["weave"]["status"] in ("sent", "already-sent")
        report["finished_at"] = _now()
        path = _write_report(plan, report)
        print(redact_text(f"{plan.run_dir}: {_summary_line(report)} -> {path.name}"))
        for section in ("wandb", "weave"):
            if err := (report.get(section) or {}).get("error"):
                print(redact_text(f"  {section} error: {err}"), file=sys.stderr)
    if weave is not None:
        weave.finish()
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of `secmodel sync ARGS`; returns the exit code (2: bad input or no credentials)."""
    args = build_parser().parse_args(argv)
    try:
        return run_sync(args)
    except SecmodelError as exc:
        print(f"secmodel sync: error: {exc}", file=sys.stderr)
        return 2
