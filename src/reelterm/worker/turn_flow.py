"""One message turn end to end: stream it, then summarise, recover, translate GUI talk, export."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from reelterm.client import SessionNotFound
from reelterm.protocol import ErrorCode, SessionState
from reelterm.worker.events import ErrorRaised, Notice, StateUpdated, TurnFinished, TurnStarted
from reelterm.worker.exports import SUBTITLE_FORMATS
from reelterm.worker.gui_translate import translate
from reelterm.worker.state_diff import describe_state, fingerprint, summarize_change
from reelterm.worker.turns import TurnResult, stream_turn

if TYPE_CHECKING:
    from reelterm.worker.worker import BackendWorker

SILENT_UNCHANGED = "The agent finished without a reply, and the timeline did not change."


async def run_turn(worker: BackendWorker, text: str) -> TurnResult | None:
    """Send `text` once and handle everything the turn leads to; returns the stream's result."""
    assert worker.client is not None and worker.session_id is not None
    before = await worker.state_before_turn()
    worker.emit(TurnStarted(text))
    worker.mark_state_stale()
    result = await stream_turn(worker.client.run_turn(worker.session_id, text), worker.emit,
                               worker.timings.turn)
    err = result.error
    if isinstance(err, SessionNotFound):
        await worker.replace_session()
        worker.emit(TurnFinished(ok=False, reason="session lost"))
        return result
    if result.broken:
        await recover_broken(worker, before)
        return result
    if err is not None:
        worker.emit(worker.error_event(err))
        worker.emit(TurnFinished(ok=False, reason="timed out" if result.timed_out else "error"))
        return result
    if result.run_error_code == str(int(ErrorCode.OUT_OF_CREDITS)):
        # said as a frame once the turn was running: the same error, link and refresh as a refused turn
        worker.emit(worker.error_event(worker.client.out_of_credits(result.run_error or "")))
        worker.emit(TurnFinished(ok=False, reason="out of credits"))
        await worker.refresh_credits()
        return result
    if result.run_error and not result.text.strip():
        worker.emit(ErrorRaised(f"The agent could not finish: {result.run_error}",
                                "Try again, or put the request differently.", detail={"kind": "RunError"}))
        worker.emit(TurnFinished(ok=False, reason="agent error"))
        return result
    if result.run_error:
        worker.emit(Notice(f"The agent reported a problem: {result.run_error}", warning=True))
    await after_turn(worker, before, result)
    return result


async def after_turn(worker: BackendWorker, before: SessionState | None, result: TurnResult) -> None:
    """Silent-turn summary, state refresh, GUI translation and requested exports."""
    actions = translate(result.text)
    kinds = {a.kind for a in actions}
    silent = not result.text.strip()
    if silent or result.draft_changed or kinds & {"state", "tracks"}:
        after = await worker.fetch_state(quiet=True)
        if after is None:
            if worker.state_route_missing:
                worker.warn_no_state()
            elif silent:
                worker.emit(Notice("The agent finished without a reply, and the timeline could not be "
                                   "fetched to see what changed.", warning=True))
        else:
            summary = summarize_change(before, after, worker.settings.language)
            if silent and summary is None:
                summary = SILENT_UNCHANGED
            reason = "gui" if kinds & {"state", "tracks"} else "turn"
            worker.emit(StateUpdated(after, summary, overview=describe_state(after, worker.settings.language), reason=reason))
    for action in actions:
        if action.kind in ("upload_hint", "edit_hint", "state", "tracks"):
            worker.emit(Notice(action.notice))
    worker.emit(TurnFinished(ok=True))
    if "credits" in kinds:
        await worker.refresh_credits()
    requested = result.export_requested
    if requested is not None or "export" in kinds:
        requested = requested or {}
        fmt = requested.get("format") or requested.get("fmt")
        quality = requested.get("quality")
        subs = fmt in SUBTITLE_FORMATS
        worker.emit(Notice("The agent asked for the subtitles: exporting them now." if subs else
                           "The agent asked for the video: exporting it now."))
        await worker.export(fmt if isinstance(fmt, str) else None,
                            quality if isinstance(quality, str) else None)


async def recover_broken(worker: BackendWorker, before: SessionState | None) -> None:
    """A broken stream: never re-send; watch the state until it changes or stays still long enough."""
    worker.emit(Notice("The connection dropped while the agent was working. reelterm will not send the "
                       "message again; it is watching the timeline instead.", warning=True))
    limit = worker.timings.broken_polls
    previous = fingerprint(before) if before is not None else None
    latest: SessionState | None = None
    unchanged = 0
    for _ in range(limit * 6):
        if worker.state_route_missing:
            break
        await asyncio.sleep(worker.state_poll_s)
        state = await worker.fetch_state(quiet=True)
        if state is not None and previous is None:
            previous = fingerprint(state)
        elif state is not None and fingerprint(state) != previous:
            previous, latest, unchanged = fingerprint(state), state, 0
            continue
        unchanged += 1
        if (latest is not None and unchanged >= 1) or unchanged >= limit:
            break
    if latest is not None:
        summary = summarize_change(before, latest, worker.settings.language) or "The timeline changed."
        worker.emit(StateUpdated(latest, summary, overview=describe_state(latest, worker.settings.language), reason="recovered"))
        worker.emit(Notice("The agent's work arrived although the connection dropped."))
        worker.emit(TurnFinished(ok=True, reason="recovered"))
        return
    if worker.state_route_missing:
        worker.warn_no_state()
    worker.emit(ErrorRaised("The connection dropped while the agent was working, and the timeline did "
                            "not change.", "Nothing was sent twice; send the request again if you still "
                            "want it.", detail={"kind": "StreamBroken"}))
    worker.emit(TurnFinished(ok=False, reason="stream broken"))
