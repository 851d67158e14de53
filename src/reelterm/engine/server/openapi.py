"""What each route can really answer, for the OpenAPI document: statuses, envelopes, content types."""

from __future__ import annotations

from typing import Any

_ENVELOPE = {"application/json": {"schema": {
    "type": "object", "required": ["code", "message", "data"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}, "data": {}}}}}
"""Every answer of the engine (success and error) is `{"code", "message", "data"}`."""

_WHY = {
    400: "X-Client-Id missing or too long (code 400), or an unreadable body (4000)",
    401: "no bearer token, or an unknown or expired one (1001)",
    402: "export without the X-Skill-Source/-Version/-Platform headers",
    403: "the token's budget is spent (2001), or a link to a private address (4000)",
    404: "unknown session (1002), render or upload (4004)",
    405: "the route does not take this method",
    413: "a body over 16 MB (4000) or a file over the upload limit (4002)",
    415: "an upload that is not accepted media or text (4001)",
    416: "a Range outside the file",
    422: "a request that does not match its schema, a value outside its limits, or a link that could "
         "not be downloaded (4000)",
    429: "a second anonymous token for one client id inside the window (Retry-After: 30)",
    500: "an internal error, or a data directory that cannot be written (5000)",
    503: "too many URL downloads running at once (5003, Retry-After)",
    507: "the disk is full (5007)",
}


def responses(*statuses: int, ok: dict[str, Any] | None = None, partial: bool = False) -> dict[int | str, Any]:
    """The `responses=` of a route: 200 (`ok` content, the envelope by default), 206 when it serves
    ranges, and every error status listed (plus 500, which any route can answer), each an envelope."""
    out: dict[int | str, Any] = {200: {"description": "Success.", "content": ok or _ENVELOPE}}
    if partial:
        out[206] = {"description": "Part of the file (HTTP Range).", "content": ok or _ENVELOPE}
    for status in sorted({*statuses, 500}):
        content = {} if status == 416 else _ENVELOPE
        out[status] = {"description": _WHY[status][0].upper() + _WHY[status][1:] + ".", "content": content}
    return out


SSE = {"text/event-stream": {"schema": {"type": "string", "description": (
    "`data: <ADK event JSON>` frames and `: ping` comments; the stream closing ends the turn.")}}}
"""The `/run_sse` stream."""

FILE_TYPES = ("video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/x-msvideo", "image/gif",
              "image/jpeg", "image/png", "image/webp", "audio/mpeg", "audio/wav", "audio/mp4", "audio/aac",
              "application/octet-stream")
"""What a render download can be."""


def binary(*types: str) -> dict[str, Any]:
    """File bodies of the given media types."""
    return {t: {"schema": {"type": "string", "format": "binary"}} for t in types}


UPLOAD_TYPES = ("application/octet-stream",)
"""An uploaded file is served as it was stored (its type guessed from the stored name)."""
