"""A reverse proxy on 127.0.0.1 that forwards to an OpenAI-compatible upstream and injects faults.

Faults (by name):

- ``"http_500"``: answers 500 with an OpenAI-style error body;
- ``"http_429"``: answers 429 with a ``Retry-After`` header (``retry_after`` seconds);
- ``"reset"``: reads the request, then resets the connection (TCP RST) without answering;
- ``"stall"``: waits ``stall_s`` seconds (longer than the client's timeout), then forwards;
- ``"invalid_json"``: answers 200 ``application/json`` with a body that is not JSON.

The plan decides, per request subject to faults (see ``paths``), which fault to inject, or ``None`` to
forward it. It is one of:

- a sequence of fault names or ``None``, used in order; requests past its end are forwarded;
- ``{"fail_first_n": {"http_500": 2, "reset": 1}, "then": None}``: the first requests get these faults
  in this order, the later ones get ``then`` (``None``: forward; a fault name: always that fault);
- a callable ``(index, request) -> fault name | None`` (``index`` counts from 0).

``counts`` records each injected fault, ``"forwarded"`` and ``"requests"``; ``records`` lists every
request with its fault, so a test can assert each retry. No pytest imports: benchmarks use it too::

    with MinimalOpenAIServer(models=["m"]) as upstream, FaultProxy(upstream.base_url, ["http_500"]) as proxy:
        client = openai.OpenAI(base_url=proxy.base_url, api_key="none", max_retries=1)
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from .aio_app import BackgroundApp

FAULTS = ("http_500", "http_429", "reset", "stall", "invalid_json")
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
INVALID_JSON_BODY = b'{"id": "chatcmpl-broken", "choices": [{"message": <<not json>>'

Decider = Callable[[int, web.Request], str | None]
Plan = Sequence[str | None] | Mapping[str, Any] | Decider | None


@dataclass
class ProxyRecord:
    """One request the proxy saw."""

    index: int | None  # position among requests subject to the plan; None when exempt
    method: str
    path: str
    fault: str | None
    status: int | None  # status sent to the client; None for a reset or a stall


def _check_fault(fault: str | None, where: str) -> str | None:
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"{where}: unknown fault {fault!r}; known: {', '.join(FAULTS)}")
    return fault


def make_decider(plan: Plan) -> Decider:
    """Turn a plan (sequence, ``fail_first_n`` mapping, callable or None) into a per-request decider."""
    if plan is None:
        return lambda index, request: None
    if callable(plan):
        return plan
    if isinstance(plan, Mapping):
        unknown = set(plan) - {"fail_first_n", "then"}
        if unknown:
            raise ValueError(f"plan keys {sorted(unknown)} unknown; use 'fail_first_n' and 'then'")
        first: list[str | None] = []
        for fault, n in dict(plan.get("fail_first_n", {})).items():
            first += [_check_fault(fault, "plan['fail_first_n']")] * int(n)
        then = _check_fault(plan.get("then"), "plan['then']")
        return lambda index, request: first[index] if index < len(first) else then
    schedule = [_check_fault(fault, f"plan[{i}]") for i, fault in enumerate(plan)]
    return lambda index, request: schedule[index] if index < len(schedule) else None


class FaultProxy(BackgroundApp):
    """Reverse proxy to ``upstream`` (a base URL such as ``http://127.0.0.1:8000/v1``) with injected faults.

    Args:
        upstream: Base URL of the real server; requests keep their path and query.
        plan: Which fault each request gets (see the module docstring).
        paths: Only requests whose path ends with one of these are subject to the plan and counted in its
            index (e.g. ``("/chat/completions",)``); None: every request.
        retry_after: Value of the ``Retry-After`` header sent with 429.
        stall_s: How long a stalled request waits before it is forwarded.
    """

    def __init__(
        self,
        upstream: str,
        plan: Plan = None,
        paths: Sequence[str] | None = None,
        retry_after: float = 1,
        stall_s: float = 30.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        parts = urlsplit(upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"upstream {upstream!r} must be an http(s) URL")
        self.upstream_origin = f"{parts.scheme}://{parts.netloc}"
        self.upstream_path = parts.path.rstrip("/")
        self.paths = tuple(paths) if paths is not None else None
        self.retry_after = retry_after
        self.stall_s = stall_s
        self.counts: Counter[str] = Counter()
        self.records: list[ProxyRecord] = []
        self._lock = threading.Lock()
        self._index = 0
        self._decide = make_decider(plan)
        self._session: aiohttp.ClientSession | None = None

    @property
    def base_url(self) -> str:
        """Base URL to give the client: the proxy's origin plus the upstream's path (e.g. ``/v1``)."""
        return f"{self.origin}{self.upstream_path}"

    def set_plan(self, plan: Plan) -> None:
        """Replace the plan and restart its request index at 0 (counts are kept)."""
        decider = make_decider(plan)
        with self._lock:
            self._decide, self._index = decider, 0

    def reset_counts(self) -> None:
        """Forget counts and records."""
        with self._lock:
            self.counts.clear()
            self.records.clear()

    def injected(self) -> int:
        """How many faults were injected in all."""
        return sum(self.counts[fault] for fault in FAULTS)

    def planned(self) -> int:
        """How many requests the plan has decided on (those on ``paths``), counted as they arrive."""
        with self._lock:
            return self._index

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        app.on_cleanup.append(self._close_session)
        return app

    async def _close_session(self, app: web.Application) -> None:
        if self._session is not None:
            await self._session.close()

    def _choose(self, request: web.Request) -> tuple[int | None, str | None]:
        with self._lock:
            self.counts["requests"] += 1
            if self.paths is not None and not request.path.endswith(self.paths):
                return None, None
            index, self._index = self._index, self._index + 1
            return index, _check_fault(self._decide(index, request), f"plan decision for request {index}")

    def _record(self, index: int | None, request: web.Request, fault: str | None, status: int | None) -> None:
        with self._lock:
            self.counts[fault or "forwarded"] += 1
            self.records.append(ProxyRecord(index, request.method, request.path, fault, status))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        index, fault = self._choose(request)
        body = await request.read()  # the whole request arrives before any fault
        if fault == "http_500":
            self._record(index, request, fault, 500)
            error = {"error": {"message": "injected fault: http_500", "type": "server_error", "code": 500}}
            return web.json_response(error, status=500)
        if fault == "http_429":
            self._record(index, request, fault, 429)
            error = {
                "error": {"message": "injected fault: http_429", "type": "rate_limit_error", "code": 429}
            }
            headers = {"Retry-After": f"{self.retry_after:g}"}
            return web.json_response(error, status=429, headers=headers)
        if fault == "invalid_json":
            self._record(index, request, fault, 200)
            return web.Response(status=200, body=INVALID_JSON_BODY, content_type="application/json")
        if fault == "reset":
            self._record(index, request, fault, None)
            self._reset(request)
            raise asyncio.CancelledError  # nothing more to send on this connection
        if fault == "stall":
            assert self._stopping is not None
            self._record(index, request, fault, None)  # counted when injected; forwarded after the wait
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self.stall_s)
            except asyncio.TimeoutError:
                pass
            if self._stopping.is_set():
                raise asyncio.CancelledError
        return await self._forward(request, body, index, fault)

    @staticmethod
    def _reset(request: web.Request) -> None:
        transport = request.transport
        if transport is None:
            return
        sock = transport.get_extra_info("socket")
        if sock is not None:  # linger 0: close() sends RST instead of FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()

    async def _forward(
        self, request: web.Request, body: bytes, index: int | None, fault: str | None
    ) -> web.StreamResponse:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                auto_decompress=False, timeout=aiohttp.ClientTimeout(total=None, sock_connect=10)
            )
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        url = f"{self.upstream_origin}{request.path_qs}"
        try:
            upstream = await self._session.request(request.method, url, headers=headers, data=body)
        except aiohttp.ClientError as exc:
            if fault is None:
                self._record(index, request, fault, 502)
            error = {"error": {"message": f"proxy: upstream {url} failed: {exc}", "type": "bad_gateway"}}
            return web.json_response(error, status=502)
        if fault is None:  # recorded before the client can see the answer, so counts are never late
            self._record(index, request, fault, upstream.status)
        async with upstream:
            response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
            for key, value in upstream.headers.items():
                if key.lower() not in HOP_BY_HOP:
                    response.headers.add(key, value)
            if upstream.content_length is not None:
                response.content_length = upstream.content_length
            await response.prepare(request)
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
            await response.write_eof()
        return response
