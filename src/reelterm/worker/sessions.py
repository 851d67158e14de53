"""Which session the worker uses: the given one, the remembered one, or a new one (also after 1002)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reelterm.client import ConnectionFailed, ReelError, RouteMissing, SessionNotFound
from reelterm.protocol import ErrorCode
from reelterm.worker.events import HistoryLoaded, SessionReplaced, SessionsListed

if TYPE_CHECKING:
    from reelterm.worker.worker import BackendWorker


async def pick_session(worker: BackendWorker, given: str | None, new: bool) -> str | None:
    """The session to use: `given` as is; else the remembered one if the backend still has it;
    else a new one. A remembered session is checked with one state request (which also tells
    whether the backend is reachable); a given one is not, so a plain message needs only `/run_sse`."""
    client = worker.client
    assert client is not None
    if given:
        return given
    remembered = None if new else worker.journal.session_id()
    if remembered:
        try:
            state = await client.state(remembered)
        except SessionNotFound:
            pass
        except RouteMissing:
            worker.note_state_route_missing()
            return remembered
        except ConnectionFailed as exc:
            worker.emit(worker.error_event(exc))
            return None
        except ReelError:
            return remembered
        else:
            worker.use_session(remembered, state)
            return remembered
    info = await worker.guarded_call(lambda: client.create_session(language=worker.settings.language))
    if info is None:
        return None
    if new and worker.journal.session_id():
        worker.emit(SessionReplaced(info.session_id, "Started a new session as asked; the last one is "
                                    "kept on the backend.", lost=False))
    elif remembered:
        worker.emit(SessionReplaced(info.session_id, "The last session is gone on this backend (its "
                                    "timeline too); started a new one.", lost=False))
    return info.session_id


async def replace_session(worker: BackendWorker) -> None:
    """The backend lost the session (1002): start a new one and say so."""
    assert worker.client is not None
    try:
        info = await worker.client.create_session(language=worker.settings.language)
    except ReelError as exc:
        worker.emit(worker.error_event(exc))
        return
    worker.use_session(info.session_id)
    code = ErrorCode.SESSION_NOT_FOUND
    worker.emit(SessionReplaced(info.session_id, f"{code.sentence} {code.action}"))


async def load_history(worker: BackendWorker, sid: str) -> None:
    """Emit the session's kept chat (`HistoryLoaded`); a backend without the route has none."""
    assert worker.client is not None
    try:
        messages = await worker.client.transcript(sid)
    except ReelError:  # RouteMissing on the hosted API; anything else: the chat just starts empty
        return
    if messages:
        worker.emit(HistoryLoaded(sid, messages))


async def list_sessions(worker: BackendWorker) -> None:
    """Emit the backend's sessions (`SessionsListed`, `available=False` when it keeps no list)."""
    if worker.client is None:
        worker.emit(SessionsListed([], available=False))
        return
    try:
        found = await worker.client.sessions()
    except RouteMissing:
        worker.emit(SessionsListed([], available=False))
        return
    except ReelError as exc:
        worker.emit(worker.error_event(exc))
        return
    worker.emit(SessionsListed(found))
