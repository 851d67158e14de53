"""Request checks shared by the routes: client id, bearer token, session ownership."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reelterm.engine.server.errors import ApiError
from reelterm.engine.server.state import EngineState
from reelterm.engine.store import SessionRow, TokenRow
from reelterm.protocol import ErrorCode

_bearer = HTTPBearer(auto_error=False, description="The token from the anonymous-token route.")

ATTRIBUTION = ("x-skill-source", "x-skill-version", "x-skill-platform")
"""Headers an export must carry."""


def engine(request: Request) -> EngineState:
    """The running engine's state."""
    state: EngineState = request.app.state.engine
    return state


def client_id(request: Request) -> str:
    """The `X-Client-Id` header; HTTP 400 when it is missing."""
    value = request.headers.get("x-client-id", "").strip()
    if not value:
        raise ApiError(ErrorCode.HTTP_BAD_REQUEST, "The X-Client-Id header is missing.", 400)
    if len(value) > 128:
        raise ApiError(ErrorCode.HTTP_BAD_REQUEST, "The X-Client-Id header is too long.", 400)
    return value


@dataclass(frozen=True)
class Auth:
    """Who is calling."""

    client_id: str
    token: TokenRow


ClientIdDep = Annotated[str, Depends(client_id)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def auth(request: Request, cid: ClientIdDep, creds: BearerDep) -> Auth:
    """The caller's valid token; envelope 1001 when it is missing, unknown or expired."""
    if creds is None or not creds.credentials:
        raise ApiError(ErrorCode.TOKEN_INVALID, "An access token is required (Authorization: Bearer).")
    row = engine(request).store.check_token(creds.credentials)
    if row is None:
        raise ApiError(ErrorCode.TOKEN_INVALID)
    return Auth(cid, row)


def owned_session(request: Request, sid: str, who: Auth) -> SessionRow:
    """The caller's session `sid`; envelope 1002 when there is none."""
    row = engine(request).store.session(sid, who.token.user_id) if len(sid) <= 128 else None
    if row is None:
        raise ApiError(ErrorCode.SESSION_NOT_FOUND)
    return row


def require_attribution(request: Request) -> None:
    """HTTP 402 when an export lacks the skill attribution headers."""
    if any(not request.headers.get(h, "").strip() for h in ATTRIBUTION):
        raise ApiError(ErrorCode.HTTP_PAYMENT_REQUIRED,
                       "Export needs the X-Skill-Source, X-Skill-Version and X-Skill-Platform headers.",
                       402)


AuthDep = Annotated[Auth, Depends(auth)]
"""A route parameter that requires a valid token."""
