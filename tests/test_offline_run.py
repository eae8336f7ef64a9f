"""Offline-first tracking, end to end: no network, no prompt, no hang; everything lands in the run folder.

These tests run `python main.py` exactly as a user would, against a real OpenAI-compatible HTTP server on
127.0.0.1, inside a network namespace with no network (`unshare -n`, needs root) and with a Python audit
hook that records every socket connection and DNS lookup the run attempts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, offline_env, run_main

AUDIT_DIR = Path(__file__).parent / "support" / "net_audit"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
FAKE_WANDB_KEY = "0123456789abcdef0123456789abcdef01234567"
FAKE_OPENAI_KEY = "sk-fakeTESTkeyDoNotLeak1234567890abcdef"

can_unshare = shutil.which("unshare") is not None and os.geteuid() == 0


def _eval_args(run_dir: Path, base_url: str) -> list[str]:
    return [
        "endpoint=openai_compatible",
        f"endpoint.base_url={base_url}",
        "eval.limit=6",
        f"hydra.run.dir={run_dir}",
    ]


def _audit_env(tmp_path: Path, **extra: str) -> tuple[dict[str, str], Path]:
    log = tmp_path / "net_audit.jsonl"
    env = offline_env(
        PYTHONPATH=os.pathsep.join([str(AUDIT_DIR), str(REPO)]),
        SECMODEL_NET_AUDIT=str(log),
        SECMODEL_CACHE=str(tmp_path / "cache"),
        **extra,
    )
    return env, log


def _non_loopback(log: Path) -> list[dict]:
    if not log.exists():
        return []
    events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return [e for e in events if e["host"] not in LOOPBACK and not e["host"].startswith("127.")]


def _assert_run_folder(run_dir: Path, n: int) -> None:
    offline = list((run_dir / "wandb").glob("offline-run-*"))
    assert offline, f"no W&B offline run in {run_dir}"
    assert list(offline[0].glob("*.wandb")), "W&B offline run has no .wandb file"
    traces = [json.loads(x) for x in (run_dir / "traces.jsonl").read_text().splitlines()]
    assert sum(t["op"] == "secmodel.eval.sample" for t in traces) == n
    meta = json.loads((run_dir / "run_metadata.json").read_text())
    assert meta["tracking_mode"] == "offline" and meta["job_type"] == "eval"
    assert meta["config"]["eval"]["limit"] == n
    assert meta["git_sha"] and "git_dirty" in meta
    assert meta["hydra_choices"]["endpoint"] == "openai_compatible"
    assert meta["dataset_sha256"] and meta["model_alias"] == "smollm2-135m"
    assert (run_dir / "metrics.json").is_file() and (run_dir / "samples.jsonl").is_file()


def test_offline_run_makes_no_network_connection(tmp_path: Path, minimal_server) -> None:
    """Audit hook: the run connects to nothing but the loopback server, and still writes everything."""
    run_dir = tmp_path / "run"
    env, log = _audit_env(tmp_path)
    started = time.monotonic()
    res = run_main(_eval_args(run_dir, minimal_server.base_url), env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert time.monotonic() - started < 240
    assert _non_loopback(log) == [], _non_loopback(log)[:5]
    _assert_run_folder(run_dir, 6)


DRIVER = """
import subprocess, sys, json
sys.path.insert(0, {repo!r})
from tests.support.openai_server import MinimalOpenAIServer
with MinimalOpenAIServer(models=["smollm2-135m"]) as server:
    args = {args!r} + ["endpoint.base_url=" + server.base_url]
    res = subprocess.run([sys.executable, {main!r}, *args], stdin=subprocess.DEVNULL, timeout=280)
    sys.exit(res.returncode)
"""


@pytest.mark.skipif(not can_unshare, reason="needs root and unshare(1) for a network namespace")
def test_offline_run_inside_network_namespace(tmp_path: Path) -> None:
    """No network at all (only loopback, inside `unshare -n`): the run must finish, not hang."""
    run_dir = tmp_path / "run"
    env, log = _audit_env(tmp_path)
    args = ["endpoint=openai_compatible", "eval.limit=6", f"hydra.run.dir={run_dir}"]
    script = DRIVER.format(repo=str(REPO), args=args, main=str(REPO / "main.py"))
    cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$0" -c "$1"', sys.executable, script]
    res = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert _non_loopback(log) == [], _non_loopback(log)[:5]
    _assert_run_folder(run_dir, 6)


def test_secrets_never_reach_the_run_folder(tmp_path: Path, minimal_server) -> None:
    run_dir = tmp_path / "run"
    env, _ = _audit_env(tmp_path, WANDB_API_KEY=FAKE_WANDB_KEY, OPENAI_API_KEY=FAKE_OPENAI_KEY)
    res = run_main(_eval_args(run_dir, minimal_server.base_url) + ["+tags=[leakcheck]"], env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".wandb" for p in files)
    for path in files:
        data = path.read_bytes()
        assert FAKE_WANDB_KEY.encode() not in data, f"W&B key leaked into {path}"
        assert FAKE_OPENAI_KEY.encode() not in data, f"OpenAI key leaked into {path}"
    for text in (res.stdout, res.stderr):
        assert FAKE_WANDB_KEY not in text and FAKE_OPENAI_KEY not in text


def test_online_without_key_fails_fast(tmp_path: Path) -> None:
    started = time.monotonic()
    res = run_main(["tracking=online", f"hydra.run.dir={tmp_path / 'run'}"], timeout=120)
    elapsed = time.monotonic() - started
    assert res.returncode != 0
    assert "WANDB_API_KEY" in res.stderr
    assert elapsed < 30, f"took {elapsed:.1f} s"
    assert not (tmp_path / "run" / "wandb").exists(), "work started before the credential check"
