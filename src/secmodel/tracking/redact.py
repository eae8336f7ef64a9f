"""Keep secrets out of configs, attributes, logs and result files.

A secret is (1) any value under a key named like `api_key`, `token`, `secret` or `password`, and
(2) any value of an environment variable named like that (WANDB_API_KEY, OPENAI_API_KEY, HF_TOKEN ...),
wherever it appears inside a string.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

SECRET_KEY = re.compile(r"(api[_-]?key|token|secret|passw(or)?d|credential)", re.IGNORECASE)
REDACTED = "***REDACTED***"
_MIN_SECRET_LEN = 6
# Keys that name a variable rather than hold its value (e.g. endpoint.api_key_env: OPENAI_API_KEY).
_NAME_SUFFIXES = ("_env", "_env_var", "_name")


def secret_values() -> list[str]:
    """Values of environment variables whose names look secret, longest first."""
    values = {v for k, v in os.environ.items() if SECRET_KEY.search(k) and len(v) >= _MIN_SECRET_LEN}
    return sorted(values, key=len, reverse=True)


def redact_text(text: str, secrets: list[str] | None = None) -> str:
    """Replace every secret value inside `text`."""
    for secret in secrets if secrets is not None else secret_values():
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _is_secret_key(key: str) -> bool:
    return bool(SECRET_KEY.search(key)) and not key.lower().endswith(_NAME_SUFFIXES)


def redact(obj: Any, secrets: list[str] | None = None) -> Any:
    """Return a copy of `obj` (dicts, lists, scalars) with secrets replaced."""
    secrets = secret_values() if secrets is None else secrets
    if isinstance(obj, Mapping):
        return {
            k: (REDACTED if _is_secret_key(str(k)) and v not in (None, "") else redact(v, secrets))
            for k, v in obj.items()
        }
    if isinstance(obj, (list, tuple)):
        return [redact(v, secrets) for v in obj]
    if isinstance(obj, str):
        return redact_text(obj, secrets)
    return obj
