"""Which session the worker uses (given, remembered or new; a new one after 1002), and the guarded
call every job makes through it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from reelterm.client import ConnectionFailed, NemoClient, ReelError, RouteMissing, SessionNotFound
from reelterm.protocol import ErrorCode, SessionState
from reelterm.worker.errors import error_event, internal_error
from reelterm.worker.events import Emit, HistoryLoaded, SessionReplaced, SessionsListed
from reelterm.worker.journal import Journal
from reelterm.worker.state_cache import StateCache

log = logging.getLogger("reelterm.worker")
T = TypeVar("T")


class Sessions:
    """Picks, replaces, lists and switches sessions; remembers the one in use in the journal."""

    def __init__(self, client: NemoClient, journal: Journal, cache: StateCache, emit: Emit,
                 language: str) -> None:
        self._client = client
        self._journal = journal
        self._cache = cache
        self._emit = emit
        self._language = language

    @property
    def current(self) -> str | None:
        """The session in use, if any."""
        return self._cache.session_id

    def use(self, session_id: str, state: SessionState | None = None) -> None:
        """Switch to `session_id` (remembered in the journal); `state` is its state when just fetched."""
        self._cache.use(session_id, state)
        self._journal.set_session(session_id)

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T | None:
        """Run one client call; errors become events (1002 also replaces the session); None then."""
        try:
            return await fn()
        except SessionNotFound:
            await self.replace()
        except ReelError as exc:
            self._emit(error_event(exc))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the app
            log.exception("worker command failed")
            self._emit(internal_error(exc))
        return None

    async def pick(self, given: str | None, new: bool) -> str | None:
        """The session to use: `given` as is; else the remembered one if the backend still has it;
        else a new one. A remembered session is checked with one state request (which also tells
        whether the backend is reachable); a given one is not, so a plain message needs only `/run_sse`."""
        if given:
            return given
        remembered = None if new else self._journal.session_id()
        if remembered:
            try:
                state = await self._client.state(remembered)
            except SessionNotFound:
                pass
            except RouteMissing:
                self._cache.note_route_missing()
                return remembered
            except ConnectionFailed as exc:
                self._emit(error_event(exc))
                return None
            except ReelError:
                return remembered
            else:
                self.use(remembered, state)
                return remembered
        info = await self.call(lambda: self._client.create_session(language=self._language))
        if info is None:
            return None
        if new and self._journal.session_id():
            self._emit(SessionReplaced(info.session_id, "Started a new session as asked; the last one is "
                                       "kept on the backend.", lost=False))
        elif remembered:
            self._emit(SessionReplaced(info.session_id, "The last session is gone on this backend (its "
                                       "timeline too); started a new one.", lost=False))
        return info.session_id

    async def replace(self) -> None:
        """The backend lost the session (1002): start a new one and say so."""
        try:
            info = await self._client.create_session(language=self._language)
        except ReelError as exc:
            self._emit(error_event(exc))
            return
        self.use(info.session_id)
        code = ErrorCode.SESSION_NOT_FOUND
        self._emit(SessionReplaced(info.session_id, f"{code.sentence} {code.action}"))

    async def load_history(self, session_id: str) -> None:
        """Emit the session's kept chat (`HistoryLoaded`); a backend without the route has none."""
        try:
            messages = await self._client.transcript(session_id)
        except ReelError:  # RouteMissing on the hosted API; anything else: the chat just starts empty
            return
        if messages:
            self._emit(HistoryLoaded(session_id, messages))

    async def list_all(self) -> None:
        """Emit the backend's sessions (`SessionsListed`, `available=False` when it keeps no list)."""
        try:
            found = await self._client.sessions()
        except RouteMissing:
            self._emit(SessionsListed([], available=False))
            return
        except ReelError as exc:
            self._emit(error_event(exc))
            return
        self._emit(SessionsListed(found))
