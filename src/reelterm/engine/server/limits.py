"""Guards around the app: a cap on non-upload request bodies, and a last catch for errors."""

from __future__ import annotations

import json
import logging
from typing import Any

from reelterm.engine.server.errors import BAD_REQUEST, ApiError, crash_response

log = logging.getLogger("reelterm.engine")

MAX_JSON_BYTES = 16 * 1024 * 1024
"""The largest non-upload request body."""
DRAIN_BYTES = 32 * 1024 * 1024
"""How much of an oversize body is read and discarded so the client sees the 413, not a reset."""


class BodyTooBig(ApiError):
    """A request body over the cap."""

    def __init__(self) -> None:
        super().__init__(BAD_REQUEST, "The request body is too large.", 413, {"Connection": "close"})


class BodyLimit:
    """ASGI middleware: refuse a declared oversize body at once, and cut off a streamed one."""

    def __init__(self, app: Any, max_bytes: int = MAX_JSON_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
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
            body = json.dumps({"code": BAD_REQUEST, "message": "The request body is too large.",
                               "data": None}).encode()
            await send({"type": "http.response.start", "status": 413,
                        "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooBig()
            return message

        await self.app(scope, limited, send)


async def _drain(receive: Any) -> None:
    """Read and drop the request body, so that closing the connection cannot cut off the answer."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


class CatchAll:
    """ASGI middleware: an unexpected exception becomes a 500 envelope, logged, never re-raised."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: dict) -> None:
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
