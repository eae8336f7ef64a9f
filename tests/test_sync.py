"""`secmodel sync` against a wire-level fake of the W&B + Weave servers, driven by real `wandb sync`/`weave`.

The run folder is a real offline run: `start_run` (wandb offline, traces.jsonl, run_metadata.json) in a
subprocess, plus `samples.jsonl` / `metrics.json` rows in the evaluation job's format and two training
rollout traces (one failed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_wandb import FakeWandb

REPO = Path(__file__).resolve().parents[1]
FAKE_KEY = "fake-wandb-key-0123456789abcdef0123456789abcdef"
ENTITY, PROJECT = "acme", "secproj"

BUILD_RUN = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from omegaconf import OmegaConf
    from secmodel.tracking import start_run

    out = Path(sys.argv[1])
    cfg = OmegaConf.create({
        "task_name": "sync-test", "tags": [],
        "tracking": {"mode": "offline", "entity": "acme", "project": "secproj", "trace_file": "traces.jsonl"},
        "eval": {"name": "secbench", "alias": "smollm2-135m", "data": "pkg://secbench.jsonl"},
    })
    run = start_run(cfg, "eval", out)
    run.add_metadata(alias="smollm2-135m")
    t = time.time()
    with open(out / "samples.jsonl", "w") as fh:
        for i, label in enumerate(["malicious", "benign"]):
            inputs = {"sample_id": f"s{i}", "prompt": f"prompt {i}", "label": label, "category": "sqli",
                      "prompt_sha256": f"{i:064x}", "trial": 0}
            output = {"response": f"response {i}", "completion_tokens": 3, "latency_s": 0.01,
                      "retry_count": 0, "error": None, "cached": False}
            scores = {"refusal": {"label": "refusal" if i == 0 else "compliance", "confidence": 0.9,
                                  "method": "rules", "refused": i == 0},
                      "outcome": {"correct": True, "error_kind": None}}
            fh.write(json.dumps({"sample_key": f"k{i}", "alias": "smollm2-135m", "inputs": inputs,
                                 "output": output, "scores": scores}) + "\\n")
            run.traces.write("secmodel.eval.sample", inputs, output, started_at=t)
    run.traces.write("secmodel.train.rollout", {"prompt": "x", "step": 3}, {"completion": "y", "reward": 1.0},
                     started_at=t)
    run.traces.write("secmodel.train.rollout", {"prompt": "z", "step": 4}, None, started_at=t,
                     error={"type": "TimeoutError", "message": "generation timed out"})
    rate = {"value": 1.0, "ci_low": 0.21, "ci_high": 1.0, "n": 1}
    (out / "metrics.json").write_text(json.dumps({
        "eval_name": "secbench", "alias": "smollm2-135m", "endpoint_url": "http://127.0.0.1:9/v1",
        "served_model": "smollm2-135m", "sampling": {"temperature": 0.0},
        "dataset": {"path": "pkg://secbench.jsonl", "split": "test", "sha256": "ab" * 32},
        "malicious_refusal_rate": rate, "benign_helpfulness_rate": rate, "balanced_score": rate,
        "errors": {"request": 0, "judge": 0, "total": 0, "by_type": {}}, "n_samples": 2}))
    run.log({"eval/balanced_score": 1.0}, step=0)
    run.summary({"eval/balanced_score": 1.0})
    run.finish()
    """
)


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """No credentials or W&B settings from the caller; wandb's config and cache dirs inside `tmp`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANDB_", "WEAVE_", "WF_", "OPENAI_"))}
    env.update(
        PYTHONUNBUFFERED="1",
        WANDB_ERROR_REPORTING="false",
        WANDB_DISABLE_WEAVE="true",
        WEAVE_HTTP_TIMEOUT="5",
        WANDB_CONFIG_DIR=str(tmp / "wandb-config"),
        WANDB_CACHE_DIR=str(tmp / "wandb-cache"),
        WANDB_DATA_DIR=str(tmp / "wandb-data"),
    )
    env.update(extra)
    return env


def run_sync(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`secmodel sync ARGS` as a user runs it (the console script's entry point), stdin closed."""
    return subprocess.run(
        [sys.executable, "-c", "from secmodel.cli import main; main()", "sync", *args],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture(scope="module")
def built_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real offline run folder, built once; tests work on copies."""
    tmp = tmp_path_factory.mktemp("built")
    out = tmp / "run"
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_RUN, str(out)], cwd=tmp, env=clean_env(tmp), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert list((out / "wandb").glob("offline-run-*/run-*.wandb")), "no offline W&B run was written"
    return out


@pytest.fixture
def run_dir(built_run: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "outputs" / "run"
    shutil.copytree(built_run, dst, symlinks=True)
    return dst


@pytest.fixture
def fake() -> Iterator[FakeWandb]:
    with FakeWandb() as server:
        yield server  # type: ignore[misc]


def test_sync_uploads_run_and_evaluation(run_dir: Path, fake: FakeWandb, tmp_path: Path) -> None:
    meta = json.loads((run_dir / "run_metadata.json").read_text())
    run_id = meta["wandb_run_id"]
    samples = [json.loads(line) for line in (run_dir / "samples.jsonl").read_text().splitlines()]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    before = hashes(run_dir)
    env = clean_env(tmp_path, WANDB_API_KEY=FAKE_KEY, **fake.env())

    proc = run_sync([str(run_dir), "--timeout", "60"], env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    # W&B: the run was created and its history, summary and files uploaded.
    upserts = [r.body["variables"] for r in fake.find("/graphql") if r.operation == "UpsertBucket"]
    assert any(
        v.get("name") == run_id and v.get("entity") == ENTITY and v.get("project") == PROJECT for v in upserts
    )
    history = [json.loads(line) for line in fake.file_stream_lines("wandb-history.jsonl")]
    assert any(h.get("eval/balanced_score") == 1.0 for h in history)
    assert fake.file_stream_lines("wandb-summary.json")
    uploaded = {r.path.rsplit("/", 1)[-1] for r in fake.find(f"/upload/{ENTITY}/{PROJECT}/{run_id}/", "PUT")}
    assert {"config.yaml", "wandb-metadata.json"} <= uploaded

    # Weave: one prediction per sample with its inputs and output, its scores, and the summary.
    calls = fake.weave_calls()
    assert all(c.get("project_id") == f"{ENTITY}/{PROJECT}" for c in calls)

    def op_calls(name: str) -> list[dict]:
        return [c for c in calls if f"/op/{name}:" in str(c.get("op_name"))]

    predicts = op_calls("Model.predict")
    assert sorted(c["inputs"]["inputs"]["sample_id"] for c in predicts) == ["s0", "s1"]
    for s in samples:
        (call,) = [c for c in predicts if c["inputs"]["inputs"]["sample_id"] == s["inputs"]["sample_id"]]
        assert call["inputs"]["inputs"]["prompt"] == s["inputs"]["prompt"]
        assert call["output"] == s["output"]
    scored = {(c["inputs"]["inputs"]["sample_id"], c["op_name"].split("/op/")[1].split(":")[0]): c["output"]
              for c in op_calls("refusal") + op_calls("outcome")}  # fmt: skip
    for s in samples:
        for name, value in s["scores"].items():
            assert scored[(s["inputs"]["sample_id"], name)] == value
    assert {f["payload"]["output"]["label"] for f in fake.feedback() if "refusal" in f["feedback_type"]} == {
        "refusal",
        "compliance",
    }
    (evaluate,) = op_calls("Evaluation.evaluate")
    assert evaluate["display_name"] == "secbench"
    assert evaluate["output"]["balanced_score"] == metrics["balanced_score"]

    # Other traces: one call per record of the op, with the recorded inputs and output (or error).
    rollouts = sorted(op_calls("secmodel.train.rollout"), key=lambda c: c["inputs"]["step"])
    assert [c["inputs"] for c in rollouts] == [{"prompt": "x", "step": 3}, {"prompt": "z", "step": 4}]
    assert rollouts[0]["output"] == {"completion": "y", "reward": 1.0} and rollouts[0]["exception"] is None
    assert "generation timed out" in rollouts[1]["exception"]
    assert rollouts[0]["attributes"]["task_name"] == "sync-test"

    # The report says what was sent.
    report = json.loads((run_dir / "sync_report.json").read_text())
    assert report["wandb"]["status"] == "synced"
    assert report["wandb"]["run_path"] == f"{ENTITY}/{PROJECT}/{run_id}"
    assert report["weave"]["status"] == "sent" and report["weave"]["project"] == f"{ENTITY}/{PROJECT}"
    ev = report["weave"]["evaluation"]
    assert (ev["name"], ev["model"], ev["predictions"], ev["scores"]) == ("secbench", "smollm2-135m", 2, 4)
    assert report["weave"]["ops"] == {"secmodel.train.rollout": 2} and report["weave"]["error_records"] == 1
    assert f"{ENTITY}/{PROJECT}/{run_id}" in proc.stdout

    # Nothing local changed or disappeared; only sync's report and wandb's own sync markers were added.
    after = hashes(run_dir)
    assert {k: after.get(k) for k in before} == before
    added = set(after) - set(before)
    assert "sync_report.json" in added
    for path in added - {"sync_report.json"}:
        assert path.startswith("wandb/offline-run-") and (
            "/files/" in path or path.endswith((".wandb.synced", ".wandb.syncstate"))
        ), path

    # The key is nowhere: not in the run folder, not in the output, not in any request body.
    assert FAKE_KEY not in proc.stdout + proc.stderr
    for path in run_dir.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert FAKE_KEY.encode() not in path.read_bytes(), path
    assert all(FAKE_KEY not in json.dumps(r.body) for r in fake.snapshot() if r.body is not None)

    # A second sync sends nothing again: wandb marked the run synced, the report says Weave has it.
    n_requests = len(fake.snapshot())
    again = run_sync([str(run_dir)], env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(fake.snapshot()) == n_requests
    report2 = json.loads((run_dir / "sync_report.json").read_text())
    assert (report2["wandb"]["status"], report2["weave"]["status"]) == ("already-synced", "already-sent")
    assert report2["wandb"]["run_path"] == f"{ENTITY}/{PROJECT}/{run_id}"


def test_sync_without_key_fails_before_any_request(run_dir: Path, fake: FakeWandb, tmp_path: Path) -> None:
    before = hashes(run_dir)
    proc = run_sync([str(run_dir)], clean_env(tmp_path, **fake.env()), timeout=60)
    assert proc.returncode == 2
    assert "WANDB_API_KEY is not set" in proc.stderr and "--dry-run" in proc.stderr
    assert fake.snapshot() == []
    assert hashes(run_dir) == before


def test_dry_run_lists_and_sends_nothing(run_dir: Path, fake: FakeWandb, tmp_path: Path) -> None:
    sweep = tmp_path / "multirun"
    for i in range(2):
        shutil.copytree(run_dir, sweep / f"{i}_eval.limit=2", symlinks=True)
    before = hashes(sweep)
    proc = run_sync([str(sweep), "--dry-run"], clean_env(tmp_path, WANDB_API_KEY=FAKE_KEY, **fake.env()))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "2 run folder(s)" in proc.stdout
    assert proc.stdout.count("Weave evaluation: 2 predictions, scores ['refusal', 'outcome']") == 2
    assert proc.stdout.count("Weave op secmodel.train.rollout: 2 calls") == 2
    assert proc.stdout.count("W&B: wandb sync offline-run-") == 2
    assert fake.snapshot() == []
    assert hashes(sweep) == before


def test_wandb_sync_that_hangs_is_stopped_and_reported(run_dir: Path, tmp_path: Path) -> None:
    before = hashes(run_dir)
    with FakeWandb(stall=True) as hung:
        env = clean_env(tmp_path, WANDB_API_KEY=FAKE_KEY, **hung.env())
        proc = run_sync([str(run_dir), "--no-weave", "--timeout", "4"], env, timeout=60)
        assert hung.snapshot(), "wandb sync never reached the server"
    assert proc.returncode == 1
    assert "did not finish within 4 s" in proc.stderr
    report = json.loads((run_dir / "sync_report.json").read_text())
    assert report["wandb"]["status"] == "timeout" and "weave" not in report
    after = hashes(run_dir)
    assert {k: after.get(k) for k in before} == before


@pytest.mark.slow
def test_sync_real_eval_run(fake: FakeWandb, tmp_path: Path) -> None:
    """`python main.py` evaluates 2 prompts against a real HTTP endpoint (offline tracking, no entity:
    the samples table becomes a W&B artifact), then `secmodel sync` uploads that run folder."""
    from tests.support.openai_server import MinimalOpenAIServer

    out = tmp_path / "eval-run"
    with MinimalOpenAIServer(models=["smollm2-135m"], reply="I can't help with that.") as server:
        proc = subprocess.run(
            [sys.executable, str(REPO / "main.py"), "eval.limit=2", "endpoint=openai_compatible",
             f"endpoint.base_url={server.base_url}", f"hydra.run.dir={out}"],
            cwd=REPO, env=clean_env(tmp_path), stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    n_samples = len((out / "samples.jsonl").read_text().splitlines())
    before = hashes(out)

    sync = run_sync([str(out), "--timeout", "60"], clean_env(tmp_path, WANDB_API_KEY=FAKE_KEY, **fake.env()))
    assert sync.returncode == 0, sync.stdout[-3000:] + sync.stderr[-3000:]
    ops = fake.graphql_ops()
    assert {"UpsertBucket", "CreateRunFiles", "CreateArtifact", "CommitArtifact"} <= set(ops)
    report = json.loads((out / "sync_report.json").read_text())
    run_id = json.loads((out / "run_metadata.json").read_text())["wandb_run_id"]
    assert (
        report["wandb"]["status"] == "synced" and report["wandb"]["run_path"] == f"tester/secmodel/{run_id}"
    )
    assert report["weave"]["status"] == "sent" and report["weave"]["project"] == "tester/secmodel"
    assert report["weave"]["evaluation"]["predictions"] == n_samples
    predicts = [c for c in fake.weave_calls() if "/op/Model.predict:" in str(c.get("op_name"))]
    assert len(predicts) == n_samples
    after = hashes(out)
    assert {k: after.get(k) for k in before} == before
    assert FAKE_KEY not in sync.stdout + sync.stderr
    assert not [p for p in out.rglob("*") if p.is_file() and FAKE_KEY.encode() in p.read_bytes()]
