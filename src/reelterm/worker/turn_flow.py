"""One message turn end to end: stream it, then summarise, recover, translate GUI talk, export."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from reelterm.client import NemoClient, SessionNotFound
from reelterm.protocol import ErrorCode, SessionState
from reelterm.worker.errors import error_event, localize, not_connected
from reelterm.worker.events import (
    Emit,
    ErrorRaised,
    Notice,
    StateUpdated,
    TurnFinished,
    TurnStarted,
)
from reelterm.worker.exports import SUBTITLE_FORMATS, Exporter
from reelterm.worker.gui_translate import translate
from reelterm.worker.lang import ChatLanguage, say, turn_language
from reelterm.worker.lang import mostly_chinese as _mostly_chinese  # noqa: F401 - kept for tests/agent
from reelterm.worker.options import WorkerTimings
from reelterm.worker.queries import Queries
from reelterm.worker.sessions import Sessions
from reelterm.worker.state_cache import StateCache
from reelterm.worker.state_diff import describe_state, fingerprint, summarize_change
from reelterm.worker.turns import TurnResult, stream_turn

SILENT_UNCHANGED = "The agent finished without a reply, and the timeline did not change."


class TurnRunner:
    """Runs message turns one at a time (never re-sent) and everything a turn leads to: the
    state refresh and summary, recovery from a broken stream, GUI talk, credits, exports."""

    def __init__(self, client: NemoClient, sessions: Sessions, cache: StateCache, emit: Emit, *,
                 queries: Queries, exporter: Exporter, timings: WorkerTimings, state_poll_s: float,
                 language: str, chat: ChatLanguage | None = None) -> None:
        self._client = client
        self._sessions = sessions
        self._cache = cache
        self._emit: Emit = lambda event: emit(localize(event, self._chat.current))
        self._queries = queries
        self._exporter = exporter
        self._timings = timings
        self._state_poll_s = state_poll_s
        self._language = language
        self._chat = chat or ChatLanguage(language)
        """The chat's language, set at every turn (the worker's emit puts its lines in it)."""
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[Any] | None = None
        self._cancelling = False
        self._closed = False

    @property
    def busy(self) -> bool:
        """True while a turn runs."""
        return self._task is not None and not self._task.done()

    async def chat(self, text: str) -> None:
        """Send `text` to the agent once a running turn is over; `TurnFinished` ends every turn."""
        text = text.encode("utf-8", "replace").decode("utf-8")  # undecodable input bytes become '?'
        async with self._lock:
            if self._closed:
                self._emit(not_connected())
                return
            self._cancelling = False
            self._task = asyncio.create_task(self.run(text))
            try:
                await self._task
            except asyncio.CancelledError:
                if not self._cancelling:
                    raise
                self._emit(TurnFinished(ok=False, reason="cancelled"))
            finally:
                self._task = None
                self._cancelling = False

    def cancel(self) -> bool:
        """Stop the running turn (an explicit user action); False when none runs."""
        task = self._task
        if task is None or task.done():
            return False
        self._cancelling = True
        task.cancel()
        return True

    async def stop(self) -> None:
        """Cancel the running turn and refuse new ones (the worker is stopping)."""
        self._closed = True
        task = self._task
        if task is not None and not task.done():
            self._cancelling = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def run(self, text: str) -> TurnResult | None:
        """Send `text` once and handle everything the turn leads to; returns the stream's result."""
        sid = self._sessions.current
        if sid is None:
            self._emit(not_connected())
            return None
        self._chat.current = lang = turn_language(text, default=self._language)
        before = await self._cache.before_turn()
        self._emit(TurnStarted(text))
        self._cache.mark_stale()
        result = await stream_turn(self._client.run_turn(sid, text), self._emit, self._timings.turn, lang=lang)
        self._chat.current = lang = turn_language(text, result.text, self._language)
        err = result.error
        if isinstance(err, SessionNotFound):
            await self._sessions.replace()
            self._emit(TurnFinished(ok=False, reason="session lost"))
            return result
        if result.broken:
            await self._recover_broken(before, lang)
            return result
        if err is not None:
            self._emit(error_event(err))
            self._emit(TurnFinished(ok=False, reason="timed out" if result.timed_out else "error"))
            return result
        if result.run_error_code == str(int(ErrorCode.OUT_OF_CREDITS)):
            # said as a frame once the turn was running: the same error, link and refresh as a refused turn
            self._emit(error_event(self._client.out_of_credits(result.run_error or "")))
            self._emit(TurnFinished(ok=False, reason="out of credits"))
            await self._queries.refresh_credits()
            return result
        if result.run_error and not result.text.strip():
            self._emit(ErrorRaised(f"The agent could not finish: {result.run_error}",
                                   "Try again, or put the request differently.", detail={"kind": "RunError"}))
            self._emit(TurnFinished(ok=False, reason="agent error"))
            return result
        if result.run_error:
            self._emit(Notice(f"The agent reported a problem: {result.run_error}", warning=True))
        await self._after_turn(before, result, lang)
        return result

    async def _after_turn(self, before: SessionState | None, result: TurnResult, lang: str) -> None:
        """Silent-turn summary, state refresh, GUI translation and requested exports."""
        actions = translate(result.text)
        kinds = {a.kind for a in actions}
        silent = not result.text.strip()
        if silent or result.draft_changed or kinds & {"state", "tracks"}:
            after = await self._cache.fetch(quiet=True)
            if after is None:
                if self._cache.route_missing:
                    self._cache.warn_no_state()
                elif silent:
                    self._emit(Notice("The agent finished without a reply, and the timeline could not be "
                                      "fetched to see what changed.", warning=True))
            else:
                summary = summarize_change(before, after, lang)
                if silent and summary is None:
                    summary = say(SILENT_UNCHANGED, lang)
                reason = "gui" if kinds & {"state", "tracks"} else "turn"
                self._emit(StateUpdated(after, summary, overview=describe_state(after, lang),
                                        reason=reason))
        for action in actions:
            if action.kind in ("upload_hint", "edit_hint", "state", "tracks"):
                self._emit(Notice(action.notice))
        self._emit(TurnFinished(ok=True))
        if "credits" in kinds:
            await self._queries.refresh_credits()
        requested = result.export_requested
        if requested is not None or "export" in kinds:
            requested = requested or {}
            fmt = requested.get("format") or requested.get("fmt")
            quality = requested.get("quality")
            subs = fmt in SUBTITLE_FORMATS
            self._emit(Notice("The agent asked for the subtitles: exporting them now." if subs else
                              "The agent asked for the video: exporting it now."))
            await self._exporter.export(fmt if isinstance(fmt, str) else None,
                                        quality if isinstance(quality, str) else None)

    async def _recover_broken(self, before: SessionState | None, lang: str) -> None:
        """A broken stream: never re-send; watch the state until it changes or stays still long enough."""
        self._emit(Notice("The connection dropped while the agent was working. reelterm will not send the "
                          "message again; it is watching the timeline instead.", warning=True))
        limit = self._timings.broken_polls
        previous = fingerprint(before) if before is not None else None
        latest: SessionState | None = None
        unchanged = 0
        for _ in range(limit * 6):
            if self._cache.route_missing:
                break
            await asyncio.sleep(self._state_poll_s)
            state = await self._cache.fetch(quiet=True)
            if state is not None and previous is None:
                previous = fingerprint(state)
            elif state is not None and fingerprint(state) != previous:
                previous, latest, unchanged = fingerprint(state), state, 0
                continue
            unchanged += 1
            if (latest is not None and unchanged >= 1) or unchanged >= limit:
                break
        if latest is not None:
            summary = summarize_change(before, latest, lang) or say("The timeline changed.", lang)
            self._emit(StateUpdated(latest, summary, overview=describe_state(latest, lang),
                                    reason="recovered"))
            self._emit(Notice("The agent's work arrived although the connection dropped."))
            self._emit(TurnFinished(ok=True, reason="recovered"))
            return
        if self._cache.route_missing:
            self._cache.warn_no_state()
        self._emit(ErrorRaised("The connection dropped while the agent was working, and the timeline did "
                               "not change.", "Nothing was sent twice; send the request again if you still "
                               "want it.", detail={"kind": "StreamBroken"}))
        self._emit(TurnFinished(ok=False, reason="stream broken"))

