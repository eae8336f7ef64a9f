"""Endpoints that turn chat messages into responses.

- `OpenAIEndpoint` (`openai_compatible`, `vllm`): `AsyncOpenAI` with the client's own retries off
  (`max_retries=0`); tenacity retries 429, 5xx, timeouts, connection errors and invalid JSON with exponential
  backoff and jitter, and counts the retries of every sample. `check()` asks `GET /v1/models` first.
- `LocalEndpoint` (`local`): in-process transformers (+ PEFT adapter), batched greedy `generate`.

Both return `Response` objects and never raise for a single failed sample (the error is recorded);
`EndpointError` is raised only when the endpoint as a whole cannot work (unreachable, alias not served).
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from secmodel.errors import EndpointError

log = logging.getLogger(__name__)
for _name in ("httpx", "httpx2"):  # one INFO line per request otherwise
    logging.getLogger(_name).setLevel(logging.WARNING)

Messages = list[dict[str, str]]


@dataclass
class Response:
    """One endpoint answer (or failure) for one sample."""

    text: str | None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    latency_s: float = 0.0
    retries: int = 0
    error: dict[str, str] | None = None  # {"type", "message"}
    cached: bool = False

    def to_cache(self) -> dict[str, Any]:
        return {"text": self.text, "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "finish_reason": self.finish_reason,
                "latency_s": self.latency_s, "retries": self.retries}

    @classmethod
    def from_cache(cls, value: dict[str, Any]) -> Response:
        return cls(**value, cached=True)


def error_dict(exc: BaseException) -> dict[str, str]:
    message = str(exc) or repr(exc)
    return {"type": type(exc).__name__, "message": message[:1000]}


class InvalidResponseError(Exception):
    """The server answered 200 with a body that is not a chat completion."""


def _parse_completion(data: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(first choice, usage) of a chat-completion body; InvalidResponseError (retried) if it is not one."""
    try:
        choice = data["choices"][0]
        if not isinstance(choice["message"], dict):
            raise TypeError("message is not an object")
    except (KeyError, IndexError, TypeError) as exc:
        raise InvalidResponseError(f"not a chat completion: {str(data)[:200]}") from exc
    return choice, data.get("usage") or {}


def _retryable(exc: BaseException) -> bool:
    import openai

    if isinstance(exc, (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError,
                        openai.APIConnectionError, openai.APIResponseValidationError,
                        json.JSONDecodeError, InvalidResponseError)):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def _is_connection_error(error: dict[str, str] | None) -> bool:
    return bool(error) and error["type"] in ("APIConnectionError", "APITimeoutError")


