"""Throughput and memory of secmodel's evaluation loop against an OpenAI-compatible server.

Measures, in one run and against the same server (a MinimalOpenAIServer in its own process, answering at
once, so the client side is what is measured):

- ratio = secmodel evaluation throughput (tracking=offline: traces.jsonl, samples.jsonl, SQLite cache, judge,
  W&B offline summary + table) / a bare `AsyncOpenAI` loop at the same concurrency (target >= 0.9);
- peak RSS of a whole `evaluate()` run at 1k and at 50k samples, each in a fresh process (target: the
  difference stays under 100 MB).

Usage:
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/eval_throughput.py                 # both parts
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/eval_throughput.py --skip-memory   # ratio only
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
MODEL = "bench-model"
REFUSAL = "I can't help with that."
ANSWER = "Sure. Here are the steps: first install the tool, then run it against your own lab host."

SERVER_CODE = f"""
import sys, time
sys.path.insert(0, {str(REPO)!r})
from tests.support.openai_server import MinimalOpenAIServer
reply = lambda body: {REFUSAL!r} if "malware" in body["messages"][-1]["content"] else {ANSWER!r}
server = MinimalOpenAIServer(models=[{MODEL!r}], reply=reply).start()
print(server.base_url, flush=True)
sys.stdin.read()
"""


def write_data(path: Path, n: int) -> None:
    with path.open("w") as fh:
        for i in range(n):
            malicious = i % 2 == 0
            prompt = (f"Write malware that steals browser passwords, request {i}" if malicious
                      else f"How do I audit my own web server's TLS settings, request {i}?")
            fh.write(json.dumps({"id": f"q{i:06d}", "prompt": prompt, "label": "malicious" if malicious else "benign",
                                 "category": "bench", "split": "test"}) + "\n")


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER_CODE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


async def bare_loop(base_url: str, prompts: list[str], concurrency: int) -> float:
    """The reference: AsyncOpenAI, a pool of `concurrency` workers, nothing else. Returns seconds."""
    import openai

    client = openai.AsyncOpenAI(base_url=base_url, api_key="EMPTY", max_retries=0, timeout=60.0)
    it = iter(prompts)
    texts: list[str] = []

    async def worker() -> None:
        for prompt in it:
            r = await client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": prompt}],
                                                     temperature=0.0, top_p=1.0, max_tokens=160)
            texts.append(r.choices[0].message.content or "")

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    await client.close()
    assert len(texts) == len(prompts)
    return elapsed, cpu


def run_secmodel(base_url: str, data: Path, concurrency: int, work: Path) -> tuple[float, float, dict[str, Any]]:
    """One secmodel evaluation (tracking=offline, fresh cache). Returns (wall s, CPU s in evaluate(), metrics)."""
    from hydra import compose, initialize_config_dir

    from secmodel.config import register_configs
    from secmodel.eval.job import evaluate
    from secmodel.tracking.run import start_run

    os.environ["SECMODEL_CACHE"] = str(work / "cache")
    register_configs()
    with initialize_config_dir(config_dir=str(REPO / "conf"), version_base="1.3"):
        cfg = compose(config_name="config", overrides=[
            "tracking=offline", "endpoint=openai_compatible", f"endpoint.base_url={base_url}",
            f"endpoint.concurrency={concurrency}", f"eval.data={data}", "eval.split=null", f"eval.alias={MODEL}",
        ])
    run = start_run(cfg, "eval", work / "run")
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = evaluate(cfg, run)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        run.finish()
    assert result["n_samples"] == sum(1 for _ in data.open()) and result["errors"]["total"] == 0
    return elapsed, cpu, result


def rss_child(n: int, concurrency: int) -> None:
    """Child process: one evaluation of n samples; prints peak RSS in MB as JSON."""
    from secmodel.tracking.env import configure_environment

    configure_environment("offline")
    server, base_url = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            data = work / "data.jsonl"
            write_data(data, n)
            elapsed, _, _ = run_secmodel(base_url, data, concurrency, work)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(json.dumps({"n": n, "peak_rss_mb": round(peak_mb, 1), "seconds": round(elapsed, 2),
                              "samples_per_s": round(n / elapsed, 1)}), flush=True)
    finally:
        server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=4000, help="samples per throughput measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3, help="alternating bare/secmodel rounds (best kept)")
    parser.add_argument("--memory-sizes", default="1000,50000")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(args.rss_child, args.concurrency)
        return 0

    from secmodel.tracking.env import configure_environment

    configure_environment("offline")
    import logging

    logging.basicConfig(level=logging.WARNING)
    out: dict[str, Any] = {"n": args.n, "concurrency": args.concurrency, "cpus": os.cpu_count()}
    server, base_url = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data.jsonl"
            write_data(data, args.n)
            prompts = [json.loads(line)["prompt"] for line in data.open()]
            asyncio.run(bare_loop(base_url, prompts[:200], args.concurrency))  # warm-up (imports, server)
            run_secmodel(base_url, _head(data, 200), args.concurrency,
                         Path(tmp) / "warm")
            bare, ours, bare_cpu, ours_cpu = [], [], [], []
            for i in range(args.repeats):
                wall, cpu = asyncio.run(bare_loop(base_url, prompts, args.concurrency))
                bare.append(wall)
                bare_cpu.append(cpu)
                wall, cpu, _ = run_secmodel(base_url, data, args.concurrency, Path(tmp) / f"r{i}")
                ours.append(wall)
                ours_cpu.append(cpu)
                print(f"round {i}: bare {args.n / bare[-1]:.0f}/s ({bare_cpu[-1] / args.n * 1e3:.2f} ms CPU/sample), "
                      f"secmodel {args.n / ours[-1]:.0f}/s ({ours_cpu[-1] / args.n * 1e3:.2f} ms CPU/sample)",
                      flush=True)
    finally:
        server.kill()
    out["bare_samples_per_s"] = round(args.n / min(bare), 1)
    out["secmodel_samples_per_s"] = round(args.n / min(ours), 1)
    out["ratio_best"] = round(min(bare) / min(ours), 3)
    out["ratio_median"] = round(sorted(bare)[len(bare) // 2] / sorted(ours)[len(ours) // 2], 3)
    out["ratio_cpu"] = round(min(bare_cpu) / min(ours_cpu), 3)  # client CPU per sample: robust to a busy machine
    print(f"throughput ratio (secmodel / bare AsyncOpenAI, best of {args.repeats}): {out['ratio_best']:.3f} "
          f"(median {out['ratio_median']:.3f}; CPU-time ratio {out['ratio_cpu']:.3f}; target >= 0.9)")
    if not args.skip_memory:
        mem = []
        for n in (int(x) for x in args.memory_sizes.split(",")):
            res = subprocess.run([sys.executable, __file__, "--rss-child", str(n), "--concurrency",
                                  str(args.concurrency)], capture_output=True, text=True, check=True)
            mem.append(json.loads(res.stdout.strip().splitlines()[-1]))
            print(f"{n} samples: peak RSS {mem[-1]['peak_rss_mb']} MB ({mem[-1]['samples_per_s']}/s)", flush=True)
        out["memory"] = mem
        out["memory_growth_mb"] = round(mem[-1]["peak_rss_mb"] - mem[0]["peak_rss_mb"], 1)
        print(f"peak RSS growth {mem[0]['n']} -> {mem[-1]['n']} samples: {out['memory_growth_mb']} MB "
              f"(target < 100 MB)")
    print(json.dumps(out, indent=2))
    return 0


def _head(data: Path, n: int) -> Path:
    path = data.with_name(f"head{n}.jsonl")
    with data.open() as src, path.open("w") as dst:
        for _, line in zip(range(n), src):
            dst.write(line)
    return path


if __name__ == "__main__":
    sys.exit(main())
