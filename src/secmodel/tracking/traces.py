"""Local traces: one JSON object per line in `<run folder>/traces.jsonl`.

Every record has: `trace_id`, `op` (what ran), `started_at`/`ended_at` (unix seconds), `latency_s`,
`inputs`, `output`, `error` (null or {type, message}), and `attributes` (the run metadata). Evaluation
samples use `op = "secmodel.eval.sample"`; `secmodel sync` re-logs these records to Weave. Lines are
flushed one by one, so a killed run keeps every finished record.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from secmodel.tracking.redact import redact, secret_values


class TraceWriter:
    """Append-only, thread-safe JSONL trace file."""

    def __init__(self, path: Path, attributes: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._fh = self.path.open("a", encoding="utf-8")
        self._secrets = secret_values()
        self.attributes = attributes or {}

    @property
    def attributes(self) -> dict[str, Any]:
        """Run metadata copied onto every record (redacted once, when set)."""
        return self._attributes

    @attributes.setter
    def attributes(self, value: dict[str, Any]) -> None:
        self._attributes = redact(value, self._secrets)

    def write(
        self,
        op: str,
        inputs: dict[str, Any],
        output: Any,
        *,
        started_at: float,
        ended_at: float | None = None,
        error: dict[str, str] | None = None,
        trace_id: str | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> str:
        """Write one record and return its trace id."""
        ended_at = time.time() if ended_at is None else ended_at
        record = {
            "trace_id": trace_id or uuid.uuid4().hex,
            "op": op,
            "started_at": started_at,
            "ended_at": ended_at,
            "latency_s": round(ended_at - started_at, 6),
            **redact({"inputs": inputs, "output": output, "error": error}, self._secrets),
            "attributes": {**self._attributes, **redact(attributes or {}, self._secrets)},
        }
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self._fh.write(line + "\n")
            self._fh.flush()
        return record["trace_id"]

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()


def read_traces(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a trace file, skipping a torn last line of a killed run."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue
