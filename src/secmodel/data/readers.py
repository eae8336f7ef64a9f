"""Read raw records (``(line, dict)`` pairs) from JSONL, CSV and Hugging Face datasets."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from secmodel.data.paths import HF_PREFIX, split_hf_ref
from secmodel.errors import DataError

Record = tuple[int, dict[str, Any]]


def read_records(path: str) -> tuple[list[Record], str]:
    """Read every record of ``path`` (a resolved path) and return them with the source's sha256.

    For files the sha256 is of the file bytes; for HF datasets, of a canonical JSON dump of the rows.
    Line numbers are 1-based file lines (CSV: the header is line 1; HF: the row position + 1, with
    splits concatenated in order).
    """
    if path.startswith(HF_PREFIX):
        return _read_hf(path)
    file = Path(path)
    if not file.is_file():
        raise DataError("data file not found" if not file.exists() else "not a file", path=path)
    data = file.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from exc
    suffix = file.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return list(_jsonl(text, path)), sha
    if suffix in {".csv", ".tsv"}:
        return list(_csv(text, path, "\t" if suffix == ".tsv" else ",")), sha
    raise DataError(f"unsupported data format {suffix or '(no suffix)'!r} (use .jsonl, .csv or hf:)",
                    path=path)


def _jsonl(text: str, path: str) -> Iterator[Record]:
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DataError(f"malformed JSON: {exc.msg} (column {exc.colno})", path=path, line=n) from exc
        if not isinstance(obj, dict):
            raise DataError(f"expected a JSON object, got {type(obj).__name__}", path=path, line=n)
        yield n, obj


def _csv(text: str, path: str, delimiter: str) -> Iterator[Record]:
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    if not reader.fieldnames:
        raise DataError("CSV file has no header row", path=path, line=1)
    start = 2
    for row in reader:
        n, start = start, reader.line_num + 1
        if None in row:
            raise DataError("row has more cells than the header", path=path, line=n)
        record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        if isinstance(record.get("messages"), str):
            try:
                record["messages"] = json.loads(record["messages"])
            except json.JSONDecodeError as exc:
                raise DataError(f"column 'messages' is not JSON: {exc.msg}", path=path, line=n) from exc
        yield n, record


def _read_hf(ref: str) -> tuple[list[Record], str]:
    name, config = split_hf_ref(ref)
    looks_local = name.startswith(("/", "./", "../", "~")) or Path(name).exists()
    if looks_local and not Path(name).is_dir():
        raise DataError("HF dataset directory not found", path=ref)
    # Bounded network waits: a hub lookup must fail, not hang, on a machine without internet.
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "10")
    import datasets  # heavy; imported only when an hf: source is read

    try:
        if Path(name).is_dir() and any((Path(name) / f).exists()
                                       for f in ("dataset_info.json", "state.json", "dataset_dict.json")):
            loaded: Any = datasets.load_from_disk(name)
        else:
            loaded = datasets.load_dataset(name, config)
    except Exception as exc:  # datasets raises many types (FileNotFoundError, ConnectionError, ...)
        raise DataError(f"cannot load HF dataset: {type(exc).__name__}: {exc}", path=ref) from exc
    parts = loaded.items() if isinstance(loaded, datasets.DatasetDict) else [(None, loaded)]
    records: list[Record] = []
    for hf_split, ds in parts:
        for row in ds:
            rec = dict(row)
            if hf_split is not None and rec.get("split") in (None, ""):
                rec["split"] = hf_split
            records.append((len(records) + 1, rec))
    dump = json.dumps([r for _, r in records], sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return records, hashlib.sha256(dump.encode("utf-8")).hexdigest()
