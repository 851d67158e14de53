"""Guards around the app: a cap on non-upload request bodies, and a last catch for errors."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelterm.engine.server.errors import BAD_REQUEST, ApiError, crash_response

log = logging.getLogger("reelterm.engine")

MAX_JSON_BYTES = 16 * 1024 * 1024
"""The largest non-upload request body."""
DRAIN_BYTES = 32 * 1024 * 1024
"""How much of an oversize body is read and discarded so the client sees the 413, not a reset."""
UPLOAD_DRAIN_S = 30.0
"""How long the unread rest of an upload refused early is read and dropped before the answer goes
out (a client that sends the whole body before reading, as httpx does, then sees the answer)."""
UPLOAD_DRAIN_BYTES = 64 * 1024 * 1024 * 1024
"""The most bytes of a refused upload that are read and dropped."""


class BodyTooBig(ApiError):
    """A request body over the cap."""

    def __init__(self) -> None:
        super().__init__(BAD_REQUEST, f"The request body is too large: the limit is {MAX_JSON_BYTES // (1024 * 1024)} MB.",
                         413, {"Connection": "close"})


class BodyLimit:
    """ASGI middleware: refuse a declared oversize body at once, and cut off a streamed one."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_JSON_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
            await self.app(scope, receive, send)
            return
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            if int(length) <= DRAIN_BYTES:
                await _drain(receive)
            await _too_large(send)
            return
        if not length.isdigit():  # chunked: read it here (at most the cap), then hand it on
            await self._buffered(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooBig()
            return message

        await self.app(scope, limited, send)

    async def _buffered(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A body without a length: read up to the cap, answer 413 past it, else replay it to the app."""
        parts, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            parts.append(message.get("body", b""))
            seen += len(parts[-1])
            if seen > self.max_bytes:
                if message.get("more_body"):
                    await _drain(receive, DRAIN_BYTES)
                await _too_large(send)
                return
            if not message.get("more_body"):
                break
        replay = [{"type": "http.request", "body": b"".join(parts), "more_body": False}]

        async def replayed() -> Message:
            return replay.pop() if replay else await receive()

        await self.app(scope, replayed, send)


async def _too_large(send: Send) -> None:
    message = f"The request body is too large: the limit is {MAX_JSON_BYTES // (1024 * 1024)} MB."
    body = json.dumps({"code": BAD_REQUEST, "message": message, "data": None}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class DrainUnread:
    """ASGI middleware for uploads: an answer given before the body was read whole (a file over the
    cap, an unknown session) first reads and drops the rest, bounded, so the client can read it
    instead of meeting a reset connection."""

    def __init__(self, app: ASGIApp, seconds: float = UPLOAD_DRAIN_S, max_bytes: int = UPLOAD_DRAIN_BYTES) -> None:
        self.app, self.seconds, self.max_bytes = app, seconds, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if not headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
            await self.app(scope, receive, send)
            return
        ended = [False]

        async def tracking() -> Message:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                ended[0] = True
            return message

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start" and not ended[0]:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.seconds):
                        await _drain(tracking, self.max_bytes)
            await send(message)

        await self.app(scope, tracking, answer)


async def _drain(receive: Receive, max_bytes: int = DRAIN_BYTES) -> None:
    """Read and drop the request body (at most `max_bytes`), so that closing the connection cannot
    cut off the answer."""
    seen = 0
    while seen <= max_bytes:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return
        seen += len(message.get("body", b""))


class CatchAll:
    """ASGI middleware: an unexpected exception becomes a 500 envelope, logged, never re-raised."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the engine must keep serving
            if started:
                log.exception("unhandled engine error after the answer started")
                return
            resp = crash_response(exc)
            await send({"type": "http.response.start", "status": resp.status_code,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(resp.body)).encode())]})
            await send({"type": "http.response.body", "body": bytes(resp.body)})
