"""Tracking: W&B runs (offline by default), local JSONL traces, Weave attributes, and `secmodel sync`."""

from secmodel.tracking.env import configure_environment, require_online_credentials
from secmodel.tracking.redact import redact, redact_text
from secmodel.tracking.run import RunContext, start_run
from secmodel.tracking.traces import TraceWriter, read_traces

__all__ = [
    "RunContext",
    "TraceWriter",
    "configure_environment",
    "read_traces",
    "redact",
    "redact_text",
    "require_online_credentials",
    "start_run",
]
