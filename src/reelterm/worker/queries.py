"""The look-ups a user asks for without the agent: the session state and the credit balance."""

from __future__ import annotations

from reelterm.client import NemoClient
from reelterm.protocol import Credits, SessionState
from reelterm.worker.events import CreditsUpdated, Emit, StateUpdated
from reelterm.worker.sessions import Sessions
from reelterm.worker.state_cache import StateCache
from reelterm.worker.state_diff import describe_state, summarize_change


class Queries:
    """Fetches the state (saying what changed since the last fetch) and the credits, as events."""

    def __init__(self, client: NemoClient, sessions: Sessions, cache: StateCache, emit: Emit,
                 language: str) -> None:
        self._client = client
        self._sessions = sessions
        self._cache = cache
        self._emit = emit
        self._language = language

    async def refresh_state(self) -> SessionState | None:
        """Fetch the state; `StateUpdated` carries what changed since the last fetch and an overview."""
        before = self._cache.last
        state = await self._sessions.call(lambda: self._cache.fetch())
        if state is None:
            if self._cache.route_missing:
                self._cache.warn_no_state()
            return None
        summary = summarize_change(before, state, self._language) if before is not None else None
        self._emit(StateUpdated(state, summary, overview=describe_state(state, self._language),
                                reason="refresh"))
        return state

    async def refresh_credits(self) -> Credits | None:
        """Fetch the credit balance (`CreditsUpdated`)."""
        credits = await self._sessions.call(self._client.credits)
        if credits is not None:
            self._emit(CreditsUpdated(credits))
        return credits
