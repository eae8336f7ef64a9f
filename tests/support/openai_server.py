"""A tiny OpenAI-compatible server that answers at once: for fast endpoint tests and overhead benchmarks.

Serves ``GET /v1/models`` and ``POST /v1/chat/completions`` (with ``usage``; ``stream: true`` gives
server-sent events). The reply is the canned ``reply`` (a string, or a callable of the request body), or
else an echo of the last user message. An unknown model name answers 404 as vLLM does. No pytest imports:
benchmarks use it too::

    from tests.support.openai_server import MinimalOpenAIServer
    with MinimalOpenAIServer(models=["smollm2-135m"]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="none")
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from .aio_app import BackgroundApp

Reply = str | Callable[[dict[str, Any]], str] | None


def _words(text: str) -> int:
    return len(text.split())


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


class MinimalOpenAIServer(BackgroundApp):
    """OpenAI-compatible stub on 127.0.0.1; counts requests per path in ``counts``."""

    def __init__(
        self,
        models: Sequence[str] = ("minimal-echo",),
        reply: Reply = None,
        host: str = "127.0.0.1",
        port: int = 0,
        delay_s: float = 0.0,
    ) -> None:
        super().__init__(host, port)
        self.model_names = list(models)
        self.reply = reply
        self.delay_s = delay_s
        self.counts: Counter[str] = Counter()
        self.requests: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        """OpenAI base URL, ``http://127.0.0.1:PORT/v1``."""
        return f"{self.origin}/v1"

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/v1/chat/completions", self._chat)
        return app

    async def _models(self, request: web.Request) -> web.Response:
        self.counts["models"] += 1
        created = int(time.time())
        data = [
            {"id": name, "object": "model", "created": created, "owned_by": "secmodel-test"}
            for name in self.model_names
        ]
        return web.json_response({"object": "list", "data": data})

    @staticmethod
    def _error(status: int, message: str, kind: str) -> web.Response:
        body = {"error": {"message": message, "type": kind, "param": None, "code": status}}
        return web.json_response(body, status=status)

    def _reply_text(self, body: dict[str, Any]) -> str:
        if callable(self.reply):
            return self.reply(body)
        if isinstance(self.reply, str):
            return self.reply
        users = [m for m in body.get("messages", []) if isinstance(m, dict) and m.get("role") == "user"]
        return _content_text(users[-1].get("content")) if users else ""

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        self.counts["chat"] += 1
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return self._error(400, "request body is not JSON", "BadRequestError")
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self._error(400, "'messages' must be a list", "BadRequestError")
        self.requests.append(body)
        model = body.get("model")
        if model not in self.model_names:
            return self._error(404, f"The model `{model}` does not exist.", "NotFoundError")
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        text = self._reply_text(body)
        max_tokens = body.get("max_tokens") or body.get("max_completion_tokens")
        finish = "stop"
        if isinstance(max_tokens, int) and _words(text) > max_tokens:
            text, finish = " ".join(text.split()[:max_tokens]), "length"
        prompt_tokens = sum(
            _words(_content_text(m.get("content"))) for m in body["messages"] if isinstance(m, dict)
        )
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": _words(text),
            "total_tokens": prompt_tokens + _words(text),
        }
        ident, created = f"chatcmpl-{next(self._ids)}", int(time.time())
        if body.get("stream"):
            return await self._stream(request, ident, created, model, text, finish, usage, body)
        return web.json_response(
            {
                "id": ident,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": finish,
                        "logprobs": None,
                    }
                ],
                "usage": usage,
            }
        )

    async def _stream(
        self,
        request: web.Request,
        ident: str,
        created: int,
        model: str,
        text: str,
        finish: str,
        usage: dict[str, int],
        body: dict[str, Any],
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)

        def chunk(delta: dict[str, Any], reason: str | None, with_usage: bool = False) -> bytes:
            payload: dict[str, Any] = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": reason}] if not with_usage else [],
            }
            if with_usage:
                payload["usage"] = usage
            return f"data: {json.dumps(payload)}\n\n".encode()

        await response.write(chunk({"role": "assistant", "content": ""}, None))
        for i, word in enumerate(text.split()):
            await response.write(chunk({"content": word if i == 0 else f" {word}"}, None))
        await response.write(chunk({}, finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            await response.write(chunk({}, None, with_usage=True))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response
