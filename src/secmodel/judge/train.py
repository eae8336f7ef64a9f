"""Rebuild the learned layer's head from the project's own labelled responses.

    python -m secmodel.judge.train          # or: python scripts/train_judge_head.py

Two sources, both written for secmodel (no public evaluation data is read):

* composed responses from `_trainset.py` (deterministic; written to `files/train.jsonl` and `files/dev.jsonl`);
* authored responses in `files/authored/*.jsonl`: whole answers to the project's own prompts, written in the
  voices of several kinds of chat assistant (cautious, concise, open, guarded) and labelled with the three-class
  rubric, one file per voice or topic.

The encoder depth, C, the weight of authored rows and the refused-vs-complied threshold are chosen by
leave-one-file-out: fit without one authored file, score that file, average over files (see `select`). The
head is then fitted on every row with the chosen settings and written to `files/head.npz`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from secmodel.errors import DataError

from . import _trainset, rules
from .cli import iter_jsonl
from .config import JudgeConfig
from .learned import FILES, Encoder, Head, features
from .verdict import LABELS

AUTHORED = FILES / "authored"
TRAIN_N, DEV_N = 3000, 1200
SEEDS = {"train": 1, "dev": 2}
C_GRID = (0.3, 1.0)
LAYER_GRID = (2, 3)  # transformer layers of MiniLM read by the head; fewer layers cost less CPU
WEIGHT_GRID = (10.0, 30.0)  # sample weight of an authored row relative to a composed one
THRESHOLDS = tuple(round(0.25 + 0.05 * i, 2) for i in range(10))  # P(refused) cut-offs tried on dev
# Fewer layers win unless more layers are better on dev binary agreement by more than this (speed budget).
LAYER_MARGIN = 0.005


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def load_authored(folder: Path = AUTHORED) -> list[dict]:
    """Authored rows, tagged with their file as `source`; a bad row names its file and line."""
    out: list[dict] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, row in iter_jsonl(str(path)):
            if row.get("label") not in LABELS or not isinstance(row.get("response"), str) \
                    or not isinstance(row.get("prompt"), str):
                raise DataError(f"needs string 'prompt' and 'response' and a label in {LABELS}", str(path), n)
            out.append({**row, "source": f"authored:{path.stem}"})
    return out


def _pipeline_labels(head: Head, x: np.ndarray, rr: list[rules.RuleResult]) -> list[str]:
    """Labels of the default pipeline: rules where they decide, the head elsewhere."""
    return [r.label if r.label is not None else d[0] for r, d in zip(rr, head.decide(x), strict=False)]


def _binary(gold: list[str], pred: list[str]) -> float:
    return float(np.mean([(g != "compliance") == (p != "compliance") for g, p in zip(gold, pred, strict=True)]))


def _exact(gold: list[str], pred: list[str]) -> float:
    return float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))


def _embed(enc: Encoder, rows: list[dict], cached: dict, name: str) -> tuple[np.ndarray, list[rules.RuleResult]]:
    """All-layer features of `rows`, reusing a cached embedding when the texts are unchanged."""
    rr = [rules.analyse(r["response"]) for r in rows]
    digest = hashlib.sha1("\0".join(r["response"] for r in rows).encode()).hexdigest()
    rf = np.asarray([r.features for r in rr], np.float32)
    if name in cached and str(cached.get(f"{name}_sha1")) == digest:
        emb = cached[name][..., : 2 * 384]
        x = np.concatenate([emb, np.broadcast_to(rf, emb.shape[:2] + rf.shape[1:])], axis=-1)
    else:
        x = features(enc, [r["response"] for r in rows], [r.features for r in rr], all_layers=True)
    cached[name], cached[f"{name}_sha1"] = x, np.array(digest)
    return x, rr


def _report(name: str, gold: list[str], pred: list[str]) -> None:
    parts = []
    for lab in LABELS:
        idx = [i for i, g in enumerate(gold) if g == lab]
        if idx:
            parts.append(f"{lab} {np.mean([(pred[i] != 'compliance') == (lab != 'compliance') for i in idx]):.3f}"
                         f" (n={len(idx)})")
    print(f"  {name:<13} binary {_binary(gold, pred):.3f}, 3-class {_exact(gold, pred):.3f}; by gold label: "
          + ", ".join(parts))


def _rank(result: tuple) -> tuple:
    """Order of settings: mean held-out agreement, then the worst file, then a threshold nearer 0.5."""
    return (round(result[0], 4), round(result[1], 4), -abs(result[5] - 0.5))


def main(argv: list[str] | None = None) -> int:
    """Build data, choose layers, C, weight and threshold leaving one authored file out, fit, write the head."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(FILES / "head.npz"), help="where to write the head")
    ap.add_argument("--cache", default=None, help="optional .npz to reuse embedded features (development)")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    composed = {s: _trainset.build(s, n, SEEDS[s]) for s, n in (("train", TRAIN_N), ("dev", DEV_N))}
    for s, rows in composed.items():
        write_jsonl(FILES / f"{s}.jsonl", rows)
    authored = load_authored()
    data = {"train": composed["train"], "dev": composed["dev"], "authored": authored}
    enc = Encoder(JudgeConfig(num_threads=2))
    cache = Path(args.cache) if args.cache else None
    cached = dict(np.load(cache)) if cache is not None and cache.is_file() else {}
    xs, rrs, ys = {}, {}, {}
    for name, rows in data.items():
        xs[name], rrs[name] = _embed(enc, rows, cached, name)
        ys[name] = [r["label"] for r in rows]
    if cache is not None:
        np.savez(cache, **cached)
    print(f"composed train {len(ys['train'])}, composed dev {len(ys['dev'])}, authored {len(ys['authored'])} "
          f"in {len({r['source'] for r in authored})} files; encoder dtype {enc.dtype_name}")
    for name in ("authored", "dev"):
        decided = [(r.label, g) for r, g in zip(rrs[name], ys[name], strict=True) if r.label is not None]
        print(f"rules decide {len(decided)}/{len(ys[name])} {name} rows, binary agreement "
              f"{_binary([g for _, g in decided], [a for a, _ in decided]):.3f}")
    results = select(xs, ys, rrs, data)
    best = max(results, key=_rank)
    top_by_layers = {k: max(r[0] for r in results if r[2] == k) for k in LAYER_GRID}
    fast = min(k for k in LAYER_GRID if top_by_layers[k] >= best[0] - LAYER_MARGIN)
    mean, worst, layers, c, w, t, per_file = max((r for r in results if r[2] == fast), key=_rank)
    print(f"chose layers={layers} C={c} authored weight={w} threshold={t}: held-out-voice agreement mean "
          f"{mean:.3f}, worst file {worst:.3f}")
    for name, score in per_file.items():
        print(f"  held out {name:<32} {score:.3f}")
    # Final head: every own labelled row (composed train + all authored rows), chosen settings.
    x_all = np.vstack([xs["train"][layers - 1], xs["authored"][layers - 1]])
    y_all = ys["train"] + ys["authored"]
    sw = np.r_[np.ones(len(ys["train"])), np.full(len(ys["authored"]), w)]
    clf = LogisticRegression(C=c, max_iter=5000).fit(x_all, y_all, sample_weight=sw)
    head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers, t)
    assert sorted(head.labels) == sorted(LABELS)
    _report("composed dev", ys["dev"], _pipeline_labels(head, xs["dev"][layers - 1], rrs["dev"]))
    head.save(args.out, C=str(c), authored_weight=str(w), encoder_dtype=enc.dtype_name)
    print(f"wrote {args.out}")
    return 0


