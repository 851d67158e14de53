"""Turn an HTTP answer into its `data` or the typed error; never let a raw body through."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from reelterm.client._errors import (
    ERRORS_BY_CODE,
    BackendError,
    BadResponse,
    ExportBlocked,
    FileTooLarge,
    OutOfCredits,
    RateLimited,
    ReelError,
    RouteMissing,
    TokenInvalid,
    UnsupportedFile,
)
from reelterm.protocol import ErrorCode, unwrap

MAX_ERROR_BODY = 64 * 1024
"""How much of an error body is read to find out what went wrong."""

_BIND_RE = re.compile(r"https?://[^\s\"'<>]*[?&]bind=[^\s\"'<>]+")


async def read_error_body(response: httpx.Response) -> bytes:
    """The first `MAX_ERROR_BODY` bytes of a streamed answer (enough to tell what went wrong)."""
    body = b""
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= MAX_ERROR_BODY:
                break
    except (httpx.TransportError, httpx.StreamError):
        pass
    return body[:MAX_ERROR_BODY]


def parse_body(content_type: str, body: bytes) -> tuple[bool, Any]:
    """`(True, value)` when the body is JSON, else `(False, None)`."""
    head = body.lstrip()[:1]
    if "json" not in content_type.lower() and head not in (b"{", b"["):
        return False, None
    try:
        return True, json.loads(body)
    except (ValueError, RecursionError):
        return False, None


def looks_like_html(content_type: str, body: bytes) -> bool:
    """True for an HTML page (a proxy's error page, a login wall)."""
    return "html" in content_type.lower() or body.lstrip()[:1] == b"<"


def short_message(payload: Any) -> str:
    """A short message from a JSON error body (`detail`, `message`, `error`), or ''."""
    if not isinstance(payload, dict):
        return ""
    for key in ("detail", "message", "error", "msg"):
        value = payload.get(key)
        if isinstance(value, dict):
            value = value.get("message") or value.get("detail")
        if isinstance(value, list) and value:
            value = value[0].get("msg") if isinstance(value[0], dict) else value[0]
        if value:
            return " ".join(str(value).split())[:300]
    return ""


def find_bind_url(payload: Any) -> str | None:
    """A registration link (`...?bind=<id>`) anywhere in an error body, if the backend sent one."""
    try:
        text = json.dumps(payload, ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    match = _BIND_RE.search(text)
    return match.group(0) if match else None


def error_for_code(code: int, status: int, message: str, payload: Any) -> ReelError:
    """The typed error for an envelope's non-zero `code`."""
    known = ErrorCode.from_value(code)
    if known is not None and known in ERRORS_BY_CODE:
        cls = ERRORS_BY_CODE[known]
        if cls is OutOfCredits:
            return OutOfCredits(code=known, status=status, detail=message, bind_url=find_bind_url(payload))
        sentence, action = _specific(known, message)
        return cls(sentence, action, code=known, status=status, detail=message)
    action = "Change the request and try again." if 400 <= status < 500 else None
    return BackendError(_sentence_from(message, f"The backend reported an error (code {code})."),
                        action, code=code, status=status, detail=message)


_QUOTED_NAME = re.compile(r"""^(['"])(?:\\.|(?!\1).)*\1""")
"""A file name quoted the way Python's `repr` does it (escapes included), at the start of a message."""


def _specific(code: ErrorCode, message: str) -> tuple[str | None, str | None]:
    """For a refused file, the backend's own reason ("… is empty") when it reads as a sentence,
    and its own advice when it gives some after the reason (else None: the code's action)."""
    if code not in (ErrorCode.UNSUPPORTED_FILE, ErrorCode.FILE_TOO_LARGE):
        return None, None
    text = " ".join(str(message or "").split())
    name = _QUOTED_NAME.match(text)
    start = name.end() if name else 0
    split = re.search(r"(?<=[.!?])\s+(?=[^\sa-z])|(?<=[。！？])\s*(?=\S)", text[start:])
    reason = text[start:] if split is None else text[start: start + split.start()].rstrip()
    # judged without the file name (a long name or one with brackets is still a file name), and
    # without the advice after it (a long list of accepted formats is still advice)
    if _sentence_from("X" + reason, "") == "":
        return None, None
    if split is None:
        return text, None
    return text[: start + split.start()].rstrip(), text[start + split.end():] or None


def _sentence_from(message: str, fallback: str = BackendError.default_sentence) -> str:
    """The backend's own message when it reads as a short sentence for people, else `fallback`."""
    text = " ".join(str(message or "").split())
    if (not text or len(text) > 200 or any(c in text for c in "<>{}[]") or "Traceback" in text
            or text[-1] not in ".!?。！？" or text[0].islower()):
        return fallback
    return text


def error_for_status(status: int, content_type: str, body: bytes, payload: Any, is_json: bool) -> ReelError:
    """The typed error for a non-2xx answer whose body carries no protocol code."""
    message = short_message(payload) if is_json else ""
    if status == 401:
        return TokenInvalid(code=ErrorCode.TOKEN_INVALID, status=status, detail=message)
    if status == 402:
        return ExportBlocked(code=ErrorCode.HTTP_PAYMENT_REQUIRED, status=status, detail=message)
    if status == 404:
        return RouteMissing(status=status, detail=message)
    if status == 413:
        return FileTooLarge(*_specific(ErrorCode.FILE_TOO_LARGE, message),
                            code=ErrorCode.FILE_TOO_LARGE, status=status, detail=message)
    if status == 415:
        return UnsupportedFile(*_specific(ErrorCode.UNSUPPORTED_FILE, message),
                               code=ErrorCode.UNSUPPORTED_FILE, status=status, detail=message)
    if status == 429:
        return RateLimited(code=ErrorCode.HTTP_RATE_LIMITED, status=status, detail=message)
    if status == 400:
        return BackendError(code=ErrorCode.HTTP_BAD_REQUEST, status=status, detail=message)
    if not is_json:
        return bad_response(status, content_type, body)
    if status == 422:
        return BackendError(f"The backend did not accept the request (HTTP {status}).",
                            "This is likely a reelterm bug; please report it.", status=status,
                            detail=message)
    if status >= 500:
        return BackendError(f"The backend had a problem (HTTP {status}).", status=status, detail=message)
    return BackendError(f"The backend refused the request (HTTP {status}).", status=status, detail=message)


def bad_response(status: int, content_type: str, body: bytes) -> BadResponse:
    """The error for an answer that is not JSON: a sentence with the status, never the body."""
    if looks_like_html(content_type, body):
        sentence = f"The backend answered with a web page instead of data (HTTP {status})."
    elif not body.strip():
        sentence = f"The backend sent an empty answer (HTTP {status})."
    else:
        sentence = f"The backend sent an answer reelterm cannot read (HTTP {status})."
    action = ("The backend or a proxy in front of it is having trouble; try again in a moment."
              if status >= 500 else "Check the backend address; it may not be a NemoVideo backend.")
    return BadResponse(sentence, action, status=status)


def interpret(status: int, content_type: str, body: bytes) -> Any:
    """The `data` of a successful answer in either envelope, or raise the typed error."""
    is_json, payload = parse_body(content_type, body)
    if is_json and isinstance(payload, dict):
        env = unwrap(payload)
        if not env.ok and (env.code is not None or 200 <= status < 300):
            known = ErrorCode.from_value(env.code)
            if env.code is not None and not (known is None and env.code == status):
                raise error_for_code(env.code, status, env.message, payload)
            if 200 <= status < 300:
                raise BackendError(_sentence_from(env.message), status=status, detail=env.message)
            # An envelope whose code only repeats the HTTP status: judge it by the status.
    if not 200 <= status < 300:
        raise error_for_status(status, content_type, body, payload, is_json)
    if not is_json:
        if not body.strip():
            return None
        raise bad_response(status, content_type, body)
    return unwrap(payload).data if isinstance(payload, dict) else payload
