"""The two response envelopes the protocol uses, and how to read either."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class CodeEnvelope(BaseModel):
    """`{"code": 0, "message": "...", "data": {...}}`: code 0 is success."""

    model_config = ConfigDict(extra="allow")
    code: int
    message: str = ""
    data: Any = None


class SuccessEnvelope(BaseModel):
    """`{"success": true, "data": {...}}` or `{"success": false, "error": "..."}` (the render proxy)."""

    model_config = ConfigDict(extra="allow")
    success: bool
    data: Any = None
    error: Any = None


class Unwrapped(BaseModel):
    """What an envelope says: success with data, or an error code and message."""

    ok: bool
    data: Any = None
    code: int | None = None
    message: str = ""


def ok_envelope(data: Any, message: str = "success") -> dict[str, Any]:
    """A `code` 0 envelope around `data`."""
    return {"code": 0, "message": message, "data": data}


def error_envelope(code: int, message: str) -> dict[str, Any]:
    """A `code` envelope for an error."""
    return {"code": code, "message": message, "data": None}


def unwrap(body: Any) -> Unwrapped:
    """Read either envelope; a body that is neither is taken as bare data."""
    if isinstance(body, dict):
        if "code" in body and isinstance(body.get("code"), int) and not isinstance(body["code"], bool):
            env = CodeEnvelope.model_validate(body)
            if env.code == 0:
                return Unwrapped(ok=True, data=env.data, code=0, message=env.message)
            return Unwrapped(ok=False, data=env.data, code=env.code, message=env.message)
        if isinstance(body.get("success"), bool):
            env2 = SuccessEnvelope.model_validate(body)
            if env2.success:
                return Unwrapped(ok=True, data=env2.data)
            err = env2.error
            code = None
            if isinstance(err, dict):
                code = err.get("code") if isinstance(err.get("code"), int) else None
                err = err.get("message") or err.get("error") or ""
            return Unwrapped(ok=False, code=code, message=str(err or ""))
    return Unwrapped(ok=True, data=body)
