"""Errors as the protocol's envelope, with a sentence; never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reelterm.engine.storage import DISK_FULL, StorageError, is_disk_full
from reelterm.protocol import ErrorCode, error_envelope

log = logging.getLogger("reelterm.engine")

BAD_REQUEST = 4000
"""Envelope code for a request the engine cannot use (bad JSON, bad draft, bad URL)."""
NOT_FOUND = 4004
"""Envelope code for an unknown render or upload."""
DISK_FULL_CODE = 5007
"""Envelope code when the engine's disk is full (HTTP 507)."""
STORAGE_FAILED = 5000
"""Envelope code when the data directory cannot be written for another reason (HTTP 500)."""
BUSY = 5003
"""Envelope code when too many URL downloads are running (HTTP 503, `Retry-After`)."""

STATUS_FOR = {
    ErrorCode.TOKEN_INVALID: 401,
    ErrorCode.SESSION_NOT_FOUND: 404,
    ErrorCode.OUT_OF_CREDITS: 403,
    ErrorCode.UNSUPPORTED_FILE: 415,
    ErrorCode.FILE_TOO_LARGE: 413,
    ErrorCode.HTTP_BAD_REQUEST: 400,
    ErrorCode.HTTP_PAYMENT_REQUIRED: 402,
    ErrorCode.HTTP_RATE_LIMITED: 429,
    BAD_REQUEST: 422,
    NOT_FOUND: 404,
    DISK_FULL_CODE: 507,
    STORAGE_FAILED: 500,
    BUSY: 503,
}
"""The HTTP status sent with each envelope code."""


class ApiError(Exception):
    """An error answered as `{"code", "message", "data": null}` with a matching HTTP status."""

    def __init__(self, code: int, message: str | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.headers = headers
        known = ErrorCode.from_value(code)
        self.code = int(code)
        self.message = message or (f"{known.sentence} {known.action}".strip() if known else "Error.")
        self.status = status or STATUS_FOR.get(code, 400)
        super().__init__(self.message)


def error_response(code: int, message: str | None = None, status: int | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The envelope response for an error."""
    err = ApiError(code, message, status)
    headers = {**({"Retry-After": "30"} if err.status == 429 else {}), **(headers or {})}
    return JSONResponse(error_envelope(err.code, err.message), status_code=err.status, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Map every exception to an envelope."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.code, exc.message, exc.status, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            msg = "The request body is not valid JSON."
        else:
            where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "the request"
            msg = f"The request is not valid: {where}: {first.get('msg', 'invalid value')}."
        return error_response(BAD_REQUEST, msg[:300], 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        msg = exc.detail if isinstance(exc.detail, str) else "The request failed."
        if exc.status_code == 404:
            msg = "There is no such route on this engine."
        elif exc.status_code == 405:
            msg = "This route does not accept that method."
        code = BAD_REQUEST if exc.status_code == 400 else exc.status_code  # 400 alone means client id
        if exc.status_code == 400:
            msg = "The request body could not be read."
        resp = error_response(code, msg, exc.status_code)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(StorageError)
    async def _storage(_: Request, exc: StorageError) -> JSONResponse:
        log.warning("storage: %s", exc)
        return error_response(DISK_FULL_CODE if exc.full else STORAGE_FAILED, str(exc))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        return crash_response(exc)


def crash_response(exc: BaseException) -> JSONResponse:
    """The envelope for an unexpected exception: a full disk says so, anything else is logged."""
    if is_disk_full(exc):
        log.warning("disk full: %s", exc)
        return error_response(DISK_FULL_CODE, DISK_FULL)
    log.error("unhandled engine error", exc_info=exc)
    return error_response(500, "The engine hit an internal error; nothing was changed.", 500)
