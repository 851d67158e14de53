"""Anonymous tokens, sessions, credits, health."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, Field

from reelterm.engine.config import TOKEN_LIFETIME_S
from reelterm.engine.server.deps import AuthDep, ClientIdDep, engine
from reelterm.engine.server.errors import ApiError
from reelterm.engine.server.openapi import responses
from reelterm.engine.store import RateLimited
from reelterm.protocol import APP_NAME, ErrorCode, ok_envelope

router = APIRouter()


class SessionBody(BaseModel):
    """Body of the session route."""

    task_name: str = Field("project", max_length=200)
    language: str = Field("en", min_length=1, max_length=16, pattern=r"^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*$")


@router.get("/api/health", tags=["meta"], responses=responses())
def health() -> dict[str, Any]:
    """Liveness: no auth."""
    return ok_envelope({"status": "ok", "engine": "reelterm"})


@router.post("/api/auth/anonymous-token", tags=["auth"], responses=responses(400, 413, 429, 507))
def anonymous_token(request: Request, cid: ClientIdDep) -> dict[str, Any]:
    """A 7-day anonymous token; a second one for the same client id inside the window is HTTP 429."""
    eng = engine(request)
    try:
        token, row = eng.store.issue_token(cid, lifetime_s=TOKEN_LIFETIME_S,
                                           window_s=eng.config.token_window_s, budget=eng.config.credits)
    except RateLimited:
        raise ApiError(ErrorCode.HTTP_RATE_LIMITED,
                       "This client already has a token; only one is given per client in a week. "
                       "Wait 30 seconds and try again.", 429) from None
    expires = dt.datetime.fromtimestamp(row.expires_at, dt.UTC).isoformat().replace("+00:00", "Z")
    credits = None if row.budget is None else row.budget
    return ok_envelope({"token": token, "user_id": row.user_id, "expires_at": expires, "credits": credits})


@router.post(f"/api/tasks/me/with-session/{APP_NAME}", tags=["sessions"],
             responses=responses(400, 401, 413, 422, 507))
def create_session(request: Request, who: AuthDep,
                   body: Annotated[SessionBody | None, Body()] = None) -> dict[str, Any]:
    """A new session with an empty timeline."""
    body = body or SessionBody()
    row = engine(request).store.create_session(who.token, body.task_name, body.language)
    return ok_envelope({"task_id": row.task_id, "session_id": row.id, "user_id": row.user_id,
                        "language": row.language})


@router.get("/api/credits/balance/simple", tags=["credits"], responses=responses(400, 401))
def credits(request: Request, who: AuthDep) -> dict[str, Any]:
    """`available: null` means unlimited."""
    tok = who.token
    if tok.budget is None:
        return ok_envelope({"available": None, "frozen": 0, "total": None, "unlimited": True})
    return ok_envelope({"available": tok.available, "frozen": 0, "total": tok.budget, "unlimited": False})
