"""Rebuild the learned layer's head from the project's own labelled responses.

    python -m secmodel.judge.train          # or: python scripts/train_judge_head.py

Two sources, both written for secmodel (no public evaluation data is read):

* composed responses from `_trainset.py` (deterministic; written to `files/train.jsonl` and `files/dev.jsonl`);
* authored responses in `files/authored/*.jsonl`: whole answers to the project's own prompts, written in the
  voices of several kinds of chat assistant (cautious, concise, open, guarded) and labelled with the three-class
  rubric. Every fourth prompt (by a hash of its text) is held out as the authored dev set.

The encoder depth, C, the weight of authored rows and the refused-vs-complied threshold are chosen on the
authored dev set (composed dev breaks ties); the head is then refitted on all training rows plus the
authored dev rows and written to `files/head.npz`.
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

AUTHORED = FILES / "authored"
AUTHORED_DEV_EVERY = 4  # hash(prompt) % 4 == 0 -> authored dev
TRAIN_N, DEV_N = 3000, 1200
SEEDS = {"train": 1, "dev": 2}
C_GRID = (0.1, 0.3, 1.0, 3.0)
LAYER_GRID = (2, 3, 4, 6)  # transformer layers of MiniLM read by the head; fewer layers cost less CPU
WEIGHT_GRID = (1.0, 3.0, 10.0, 30.0)  # sample weight of an authored row relative to a composed one
THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(14))  # P(refused) cut-offs tried on dev
# Fewer layers win unless more layers are better on dev binary agreement by more than this (speed budget).
LAYER_MARGIN = 0.005


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def load_authored(folder: Path = AUTHORED) -> dict[str, list[dict]]:
    """Authored rows split into {"train", "dev"} by a hash of the prompt; a bad row names its file and line."""
    out: dict[str, list[dict]] = {"train": [], "dev": []}
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
                if row.get("label") not in LABELS or not isinstance(row.get("response"), str) \
                        or not isinstance(row.get("prompt"), str):
                    raise ValueError(f"{path}:{n}: needs string 'prompt' and 'response' and a label in {LABELS}")
                key = " ".join(row["prompt"].lower().split())
                dev = int(hashlib.sha1(key.encode()).hexdigest(), 16) % AUTHORED_DEV_EVERY == 0
                out["dev" if dev else "train"].append({**row, "source": f"authored:{path.stem}"})
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


def main(argv: list[str] | None = None) -> int:
    """Build data, choose layers, C, weight and threshold on the authored dev set, refit, write the head."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(FILES / "head.npz"), help="where to write the head")
    ap.add_argument("--cache", default=None, help="optional .npz to reuse embedded features (development)")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    composed = {s: _trainset.build(s, n, SEEDS[s]) for s, n in (("train", TRAIN_N), ("dev", DEV_N))}
    for s, rows in composed.items():
        write_jsonl(FILES / f"{s}.jsonl", rows)
    authored = load_authored()
    data = {"train": composed["train"], "dev": composed["dev"], "a_train": authored["train"],
            "a_dev": authored["dev"]}
    enc = Encoder(JudgeConfig(num_threads=2))
    cache = Path(args.cache) if args.cache else None
    cached = dict(np.load(cache)) if cache is not None and cache.is_file() else {}
    xs, rrs, ys = {}, {}, {}
    for name, rows in data.items():
        xs[name], rrs[name] = _embed(enc, rows, cached, name)
        ys[name] = [r["label"] for r in rows]
    if cache is not None:
        np.savez(cache, **cached)
    print(f"composed train {len(ys['train'])}, composed dev {len(ys['dev'])}, authored train "
          f"{len(ys['a_train'])}, authored dev {len(ys['a_dev'])}; encoder dtype {enc.dtype_name}")
    for name in ("a_dev", "dev"):
        decided = [(r.label, g) for r, g in zip(rrs[name], ys[name], strict=True) if r.label is not None]
        print(f"rules decide {len(decided)}/{len(ys[name])} {name} rows, binary agreement "
              f"{_binary([g for _, g in decided], [a for a, _ in decided]):.3f}")
    y_fit = ys["train"] + ys["a_train"]
    results = []  # (a_dev binary, dev binary, a_dev exact, layers, c, weight, threshold)
    for layers in LAYER_GRID:
        x_fit = np.vstack([xs["train"][layers - 1], xs["a_train"][layers - 1]])
        for w in WEIGHT_GRID:
            sw = np.r_[np.ones(len(ys["train"])), np.full(len(ys["a_train"]), w)]
            for c in C_GRID:
                clf = LogisticRegression(C=c, max_iter=5000).fit(x_fit, y_fit, sample_weight=sw)
                head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers)
                line = []
                for t in THRESHOLDS:
                    head.threshold = t
                    pa = _pipeline_labels(head, xs["a_dev"][layers - 1], rrs["a_dev"])
                    pd = _pipeline_labels(head, xs["dev"][layers - 1], rrs["dev"])
                    results.append((_binary(ys["a_dev"], pa), _binary(ys["dev"], pd), _exact(ys["a_dev"], pa),
                                    layers, c, w, t))
                    line.append(f"{t:.2f}:{results[-1][0]:.3f}")
                print(f"layers={layers} w={w:<4} C={c:<4} authored-dev binary by threshold " + " ".join(line),
                      flush=True)

    def rank(r: tuple) -> tuple:
        return (round(r[0], 4), round(r[1], 4), r[2], -abs(r[6] - 0.5))

    best_by_layers = {k: max((r for r in results if r[3] == k), key=rank) for k in LAYER_GRID}
    top = max(r[0] for r in best_by_layers.values())
    chosen = next(best_by_layers[k] for k in LAYER_GRID if best_by_layers[k][0] >= top - LAYER_MARGIN)
    _, _, _, layers, c, w, t = chosen
    # Report the chosen settings on both dev sets (head fitted without the dev rows).
    x_fit = np.vstack([xs["train"][layers - 1], xs["a_train"][layers - 1]])
    sw = np.r_[np.ones(len(ys["train"])), np.full(len(ys["a_train"]), w)]
    clf = LogisticRegression(C=c, max_iter=5000).fit(x_fit, y_fit, sample_weight=sw)
    head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers, t)
    print(f"chose layers={layers} C={c} authored weight={w} threshold={t}:")
    for name in ("a_dev", "dev"):
        _report(name, ys[name], _pipeline_labels(head, xs[name][layers - 1], rrs[name]))
    # Final head: refit on every own labelled row (train + authored dev), same settings.
    x_all = np.vstack([x_fit, xs["a_dev"][layers - 1]])
    sw_all = np.r_[sw, np.full(len(ys["a_dev"]), w)]
    clf = LogisticRegression(C=c, max_iter=5000).fit(x_all, y_fit + ys["a_dev"], sample_weight=sw_all)
    head = Head(clf.coef_, clf.intercept_, list(clf.classes_), layers, t)
    assert sorted(head.labels) == sorted(LABELS)
    head.save(args.out, C=str(c), authored_weight=str(w), encoder_dtype=enc.dtype_name)
    print(f"wrote {args.out} (refitted on train + authored dev)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
