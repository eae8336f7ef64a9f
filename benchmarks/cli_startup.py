"""How long `python main.py --cfg job` takes, against a bare `python -c pass` baseline, in one run.

    .venv/bin/python benchmarks/cli_startup.py [--repeats 5]

Prints the median wall time of each command and their ratio. The target is an absolute one:
`--cfg job` under 2 s on the 2-core CI machine (heavy libraries are imported only by jobs).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    baseline = timed([sys.executable, "-c", "pass"], args.repeats)
    cfg_job = timed([sys.executable, "main.py", "--cfg", "job"], args.repeats)
    base, job = statistics.median(baseline), statistics.median(cfg_job)
    print(f"python -c pass            median {base:.3f} s  (runs: {', '.join(f'{t:.2f}' for t in baseline)})")
    print(f"python main.py --cfg job  median {job:.3f} s  (runs: {', '.join(f'{t:.2f}' for t in cfg_job)})")
    verdict = "OK" if job < 2 else "OVER"
    print(f"ratio --cfg job / bare interpreter: {job / base:.1f}x; target: --cfg job < 2 s -> {verdict}")


if __name__ == "__main__":
    main()
