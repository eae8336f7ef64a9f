"""A wire-level fake of the W&B + Weave HTTP endpoints, for testing `secmodel sync` without W&B's servers.

The real clients talk to it: `wandb sync` (wandb-core) and the `weave` client. Point them at it with
``env()``: ``WANDB_BASE_URL=http://127.0.0.1:PORT`` and ``WF_TRACE_SERVER_URL=http://127.0.0.1:PORT/traces``
(weave's default for a non-SaaS base URL is ``<base>/traces`` too). What it serves:

- ``POST /graphql``: W&B GraphQL. ``UpsertBucket`` (create the run), ``CreateRunFiles`` (upload URLs pointing
  back here), ``Viewer`` / ``DefaultEntity`` (who am I), anything else gets ``{"data": {}}``.
- ``POST /files/<entity>/<project>/<run>/file_stream``: history, summary, events and console lines.
- ``PUT /upload/...``: file uploads (the URLs ``CreateRunFiles`` hands out).
- ``/traces/...``: the Weave trace server: ``GET server_info``, ``call/start``, ``call/end``,
  ``call/upsert_batch``, ``obj/create``, ``table/create``, ``file/create``, ``feedback/create``,
  ``otel/v1/traces``; anything else under ``/traces`` answers ``{}``.

Every request is recorded in ``requests`` (method, path, GraphQL operation, parsed JSON body or body size) so
tests can assert what was sent. No pytest imports::

    with FakeWandb() as fake:
        subprocess.run([...], env={**os.environ, **fake.env()})
        assert fake.graphql_ops().count("UpsertBucket")
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .aio_app import BackgroundApp

_OP = re.compile(r"^\s*(?:query|mutation)\s+(\w+)")


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    operation: str | None  # GraphQL operationName
    body: Any  # parsed JSON (or form fields), None for other bodies
    size: int  # body size in bytes
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""  # the body, for non-JSON uploads (kept small: first 64 KiB)


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:32]


class FakeWandb(BackgroundApp):
    """W&B + Weave HTTP fake on 127.0.0.1; records every request in ``requests``."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, username: str = "tester", stall: bool = False
    ) -> None:
        super().__init__(host, port)
        self.username = username
        self.stall = stall  # accept connections, record requests, never answer (a server that hangs)
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()

    # ---- what tests use -------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        """Environment variables that point wandb and weave here."""
        return {"WANDB_BASE_URL": self.origin, "WF_TRACE_SERVER_URL": f"{self.origin}/traces"}

    def snapshot(self) -> list[Recorded]:
        with self._lock:
            return list(self.requests)

    def graphql_ops(self) -> list[str]:
        """GraphQL operation names, in order."""
        return [r.operation or "?" for r in self.snapshot() if r.path == "/graphql"]

    def find(self, path_prefix: str, method: str | None = None) -> list[Recorded]:
        """Requests whose path starts with `path_prefix` (and have `method`)."""
        return [r for r in self.snapshot() if r.path.startswith(path_prefix) and method in (None, r.method)]

    def file_stream_lines(self, name: str) -> list[str]:
        """Every line streamed for run file `name` (``wandb-history.jsonl``, ``wandb-summary.json`` ...)."""
        lines: list[str] = []
        for r in self.snapshot():
            if r.path.endswith("/file_stream") and isinstance(r.body, dict):
                lines += (r.body.get("files") or {}).get(name, {}).get("content", [])
        return lines

    def weave_calls(self) -> list[dict[str, Any]]:
        """Weave calls as the server would store them: starts merged with their ends, from every write route
        (``call/start``/``call/end``, their ``v2/<entity>/<project>/`` forms, ``call/upsert_batch``, and
        ``v2/.../calls/complete``, which carries whole calls)."""
        calls: dict[str, dict[str, Any]] = {}
        for r in self.find("/traces/"):
            if not isinstance(r.body, dict) or "/call" not in r.path:
                continue
            if r.path.endswith("/calls/complete"):
                for call in r.body.get("batch", []):
                    calls.setdefault(call["id"], {}).update(call)
                continue
            items = r.body.get("batch", [r.body])
            for item in items:
                req = item.get("req", item)
                if "start" in req:
                    calls.setdefault(req["start"]["id"], {}).update(req["start"])
                if "end" in req:
                    calls.setdefault(req["end"]["id"], {"id": req["end"]["id"]})["end"] = req["end"]
        for call in calls.values():
            end = call.pop("end", None)
            if end:
                call.update(
                    {k: v for k, v in end.items() if k not in call or k in ("output", "summary", "ended_at")}
                )
        return list(calls.values())

    def feedback(self) -> list[dict[str, Any]]:
        """Feedback items (scores on calls) from ``feedback/create`` and ``feedback/batch/create``."""
        out: list[dict[str, Any]] = []
        for r in self.find("/traces/feedback/"):
            if isinstance(r.body, dict):
                out += r.body.get("batch", [r.body] if r.path.endswith("/feedback/create") else [])
        return out

    # ---- server ---------------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=256 * 1024**2)
        app.router.add_post("/graphql", self._graphql)
        app.router.add_post("/files/{entity}/{project}/{run}/file_stream", self._file_stream)
        app.router.add_route("*", "/traces/{tail:.*}", self._traces)
        app.router.add_route("*", "/{tail:.*}", self._other)  # uploads and anything unforeseen
        return app

    async def _record(self, request: web.Request) -> Recorded:
        raw = await request.read()
        body: Any = None
        if raw and "json" in (request.content_type or ""):
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        operation = None
        if request.path == "/graphql" and isinstance(body, dict):
            operation = body.get("operationName")
            if not operation and (m := _OP.match(body.get("query", ""))):
                operation = m.group(1)
        rec = Recorded(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            operation=operation,
            body=body,
            size=len(raw),
            headers={k: v for k, v in request.headers.items() if k.lower() in ("content-type", "user-agent")},
            raw=raw[:65536] if body is None else b"",
        )
        with self._lock:
            self.requests.append(rec)
        if self.stall and self._stopping is not None:
            await self._stopping.wait()  # until stop(); the client times out or is killed first
        return rec

    async def _graphql(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        body = rec.body if isinstance(rec.body, dict) else {}
        answer = getattr(self, f"_gql_{rec.operation}", None)
        data = answer(body.get("variables") or {}) if answer else {}
        return web.json_response({"data": data})

    # W&B GraphQL answers, by operation name: only the fields the clients read.
    def _gql_UpsertBucket(self, var: dict[str, Any]) -> dict[str, Any]:  # create / update the run
        entity, project = var.get("entity") or self.username, var.get("project") or "uncategorized"
        run = var.get("name") or var.get("id") or uuid.uuid4().hex[:8]
        entity_node = {"id": _digest(["entity", entity]), "name": entity}
        project_node = {"id": _digest(["project", entity, project]), "name": project, "entity": entity_node}
        bucket = {"id": _digest(["run", entity, project, run]), "name": run,
                  "displayName": var.get("displayName"), "description": var.get("description"),
                  "config": var.get("config") or "{}", "sweepName": var.get("sweep"),
                  "historyLineCount": 0, "eventsLineCount": 0, "project": project_node}  # fmt: skip
        return {"upsertBucket": {"inserted": True, "bucket": bucket}}

    def _gql_CreateRunFiles(self, var: dict[str, Any]) -> dict[str, Any]:  # upload URLs for run files
        where = f"{var.get('entity')}/{var.get('project')}/{var.get('run')}"
        files = [{"name": n, "uploadUrl": f"{self.origin}/upload/{where}/{n}"} for n in var.get("files", [])]
        return {"createRunFiles": {"runID": _digest(where), "uploadHeaders": [], "files": files}}

    def _gql_Viewer(self, var: dict[str, Any]) -> dict[str, Any]:
        viewer = {"id": "dXNlcjox", "entity": self.username, "username": self.username, "name": self.username,
                  "email": f"{self.username}@example.invalid", "admin": False, "flags": "{}",
                  "defaultEntity": {"name": self.username},
                  "teams": {"edges": [{"node": {"name": self.username}}]}}  # fmt: skip
        return {"viewer": viewer}

    _gql_DefaultEntity = _gql_Viewer  # weave: entity when the project has none

    def _gql_ServerFeaturesQuery(self, var: dict[str, Any]) -> dict[str, Any]:
        return {"serverInfo": {"features": []}}

    def _gql_Project(self, var: dict[str, Any]) -> dict[str, Any]:  # weave: does the project exist?
        return {
            "project": {
                "name": var.get("name"),
                "id": _digest(["project", var.get("entityName"), var.get("name")]),
            }
        }

    def _gql_UpsertModel(self, var: dict[str, Any]) -> dict[str, Any]:  # weave: create the project
        model = {"id": _digest(["project", var.get("entity"), var.get("name")]), "name": var.get("name"),
                 "entityName": var.get("entity")}  # fmt: skip
        return {"upsertModel": {"inserted": True, "model": model}}

    # Artifacts: a run that logged a wandb.Table (the evaluation's samples table) uploads one.
    def _gql_CreateArtifact(self, var: dict[str, Any]) -> dict[str, Any]:
        artifact_id = _digest(["artifact", var.get("input"), uuid.uuid4().hex])
        artifact = {"id": artifact_id, "state": "PENDING", "artifactSequence": {"latestArtifact": None}}
        return {"createArtifact": {"artifact": artifact}}

    def _manifest(self, var: dict[str, Any]) -> dict[str, Any]:
        manifest_id = _digest(["manifest", var.get("artifactID") or var.get("artifactManifestID")])
        file = {"id": manifest_id, "uploadUrl": f"{self.origin}/upload/artifact-manifest/{manifest_id}",
                "uploadHeaders": []}  # fmt: skip
        return {"artifactManifest": {"id": manifest_id, "file": file}}

    def _gql_CreateArtifactManifest(self, var: dict[str, Any]) -> dict[str, Any]:
        return {"createArtifactManifest": self._manifest(var)}

    def _gql_UpdateArtifactManifest(self, var: dict[str, Any]) -> dict[str, Any]:
        return {"updateArtifactManifest": self._manifest(var)}

    def _gql_CreateArtifactFiles(self, var: dict[str, Any]) -> dict[str, Any]:
        edges = []
        for f in (var.get("input") or {}).get("artifactFiles", []):
            path = f"{f.get('artifactID')}/{f.get('name')}"
            node = {"storagePath": path, "uploadUrl": f"{self.origin}/upload/artifact/{path}",
                    "uploadHeaders": [], "uploadMultipartUrls": None,
                    "artifact": {"id": f.get("artifactID")}}  # fmt: skip
            edges.append({"node": node})
        return {"createArtifactFiles": {"files": {"edges": edges}}}

    def _gql_CommitArtifact(self, var: dict[str, Any]) -> dict[str, Any]:
        return {"commitArtifact": {"artifact": {"id": var.get("artifactID"), "digest": _digest(var)}}}

    def _gql_UseArtifact(self, var: dict[str, Any]) -> dict[str, Any]:
        return {"useArtifact": {"artifact": {"id": (var.get("input") or {}).get("artifactID")}}}

    def _gql_XXHashDigestsEnabled(self, var: dict[str, Any]) -> dict[str, Any]:
        return {"entity": {"xxhashDigestsEnabled": False}}

    async def _file_stream(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response({"exitcode": None, "limits": {}})

    async def _traces(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        route = request.path[len("/traces") :]
        body = rec.body if isinstance(rec.body, dict) else {}
        if route == "/server_info":
            return web.json_response(
                {"min_required_weave_python_version": "0.0.1", "trace_server_version": "999.0.0"}
            )
        if route.endswith("/call/start"):  # /call/start and /v2/<entity>/<project>/call/start
            start = body.get("start", {})
            return web.json_response(
                {
                    "id": start.get("id") or uuid.uuid4().hex,
                    "trace_id": start.get("trace_id") or uuid.uuid4().hex,
                }
            )
        if route == "/call/upsert_batch":
            res = []
            for item in body.get("batch", []):
                start = item.get("req", {}).get("start")
                res.append({"id": start["id"], "trace_id": start["trace_id"]} if start else {})
            return web.json_response({"res": res})
        if route == "/obj/create":
            obj = body.get("obj", {})
            return web.json_response({"digest": _digest(obj.get("val")), "object_id": obj.get("object_id")})
        if route == "/table/create":
            rows = body.get("table", {}).get("rows", [])
            return web.json_response({"digest": _digest(rows), "row_digests": [_digest(r) for r in rows]})
        if route == "/file/create":
            return web.json_response({"digest": hashlib.sha256(rec.raw or b"").hexdigest()[:32]})
        if route == "/feedback/create":
            return web.json_response(
                {
                    "id": uuid.uuid4().hex,
                    "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "payload": body.get("payload", {}),
                    "wb_user_id": "dXNlcjox",
                }
            )
        return web.json_response({})

    async def _other(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response({})
