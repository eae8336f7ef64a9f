"""One tracked run: a W&B run (offline by default), local traces, and metadata on every Weave call."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from secmodel.tracking.env import configure_environment, require_online_credentials
from secmodel.tracking.metadata import choice_tags, git_info, hydra_info
from secmodel.tracking.redact import redact
from secmodel.tracking.traces import TraceWriter

log = logging.getLogger(__name__)
METADATA_FILE = "run_metadata.json"
CONFIG_FILE = "config_resolved.yaml"


def resolved_config(cfg: DictConfig) -> dict[str, Any]:
    """The resolved config as plain containers, secrets redacted."""
    return redact(OmegaConf.to_container(cfg, resolve=True, throw_on_missing=False))


def trace_attributes(metadata: dict[str, Any]) -> dict[str, Any]:
    """Metadata copied onto every local trace record (the full config stays in run_metadata.json)."""
    return {k: v for k, v in metadata.items() if k != "config"}


@dataclass
class RunContext:
    """Everything a job needs to report: output folder, metadata, traces, and the W&B run."""

    output_dir: Path
    job_type: str
    metadata: dict[str, Any]
    traces: TraceWriter
    tracking_mode: str
    wandb_run: Any = None
    weave_client: Any = None
    rank: int = 0  # distributed rank (accelerate/torchrun); only rank 0 talks to W&B and Weave
    _finished: bool = field(default=False, repr=False)

    def add_metadata(self, **items: Any) -> None:
        """Add items (dataset sha, alias, endpoint URL ...) to the metadata, file and W&B config."""
        self.metadata.update(redact(items))
        self.traces.attributes = trace_attributes(self.metadata)
        self.save_metadata()
        if self.wandb_run is not None:
            self.wandb_run.config.update({"secmodel": redact(items)}, allow_val_change=True)

    def save_metadata(self) -> None:
        name = METADATA_FILE if self.rank == 0 else f"run_metadata.rank{self.rank}.json"
        path = self.output_dir / name
        path.write_text(json.dumps(self.metadata, indent=2, default=str, ensure_ascii=False))

    @contextlib.contextmanager
    def weave_attributes(self) -> Iterator[None]:
        """Attach the run metadata to every Weave call made inside the block (no-op when weave is off)."""
        if self.weave_client is None:
            yield
            return
        import weave

        with weave.attributes({"secmodel": self.metadata}):
            yield

    def log(self, metrics: dict[str, Any], step: int | None = None) -> None:
        if self.wandb_run is not None:
            self.wandb_run.log(metrics, step=step)

    def summary(self, metrics: dict[str, Any]) -> None:
        if self.wandb_run is not None:
            self.wandb_run.summary.update(metrics)

    def finish(self, exit_code: int = 0) -> None:
        """Close traces and finish the W&B run (idempotent)."""
        if self._finished:
            return
        self._finished = True
        self.traces.close()
        self.metadata["exit_code"] = exit_code
        self.save_metadata()
        if self.wandb_run is not None:
            self.wandb_run.finish(exit_code=exit_code)
        if self.weave_client is not None:
            import weave

            weave.finish()


def _wandb_init(cfg: DictConfig, job_type: str, output_dir: Path, meta: dict[str, Any]) -> Any:
    import wandb

    mode = cfg.tracking.mode
    settings = wandb.Settings(
        silent=True,
        console="off",
        disable_code=True,
        disable_git=True,
        x_disable_stats=True,
        init_timeout=30,
    )
    sweep = meta.get("sweep_dir")
    group = (
        Path(sweep).relative_to(Path.cwd()).as_posix() if sweep and Path(sweep).is_relative_to(Path.cwd()) else sweep
    )
    return wandb.init(
        project=cfg.tracking.project,
        entity=cfg.tracking.entity,
        dir=str(output_dir),
        mode=mode,
        job_type=job_type,
        group=group,
        name=f"{cfg.task_name}-{job_type}" + (f"-{meta['job_num']}" if meta.get("job_num") is not None else ""),
        tags=choice_tags(meta.get("hydra_choices", {})) + [str(t) for t in cfg.tags],
        config={**meta["config"], "job_type": job_type},
        settings=settings,
        reinit="create_new",
    )


def start_run(cfg: DictConfig, job_type: str, output_dir: Path | None = None) -> RunContext:
    """Start tracking one job (`sft`, `grpo` or `eval`) in `output_dir` (default: Hydra's output folder).

    Raises:
        TrackingError: tracking=online without WANDB_API_KEY (raised before any work starts).
    """
    mode = cfg.tracking.mode
    configure_environment(mode)
    if mode == "online":
        require_online_credentials()
    hinfo = hydra_info()
    output_dir = Path(output_dir or hinfo.get("output_dir") or Path.cwd()).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    config = resolved_config(cfg)
    meta: dict[str, Any] = {
        "task_name": cfg.task_name,
        "job_type": job_type,
        "started_at": time.time(),
        **git_info(),
        **hinfo,
        "config": config,
        "tracking_mode": mode,
    }
    # Under accelerate/torchrun every rank runs the job in the same output folder: rank 0 alone opens the
    # W&B run and Weave; other ranks keep local traces of their own.
    rank = int(os.environ.get("RANK", "0") or 0)
    meta["rank"] = rank
    if rank == 0:
        (output_dir / CONFIG_FILE).write_text(OmegaConf.to_yaml(OmegaConf.create(config)))
    wandb_run = None
    if mode != "disabled" and rank == 0:
        wandb_run = _wandb_init(cfg, job_type, output_dir, meta)
        meta["wandb_run_path"] = wandb_run.path if mode == "online" else None
        meta["wandb_run_id"] = wandb_run.id
        meta["wandb_dir"] = str(Path(wandb_run.dir).parent) if wandb_run.dir else None
    weave_client = None
    if mode == "online" and rank == 0:
        import weave

        project = f"{cfg.tracking.entity}/{cfg.tracking.project}" if cfg.tracking.entity else cfg.tracking.project
        weave_client = weave.init(project)
    trace_file = cfg.tracking.trace_file if rank == 0 else f"{Path(cfg.tracking.trace_file).stem}.rank{rank}.jsonl"
    traces = TraceWriter(output_dir / trace_file, attributes={})
    ctx = RunContext(output_dir, job_type, meta, traces, mode, wandb_run, weave_client, rank=rank)
    traces.attributes = trace_attributes(meta)
    ctx.save_metadata()
    log.info("Run folder: %s (tracking=%s)", output_dir, mode)
    return ctx
