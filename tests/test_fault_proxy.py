"""Tests for tests/support: FaultProxy in front of MinimalOpenAIServer, driven by the real openai client."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator

import openai
import pytest

from tests.support.fault_proxy import FAULTS, FaultProxy, make_decider
from tests.support.openai_server import MinimalOpenAIServer

MODEL = "smollm2-135m"
MESSAGES = [{"role": "user", "content": "is this input safe"}]


@pytest.fixture
def upstream() -> Iterator[MinimalOpenAIServer]:
    with MinimalOpenAIServer(models=[MODEL, "sec-v2-sft"]) as server:
        yield server


def client(base_url: str, max_retries: int = 0, timeout: float = 5.0) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="none", max_retries=max_retries, timeout=timeout)


def chat(c: openai.OpenAI, **kwargs: object) -> str:
    response = c.chat.completions.create(model=MODEL, messages=MESSAGES, **kwargs)  # type: ignore[arg-type]
    return response.choices[0].message.content or ""


# (fault, exception the openai client raises with max_retries=0)
EXPECTED = [
    ("http_500", openai.InternalServerError),
    ("http_429", openai.RateLimitError),
    ("reset", openai.APIConnectionError),
    ("stall", openai.APITimeoutError),
    # openai parses a 200 application/json body without wrapping the decoder's error.
    ("invalid_json", json.JSONDecodeError),
]


@pytest.mark.parametrize(("fault", "error"), EXPECTED, ids=[fault for fault, _ in EXPECTED])
def test_each_fault_surfaces_as_its_client_error(
    upstream: MinimalOpenAIServer, fault: str, error: type[BaseException]
) -> None:
    with FaultProxy(upstream.base_url, [fault], stall_s=3.0) as proxy:
        c = client(proxy.base_url, timeout=0.5)
        with pytest.raises(error) as info:
            chat(c)
        if fault == "reset":
            assert not isinstance(info.value, openai.APITimeoutError)
        if fault == "http_429":
            assert isinstance(info.value, openai.RateLimitError)
            assert info.value.response.headers["retry-after"] == "1"
        assert proxy.counts[fault] == 1
        assert proxy.injected() == 1
        assert proxy.counts["forwarded"] == 0
        assert [record.fault for record in proxy.records] == [fault]
        # The next request is past the plan's end: forwarded, answered by the upstream.
        assert chat(client(proxy.base_url)) == "is this input safe"
        assert proxy.counts["forwarded"] == 1
    assert set(FAULTS) == {fault for fault, _ in EXPECTED}


def test_fail_first_n_is_retried_by_the_client_and_every_attempt_counted(
    upstream: MinimalOpenAIServer,
) -> None:
    plan = {"fail_first_n": {"http_500": 1, "http_429": 1, "reset": 1, "invalid_json": 0}}
    with FaultProxy(upstream.base_url, plan, retry_after=0.05) as proxy:
        assert chat(client(proxy.base_url, max_retries=3)) == "is this input safe"
        assert proxy.counts["http_500"] == proxy.counts["http_429"] == proxy.counts["reset"] == 1
        assert proxy.counts["invalid_json"] == 0
        assert proxy.counts["forwarded"] == 1 and proxy.counts["requests"] == 4
        assert [r.index for r in proxy.records] == [0, 1, 2, 3] and proxy.planned() == 4
        assert [r.status for r in proxy.records] == [500, 429, None, 200]
    assert upstream.counts["chat"] == 1


def test_retries_exhausted_raise_the_last_error(upstream: MinimalOpenAIServer) -> None:
    with FaultProxy(upstream.base_url, {"then": "http_500"}) as proxy:
        with pytest.raises(openai.InternalServerError):
            chat(client(proxy.base_url, max_retries=2))
        assert proxy.counts["http_500"] == 3 and proxy.counts["forwarded"] == 0
    assert upstream.counts["chat"] == 0


def test_callable_plan_and_exempt_paths(upstream: MinimalOpenAIServer) -> None:
    seen: list[int] = []

    def every_other(index: int, request: object) -> str | None:
        seen.append(index)
        return "http_500" if index % 2 == 0 else None

    with FaultProxy(upstream.base_url, every_other, paths=("/chat/completions",)) as proxy:
        c = client(proxy.base_url)
        assert [m.id for m in c.models.list()] == [MODEL, "sec-v2-sft"]  # exempt: not in the plan's index
        results = []
        for _ in range(4):
            try:
                results.append(chat(c))
            except openai.InternalServerError:
                results.append("500")
        assert results == ["500", "is this input safe", "500", "is this input safe"]
        assert seen == [0, 1, 2, 3]
        assert proxy.counts["http_500"] == 2 and proxy.counts["forwarded"] == 3  # 2 chats + GET /models
        assert proxy.records[0].index is None and proxy.records[0].path == "/v1/models"


def test_streaming_passes_through(upstream: MinimalOpenAIServer) -> None:
    with FaultProxy(upstream.base_url) as proxy:
        stream = client(proxy.base_url).chat.completions.create(
            model=MODEL, messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "is this input safe"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 4


def test_set_plan_restarts_the_index_and_bad_plans_fail(upstream: MinimalOpenAIServer) -> None:
    with FaultProxy(upstream.base_url, ["http_500"]) as proxy:
        c = client(proxy.base_url)
        with pytest.raises(openai.InternalServerError):
            chat(c)
        chat(c)
        proxy.set_plan(["http_429"])
        with pytest.raises(openai.RateLimitError):
            chat(c)
        proxy.reset_counts()
        assert proxy.counts["requests"] == 0 and proxy.records == []
    with pytest.raises(ValueError, match="unknown fault 'http_503'"):
        make_decider(["http_503"])
    with pytest.raises(ValueError, match="unknown"):
        make_decider({"fail_first": {"http_500": 1}})


def test_stop_does_not_wait_for_a_stalled_request(upstream: MinimalOpenAIServer) -> None:
    proxy = FaultProxy(upstream.base_url, {"then": "stall"}, stall_s=60.0).start()
    worker = threading.Thread(
        target=lambda: pytest.raises(openai.APIConnectionError, chat, client(proxy.base_url, timeout=30))
    )
    worker.start()
    deadline = time.monotonic() + 5
    while proxy.counts["stall"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proxy.counts["stall"] == 1
    started = time.monotonic()
    proxy.stop()
    assert time.monotonic() - started < 3
    worker.join(10)
    assert not worker.is_alive()
    assert upstream.counts["chat"] == 0


def test_minimal_server_answers_like_openai(upstream: MinimalOpenAIServer) -> None:
    c = client(upstream.base_url)
    response = c.chat.completions.create(model=MODEL, messages=MESSAGES, max_tokens=2)
    assert response.choices[0].message.content == "is this"
    assert response.choices[0].finish_reason == "length"
    assert (
        response.usage is not None
        and response.usage.prompt_tokens == 4
        and response.usage.completion_tokens == 2
    )
    with pytest.raises(openai.NotFoundError) as info:
        c.chat.completions.create(model="no-such-alias", messages=MESSAGES)
    assert info.value.status_code == 404
    with urllib.request.urlopen(f"{upstream.base_url}/models", timeout=5) as raw:
        assert [m["id"] for m in json.loads(raw.read())["data"]] == [MODEL, "sec-v2-sft"]


def test_minimal_server_canned_reply() -> None:
    with MinimalOpenAIServer(models=["m"], reply=lambda body: f"n={len(body['messages'])}") as server:
        c = client(server.base_url)
        assert c.chat.completions.create(model="m", messages=MESSAGES * 3).choices[0].message.content == "n=3"
    with MinimalOpenAIServer(models=["m"], reply="REFUSE") as server:
        assert (
            client(server.base_url)
            .chat.completions.create(model="m", messages=MESSAGES)
            .choices[0]
            .message.content
            == "REFUSE"
        )
