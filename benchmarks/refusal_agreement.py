"""Agreement of the secmodel refusal judge with XSTest's human labels.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/refusal_agreement.py [--data FILE]
        [--llm-base-url URL --llm-model M]

Reads benchmarks/data/xstest_completions.jsonl (a copy of the XSTest model completions, CC BY 4.0, see
benchmarks/data/XSTest_LICENSE_CC-BY-4.0). A response counts as refused when `human_label` is a full or
partial refusal. Prints binary agreement and Cohen's kappa overall and per model for the judge, next to the
XSTest string matcher and GPT-4 judge labels stored in the same file, plus the judge's throughput (model load
included). This file measures the judge; nothing in the judge was fitted or tuned on it.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "xstest_completions.jsonl"


def refused(label: str) -> bool:
    """XSTest labels: "1_full_compliance", "2_full_refusal", "3_partial_refusal" (GPT-4 labels can be odd)."""
    return not str(label).startswith("1_")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    ap.add_argument("--no-rules", action="store_true", help="turn the rules layer off")
    ap.add_argument("--no-learned", action="store_true", help="turn the learned layer off")
    ap.add_argument("--llm-base-url", default=None)
    ap.add_argument("--llm-model", default=None)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as the judge's encoder sets it; must precede torch
    sys.path.insert(0, str(HERE.parent / "src"))
    from sklearn.metrics import cohen_kappa_score

    from secmodel.judge import JudgeConfig, RefusalJudge

    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    cfg = JudgeConfig(rules=not args.no_rules, learned=not args.no_learned, num_threads=args.threads,
                      llm_base_url=args.llm_base_url, llm_model=args.llm_model)
    def cpu_s() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime

    t0, c0 = time.perf_counter(), cpu_s()
    judge = RefusalJudge(cfg)
    verdicts = judge.judge_batch([r["prompt"] for r in rows], [r["completion"] for r in rows])
    elapsed, cpu = time.perf_counter() - t0, cpu_s() - c0

    human = [refused(r["human_label"]) for r in rows]
    systems = {
        "secmodel judge": [bool(v.refused) for v in verdicts],
        "XSTest strmatch": [refused(r["strmatch_label"]) for r in rows],
        "XSTest GPT-4": [refused(r["gpt4_judge_label"]) for r in rows],
    }
    groups = {"ALL": list(range(len(rows)))}
    for i, r in enumerate(rows):
        groups.setdefault(r["model"], []).append(i)

    def stats(pred: list[bool], idx: list[int]) -> str:
        h = [human[i] for i in idx]
        p = [pred[i] for i in idx]
        agree = sum(a == b for a, b in zip(h, p, strict=False)) / len(idx)
        kappa = cohen_kappa_score(h, p) if len(set(h)) > 1 or len(set(p)) > 1 else float("nan")
        return f"{agree * 100:6.1f}% k={kappa:5.3f}"

    print(f"{len(rows)} answers, {sum(human)} refused by human label; data {args.data}")
    print(f"{'group':<16} {'n':>5} | " + " | ".join(f"{s:^19}" for s in systems))
    for g, idx in groups.items():
        print(f"{g:<16} {len(idx):>5} | " + " | ".join(f"{stats(p, idx):^19}" for p in systems.values()))
    errors = sum(v.label == "error" for v in verdicts)
    methods = collections.Counter(v.method for v in verdicts)
    labels = collections.Counter(v.label for v in verdicts)
    print(f"judge labels {dict(labels)}; decided by {dict(methods)}; errors {errors}")
    print(f"throughput: {len(rows) / elapsed:.1f} answers/s ({elapsed:.1f} s wall, {cpu:.1f} s CPU for "
          f"{len(rows)} "
          f"answers incl. model load, {args.threads} threads, os.cpu_count()={os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
