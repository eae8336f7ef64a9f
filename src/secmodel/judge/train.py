"""Rebuild the learned layer's head from the project's own labelled responses.

    python -m secmodel.judge.train          # or: python scripts/train_judge_head.py

Writes `files/train.jsonl` and `files/dev.jsonl` (generated deterministically by `_trainset.py`), chooses the
encoder depth, the regularisation strength C and the refused-vs-complied threshold on the dev set only, fits
the head on the train set, and writes `files/head.npz`.
No public evaluation data is read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from . import _trainset, rules
from .config import JudgeConfig
from .learned import FILES, Encoder, Head, features
from .verdict import LABELS

TRAIN_N, DEV_N = 3000, 1200
SEEDS = {"train": 1, "dev": 2}
C_GRID = (0.03, 0.1, 0.3, 1.0)
LAYER_GRID = (2, 3, 4, 6)  # transformer layers of MiniLM read by the head; fewer layers cost less CPU
THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(12))  # P(refused) cut-offs tried on dev
# Fewer layers win unless more layers are better on dev binary agreement by more than this (speed budget).
LAYER_MARGIN = 0.005


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _pipeline_labels(head: Head, x: np.ndarray, rr: list[rules.RuleResult]) -> list[str]:
    """Labels of the default pipeline: rules where they decide, the head elsewhere."""
    return [r.label if r.label is not None else d[0] for r, d in zip(rr, head.decide(x), strict=False)]


def _scores(gold: list[str], pred: list[str]) -> tuple[float, float]:
    binary = np.mean([(g != "compliance") == (p != "compliance") for g, p in zip(gold, pred, strict=False)])
    exact = np.mean([g == p for g, p in zip(gold, pred, strict=False)])
    return float(binary), float(exact)


def main(argv: list[str] | None = None) -> int:
    """Build data, choose layers, C and threshold on dev, fit on train, write the head."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(FILES / "head.npz"), help="where to write the head")
    ap.add_argument("--cache", default=None, help="optional .npz to reuse embedded features (development)")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    data = {s: _trainset.build(s, n, SEEDS[s]) for s, n in (("train", TRAIN_N), ("dev", DEV_N))}
    for s, rows in data.items():
        write_jsonl(FILES / f"{s}.jsonl", rows)
    enc = Encoder(JudgeConfig(num_threads=2))
    xs, ys, rrs = {}, {}, {}
    cache = Path(args.cache) if args.cache else None
    cached = dict(np.load(cache)) if cache is not None and cache.is_file() else {}
    for s, rows in data.items():
        rrs[s] = [rules.analyse(r["response"]) for r in rows]
        ys[s] = [r["label"] for r in rows]
        digest = hashlib.sha1("\0".join(r["response"] for r in rows).encode()).hexdigest()
        if s in cached and str(cached.get(f"{s}_sha1")) == digest:
            emb = cached[s][..., : 2 * 384]
            xs[s] = np.concatenate([emb, np.broadcast_to(np.asarray([r.features for r in rrs[s]], np.float32),
                                                         emb.shape[:2] + (rules.N_FEATURES,))], axis=-1)
        else:
            texts = [r["response"] for r in rows]
            xs[s] = features(enc, texts, [r.features for r in rrs[s]], all_layers=True)
        cached[f"{s}_sha1"] = np.array(digest)
    if cache is not None:
        np.savez(cache, **xs, **{k: v for k, v in cached.items() if k.endswith("_sha1")})
    print(f"train {len(ys['train'])} rows, dev {len(ys['dev'])} rows, encoder dtype {enc.dtype_name}")
    decided = [(r.label, g) for r, g in zip(rrs["dev"], ys["dev"], strict=False) if r.label is not None]
    print(f"rules decide {len(decided)} dev rows, binary agreement "
          f"{np.mean([(a != 'compliance') == (g != 'compliance') for a, g in decided]):.3f}")
    results = []  # (layers, c, threshold, binary, exact)
    for layers in LAYER_GRID:
        xtr, xdv = xs["train"][layers - 1], xs["dev"][layers - 1]
        for c in C_GRID:
            clf = LogisticRegression(C=c, max_iter=5000).fit(xtr, ys["train"])
            head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers)
            line = []
            for t in THRESHOLDS:
                head.threshold = t
                binary, exact = _scores(ys["dev"], _pipeline_labels(head, xdv, rrs["dev"]))
                results.append((layers, c, t, binary, exact))
                line.append(f"{t:.2f}:{binary:.3f}")
            print(f"layers={layers} C={c:<5} dev pipeline binary by threshold " + " ".join(line), flush=True)
    best_by_layers = {k: max((r for r in results if r[0] == k), key=lambda r: (r[3], r[4], -abs(r[2] - 0.5)))
                      for k in LAYER_GRID}
    top = max(r[3] for r in best_by_layers.values())
    layers, c, t, binary, exact = next(best_by_layers[k] for k in LAYER_GRID
                                       if best_by_layers[k][3] >= top - LAYER_MARGIN)
    clf = LogisticRegression(C=c, max_iter=5000).fit(xs["train"][layers - 1], ys["train"])
    head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers, t)
    assert sorted(head.labels) == sorted(LABELS)
    pred = _pipeline_labels(head, xs["dev"][layers - 1], rrs["dev"])
    for lab in LABELS:
        idx = [i for i, g in enumerate(ys["dev"]) if g == lab]
        print(f"  dev {lab:<16} n={len(idx):<5} binary "
              f"{np.mean([(pred[i] != 'compliance') == (lab != 'compliance') for i in idx]):.3f}"
              f" exact {np.mean([pred[i] == lab for i in idx]):.3f}")
    head.save(args.out, C=str(c), encoder_dtype=enc.dtype_name)
    print(f"chose layers={layers} C={c} threshold={t} (dev binary {binary:.3f}, 3-class {exact:.3f}); wrote "
          f"{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
