"""Errors secmodel raises on bad input. Each message names what is wrong and where."""

from __future__ import annotations


class SecmodelError(Exception):
    """Base class: an error a user can fix (bad config, bad data, dead endpoint)."""


class ConfigError(SecmodelError):
    """A config value or combination that cannot work."""


class DataError(SecmodelError):
    """A malformed dataset; the message names the file and line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = f"{path}:{line}: " if path is not None and line is not None else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class EndpointError(SecmodelError):
    """An endpoint that is unreachable, or that does not serve the requested alias."""


class TrackingError(SecmodelError):
    """W&B / Weave setup that cannot proceed (for example online tracking without an API key)."""


class NotAvailableError(SecmodelError):
    """A job or feature that this build does not provide yet."""
