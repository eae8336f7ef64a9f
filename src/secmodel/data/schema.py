"""Row types of secmodel datasets and their validation.

A prompt row is ``{id, prompt, label, category, split}``; a chat row is ``{id, messages, label, category,
split}`` with OpenAI/TRL-style ``messages``. Validation errors name the file and 1-based line.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from secmodel.errors import DataError

LABELS: frozenset[str] = frozenset({"malicious", "benign"})
SPLITS: frozenset[str] = frozenset({"train", "val", "test"})
ROLES: frozenset[str] = frozenset({"system", "user", "assistant"})
# Split names other tools use for the same thing.
SPLIT_ALIASES: dict[str, str] = {"validation": "val", "valid": "val", "dev": "val", "eval": "val"}
# Rows that carry no ``split`` field: prompt sets are evaluation data, chat sets are training data.
DEFAULT_PROMPT_SPLIT = "test"
DEFAULT_CHAT_SPLIT = "train"

_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Normalise a prompt for overlap checks: NFKC, lowercase, strip punctuation, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if not (unicodedata.category(ch).startswith("P") or ch in string.punctuation)
    )
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class PromptRow:
    """One evaluation prompt."""

    id: str
    prompt: str
    label: str
    category: str
    split: str | None

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict."""
        return {"id": self.id, "prompt": self.prompt, "label": self.label, "category": self.category,
                "split": self.split}


@dataclass(frozen=True)
class ChatRow:
    """One chat conversation (for SFT); the last message is the assistant's answer."""

    id: str
    messages: list[dict[str, str]] = field(hash=False)
    label: str | None
    category: str
    split: str | None

    @property
    def prompt(self) -> str:
        """The last user message."""
        return next(m["content"] for m in reversed(self.messages) if m["role"] == "user")

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict."""
        return {"id": self.id, "messages": [dict(m) for m in self.messages], "label": self.label,
                "category": self.category, "split": self.split}


@dataclass
class PromptSet:
    """Prompts loaded from one source; ``sha256`` identifies the source content."""

    rows: list[PromptRow]
    path: str
    split: str | None
    sha256: str

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[PromptRow]:
        return iter(self.rows)


def _text(record: dict[str, Any], key: str, path: str, line: int, required: bool = True) -> str | None:
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip() and key in ("id",)):
        if required:
            raise DataError(f"missing required field {key!r}", path=path, line=line)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DataError(f"field {key!r} must be a string, got {type(value).__name__}", path=path, line=line)
    return str(value)


def check_split(value: Any, path: str, line: int | None, default: str) -> str:
    """Validate a split value (None -> ``default``; aliases such as 'validation' -> 'val')."""
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise DataError(f"field 'split' must be a string, got {type(value).__name__}", path=path, line=line)
    split = SPLIT_ALIASES.get(value.strip().lower(), value.strip().lower())
    if split not in SPLITS:
        raise DataError(f"unknown split {value!r} (expected one of {sorted(SPLITS)})", path=path, line=line)
    return split


def _check_label(value: str, path: str, line: int) -> str:
    label = value.strip().lower()
    if label not in LABELS:
        raise DataError(f"unknown label {value!r} (expected one of {sorted(LABELS)})", path=path, line=line)
    return label


def prompt_row(record: dict[str, Any], path: str, line: int) -> PromptRow:
    """Validate one raw record as a :class:`PromptRow`."""
    rid = _text(record, "id", path, line)
    prompt = _text(record, "prompt", path, line)
    label = _text(record, "label", path, line)
    assert rid is not None and prompt is not None and label is not None
    if not prompt.strip():
        raise DataError("field 'prompt' is empty", path=path, line=line)
    category = _text(record, "category", path, line, required=False) or ""
    split = check_split(record.get("split"), path, line, DEFAULT_PROMPT_SPLIT)
    return PromptRow(id=rid, prompt=prompt, label=_check_label(label, path, line), category=category,
                     split=split)


def chat_row(record: dict[str, Any], path: str, line: int) -> ChatRow:
    """Validate one raw record as a :class:`ChatRow`."""
    rid = _text(record, "id", path, line)
    assert rid is not None
    messages = record.get("messages")
    if messages is None:
        raise DataError("missing required field 'messages'", path=path, line=line)
    if not isinstance(messages, list) or not messages:
        raise DataError("field 'messages' must be a non-empty list", path=path, line=line)
    clean: list[dict[str, str]] = []
    for i, msg in enumerate(messages):
        if not isinstance(msg, dict) or "role" not in msg or "content" not in msg:
            raise DataError(f"messages[{i}] must be an object with 'role' and 'content'",
                            path=path, line=line)
        role, content = msg["role"], msg["content"]
        if role not in ROLES:
            raise DataError(f"messages[{i}] has unknown role {role!r} (expected one of {sorted(ROLES)})",
                            path=path, line=line)
        if not isinstance(content, str) or not content.strip():
            raise DataError(f"messages[{i}] content must be a non-empty string", path=path, line=line)
        clean.append({"role": role, "content": content})
    if clean[-1]["role"] != "assistant":
        raise DataError("last message must have role 'assistant'", path=path, line=line)
    if not any(m["role"] == "user" for m in clean):
        raise DataError("messages contain no 'user' turn", path=path, line=line)
    label = _text(record, "label", path, line, required=False)
    category = _text(record, "category", path, line, required=False) or ""
    split = check_split(record.get("split"), path, line, DEFAULT_CHAT_SPLIT)
    return ChatRow(id=rid, messages=clean, label=_check_label(label, path, line) if label else None,
                   category=category, split=split)
