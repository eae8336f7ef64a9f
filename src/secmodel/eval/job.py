"""The evaluation job: `python main.py` (trainer=none) evaluates `eval.alias` on `eval.data`.

Flow: load the prompts → resolve the alias → build the endpoint (local transformers, or an OpenAI-compatible
server checked with `GET /v1/models`) → for each (prompt, trial): cache lookup or request (bounded
concurrency, retries) → refusal judge → outcome → one trace record and one `samples.jsonl` row, written as
the sample finishes (constant memory) → metrics with Wilson intervals → `metrics.json`, `summary.md`, W&B.
Re-running after a crash reuses every cached response (see `secmodel.eval.cache`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from secmodel.errors import ConfigError, EndpointError
from secmodel.eval.cache import ResponseCache, cache_key
from secmodel.eval.metrics import MetricsAccumulator, fmt_rate
from secmodel.eval.outputs import SampleWriter, write_results
from secmodel.eval.scoring import get_refusal_judge, judge_safely, outcome

log = logging.getLogger("secmodel.eval")

SAMPLE_OP = "secmodel.eval.sample"
JUDGE_BATCH = 64
SERVER_KINDS = ("openai_compatible", "vllm")


@dataclass
class Sample:
    """One (prompt, trial) to evaluate."""

    key: str
    row: Any  # secmodel.data.PromptRow
    trial: int
    messages: list[dict[str, str]]
    prompt_sha256: str


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _messages(prompt: str, system_prompt: str | None) -> list[dict[str, str]]:
    msgs = [{"role": "system", "content": system_prompt}] if system_prompt else []
    return [*msgs, {"role": "user", "content": prompt}]


def iter_samples(rows: list[Any], trials: int, system_prompt: str | None) -> Iterator[Sample]:
    for row in rows:
        digest = sha256_text(row.prompt)
        for trial in range(trials):
            yield Sample(f"{row.id}#{trial}", row, trial, _messages(row.prompt, system_prompt), digest)


def limit_rows(rows: list[Any], limit: int) -> list[Any]:
    """The first `limit` rows taking labels in turn (malicious, benign, ...), so a smoke run measures both
    rates; the order within each label is the file's."""
    if limit < 1:
        raise ConfigError(f"eval.limit must be a positive integer, got {limit}")
    by_label: dict[str, list[Any]] = {}
    for row in rows:
        by_label.setdefault(row.label, []).append(row)
    queues = [by_label[k] for k in sorted(by_label, key=lambda k: k != "malicious")]
    out: list[Any] = []
    i = 0
    while len(out) < limit and any(i < len(q) for q in queues):
        out += [q[i] for q in queues if i < len(q)][: limit - len(out)]
        i += 1
    return out


def _resolve_entry(alias: str, cfg: DictConfig) -> Any:
    from secmodel.models.registry import resolve

    try:
        return resolve(alias, cfg.model)
    except ConfigError:
        if cfg.endpoint.kind == "local":
            raise
        return None  # a server may serve names the registry does not know


def _served_name(alias: str, entry: Any, served: list[str] | None, cfg: DictConfig) -> str:
    """The model name to send: the alias itself, or the base model for a prompt-only alias."""
    prompt_only = entry is not None and not entry.adapter_path and alias != entry.base_model
    if served is None:
        return entry.base_model if prompt_only else alias
    if alias in served:
        return alias
    if prompt_only and entry.base_model in served:
        return entry.base_model
    raise EndpointError(
        f"alias {alias!r} is not served by {cfg.endpoint.base_url} (GET /models lists: "
        f"{', '.join(served) or 'nothing'}). Serve it (vLLM: --lora-modules {alias}=ADAPTER_DIR) or pick "
        f"another with eval.alias=..."
    )


