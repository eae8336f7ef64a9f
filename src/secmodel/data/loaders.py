"""Load prompt sets (evaluation) and chat sets (SFT) with schema validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from secmodel.data.paths import resolve_data_path
from secmodel.data.readers import read_records
from secmodel.data.schema import (
    DEFAULT_CHAT_SPLIT,
    DEFAULT_PROMPT_SPLIT,
    ChatRow,
    PromptRow,
    PromptSet,
    chat_row,
    check_split,
    prompt_row,
)
from secmodel.errors import DataError

T = TypeVar("T", PromptRow, ChatRow)


def _load(path: str, split: str | None, make: Callable[[dict[str, Any], str, int], T],
          default_split: str) -> tuple[list[T], str, str, str | None]:
    resolved = resolve_data_path(path)
    wanted = None if split is None else check_split(split, path, None, default_split)
    records, sha = read_records(resolved)
    rows: list[T] = []
    seen: dict[str, int] = {}
    for line, record in records:
        row = make(record, resolved, line)
        if row.id in seen:
            raise DataError(f"duplicate id {row.id!r} (first on line {seen[row.id]})",
                            path=resolved, line=line)
        seen[row.id] = line
        rows.append(row)
    if not rows:
        raise DataError("dataset has no rows", path=resolved)
    if wanted is not None:
        rows = [r for r in rows if r.split == wanted]
        if not rows:
            raise DataError(f"split {wanted!r} has no rows", path=resolved)
    return rows, resolved, sha, wanted


def load_prompts(path: str, split: str | None = None, limit: int | None = None) -> PromptSet:
    """Load and validate an evaluation prompt set.

    Args:
        path: ``pkg://<file>`` (bundled), a ``.jsonl``/``.csv`` path, or ``hf:<name_or_dir>[:config]``.
        split: ``train``/``val``/``test``, or None for all rows. Rows without a ``split`` field count as
            ``test``. A split with no rows is an error.
        limit: keep only the first ``limit`` rows (after split selection).

    Raises:
        DataError: malformed file or row (message names file and line), duplicate id, unknown label,
            empty split.
    """
    if limit is not None and limit < 1:
        raise DataError(f"limit must be a positive integer, got {limit}", path=path)
    rows, resolved, sha, wanted = _load(path, split, prompt_row, DEFAULT_PROMPT_SPLIT)
    if limit is not None:
        rows = rows[:limit]
    return PromptSet(rows=rows, path=resolved, split=wanted, sha256=sha)


def load_chat(path: str, split: str | None = None) -> list[ChatRow]:
    """Load and validate a chat-messages (SFT) set; rows without a ``split`` field count as ``train``.

    Raises:
        DataError: as :func:`load_prompts`, plus bad roles and a last turn that is not the assistant's.
    """
    rows, _, _, _ = _load(path, split, chat_row, DEFAULT_CHAT_SPLIT)
    return rows
