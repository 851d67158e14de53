"""A scripted NemoVideo backend: Starlette served by uvicorn on 127.0.0.1, for real-socket tests.

Usage (see `nemo_server` in `tests/client/conftest.py`, `scripted` in `tests/worker/conftest.py`)::

    server.on("POST", "/run_sse", sse_reply(ADK_FRAMES))
    server.on("GET", "/api/credits/balance/simple", json_reply(error_envelope(1001, "x")), json_reply(ok))
    ...
    server.count("POST", "/run_sse")   # requests received, counted server-side

Each route has a queue of replies: one is used per request and the last one repeats. Routes not
scripted get a sensible default answer. Every request is recorded (method, path, headers, body
size) in `server.requests`.
"""

from __future__ import annotations

import asyncio
import fnmatch
import itertools
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from reelterm.protocol import StateChanged, TextDelta, TextFinal, ToolCalled, ToolReturned

SECRET = "nmv_usr_explicitSECRET123"
"""The explicit token the `client` fixture uses; it must never show up anywhere but a header."""

Reply = Callable[[Request, "ScriptedServer"], Awaitable[Response]]
"""A scripted answer: gets the request and the server, returns a response."""

ADK_FRAMES = [
    '{"content":{"parts":[{"functionCall":{"id":"adk-1","args":{"prompt":"cat surfing","duration_s":5},"name":"generate_video"}}],"role":"model"},"finishReason":"STOP","invocationId":"e-2d19","author":"nemo_agent","actions":{"stateDelta":{}},"id":"9b63","timestamp":1795291341.667}',
    '{"content":{"parts":[{"functionResponse":{"id":"adk-1","name":"generate_video","response":{"status":"ok","media_id":"m_42"}}}],"role":"user"},"invocationId":"e-2d19","author":"nemo_agent","actions":{"stateDelta":{"draft_version":2}},"id":"f3ee","timestamp":1795291341.673}',
    '{"content":{"parts":[{"text":"Done! "}],"role":"model"},"partial":true,"invocationId":"e-2d19","author":"nemo_agent","id":"2ddc","timestamp":1795291341.675}',
    '{"content":{"parts":[{"text":"Your clip is on the timeline."}],"role":"model"},"partial":true,"invocationId":"e-2d19","author":"nemo_agent","id":"2ddc","timestamp":1795291341.701}',
    '{"content":{"parts":[{"text":"Done! Your clip is on the timeline."}],"role":"model"},"turnComplete":true,"invocationId":"e-2d19","author":"nemo_agent","id":"2ddc","timestamp":1795291341.831}',
]


ADK_TURN_ITEMS = [
    ToolCalled("adk-1", "generate_video", {"prompt": "cat surfing", "duration_s": 5}),
    ToolReturned("adk-1", "generate_video", {"status": "ok", "media_id": "m_42"}),
    StateChanged({"draft_version": 2}),
    TextDelta("Done! "),
    TextDelta("Your clip is on the timeline."),
    TextFinal("Done! Your clip is on the timeline."),
]
"""What a client makes of `ADK_FRAMES`: the tool pair, the state change, two deltas, the final text."""
"""The raw ADK frames of protocol.md, verbatim: a tool call, its result, two deltas, the final text."""

ADK_STREAM = "".join(f"data: {frame}\n\n" for frame in ADK_FRAMES)
"""Those frames as the bytes of an SSE stream."""

HEARTBEATS = ": ping\n\n" + "data:\n\n" + "event: heartbeat\ndata: {}\n\n" + 'data: {"type":"heartbeat"}\n\n'
"""The four heartbeat forms: an SSE comment, an empty `data:`, `event: heartbeat`, a heartbeat object."""

BAD_ERROR_FRAME = "data: {\"error\": \"Traceback: 'NoneType' object has no attribute \"x\"\", \"error_details\": {}}\n\n"
"""The exception frame an older ADK server builds by string formatting: not valid JSON."""

HTML_502 = (b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
            b"</h1></center><hr><center>nginx</center></body></html>")
"""A reverse proxy's error page."""


def ok(data: Any) -> dict[str, Any]:
    """A code-0 envelope."""
    return {"code": 0, "message": "success", "data": data}


