"""`POST /run_sse`: the agent's steps as ADK events, `data: <json>` frames, heartbeats while it works."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from reelterm.engine.agent.base import OutOfCredits, Reply, ToolStep, TurnContext
from reelterm.engine.server.deps import AuthDep, engine, owned_session
from reelterm.engine.server.errors import BAD_REQUEST, ApiError
from reelterm.engine.server.openapi import SSE, responses
from reelterm.engine.server.state import EngineState
from reelterm.engine.storage import is_disk_full
from reelterm.engine.store import SessionRow, new_id
from reelterm.protocol import (
    APP_NAME,
    AdkEvent,
    Content,
    ErrorCode,
    FunctionCall,
    FunctionResponse,
    Part,
    RunSseRequest,
)
from reelterm.protocol.adk import Actions

log = logging.getLogger("reelterm.engine")
router = APIRouter()
MAX_MESSAGE_CHARS = 20_000
_DONE = object()


def words(text: str, per: int = 4) -> list[str]:
    """Split text into deltas of a few words each, keeping every character."""
    tokens = re.findall(r"\S+\s*|\s+", text)
    return ["".join(tokens[i:i + per]) for i in range(0, len(tokens), per)] or [text]


def frame(event: AdkEvent | dict[str, Any]) -> str:
    """One SSE `data:` frame."""
    data = event.wire() if isinstance(event, AdkEvent) else event
    return f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


@router.post("/run_sse", tags=["agent"], response_class=StreamingResponse,
             responses=responses(400, 401, 403, 404, 413, 422, 507, ok=SSE))
async def run_sse(request: Request, body: RunSseRequest, who: AuthDep) -> StreamingResponse:
    """Run one user message through the agent and stream ADK events; the stream closing ends the turn."""
    eng = engine(request)
    session = owned_session(request, body.session_id, who)
    text = "".join(p.text for p in body.new_message.parts if p.text).strip()
    if not text:
        raise ApiError(BAD_REQUEST, "The message has no text.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ApiError(BAD_REQUEST, f"The message is longer than {MAX_MESSAGE_CHARS} characters.")
    tok = eng.store.token_row(who.token.hash)
    if tok is not None and tok.budget is not None and (tok.available or 0) <= 0:
        raise ApiError(ErrorCode.OUT_OF_CREDITS)
    history = eng.store.messages(session.id)
    eng.store.add_message(session.id, text)
    ctx = make_context(eng, session, history, who.token.hash)
    return StreamingResponse(_stream(eng, ctx, text), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def make_context(eng: EngineState, session: SessionRow, history: list[str], token_hash: str) -> TurnContext:
    """The agent's view of a session, backed by the store."""
    store, sid = eng.store, session.id
    _, draft = store.draft(sid)
    tok = store.token_row(token_hash)

    def new_asset(kind: str, suffix: str) -> tuple[str, Path]:
        clean = re.sub(r"[^A-Za-z0-9]", "", suffix)[:8] or "bin"
        path = eng.dirs["assets"] / f"{new_id('f_')}.{clean}"
        asset_id = store.add_asset(sid, re.sub(r"[^a-z_]", "", kind.lower())[:20] or "media", path)
        return f"asset:{asset_id}", path

    return TurnContext(
        session_id=sid, language=session.language, draft=draft, uploads=store.upload_infos(sid),
        history=history, credits_left=tok.available if tok else None,
        commit=lambda d, summary: store.commit_draft(sid, d, summary),
        undo=lambda: store.undo(sid), redo=lambda: store.redo(sid),
        charge=lambda amount: store.charge(token_hash, amount), new_asset=new_asset)


async def _stream(eng: EngineState, ctx: TurnContext, text: str) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def put(item: Any) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:
            pass  # the server's loop is gone; the agent's commits are already stored

    def work() -> None:
        try:
            for step in eng.agent.respond(ctx, text):
                if isinstance(step, Reply) and step.text.strip():
                    _keep_reply(eng, ctx.session_id, step.text)
                put(step)
        except OutOfCredits as exc:
            put(("error", ErrorCode.OUT_OF_CREDITS.sentence, {"code": 2001, "detail": str(exc)[:200]}))
        except Exception as exc:  # noqa: BLE001 - an agent bug ends this turn, not the engine
            if is_disk_full(exc):
                log.warning("disk full during a turn: %s", exc)
                put(("error", "The engine's disk is full, so this change was not saved. Free some space, "
                     "then send it again.", {"type": "disk_full"}))
            else:
                log.exception("agent failed")
                put(("error", "The agent failed while working on your request.",
                     {"type": type(exc).__name__}))
        finally:
            put(_DONE)

    threading.Thread(target=work, name="agent-turn", daemon=True).start()
    inv = f"e-{secrets.token_hex(4)}"
    held: AdkEvent | None = None
    while True:
        try:
            item = await asyncio.wait_for(queue.get(), timeout=eng.config.heartbeat_s)
        except TimeoutError:
            yield ": ping\n\n"
            continue
        if item is _DONE:
            break
        if held is not None:
            yield frame(held)
            held = None
        if isinstance(item, ToolStep):
            for event in _tool_events(eng, ctx, inv, item):
                yield frame(event)
        elif isinstance(item, Reply):
            partials, held = _reply_events(inv, item.text)
            for event in partials:
                yield frame(event)
        elif isinstance(item, tuple) and item and item[0] == "error":
            yield frame({"error": item[1], "error_details": item[2]})
            return
    if held is None:
        held = _reply_events(inv, "")[1]
    held.turn_complete = True
    yield frame(held)


def _keep_reply(eng: EngineState, sid: str, text: str) -> None:
    """Keep the agent's reply beside the user's messages, so the chat comes back (a failure only logs)."""
    try:
        eng.store.add_message(sid, text, role="agent")
    except Exception:  # noqa: BLE001 - the reply still streams
        log.warning("could not keep the reply of session %s", sid, exc_info=True)


def _base(inv: str, event_id: str | None = None) -> dict[str, Any]:
    return {"invocation_id": inv, "author": APP_NAME, "id": event_id or secrets.token_hex(4),
            "timestamp": round(time.time(), 3)}


def _tool_events(eng: EngineState, ctx: TurnContext, inv: str, step: ToolStep) -> list[AdkEvent]:
    call_id = f"adk-{secrets.token_hex(4)}"
    call = AdkEvent(content=Content(role="model", parts=[Part(function_call=FunctionCall(
        id=call_id, name=step.name, args=_jsonable(dict(step.args))))]), finish_reason="STOP",
        actions=Actions(state_delta={}), **_base(inv))
    version, _ = eng.store.draft(ctx.session_id)
    delta = {**_jsonable(dict(step.state_delta)), "draft_version": step.state_delta.get("draft_version", version)}
    resp = AdkEvent(content=Content(role="user", parts=[Part(function_response=FunctionResponse(
        id=call_id, name=step.name, response=_jsonable(step.response)))]),
        actions=Actions(state_delta=delta), **_base(inv))
    return [call, resp]


def _reply_events(inv: str, text: str) -> tuple[list[AdkEvent], AdkEvent]:
    event_id = secrets.token_hex(4)
    partials = [AdkEvent(content=Content(role="model", parts=[Part(text=chunk)]), partial=True,
                         **_base(inv, event_id)) for chunk in (words(text) if text else [])]
    final = AdkEvent(content=Content(role="model", parts=[Part(text=text)]), **_base(inv, event_id))
    return partials, final


def _jsonable(value: Any) -> Any:
    """`value` as plain JSON data (unknown objects become strings)."""
    return json.loads(json.dumps(value, default=str))