class OpenAIEndpoint:
    """An OpenAI-compatible chat-completions server (vLLM included)."""

    def __init__(self, endpoint_cfg: Any, sampling: dict[str, Any]) -> None:
        if not endpoint_cfg.base_url:
            raise EndpointError(f"endpoint {endpoint_cfg.kind}: base_url is not set")
        self.cfg = endpoint_cfg
        self.base_url = str(endpoint_cfg.base_url).rstrip("/")
        self.sampling = sampling
        self.model_name: str | None = None
        self._client: Any = None
        # Plain values: OmegaConf attribute access costs microseconds on every request.
        self._max_retries = int(endpoint_cfg.max_retries)
        self._backoff_initial = float(endpoint_cfg.backoff_initial_s)
        self._backoff_max = float(endpoint_cfg.backoff_max_s)
        self._params: dict[str, Any] = {k: sampling[k] for k in ("temperature", "top_p", "max_tokens")}
        if sampling.get("seed") is not None:
            self._params["seed"] = sampling["seed"]

    @property
    def client(self) -> Any:
        if self._client is None:
            import httpx
            import openai

            limits = httpx.Limits(max_connections=max(int(self.cfg.concurrency), 1) + 4,
                                  max_keepalive_connections=max(int(self.cfg.concurrency), 1) + 4)
            self._client = openai.AsyncOpenAI(
                base_url=self.base_url,
                api_key=os.environ.get(self.cfg.api_key_env) or "EMPTY",
                timeout=float(self.cfg.timeout_s),
                max_retries=0,  # tenacity owns retries and counts them
                http_client=openai.DefaultAsyncHttpxClient(limits=limits, timeout=float(self.cfg.timeout_s)),
            )
        return self._client

    def identity(self) -> str:
        """Endpoint part of the cache key."""
        return f"{self.base_url}|{self.model_name}"

    async def served_models(self) -> list[str]:
        """`GET /v1/models`, with two quick attempts.

        Raises:
            EndpointError: the server is unreachable or answers with an error.
        """
        import openai

        last: BaseException | None = None
        for attempt in range(2):
            try:
                page = await self.client.models.list()
                return [m.id for m in page.data]
            except (openai.APIConnectionError, openai.APITimeoutError, openai.InternalServerError) as exc:
                last = exc
                if attempt == 0:
                    import asyncio

                    await asyncio.sleep(min(float(self.cfg.backoff_initial_s), 1.0))
            except openai.APIError as exc:
                raise EndpointError(f"GET {self.base_url}/models failed: {type(exc).__name__}: {exc}") from exc
        raise EndpointError(
            f"cannot reach the endpoint {self.base_url} (GET /models): {type(last).__name__}: {last}. "
            f"Is the server running? Start one with `secmodel serve` or set endpoint.base_url."
        ) from last

    async def chat(self, messages: Messages) -> Response:
        """One chat completion with retries; never raises for a per-sample failure.

        The request goes through `AsyncOpenAI.post` (the client's own auth, timeout and error types:
        `RateLimitError`, `InternalServerError`, `APITimeoutError`, `APIConnectionError`) with a plain JSON body
        and a plain dict back, which skips the typed-params transform and the pydantic response models: about
        half of the client's CPU time per request.
        """
        assert self.model_name is not None, "set model_name first"
        attempts = 0
        started = time.perf_counter()
        body = {"model": self.model_name, "messages": messages, **self._params}
        try:
            async for attempt in self._retrying():
                with attempt:
                    attempts += 1
                    data = await self.client.post("/chat/completions", cast_to=object, body=body)
                    choice, usage = _parse_completion(data)
        except Exception as exc:  # noqa: BLE001 - recorded on the sample
            return Response(text=None, latency_s=time.perf_counter() - started, retries=max(attempts - 1, 0),
                            error=error_dict(exc))
        return Response(
            text=choice["message"].get("content") or "",
            prompt_tokens=usage.get("prompt_tokens"),
            completion_tokens=usage.get("completion_tokens"),
            finish_reason=choice.get("finish_reason"),
            latency_s=time.perf_counter() - started,
            retries=attempts - 1,
        )

    def _retrying(self) -> Any:
        from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

        return AsyncRetrying(
            stop=stop_after_attempt(self._max_retries + 1),
            wait=wait_exponential_jitter(multiplier=self._backoff_initial, max=self._backoff_max,
                                         jitter=self._backoff_initial),
            retry=retry_if_exception(_retryable),
            reraise=True,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


class LocalEndpoint:
    """In-process transformers generation for the base model or a base + LoRA adapter."""

    def __init__(self, model_path: str, adapter_path: str | None, endpoint_cfg: Any, sampling: dict[str, Any],
                 torch_dtype: str = "float32", torch_threads: int | None = None, seed: int = 0,
                 device: str = "cpu") -> None:
        self.model_path = model_path
        self.adapter_path = adapter_path
        self.batch_size = max(int(endpoint_cfg.batch_size), 1)
        self.sampling = sampling
        self.torch_dtype = torch_dtype
        self.torch_threads = torch_threads
        self.seed = seed
        self.device = device
        self.base_url = f"local:{model_path}" + (f"+{adapter_path}" if adapter_path else "")
        self.model: Any = None
        self.tokenizer: Any = None

    def identity(self) -> str:
        """Cache identity: model, adapter and precision (greedy bf16 and fp32 outputs can differ)."""
        return f"{self.base_url}@{self.torch_dtype}"

    def load(self) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if self.torch_threads:
            torch.set_num_threads(int(self.torch_threads))
        dtype = self.torch_dtype if self.torch_dtype in ("auto", None) else getattr(torch, self.torch_dtype)
        started = time.perf_counter()
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_path)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        model = AutoModelForCausalLM.from_pretrained(self.model_path, dtype=dtype)
        if self.adapter_path:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, self.adapter_path)
            model = model.merge_and_unload()  # same outputs, faster generation
        if self.device == "cuda" and torch.cuda.is_available():
            model = model.to("cuda")
        else:
            self.device = "cpu"
        model.eval()
        self.model = model
        log.info("Loaded %s%s in %.1f s", self.model_path,
                 f" + adapter {self.adapter_path}" if self.adapter_path else "", time.perf_counter() - started)

    def generate(self, batch: list[Messages]) -> list[Response]:
        """Generate for one batch; a failure marks every sample of the batch as an error."""
        import torch

        started = time.perf_counter()
        try:
            texts = [self.tokenizer.apply_chat_template(m, add_generation_prompt=True, tokenize=False)
                     for m in batch]
            enc = self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
            greedy = not self.sampling["temperature"]
            gen_kwargs: dict[str, Any] = {"max_new_tokens": int(self.sampling["max_tokens"]),
                                          "do_sample": not greedy,
                                          "pad_token_id": self.tokenizer.pad_token_id}
            if greedy:
                gen_kwargs.update(temperature=None, top_p=None, top_k=None)
            else:
                gen_kwargs.update(temperature=float(self.sampling["temperature"]),
                                  top_p=float(self.sampling["top_p"]))
                torch.manual_seed(self.sampling.get("seed") or self.seed)
            with torch.inference_mode():
                out = self.model.generate(**enc, **gen_kwargs)
            new = out[:, enc["input_ids"].shape[1]:]
            eos = self.tokenizer.eos_token_id
            responses = []
            elapsed = time.perf_counter() - started
            for i in range(len(batch)):
                ids = new[i].tolist()
                n_prompt = int(enc["attention_mask"][i].sum())
                n = len(ids)
                finish = "length"
                for j, tok in enumerate(ids):
                    if tok == eos or tok == self.tokenizer.pad_token_id:
                        n, finish = j, "stop"
                        break
                text = self.tokenizer.decode(ids[:n], skip_special_tokens=True).strip()
                responses.append(Response(text=text, prompt_tokens=n_prompt, completion_tokens=n,
                                          finish_reason=finish, latency_s=elapsed))  # the batch waited as one
            return responses
        except Exception as exc:  # noqa: BLE001 - recorded on each sample
            elapsed = time.perf_counter() - started
            return [Response(text=None, latency_s=elapsed, error=error_dict(exc)) for _ in batch]
