"""`secmodel judge FILE.jsonl`: add class, confidence and method to each {prompt, response} row."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from secmodel.errors import DataError, SecmodelError

BATCH = 256


def iter_jsonl(path: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSONL file ('-' = stdin); errors name file and line."""
    try:
        f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot open: {exc.strerror}", path) from exc
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"not valid JSON ({exc.msg})", path, n) from exc
            if not isinstance(row, dict):
                raise DataError("expected a JSON object with 'prompt' and 'response'", path, n)
            yield n, row


def _read(path: str) -> list[dict]:
    rows: list[dict] = []
    for n, row in iter_jsonl(path):
        for key in ("prompt", "response"):
            if key not in row:
                raise DataError(f"missing key {key!r}", path, n)
        resp = row["response"]
        if not isinstance(row["prompt"], str) or not (resp is None or isinstance(resp, str)):
            raise DataError("'prompt' must be a string and 'response' a string or null", path, n)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns 0 on success, 2 on bad input."""
    ap = argparse.ArgumentParser(prog="secmodel judge", description=__doc__)
    ap.add_argument("file", help="JSONL with 'prompt' and 'response' per row ('-' for stdin)")
    ap.add_argument("--no-rules", action="store_true", help="turn the rules layer off")
    ap.add_argument("--no-learned", action="store_true", help="turn the learned layer off")
    ap.add_argument("--llm-base-url", default=None, help="OpenAI-compatible endpoint for the LLM judge")
    ap.add_argument("--llm-model", default=None, help="model name for the LLM judge")
    args = ap.parse_args(argv)
    try:
        rows = _read(args.file)
    except SecmodelError as exc:
        print(f"secmodel judge: {exc}", file=sys.stderr)
        return 2
    from .config import JudgeConfig
    from .judge import get_judge

    judge = get_judge(JudgeConfig(rules=not args.no_rules, learned=not args.no_learned,
                                  llm_base_url=args.llm_base_url, llm_model=args.llm_model))
    out = sys.stdout
    for s in range(0, len(rows), BATCH):
        chunk = rows[s:s + BATCH]
        verdicts = judge.judge_batch([r["prompt"] for r in chunk], [r["response"] for r in chunk])
        for row, v in zip(chunk, verdicts, strict=False):
            row = dict(row, **{"class": v.label, "confidence": v.confidence, "method": v.method})
            if v.error:
                row["error"] = v.error
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
