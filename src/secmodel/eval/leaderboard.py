"""Multirun leaderboard: `leaderboard.md`, `leaderboard.json`, `leaderboard.png` and pairwise McNemar tests.

Built from the files each job left in the sweep folder (`<job>/metrics.json` + `<job>/samples.jsonl`), by
`LeaderboardCallback.on_multirun_end` (registered in conf/config.yaml) after `python main.py -m
eval.alias=a,b,c`, or again at any time by `secmodel leaderboard SWEEP_DIR`. With tracking online the
callback also publishes a Weave Leaderboard.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from secmodel.errors import ConfigError
from secmodel.eval.metrics import fmt_rate
from secmodel.eval.outputs import METRICS_FILE, SAMPLES_FILE, read_samples
from secmodel.eval.stats import mcnemar_test

log = logging.getLogger("secmodel.eval")

RATES = ("balanced_score", "malicious_refusal_rate", "benign_helpfulness_rate")


def find_jobs(sweep_dir: Path) -> list[Path]:
    """Job folders holding a metrics.json (the job folder itself or its `eval/` subfolder)."""
    found = [p.parent for p in sorted(sweep_dir.glob(f"*/{METRICS_FILE}"))]
    found += [p.parent for p in sorted(sweep_dir.glob(f"*/eval/{METRICS_FILE}"))]
    return sorted(set(found), key=lambda p: (_job_num(p), str(p)))


def _job_num(path: Path) -> int:
    name = path.name if path.name != "eval" else path.parent.name
    head = name.split("_", 1)[0]
    return int(head) if head.isdigit() else 10**9


def _outcomes(path: Path) -> dict[str, bool]:
    """sample_key → correct, for scored samples (errors left out)."""
    out: dict[str, bool] = {}
    if path.is_file():
        for r in read_samples(path):
            correct = r["scores"]["outcome"]["correct"]
            if correct is not None:
                out[r["sample_key"]] = bool(correct)
    return out


def build(sweep_dir: str | Path, publish: bool = False) -> dict[str, Any]:
    """Write leaderboard.json/.md/.png in `sweep_dir`; returns the leaderboard dict.

    Raises:
        ConfigError: no job in `sweep_dir` has a metrics.json.
    """
    sweep = Path(sweep_dir).resolve()
    jobs = find_jobs(sweep)
    if not jobs:
        raise ConfigError(f"no evaluation results (*/{METRICS_FILE}) in {sweep}")
    entries = []
    for job in jobs:
        m = json.loads((job / METRICS_FILE).read_text())
        entries.append(
            {
                "alias": m["alias"],
                "job_dir": str(job.relative_to(sweep)),
                "endpoint": m.get("endpoint"),
                "dataset_sha256": m["dataset"]["sha256"],
                "dataset_split": m["dataset"]["split"],
                "eval_name": m.get("eval_name"),
                "weave_evaluation_ref": m.get("weave_evaluation_ref"),
                "n_samples": m["n_samples"],
                "errors": m["errors"],
                **{k: m[k] for k in RATES},
            }
        )
    counts: dict[str, int] = {}
    for e in entries:
        counts[e["alias"]] = counts.get(e["alias"], 0) + 1
    for e in entries:
        e["name"] = e["alias"] if counts[e["alias"]] == 1 else f"{e['alias']} ({e['job_dir']})"
    entries.sort(key=lambda e: -(e["balanced_score"]["value"] if e["balanced_score"]["value"] is not None else -1))
    for rank, e in enumerate(entries, 1):
        e["rank"] = rank
    pairs = []
    outcomes = {e["name"]: _outcomes(sweep / e["job_dir"] / SAMPLES_FILE) for e in entries}
    for a, b in itertools.combinations(entries, 2):
        oa, ob = outcomes[a["name"]], outcomes[b["name"]]
        keys = sorted(oa.keys() & ob.keys())
        test = mcnemar_test([oa[k] for k in keys], [ob[k] for k in keys])
        pairs.append(
            {"a": a["name"], "b": b["name"], "same_dataset": a["dataset_sha256"] == b["dataset_sha256"], **test}
        )
    board = {
        "sweep_dir": str(sweep),
        "eval_name": entries[0]["eval_name"],
        "entries": entries,
        "pairwise_mcnemar": pairs,
    }
    (sweep / "leaderboard.json").write_text(json.dumps(board, indent=2))
    (sweep / "leaderboard.md").write_text(markdown(board))
    plot(board, sweep / "leaderboard.png")
    refs = {e["weave_evaluation_ref"] for e in entries if e.get("weave_evaluation_ref")}
    if publish and len(refs) != 1:
        log.warning("no Weave leaderboard: the jobs logged %d different Weave evaluations (need exactly 1)", len(refs))
    elif publish:
        try:
            from secmodel.eval.weave_eval import publish_leaderboard

            publish_leaderboard(board["eval_name"] or "secmodel-eval", refs.pop(), f"sweep {sweep}")
        except Exception as exc:  # noqa: BLE001 - files on disk are the record
            log.warning("publishing the Weave leaderboard failed: %s: %s", type(exc).__name__, exc)
    return board


def markdown(board: dict[str, Any]) -> str:
    lines = [
        f"# Leaderboard: {board['eval_name']}",
        "",
        "| rank | alias | balanced score | malicious refusal rate | benign helpfulness rate | errors |",
        "|---|---|---|---|---|---|",
    ]
    for e in board["entries"]:
        lines.append(
            f"| {e['rank']} | {e['name']} | {fmt_rate(e['balanced_score'])} | "
            f"{fmt_rate(e['malicious_refusal_rate'])} | {fmt_rate(e['benign_helpfulness_rate'])} | "
            f"{e['errors']['total']} |"
        )
    lines += [
        "",
        "Values are rates with 95% Wilson intervals (balanced score: see docs/evaluation.md); errors "
        "are kept out of the rates.",
        "",
        "## Pairwise McNemar tests (paired samples, outcome = correct)",
        "",
        "| a | b | n paired | a only correct | b only correct | test | p-value |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in board["pairwise_mcnemar"]:
        kind = "exact binomial" if p["exact"] else "chi² (continuity corrected)"
        note = "" if p["same_dataset"] else " (different datasets!)"
        lines.append(
            f"| {p['a']} | {p['b']} | {p['n_paired']}{note} | {p['a_only_correct']} | "
            f"{p['b_only_correct']} | {kind} | {p['p_value']:.4g} |"
        )
    if not board["pairwise_mcnemar"]:
        lines.append("| (one alias only) | | | | | | |")
    return "\n".join(lines) + "\n"


def plot(board: dict[str, Any], path: Path) -> None:
    """Grouped bar chart of the three rates per alias with 95% CI error bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    entries = board["entries"]
    width = 0.26
    fig, ax = plt.subplots(figsize=(max(6.0, 1.8 * len(entries) + 2), 4.2))
    for j, (metric, label) in enumerate(zip(RATES, ("balanced score", "malicious refusal", "benign helpfulness"))):
        xs, ys, lo, hi = [], [], [], []
        for i, e in enumerate(entries):
            r = e[metric]
            if r["value"] is None:
                continue
            xs.append(i + (j - 1) * width)
            ys.append(r["value"])
            lo.append(max(r["value"] - r["ci_low"], 0.0))
            hi.append(max(r["ci_high"] - r["value"], 0.0))
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=3, label=label)
    ax.set_xticks(range(len(entries)))
    ax.set_xticklabels([e["name"] for e in entries], rotation=15, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("rate (95% CI)")
    ax.set_title(f"{board['eval_name']}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


class LeaderboardCallback(Callback):
    """Hydra callback: after a multirun, build the leaderboard in the sweep folder (single runs: nothing)."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep = Path(str(config.hydra.sweep.dir))
        if not sweep.is_absolute():
            sweep = Path.cwd() / sweep
        if not find_jobs(sweep):
            log.warning("no evaluation results in %s: no leaderboard", sweep)
            return
        online = config.get("tracking", {}).get("mode") == "online"
        try:
            board = build(sweep, publish=online)
        except Exception as exc:  # noqa: BLE001 - never fail the sweep after its jobs are done
            log.error("leaderboard for %s failed: %s: %s", sweep, type(exc).__name__, exc)
            return
        log.info("Leaderboard (%d aliases): %s", len(board["entries"]), sweep / "leaderboard.md")
        print((sweep / "leaderboard.md").read_text(), flush=True)


def main(argv: list[str]) -> int:
    """`secmodel leaderboard SWEEP_DIR [--publish]`."""
    parser = argparse.ArgumentParser(
        prog="secmodel leaderboard", description="Rebuild a multirun's leaderboard from its files."
    )
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--publish", action="store_true", help="also publish a Weave Leaderboard (online)")
    args = parser.parse_args(argv)
    if not args.sweep_dir.is_dir():
        raise ConfigError(f"{args.sweep_dir} is not a folder")
    if args.publish:
        import os

        from secmodel.tracking.env import configure_environment

        configure_environment("online")
        import weave

        weave.init(os.environ.get("WEAVE_PROJECT", "secmodel"))
    board = build(args.sweep_dir, publish=args.publish)
    print(markdown(board))
    print(f"wrote {args.sweep_dir / 'leaderboard.md'}, leaderboard.json, leaderboard.png")
    return 0
