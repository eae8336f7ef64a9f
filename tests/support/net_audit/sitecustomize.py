"""Loaded through PYTHONPATH by the offline tests: logs every socket connect / DNS lookup of this process.

Each event goes to the file named by SECMODEL_NET_AUDIT as a JSON line: {"event", "host", "port", "pid"}.
"""

import json
import os
import socket
import sys

_LOG = os.environ.get("SECMODEL_NET_AUDIT")


def _hook(event: str, args: tuple) -> None:
    if event not in ("socket.connect", "socket.getaddrinfo") or not _LOG:
        return
    if event == "socket.connect":
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) == socket.AF_UNIX:
            return
        host, port = (address[0], address[1]) if isinstance(address, tuple) else (str(address), None)
    else:
        host, port = args[0], args[1]
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    with open(_LOG, "a") as fh:
        fh.write(json.dumps({"event": event, "host": str(host), "port": port, "pid": os.getpid()}) + "\n")


sys.addaudithook(_hook)
