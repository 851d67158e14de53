"""Local-only routes: a user's sessions and a session's chat (the hosted API has neither)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from reelterm.engine.server.deps import AuthDep, engine, owned_session
from reelterm.engine.server.openapi import responses
from reelterm.protocol import APP_NAME, ok_envelope

router = APIRouter()


@router.get(f"/api/sessions/{APP_NAME}/me", tags=["sessions"], responses=responses(400, 401))
def sessions(request: Request, who: AuthDep) -> dict[str, Any]:
    """The caller's sessions, most recently used first (local engine only)."""
    return ok_envelope({"sessions": engine(request).store.sessions_of(who.token.user_id)})


@router.get(f"/api/sessions/{APP_NAME}/me/{{sid:path}}/messages", tags=["sessions"],
            responses=responses(400, 401, 404))
def messages(request: Request, sid: str, who: AuthDep) -> dict[str, Any]:
    """A session's chat: the user's messages and the agent's replies, oldest first (local engine only)."""
    session = owned_session(request, sid, who)
    return ok_envelope({"session_id": session.id, "messages": engine(request).store.transcript(session.id)})
