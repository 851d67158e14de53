"""The session in use and the last state fetched for it: what turns, exports and previews compare with."""

from __future__ import annotations

from reelterm.client import NemoClient, ReelError, RouteMissing
from reelterm.protocol import SessionState
from reelterm.worker.events import Emit, Notice


class StateCache:
    """The session id in use, its last fetched state (and whether it is still current), and
    whether the backend has a state route at all (a plain ADK server has none)."""

    def __init__(self, client: NemoClient, emit: Emit) -> None:
        self._client = client
        self._emit = emit
        self.session_id: str | None = None
        """The session every command goes to (set by `Sessions.use`)."""
        self.last: SessionState | None = None
        """The state fetched last for that session, if any."""
        self._fresh = False
        self._route = True
        self._warned = False

    def use(self, session_id: str, state: SessionState | None = None) -> None:
        """Switch to `session_id` (its old state is forgotten); `state` is its state when just fetched."""
        if session_id != self.session_id:
            self.last, self._fresh = None, False
        self.session_id = session_id
        if state is not None:
            self.last, self._fresh = state, True

    @property
    def route_missing(self) -> bool:
        """True once the backend answered 404 on the state route."""
        return not self._route

    def note_route_missing(self) -> None:
        """The backend answered 404 on the state route: stop asking."""
        self._route = False

    def mark_stale(self) -> None:
        """Something may have changed the state behind the worker's back (a turn, an upload)."""
        self._fresh = False

    async def fetch(self, quiet: bool = False) -> SessionState | None:
        """The session's state, remembered as `last`; `quiet` turns client errors into None."""
        sid = self.session_id
        if sid is None:
            raise ReelError("The worker has no session yet.", "Start it first.")
        if not self._route:
            return None
        try:
            state = await self._client.state(sid)
        except RouteMissing:
            self.note_route_missing()
            if not quiet:
                raise
            return None
        except ReelError:
            if not quiet:
                raise
            return None
        self.last, self._fresh = state, True
        return state

    async def before_turn(self) -> SessionState | None:
        """The state to compare a turn's result with (fetched unless already current)."""
        if self._fresh and self.last is not None:
            return self.last
        return await self.fetch(quiet=True)

    def warn_no_state(self) -> None:
        """Say once that this backend cannot show its timeline."""
        if not self._warned:
            self._warned = True
            self._emit(Notice("This backend has no session-state route, so reelterm cannot show the "
                              "timeline or what changed.", warning=True))