def err(code: int, message: str = "error") -> dict[str, Any]:
    """A non-zero code envelope."""
    return {"code": code, "message": message, "data": None}


def json_reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """Answer with JSON."""
    async def reply(request: Request, server: ScriptedServer) -> Response:
        return JSONResponse(body, status_code=status, headers=headers)
    return reply


def raw_reply(body: bytes, status: int = 200, content_type: str = "text/html") -> Reply:
    """Answer with raw bytes and a content type (an HTML page, garbage)."""
    async def reply(request: Request, server: ScriptedServer) -> Response:
        return Response(body, status_code=status, media_type=content_type)
    return reply


def sse_reply(chunks: str | Iterable[str], *, delay: float = 0.0, abort: bool = False,
              hold: float = 0.0, repeat_last_every: float | None = None) -> Reply:
    """Stream raw SSE text; `abort` kills the connection mid-stream instead of ending it cleanly.

    `hold` keeps the stream open (silent) before closing; `repeat_last_every` re-sends the last
    chunk at that interval forever (a heartbeat-only stream).
    """
    parts = [chunks] if isinstance(chunks, str) else list(chunks)

    async def reply(request: Request, server: ScriptedServer) -> Response:
        async def gen():
            for part in parts:
                yield part.encode()
                if delay:
                    await asyncio.sleep(delay)
            if abort:
                raise ConnectionAbortedError("scripted abrupt close")
            if repeat_last_every is not None:
                while True:
                    await asyncio.sleep(repeat_last_every)
                    yield parts[-1].encode()
            if hold:
                await asyncio.sleep(hold)
        return StreamingResponse(gen(), media_type="text/event-stream")
    return reply


def count_bytes_reply() -> Reply:
    """Read the body as a stream and answer with how many bytes arrived (`received`)."""
    async def reply(request: Request, server: ScriptedServer) -> Response:
        n = 0
        async for chunk in request.stream():
            n += len(chunk)
        server.last_body_size = n
        return JSONResponse(ok({"files": [], "received": n, "session_state_applied": True}))
    return reply


def file_reply(size: int, *, abort_at: int | None = None, chunk: int = 64 * 1024) -> Reply:
    """Serve `size` bytes with a Content-Length; `abort_at` drops the connection after that many."""
    async def reply(request: Request, server: ScriptedServer) -> Response:
        async def gen():
            sent = 0
            while sent < size:
                if abort_at is not None and sent >= abort_at:
                    raise ConnectionAbortedError("scripted abrupt close")
                n = min(chunk, size - sent)
                yield b"\x07" * n
                sent += n
                await asyncio.sleep(0)
        return StreamingResponse(gen(), media_type="video/mp4", headers={"Content-Length": str(size)})
    return reply


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


_anon = itertools.count(1)


async def _anonymous(request: Request, server: ScriptedServer) -> Response:
    n = next(_anon)
    return JSONResponse(ok({"token": f"nmv_usr_anon{n:04d}secret", "user_id": f"anon_{n}",
                            "expires_at": "2099-01-01T00:00:00Z", "credits": 100}))


async def _upload(request: Request, server: ScriptedServer) -> Response:
    if request.headers.get("content-type", "").startswith("multipart/"):
        files = []
        async with request.form() as form:
            for item in form.getlist("files"):
                data = await item.read()
                files.append({"filename": item.filename, "file_type": item.content_type,
                              "cdn_url": f"https://cdn.example/{item.filename}", "hash": str(len(data))})
        return JSONResponse(ok({"files": files, "session_state_applied": True}))
    body = await request.json()
    files = [{"filename": u.rsplit("/", 1)[-1], "cdn_url": u} for u in body.get("urls", [])]
    return JSONResponse(ok({"files": files, "session_state_applied": True, "source_type": body.get("source_type")}))


