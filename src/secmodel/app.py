"""What `python main.py` runs: train (SFT or GRPO) if a trainer is chosen, then evaluate.

Each job runs inside `run_job`, which starts tracking, logs any exception, prints the output folder and
always finishes the W&B run. In a multirun a failed job returns NaN, so the other jobs go on; in a single
run the exception propagates and the exit code is non-zero.
"""

from __future__ import annotations

import json
import logging
import math
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, open_dict

import secmodel.config  # noqa: F401  (registers the config resolvers, also in launcher workers)
from secmodel.errors import ConfigError, NotAvailableError
from secmodel.tracking.env import configure_environment, require_online_credentials
from secmodel.tracking.metadata import hydra_info

log = logging.getLogger("secmodel")

JobFn = Callable[[DictConfig, Any], Any]


def _job(job_type: str) -> JobFn:
    """Import the job function lazily (torch/transformers are loaded only by jobs that need them)."""
    try:
        if job_type == "eval":
            from secmodel.eval.job import evaluate as fn
        elif job_type == "sft":
            from secmodel.train.sft import train as fn
        elif job_type == "grpo":
            from secmodel.train.grpo import train as fn
        else:
            raise ConfigError(f"unknown job type {job_type!r}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("secmodel."):
            raise NotAvailableError(f"the {job_type} job is not available yet in this build ({exc.name})") from exc
        raise
    return fn


def run_job(job_type: str, cfg: DictConfig, output_dir: Path | None = None) -> Any:
    """Run one job with tracking. Returns the job's result, or NaN for a failed job in a multirun."""
    from secmodel.tracking.run import start_run

    fn = _job(job_type)
    run = start_run(cfg, job_type, output_dir)
    started = time.time()
    try:
        result = fn(cfg, run)
    except BaseException as exc:
        log.error("%s job failed: %s: %s", job_type, type(exc).__name__, exc)
        log.debug("traceback:\n%s", traceback.format_exc())
        (run.output_dir / "error.json").write_text(
            json.dumps({"job_type": job_type, "type": type(exc).__name__, "message": str(exc)}, indent=2)
        )
        run.finish(exit_code=1)
        log.error("Output folder (kept): %s", run.output_dir)
        if hydra_info().get("multirun") and isinstance(exc, Exception):
            return math.nan
        raise
    run.finish(exit_code=0)
    log.info("%s job done in %.1f s. Output folder: %s", job_type, time.time() - started, run.output_dir)
    return result


def run(cfg: DictConfig) -> float | None:
    """Hydra task function. Returns the balanced score (for sweepers), or None when not evaluated."""
    configure_environment(cfg.tracking.mode)
    if cfg.tracking.mode == "online":
        require_online_credentials()
    if cfg.task == "serve":
        from secmodel.serve_job import serve

        serve(cfg)
        return None
    if cfg.task != "run":
        raise ConfigError(f"task must be 'run' or 'serve', got {cfg.task!r}")

    if cfg.trainer.name == "none":
        if not cfg.eval.enabled:
            raise ConfigError("trainer=none with eval.enabled=false has nothing to do")
        return _score(run_job("eval", cfg))

    alias = run_job(cfg.trainer.name, cfg)
    if isinstance(alias, float) and math.isnan(alias):
        return alias
    if not (cfg.trainer.evaluate_after and cfg.eval.enabled):
        return None
    with open_dict(cfg):
        cfg.eval.alias = alias
    out = hydra_info().get("output_dir")
    return _score(run_job("eval", cfg, Path(out) / "eval" if out else None))


def _score(result: Any) -> float | None:
    if isinstance(result, dict):
        return result.get("balanced_score", {}).get("value")
    return result
