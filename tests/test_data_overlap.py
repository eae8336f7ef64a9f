"""No training prompt (SFT, secbench train, the judge's authored answers) may equal an evaluation prompt after
normalisation.

Evaluation sets: secbench val/test, the public data's copies shipped in the repo, and every ``*.jsonl`` in
``../shared/data/public`` where it exists (field ``prompt``).
"""

from __future__ import annotations

import json
from pathlib import Path

from secmodel.data import load_chat, load_prompts, normalize_text

PUBLIC = Path(__file__).parents[1] / ".." / "shared" / "data" / "public"
AUTHORED = Path(__file__).parents[1] / "src" / "secmodel" / "judge" / "files" / "authored"


def _training_prompts() -> dict[str, str]:
    """normalised prompt -> where it comes from, for every training prompt."""
    out: dict[str, str] = {}
    for row in load_chat("pkg://sft_security.jsonl"):
        for msg in row.messages:
            if msg["role"] == "user":
                out[normalize_text(msg["content"])] = f"sft_security.jsonl {row.id}"
    for prow in load_prompts("pkg://secbench.jsonl", split="train").rows:
        out[normalize_text(prow.prompt)] = f"secbench.jsonl {prow.id}"
    for path in sorted(AUTHORED.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                out[normalize_text(json.loads(line)["prompt"])] = f"judge/files/authored/{path.name}:{n}"
    return out


def test_no_overlap_with_secbench_eval_splits() -> None:
    train = _training_prompts()
    for split in ("val", "test"):
        for row in load_prompts("pkg://secbench.jsonl", split=split).rows:
            key = normalize_text(row.prompt)
            assert key not in train, f"{row.id} ({split}) also in {train[key]}"


def _eval_files() -> list[Path]:
    """The public evaluation files: the copies shipped in the repo, plus ../shared/data/public where present."""
    root = Path(__file__).parents[1]
    files = [root / "src" / "secmodel" / "data" / "files" / "cyber_refusal_mix.jsonl",
             *sorted((root / "benchmarks" / "data").glob("*.jsonl"))]
    if PUBLIC.is_dir():
        files += sorted(PUBLIC.glob("*.jsonl"))
    return files


def test_no_overlap_with_public_eval_data() -> None:
    train = _training_prompts()
    hits = []
    checked = 0
    for f in _eval_files():
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            prompt = json.loads(line).get("prompt")
            if isinstance(prompt, str):
                checked += 1
                if normalize_text(prompt) in train:
                    hits.append(f"{f.name}:{n} equals {train[normalize_text(prompt)]}")
    assert checked >= 380 + 2250  # both shipped copies were read
    assert not hits, "training prompts overlap public evaluation data:\n" + "\n".join(hits)