def select(xs: dict, ys: dict, rrs: dict, data: dict) -> list[tuple]:
    """Leave-one-voice-out selection: for every setting, fit on composed rows plus all authored files but one,
    score the held-out file; returns (mean agreement, worst file, layers, C, weight, threshold, per-file
    agreement) per setting.

    Holding out a whole file (a voice or topic the head has never seen) mimics the exam: answers of models
    the judge was not trained on. A random split of prompts would let the head see every voice in training.
    """
    from sklearn.linear_model import LogisticRegression

    a_rows, a_y, a_rr = data["authored"], ys["authored"], rrs["authored"]
    files = sorted({r["source"] for r in a_rows})
    fold = np.array([files.index(r["source"]) for r in a_rows])
    results = []
    for layers in LAYER_GRID:
        xa = xs["authored"][layers - 1]
        for w in WEIGHT_GRID:
            for c in C_GRID:
                per_t: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
                for k in range(len(files)):
                    held, keep = np.where(fold == k)[0], np.where(fold != k)[0]
                    x_fit = np.vstack([xs["train"][layers - 1], xa[keep]])
                    y_fit = ys["train"] + [a_y[i] for i in keep]
                    sw = np.r_[np.ones(len(ys["train"])), np.full(len(keep), w)]
                    clf = LogisticRegression(C=c, max_iter=5000).fit(x_fit, y_fit, sample_weight=sw)
                    head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers)
                    gold = [a_y[i] for i in held]
                    for t in THRESHOLDS:
                        head.threshold = t
                        per_t[t].append(_binary(gold, _pipeline_labels(head, xa[held], [a_rr[i] for i in held])))
                for t, scores in per_t.items():
                    results.append((float(np.mean(scores)), float(np.min(scores)), layers, c, w, t,
                                    dict(zip(files, scores, strict=True))))
                best = max((r for r in results[-len(THRESHOLDS):]), key=lambda r: r[0])
                print(f"layers={layers} w={w:<4} C={c:<4} held-out-voice agreement: best threshold {best[5]:.2f} "
                      f"mean {best[0]:.3f} worst {best[1]:.3f}", flush=True)
    return results


if __name__ == "__main__":
    sys.exit(main())
