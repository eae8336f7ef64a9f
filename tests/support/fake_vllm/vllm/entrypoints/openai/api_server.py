"""Fake ``python -m vllm.entrypoints.openai.api_server``: serves GET /v1/models with the stdlib.

Env switches for tests: FAKE_VLLM_EXIT=CODE exits at once; FAKE_VLLM_DELAY=S waits before listening;
FAKE_VLLM_CHILD=1 starts a child process in the same process group (=escape: in another
group of the same session); FAKE_VLLM_IGNORE_SIGTERM=1 ignores
SIGTERM (so only SIGKILL stops it).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--served-model-name", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--lora-modules", nargs="+", default=[])
    args, _unknown = parser.parse_known_args()
    print(f"fake vllm: {sys.argv[1:]}", flush=True)
    if os.environ.get("FAKE_VLLM_EXIT"):
        print("fake vllm: exiting on purpose", flush=True)
        sys.exit(int(os.environ["FAKE_VLLM_EXIT"]))
    if os.environ.get("FAKE_VLLM_IGNORE_SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if os.environ.get("FAKE_VLLM_CHILD"):
        # CHILD=escape: the child leaves the process group (it stays in the session), as a worker might.
        setpgrp = "import os; os.setpgrp(); " if os.environ["FAKE_VLLM_CHILD"] == "escape" else ""
        child = subprocess.Popen([sys.executable, "-c", f"{setpgrp}import time; time.sleep(600)"])
        print(f"fake vllm: child pid {child.pid}", flush=True)
    time.sleep(float(os.environ.get("FAKE_VLLM_DELAY", "0")))
    names = [args.served_model_name] + [spec.split("=", 1)[0] for spec in args.lora_modules]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path != "/v1/models":
                self.send_error(404)
                return
            body = json.dumps(
                {"object": "list", "data": [{"id": n, "object": "model"} for n in names]}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *items: object) -> None:
            pass

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"fake vllm: serving {names} on {args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
