"""Sampled tracing of the training pipeline: rollouts, reward scoring and update steps.

Every `trace_every_n_steps`-th step (and the first) is traced: the work runs inside a `weave.op` (a Weave
call with inputs and outputs when tracking=online; a plain call when Weave is disabled offline), and the same
record goes to `<run folder>/traces.jsonl` (`op` = `secmodel.train.rollout` / `.reward` / `.update`).
Other steps run the undecorated function, so tracing costs nothing there. The time spent tracing is
measured and logged as `trace/overhead_frac` (share of the wall time), which stays under 2%.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from secmodel.tracking.run import RunContext

OP_PREFIX = "secmodel.train."


def _weave_op(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    try:
        import weave
    except ImportError:  # pragma: no cover - weave is a dependency
        return fn
    return weave.op(name=OP_PREFIX + name)(fn)


class Tracer:
    """Decides which steps are traced and records them to Weave and the local trace file."""

    def __init__(self, run: RunContext, every_n_steps: int, max_items: int = 8) -> None:
        self.run = run
        self.every = max(1, int(every_n_steps))
        self.max_items = max_items
        self.overhead_s = 0.0
        self.started = time.perf_counter()
        self.records = 0
        self._ops: dict[str, Callable[..., Any]] = {}
        t0 = time.perf_counter()
        try:  # one-time setup (importing weave takes seconds), not a per-step tracing cost
            import weave  # noqa: F401
        except ImportError:  # pragma: no cover - weave is a dependency
            pass
        self.setup_s = time.perf_counter() - t0

    def sampled(self, step: int) -> bool:
        """True on the steps that are traced (step 0/1 and every N-th)."""
        return step <= 1 or step % self.every == 0

    def op(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """The Weave op wrapping `fn` (created once per name)."""
        if name not in self._ops:
            self._ops[name] = _weave_op(fn, name)
        return self._ops[name]

    def call(self, name: str, fn: Callable[..., Any], step: int, inputs: dict[str, Any]) -> Any:
        """Run `fn(**inputs)`; on sampled steps through its Weave op, recording inputs and output."""
        if not self.sampled(step):
            return fn(**inputs)
        t0 = time.perf_counter()
        op = self.op(name, fn)
        started = time.time()
        t_in = time.perf_counter()
        output = op(**inputs)
        work = time.perf_counter() - t_in
        self.record(name, {"step": step, **inputs}, output, started_at=started)
        self.overhead_s += (time.perf_counter() - t0) - work
        return output

    def record(self, name: str, inputs: dict[str, Any], output: Any, started_at: float) -> None:
        """Write one local trace record (lists are cut to `max_items`)."""
        t0 = time.perf_counter()
        self.run.traces.write(OP_PREFIX + name, _cut(inputs, self.max_items), _cut(output, self.max_items),
                              started_at=started_at)
        self.records += 1
        self.overhead_s += time.perf_counter() - t0

    def overhead_frac(self) -> float:
        """Share of the wall time since start spent tracing."""
        return self.overhead_s / max(time.perf_counter() - self.started, 1e-9)


def _cut(value: Any, n: int) -> Any:
    if isinstance(value, dict):
        return {k: _cut(v, n) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cut(v, n) for v in list(value)[:n]]
    if hasattr(value, "tolist"):
        return _cut(value.tolist(), n)
    return value


def _update(step: int, learning_rate: float | None, epoch: float | None, metrics: dict[str, Any]) -> dict[str, Any]:
    """One optimizer update: inputs are the step's settings, the output its logged metrics."""
    return metrics


def trace_callback(tracer: Tracer) -> Any:
    """A TrainerCallback that traces update steps (`secmodel.train.update`) and logs the tracing overhead."""
    from transformers import TrainerCallback

    class TraceCallback(TrainerCallback):
        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            tracer.started = time.perf_counter()

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
                   **kwargs: Any) -> None:
            if logs is None:
                return
            logs["trace/overhead_frac"] = round(tracer.overhead_frac(), 6)
            step = state.global_step
            if tracer.sampled(step) and "loss" in logs:
                # "token" in a key would be redacted as a secret by the trace writer
                metrics = {k.replace("token", "tok"): v for k, v in logs.items() if isinstance(v, (int, float))}
                tracer.call("update", _update, step, {"step": step, "learning_rate": logs.get("learning_rate"),
                                                      "epoch": logs.get("epoch"), "metrics": metrics})

        def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            tracer.run.add_metadata(trace_overhead_frac=round(tracer.overhead_frac(), 6),
                                    trace_records=tracer.records, trace_setup_s=round(tracer.setup_s, 3))

    return TraceCallback()



def wandb_callback(run: RunContext) -> Any:
    """A TrainerCallback that logs the trainer's metrics to the run's own W&B run as `train/<name>`.

    transformers' WandbCallback would start a second W&B run (RunContext creates its run with
    `reinit="create_new"`, which leaves `wandb.run` unset), so secmodel passes `report_to=[]` to TRL and logs
    through this callback instead: one W&B run per job, online or offline as the tracking group says.
    """
    from transformers import TrainerCallback

    class RunLogCallback(TrainerCallback):
        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
                   **kwargs: Any) -> None:
            if not logs or run.wandb_run is None or not state.is_world_process_zero:
                return
            metrics = {f"train/{k}": v for k, v in logs.items() if isinstance(v, (int, float))}
            metrics["train/global_step"] = state.global_step
            run.wandb_run.log(metrics)

    return RunLogCallback()