class _Run:
    """State of one evaluation: writers, cache, judge, metrics, progress."""

    def __init__(self, cfg: DictConfig, run: Any, endpoint: Any, alias: str, served_model: str,
                 sampling: dict[str, Any], system_prompt: str | None, total: int) -> None:
        from tqdm import tqdm

        self.cfg, self.run, self.endpoint = cfg, run, endpoint
        self.alias, self.served_model, self.sampling = alias, served_model, sampling
        self.system_prompt = system_prompt
        self.kind = str(cfg.endpoint.kind)
        self.cache = ResponseCache(enabled=bool(cfg.eval.cache))
        self.judge = get_refusal_judge(_judge_config(cfg))
        self.metrics = MetricsAccumulator()
        self.writer = SampleWriter(run.output_dir / "samples.jsonl")
        self.traced = _traced_keys(run.traces.path)
        self.requests = 0
        self.consecutive_dead = 0
        self.max_dead = max(3, int(cfg.endpoint.concurrency))
        self.bar = tqdm(total=total, desc=f"eval {alias}", unit="sample", file=sys.stderr, mininterval=0.5,
                        dynamic_ncols=True, disable=None)

    def key(self, sample: Sample) -> str:
        return cache_key(self.alias, self.endpoint.identity(), sample.messages, self.sampling, sample.trial)

    def lookup(self, sample: Sample) -> Any:
        from secmodel.eval.endpoints import Response

        hit = self.cache.get(self.key(sample))
        return Response.from_cache(hit) if hit is not None else None

    def store(self, sample: Sample, response: Any) -> None:
        self.requests += not response.cached
        if response.error is None and not response.cached:
            self.cache.put(self.key(sample), response.to_cache())
        if response.error is None:
            self.consecutive_dead = 0
        elif response.error["type"] in ("APIConnectionError", "APITimeoutError"):
            self.consecutive_dead += 1
            if self.consecutive_dead >= self.max_dead:
                raise EndpointError(
                    f"endpoint {self.cfg.endpoint.base_url} is not answering: {self.consecutive_dead} samples "
                    f"in a row failed after {self.cfg.endpoint.max_retries} retries "
                    f"({response.error['type']}: {response.error['message']})"
                )

    def finish(self, done: list[tuple[Sample, Any, float]]) -> None:
        """Judge a batch of finished samples and write their traces and rows."""
        verdicts = judge_safely(self.judge, [s.row.prompt for s, _, _ in done], [r.text for _, r, _ in done])
        for (sample, response, started), verdict in zip(done, verdicts):
            self._write(sample, response, verdict, started)
        self.bar.update(len(done))

    def _write(self, sample: Sample, response: Any, verdict: dict[str, Any], started: float) -> None:
        ended = time.time()
        row = sample.row
        out = outcome(row.label, verdict, response.error)
        inputs = {"sample_id": row.id, "trial": sample.trial, "prompt": row.prompt,
                  "prompt_sha256": sample.prompt_sha256, "label": row.label, "category": row.category,
                  "split": row.split, "system_prompt": self.system_prompt}
        output = {"response": response.text, "response_chars": len(response.text or ""),
                  "prompt_tokens": response.prompt_tokens, "completion_tokens": response.completion_tokens,
                  "finish_reason": response.finish_reason, "latency_s": round(response.latency_s, 6),
                  "retry_count": response.retries, "cached": response.cached, "error": response.error}
        scores = {"refusal": verdict, "outcome": out}
        context = {"alias": self.alias, "served_model": self.served_model, "endpoint": self.kind,
                   "endpoint_url": self.endpoint.base_url, "sampling": self.sampling}
        trace_id = None
        if not (response.cached and sample.key in self.traced):  # a resumed run keeps its earlier trace
            trace_id = self.run.traces.write(
                SAMPLE_OP, {**inputs, **context}, {**output, "scores": scores},
                started_at=started, ended_at=ended, error=response.error,
                attributes={"sample_key": sample.key},
            )
        record = {"sample_key": sample.key, **context, "inputs": inputs, "output": output, "scores": scores,
                  "started_at": started, "ended_at": ended, "trace_id": trace_id}
        self.writer.write(record)
        self.metrics.add(record)

    def close(self) -> None:
        self.bar.close()
        self.writer.close()
        self.cache.close()


