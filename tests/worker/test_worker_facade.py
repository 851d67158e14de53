"""The `BackendWorker` facade: commands before start and after stop, and switching sessions."""

from __future__ import annotations

from worker_helpers import ReplyAgent, backend_of

from reelterm.protocol import LOCAL_UPLOADS
from reelterm.worker import events as ev


async def test_commands_before_start_and_after_stop_say_not_connected(make_worker, start_engine, media):
    eng = start_engine(agent=ReplyAgent("Hi."))
    worker, rec = make_worker(backend_of(eng))
    await worker.send("make a video")
    await worker.upload([media / "clip.mp4"])
    await worker.export("mp4", "draft")
    await worker.refresh_state()
    await worker.preview(1000)
    assert [e.detail["kind"] for e in rec.of(ev.ErrorRaised)] == ["NotStarted"] * 4
    assert rec.of(ev.PreviewFailed)[-1].sentence == "The worker is not connected."
    assert worker.session_id is None and worker.client is None and not worker.busy
    assert await worker.start(new=True)
    sid = worker.session_id
    await worker.stop()
    await worker.send("make another video")
    await worker.refresh_credits()
    assert [e.detail["kind"] for e in rec.of(ev.ErrorRaised)] == ["NotStarted"] * 6
    assert eng.state.store.messages(sid) == []  # nothing reached the agent


async def test_switching_sessions_brings_the_chat_back_and_keeps_the_file_types(make_worker, start_engine):
    eng = start_engine(agent=ReplyAgent("Noted."))
    worker, rec = make_worker(backend_of(eng))
    assert await worker.start(new=True)
    first = worker.session_id
    await worker.send("remember the blue one")
    assert await worker.start(new=True) and worker.session_id != first
    await worker.switch_session(first)
    connected = rec.of(ev.Connected)[-1]
    assert connected.session_id == first == worker.session_id == worker.journal.session_id()
    assert connected.upload_types == LOCAL_UPLOADS  # the file picker keeps this backend's list
    history = rec.of(ev.HistoryLoaded)[-1]
    assert history.session_id == first and "remember the blue one" in [m.text for m in history.messages]
    assert rec.of(ev.StateUpdated)[-1].state is not None
