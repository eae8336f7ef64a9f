"""Rebuild the learned layer's head from the project's own labelled responses.

    python -m secmodel.judge.train          # or: python scripts/train_judge_head.py

Writes `files/train.jsonl` and `files/dev.jsonl` (generated deterministically by `_trainset.py`), chooses the
regularisation strength C on the dev set only, fits the head on the train set, and writes `files/head.npz`.
No public evaluation data is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from . import _trainset, rules
from .config import JudgeConfig
from .learned import FILES, Encoder, Head, features
from .verdict import LABELS

TRAIN_N, DEV_N = 1800, 500
SEEDS = {"train": 1, "dev": 2}
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _pipeline_labels(head: Head, x: np.ndarray, rr: list[rules.RuleResult]) -> list[str]:
    """Labels of the default pipeline: rules where they decide, the head elsewhere."""
    proba = head.predict_proba(x)
    return [r.label if r.label is not None else head.labels[int(p.argmax())] for r, p in zip(rr, proba, strict=False)]


def _scores(gold: list[str], pred: list[str]) -> tuple[float, float]:
    binary = np.mean([(g != "compliance") == (p != "compliance") for g, p in zip(gold, pred, strict=False)])
    exact = np.mean([g == p for g, p in zip(gold, pred, strict=False)])
    return float(binary), float(exact)


def main(argv: list[str] | None = None) -> int:
    """Build data, choose C on dev, fit on train, write the head. Returns an exit code."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(FILES / "head.npz"), help="where to write the head")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    data = {s: _trainset.build(s, n, SEEDS[s]) for s, n in (("train", TRAIN_N), ("dev", DEV_N))}
    for s, rows in data.items():
        write_jsonl(FILES / f"{s}.jsonl", rows)
    enc = Encoder(JudgeConfig(num_threads=2))
    xs, ys, rrs = {}, {}, {}
    for s, rows in data.items():
        rrs[s] = [rules.analyse(r["response"]) for r in rows]
        xs[s] = features(enc, [r["response"] for r in rows], [r.features for r in rrs[s]])
        ys[s] = [r["label"] for r in rows]
    print(f"train {len(ys['train'])} rows, dev {len(ys['dev'])} rows, encoder dtype {enc.dtype_name}")
    best: tuple[float, float, float] | None = None
    for c in C_GRID:
        clf = LogisticRegression(C=c, max_iter=5000).fit(xs["train"], ys["train"])
        head = Head(clf.coef_, clf.intercept_, list(clf.classes_))
        binary, exact = _scores(ys["dev"], _pipeline_labels(head, xs["dev"], rrs["dev"]))
        head_only = _scores(ys["dev"], [head.labels[int(p.argmax())] for p in head.predict_proba(xs["dev"])])
        print(f"C={c:<5} dev pipeline binary {binary:.3f} 3-class {exact:.3f} | head alone binary "
              f"{head_only[0]:.3f} 3-class {head_only[1]:.3f}")
        if best is None or (binary, exact) > best[:2]:
            best = (binary, exact, c)
    assert best is not None
    c = best[2]
    clf = LogisticRegression(C=c, max_iter=5000).fit(xs["train"], ys["train"])
    head = Head(clf.coef_, clf.intercept_, list(clf.classes_))
    assert sorted(head.labels) == sorted(LABELS)
    head.save(args.out, C=str(c), encoder_dtype=enc.dtype_name)
    print(f"chose C={c} (dev binary {best[0]:.3f}, 3-class {best[1]:.3f}); wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