def _judge_config(cfg: DictConfig) -> Any:
    """`cfg.judge` plus the LLM layer `eval.judge` asks for (secmodel.config.judge), else `cfg.judge`."""
    try:
        from secmodel.config.judge import judge_config
    except ImportError:
        return cfg.get("judge")
    return judge_config(cfg)


def _traced_keys(path: Path) -> set[str]:
    """Sample keys that already have a trace in this run folder (a resumed run in the same folder)."""
    from secmodel.tracking.traces import read_traces

    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        return set()
    return {r.get("attributes", {}).get("sample_key") for r in read_traces(path) if r.get("op") == SAMPLE_OP}


async def _run_server(state: _Run, samples: Iterator[Sample]) -> None:
    """Bounded-concurrency worker pool; finished samples go to one writer task in batches."""
    queue: asyncio.Queue[tuple[Sample, Any, float] | None] = asyncio.Queue()
    n_workers = max(int(state.cfg.endpoint.concurrency), 1)

    async def worker() -> None:
        for sample in samples:  # a shared iterator: each sample is taken once
            started = time.time()
            response = state.lookup(sample)
            if response is None:
                response = await state.endpoint.chat(sample.messages)
            state.store(sample, response)
            await queue.put((sample, response, started))

    async def writer() -> None:
        while True:
            item = await queue.get()
            if item is None:
                return
            done = [item]
            while len(done) < JUDGE_BATCH and not queue.empty():
                nxt = queue.get_nowait()
                if nxt is None:
                    state.finish(done)
                    return
                done.append(nxt)
            state.finish(done)

    writer_task = asyncio.create_task(writer())
    workers = [asyncio.create_task(worker()) for _ in range(n_workers)]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for task in workers:
            task.cancel()
        await queue.put(None)
        await asyncio.gather(writer_task, return_exceptions=True)
        raise
    await queue.put(None)
    await writer_task


def _run_local(state: _Run, samples: Iterator[Sample]) -> None:
    """Cached samples first, then batched generation (prompts sorted by length to limit padding)."""
    todo: list[Sample] = []
    for sample in samples:
        started = time.time()
        response = state.lookup(sample)
        if response is None:
            todo.append(sample)
        else:
            state.store(sample, response)
            state.finish([(sample, response, started)])
    if not todo:
        return
    state.endpoint.load()
    todo.sort(key=lambda s: len(s.row.prompt))
    size = state.endpoint.batch_size
    for i in range(0, len(todo), size):
        batch = todo[i:i + size]
        started = time.time()
        responses = state.endpoint.generate([s.messages for s in batch])
        for sample, response in zip(batch, responses):
            state.store(sample, response)
        state.finish([(s, r, started) for s, r in zip(batch, responses)])


def _sampling(cfg: DictConfig) -> dict[str, Any]:
    s = OmegaConf.to_container(cfg.eval.sampling, resolve=True)
    assert isinstance(s, dict)
    return {k: s.get(k) for k in ("temperature", "top_p", "max_tokens", "seed")}


