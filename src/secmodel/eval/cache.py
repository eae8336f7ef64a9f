"""SQLite response cache: successful responses keyed on (alias, endpoint, messages, sampling, trial).

One row per finished sample, committed at once (WAL journal), so a run killed with `kill -9` keeps every
response it received and the next run asks the endpoint only for the rest. Failed requests are never
cached. Location: `$SECMODEL_CACHE/eval_cache.sqlite` (default `~/.cache/secmodel/eval_cache.sqlite`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

CACHE_FILE = "eval_cache.sqlite"


def cache_path() -> Path:
    base = os.environ.get("SECMODEL_CACHE") or Path.home() / ".cache" / "secmodel"
    return Path(base) / CACHE_FILE


def cache_key(alias: str, endpoint_id: str, messages: list[dict[str, str]], sampling: dict[str, Any],
              trial: int) -> str:
    """sha256 of the canonical JSON of everything that determines a response."""
    payload = {"alias": alias, "endpoint": endpoint_id, "messages": messages, "sampling": sampling,
               "trial": trial}
    canon = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class ResponseCache:
    """Thread-safe key → response-dict store. `enabled=False` makes every lookup miss and every put a no-op."""

    def __init__(self, path: Path | None = None, enabled: bool = True) -> None:
        self.enabled = enabled
        self.path = Path(path) if path else cache_path()
        self.hits = 0
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if enabled:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                "created_at REAL NOT NULL)"
            )

    def get(self, key: str) -> dict[str, Any] | None:
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store one response and commit it (autocommit), so it survives a kill."""
        if self._db is None:
            return
        text = json.dumps(value, ensure_ascii=False)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?)", (key, text, time.time()))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