DEFAULTS: list[tuple[str, str, Reply]] = [
    ("POST", "/api/auth/anonymous-token", _anonymous),
    ("POST", "/api/tasks/me/with-session/nemo_agent",
     json_reply(ok({"task_id": "task_1", "session_id": "sess_1", "user_id": "anon_1"}))),
    ("POST", "/run_sse", sse_reply(ADK_STREAM)),
    ("POST", "/api/upload-video/nemo_agent/me/*", _upload),
    ("GET", "/api/credits/balance/simple", json_reply(ok({"available": 90, "frozen": 10, "total": 100}))),
    ("GET", "/api/state/nemo_agent/me/*/latest",
     json_reply(ok({"state": {"draft": {"t": [{"tt": 0, "sg": [{"d": 10000}]}]}, "video_infos": []}}))),
    ("POST", "/api/render/proxy/lambda", json_reply({"success": True, "data": {"id": "render_x", "status": "pending", "progress": 5}})),
    ("GET", "/api/render/proxy/lambda/*", json_reply({"success": True, "data": {"id": "render_x", "status": "completed", "progress": 100, "output": {"url": "/files/out.mp4"}}})),
    ("POST", "/api/render/proxy/lambda/*/cancel", json_reply({"success": True, "data": None})),
]


@dataclass
class ScriptedServer:
    """The server's script and what it saw; one instance is shared, reset per test."""

    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    last_body_size: int = 0
    _routes: list[tuple[str, str, list[Reply]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget every script and request."""
        with self._lock:
            self.requests.clear()
            self._routes.clear()
            self.last_body_size = 0

    def on(self, method: str, pattern: str, *replies: Reply) -> None:
        """Script `method pattern` (fnmatch `*` allowed): one reply per request, the last repeats."""
        with self._lock:
            self._routes.insert(0, (method.upper(), pattern, list(replies)))

    def count(self, method: str, pattern: str) -> int:
        """How many requests matched `method pattern`."""
        with self._lock:
            return sum(1 for r in self.requests if r.method == method.upper() and fnmatch.fnmatchcase(r.path, pattern))

    def seen(self, method: str, pattern: str) -> list[Recorded]:
        """The recorded requests matching `method pattern`."""
        with self._lock:
            return [r for r in self.requests if r.method == method.upper() and fnmatch.fnmatchcase(r.path, pattern)]

    def _pick(self, method: str, path: str) -> Reply | None:
        with self._lock:
            for m, pattern, replies in self._routes:
                if m == method and fnmatch.fnmatchcase(path, pattern) and replies:
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        for m, pattern, reply in DEFAULTS:
            if m == method and fnmatch.fnmatchcase(path, pattern):
                return reply
        return None

    async def _handle(self, request: Request) -> Response:
        method, path = request.method, request.url.path
        reply = self._pick(method, path)
        record = Recorded(method, path, {k.lower(): v for k, v in request.headers.items()})
        if "json" in request.headers.get("content-type", ""):
            record.body = await request.body()
        with self._lock:
            self.requests.append(record)
        if reply is None:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return await reply(request, self)

    def app(self) -> Starlette:
        """The Starlette app answering every path."""
        methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
        return Starlette(routes=[Route("/{path:path}", self._handle, methods=methods)])


class ServerThread:
    """uvicorn serving a `ScriptedServer` on 127.0.0.1 with an OS-chosen port, in a daemon thread."""

    def __init__(self, script: ScriptedServer) -> None:
        self.script = script
        config = uvicorn.Config(script.app(), host="127.0.0.1", port=0, log_level="critical",
                                lifespan="off", loop="asyncio", http="h11",
                                timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="scripted-nemo", daemon=True)

    def start(self) -> str:
        """Start serving and return the base URL."""
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("scripted server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.script.base_url = f"http://127.0.0.1:{port}"
        return self.script.base_url

    def stop(self) -> None:
        """Stop serving."""
        self.server.should_exit = True
        self.thread.join(timeout=5)


def start_scripted_server() -> tuple[ScriptedServer, ServerThread]:
    """A running scripted server and its thread (call `thread.stop()` when done)."""
    script = ScriptedServer()
    thread = ServerThread(script)
    thread.start()
    return script, thread


def body_of(record: Recorded) -> dict[str, Any]:
    """A recorded request's JSON body (only kept for small bodies)."""
    return json.loads(record.body or b"{}")