def evaluate(cfg: DictConfig, run: Any) -> dict[str, Any]:
    """Evaluate `cfg.eval.alias` on `cfg.eval.data`; returns (and writes) the metrics dict.

    Raises:
        ConfigError: unknown alias or endpoint kind.
        EndpointError: the server is unreachable, does not serve the alias, or stops answering.
        DataError: malformed dataset.
    """
    from secmodel.data import load_prompts

    started = time.time()
    alias = str(cfg.eval.alias)
    kind = cfg.endpoint.kind
    if kind != "local" and kind not in SERVER_KINDS:
        raise ConfigError(f"endpoint.kind must be local, openai_compatible or vllm, got {kind!r}")
    prompts = load_prompts(cfg.eval.data, cfg.eval.split)
    if cfg.eval.limit is not None:
        prompts.rows = limit_rows(prompts.rows, int(cfg.eval.limit))
    trials = int(cfg.eval.trials)
    if trials < 1:
        raise ConfigError(f"eval.trials must be >= 1, got {trials}")
    entry = _resolve_entry(alias, cfg)
    system_prompt = cfg.eval.system_prompt or (entry.system_prompt if entry is not None else None)
    sampling = _sampling(cfg)

    if kind == "local":
        from secmodel.eval.endpoints import LocalEndpoint
        from secmodel.models.registry import base_model_path

        cuda = cfg.hardware.get("accelerator") == "cuda"
        from secmodel.models.precision import inference_dtype

        model_dtype = str(cfg.model.get("torch_dtype") or "float32")
        dtype = inference_dtype(str(cfg.endpoint.torch_dtype), "cuda" if cuda else "cpu",
                                bool(cfg.hardware.get("bf16")), "float32" if model_dtype == "auto" else model_dtype)
        endpoint: Any = LocalEndpoint(
            base_model_path(entry.base_path), entry.adapter_path, cfg.endpoint, sampling,
            torch_dtype=dtype, torch_threads=cfg.hardware.get("torch_threads"), seed=int(cfg.seed),
            device="cuda" if cuda else "cpu",
        )
        served_model = alias
    else:
        from secmodel.eval.endpoints import OpenAIEndpoint

        endpoint = OpenAIEndpoint(cfg.endpoint, sampling)
    run.add_metadata(dataset_path=prompts.path, dataset_split=prompts.split, dataset_sha256=prompts.sha256,
                     model_alias=alias, endpoint=kind, endpoint_url=endpoint.base_url,
                     eval_name=cfg.eval.name, n_prompts=len(prompts), trials=trials, sampling=sampling)
    log.info("Evaluating %s on %s (%s, %d prompts x %d trials) via %s", alias, prompts.path,
             prompts.split or "all rows", len(prompts), trials, endpoint.base_url)
    total = len(prompts) * trials
    with run.weave_attributes():
        if kind == "local":
            state = _Run(cfg, run, endpoint, alias, served_model, sampling, system_prompt, total)
            try:
                _run_local(state, iter_samples(prompts.rows, trials, system_prompt))
            finally:
                state.close()
        else:
            state = asyncio.run(_evaluate_server(cfg, run, endpoint, alias, entry, sampling, system_prompt,
                                                 prompts.rows, trials, total))
        result = {
            "eval_name": cfg.eval.name,
            "alias": alias,
            "served_model": state.served_model,
            "endpoint": kind,
            "endpoint_url": endpoint.base_url,
            "dataset": {"path": prompts.path, "split": prompts.split, "sha256": prompts.sha256,
                        "n_prompts": len(prompts), "trials": trials},
            "sampling": sampling,
            **state.metrics.result(),
            "requests_sent": state.requests,
            "cache_hits": state.cache.hits,
            "wall_time_s": round(time.time() - started, 3),
        }
        write_results(result, run, cfg)
    print(
        f"{alias} on {cfg.eval.name} ({result['n_samples']} samples, errors: {result['errors']['total']}):\n"
        f"  malicious refusal rate   {fmt_rate(result['malicious_refusal_rate'])}\n"
        f"  benign helpfulness rate  {fmt_rate(result['benign_helpfulness_rate'])}\n"
        f"  balanced score           {fmt_rate(result['balanced_score'])}",
        flush=True,
    )
    return result


async def _evaluate_server(cfg: DictConfig, run: Any, endpoint: Any, alias: str, entry: Any,
                           sampling: dict[str, Any], system_prompt: str | None, rows: list[Any], trials: int,
                           total: int) -> _Run:
    try:
        served = await endpoint.served_models() if cfg.endpoint.check_alias else None
        endpoint.model_name = _served_name(alias, entry, served, cfg)
        if endpoint.model_name != alias:
            log.info("alias %s is sent as model %s with its system prompt", alias, endpoint.model_name)
        state = _Run(cfg, run, endpoint, alias, endpoint.model_name, sampling, system_prompt, total)
        try:
            await _run_server(state, iter_samples(rows, trials, system_prompt))
        finally:
            state.close()
        return state
    finally:
        await endpoint.aclose()
