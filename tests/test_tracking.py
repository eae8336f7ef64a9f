"""Tracking units: environment, redaction, local traces, metadata, and a real W&B offline run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from secmodel.errors import TrackingError
from secmodel.tracking import TraceWriter, configure_environment, read_traces, redact, redact_text
from secmodel.tracking.env import require_online_credentials
from secmodel.tracking.metadata import choice_tags, git_info
from secmodel.tracking.redact import REDACTED


def test_redact_keys_and_env_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_SERVICE_TOKEN", "tok-123456789")
    cfg = {
        "endpoint": {"api_key": "abc", "api_key_env": "OPENAI_API_KEY", "base_url": "http://x"},
        "nested": [{"secret": "s3cr3t"}, "prefix tok-123456789 suffix"],
        "hf_token": None,
    }
    out = redact(cfg)
    assert out["endpoint"]["api_key"] == REDACTED
    assert out["endpoint"]["api_key_env"] == "OPENAI_API_KEY"  # names a variable, not a secret
    assert out["nested"][0]["secret"] == REDACTED
    assert out["nested"][1] == f"prefix {REDACTED} suffix"
    assert out["hf_token"] is None
    assert redact_text("x tok-123456789") == f"x {REDACTED}"


def test_trace_writer_redacts_and_survives_torn_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abcdefghijklmnop")
    path = tmp_path / "traces.jsonl"
    writer = TraceWriter(path, attributes={"run": "r1"})
    tid = writer.write("op.a", {"prompt": "hi sk-abcdefghijklmnop"}, {"text": "ok"}, started_at=1.0, ended_at=1.5)
    writer.write("op.b", {}, None, started_at=2.0, ended_at=2.0, error={"type": "X", "message": "boom"})
    writer.close()
    with path.open("a") as fh:
        fh.write('{"trace_id": "torn')  # a run killed mid-line
    records = list(read_traces(path))
    assert [r["op"] for r in records] == ["op.a", "op.b"]
    assert records[0]["trace_id"] == tid and records[0]["latency_s"] == 0.5
    assert records[0]["attributes"] == {"run": "r1"}
    assert "sk-abcdefghijklmnop" not in path.read_text()
    assert records[1]["error"]["type"] == "X"


def test_configure_environment_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("WANDB_MODE", "WEAVE_DISABLED", "WANDB_DISABLE_WEAVE", "WANDB_ERROR_REPORTING"):
        monkeypatch.delenv(key, raising=False)
    configure_environment("offline")
    assert os.environ["WANDB_MODE"] == "offline"
    assert os.environ["WEAVE_DISABLED"] == "true"
    assert os.environ["WANDB_DISABLE_WEAVE"] == "true"
    assert os.environ["WANDB_ERROR_REPORTING"] == "false"
    configure_environment("online")
    assert os.environ["WANDB_MODE"] == "online" and "WEAVE_DISABLED" not in os.environ
    with pytest.raises(TrackingError, match="tracking.mode"):
        configure_environment("cloud")


def test_online_requires_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    with pytest.raises(TrackingError, match="WANDB_API_KEY"):
        require_online_credentials()
    monkeypatch.setenv("WANDB_API_KEY", "x" * 40)
    require_online_credentials()


def test_git_info_and_tags() -> None:
    info = git_info()
    assert info["git_sha"] is None or len(info["git_sha"]) == 40
    assert choice_tags({"trainer": "grpo", "hardware": "h200"}) == ["hardware=h200", "trainer=grpo"]


def test_start_run_writes_offline_wandb_and_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real W&B offline run: config redacted, metadata file, offline folder on disk."""
    from secmodel.tracking import start_run

    monkeypatch.setenv("WANDB_API_KEY", "k" * 40)
    monkeypatch.chdir(tmp_path)
    cfg = OmegaConf.create(
        {
            "task_name": "unit",
            "tags": ["t1"],
            "tracking": {"mode": "offline", "project": "p", "entity": None, "trace_file": "traces.jsonl"},
            "endpoint": {"api_key": "should-not-leak", "api_key_env": "OPENAI_API_KEY"},
        }
    )
    run = start_run(cfg, "eval", tmp_path / "run")
    run.add_metadata(model_alias="a1", dataset_sha256="f" * 64)
    run.traces.write("secmodel.test", {"x": 1}, {"y": 2}, started_at=0.0, ended_at=1.0)
    run.log({"m": 1.0})
    run.finish()
    meta = json.loads((tmp_path / "run" / "run_metadata.json").read_text())
    assert meta["config"]["endpoint"]["api_key"] == REDACTED
    assert meta["model_alias"] == "a1" and meta["exit_code"] == 0 and meta["job_type"] == "eval"
    offline = list((tmp_path / "run" / "wandb").glob("offline-run-*"))
    assert len(offline) == 1
    blob = b"".join(p.read_bytes() for p in (tmp_path / "run").rglob("*") if p.is_file())
    assert b"should-not-leak" not in blob and b"k" * 40 not in blob
    record = json.loads((tmp_path / "run" / "traces.jsonl").read_text().splitlines()[0])
    assert record["attributes"]["model_alias"] == "a1" and "config" not in record["attributes"]


def test_non_zero_rank_keeps_local_traces_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under accelerate every rank runs the job; only rank 0 opens a W&B run."""
    from secmodel.tracking import start_run

    monkeypatch.setenv("RANK", "1")
    cfg = OmegaConf.create(
        {
            "task_name": "unit",
            "tags": [],
            "tracking": {"mode": "offline", "project": "p", "entity": None, "trace_file": "traces.jsonl"},
        }
    )
    run = start_run(cfg, "sft", tmp_path / "run")
    run.traces.write("op", {}, None, started_at=0.0, ended_at=0.0)
    run.finish()
    assert run.wandb_run is None and not (tmp_path / "run" / "wandb").exists()
    assert (tmp_path / "run" / "traces.rank1.jsonl").is_file()
    assert json.loads((tmp_path / "run" / "run_metadata.rank1.json").read_text())["rank"] == 1
    assert not (tmp_path / "run" / "run_metadata.json").exists()
