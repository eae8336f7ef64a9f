"""Resolve dataset locations: bundled files, local files, and Hugging Face datasets."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from secmodel.errors import DataError

PKG_PREFIX = "pkg://"
HF_PREFIX = "hf:"


def bundled_dir() -> Path:
    """The folder holding the bundled data files (``secmodel/data/files``)."""
    return Path(str(resources.files("secmodel.data").joinpath("files")))


def resolve_data_path(path: str) -> str:
    """Turn a data reference into something the loaders read.

    ``pkg://secbench.jsonl`` becomes the bundled file's absolute path; ``hf:<name_or_dir>[:config]`` is
    returned unchanged (the loaders hand it to ``datasets``); any other string is a filesystem path and is
    returned as-is (with ``~`` expanded).
    """
    if not isinstance(path, str) or not path.strip():
        raise DataError(f"empty data path {path!r}")
    if path.startswith(PKG_PREFIX):
        name = path[len(PKG_PREFIX):].lstrip("/")
        target = bundled_dir() / name
        if not name or ".." in Path(name).parts or not target.is_file():
            available = sorted(p.name for p in bundled_dir().iterdir() if p.suffix in {".jsonl", ".csv"})
            raise DataError(f"no bundled data file {name!r} (available: {', '.join(available)})", path=path)
        return str(target)
    if path.startswith(HF_PREFIX):
        if not path[len(HF_PREFIX):].strip():
            raise DataError("hf: reference names no dataset", path=path)
        return path
    return str(Path(path).expanduser())


def split_hf_ref(ref: str) -> tuple[str, str | None]:
    """Split ``hf:<name_or_dir>[:config]`` into ``(name_or_dir, config)``."""
    body = ref[len(HF_PREFIX):] if ref.startswith(HF_PREFIX) else ref
    if Path(body).expanduser().exists() or ":" not in body:
        return str(Path(body).expanduser()) if Path(body).expanduser().exists() else body, None
    name, config = body.rsplit(":", 1)
    return name, (config or None)
