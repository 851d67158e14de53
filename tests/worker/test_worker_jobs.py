"""Each worker job on its own, without the `BackendWorker` facade: built from only what it is given
(a client, the journal, an emit callback, the state cache) against the real local engine or the
scripted server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from worker_helpers import Recorder, ReplyAgent, fast_timings

from reelterm.client import NemoClient
from reelterm.protocol import LOCAL_UPLOADS, SUPPORTED_UPLOADS
from reelterm.worker import events as ev
from reelterm.worker.exports import Exporter
from reelterm.worker.journal import Journal
from reelterm.worker.previews import Previewer, preview_dir
from reelterm.worker.queries import Queries
from reelterm.worker.renders import RenderManager
from reelterm.worker.sessions import Sessions
from reelterm.worker.state_cache import StateCache
from reelterm.worker.turn_flow import TurnRunner
from reelterm.worker.uploads import Uploader
from support.scripted_server import json_reply, ok

STATE_ROUTE = "/api/state/nemo_agent/me/*/latest"
ONE_CLIP = {"draft": {"m": {"title": "Urban Dreams"},
                      "t": [{"tt": 0, "sg": [{"id": "v", "s": 0, "d": 10000, "src": "upload:a"}]}]}}
CLIP_AND_MUSIC = {"draft": {"m": {"title": "Urban Dreams"},
                            "t": [*ONE_CLIP["draft"]["t"],
                                  {"tt": 1, "sg": [{"id": "a", "s": 0, "d": 10000, "src": "music:calm/lofi",
                                                    "m": {"name": "Lo-fi", "volume": 0.35}}]}]}}


@dataclass
class Parts:
    """The shared pieces every job is built from, for one backend."""

    client: NemoClient
    rec: Recorder
    journal: Journal
    cache: StateCache
    sessions: Sessions
    accepted: tuple[str, ...]

    def renders(self, export_dir: Path) -> RenderManager:
        """A render manager that polls fast."""
        return RenderManager(self.client, self.journal, self.rec, export_dir, poll_s=0.05)

    def queries(self) -> Queries:
        """The state and credits look-ups."""
        return Queries(self.client, self.sessions, self.cache, self.rec, "en")

    def uploader(self) -> Uploader:
        """The uploader, with this backend's list of file types."""
        return Uploader(self.client, self.sessions, self.cache, self.journal, self.rec, self.accepted)


@pytest.fixture
async def parts(paths) -> AsyncIterator[Callable[..., Parts]]:
    """`parts(base_url, token, key, accepted)` -> the shared pieces; every client is closed at the end."""
    clients: list[NemoClient] = []

    def make(base_url: str, token: str | None = None, key: str = "local",
             accepted: tuple[str, ...] = LOCAL_UPLOADS) -> Parts:
        client = NemoClient(base_url, paths=paths, token=token, upload_types=accepted)
        clients.append(client)
        rec, journal = Recorder(), Journal(paths, key)
        cache = StateCache(client, rec)
        return Parts(client, rec, journal, cache, Sessions(client, journal, cache, rec, "en"), accepted)

    yield make
    for client in clients:
        await client.aclose()


def local(parts: Callable[..., Parts], eng) -> Parts:
    """The shared pieces for the embedded engine."""
    return parts(eng.base_url, eng.token)


async def new_session(p: Parts) -> str:
    """Start a new session and use it."""
    sid = await p.sessions.pick(None, new=True)
    assert sid is not None
    p.sessions.use(sid)
    return sid


def turn_runner(p: Parts, exporter: Exporter) -> TurnRunner:
    """A turn runner over `p` (fast state polls)."""
    return TurnRunner(p.client, p.sessions, p.cache, p.rec, queries=p.queries(), exporter=exporter,
                      timings=fast_timings(), state_poll_s=0.05, language="en")


# ---- sessions and the state cache ----------------------------------------------------------------


async def test_sessions_remember_the_session_and_replace_a_lost_one(parts, engine):
    first = local(parts, engine)
    sid = await first.sessions.pick(None, new=False)
    assert sid is not None and not first.rec.of(ev.SessionReplaced)  # nothing remembered: just a new one
    first.sessions.use(sid)
    again = local(parts, engine)  # the next run: the remembered session, checked with one state request
    assert await again.sessions.pick(None, new=False) == sid
    assert again.cache.session_id == sid and again.cache.last is not None
    # a call that meets 1002 starts a new session, says so, and returns nothing
    assert await again.sessions.call(lambda: again.client.state("sess_gone")) is None
    (replaced,) = again.rec.of(ev.SessionReplaced)
    assert replaced.lost and replaced.session_id not in (sid, "sess_gone")
    assert again.sessions.current == replaced.session_id == again.journal.session_id()
    await again.sessions.list_all()
    listed = {s.session_id for s in again.rec.of(ev.SessionsListed)[-1].sessions}
    assert {sid, replaced.session_id} <= listed


async def test_the_state_cache_asks_a_backend_without_the_state_route_once(scripted, parts):
    scripted.on("GET", STATE_ROUTE, json_reply({"detail": "Not Found"}, 404))
    p = parts(scripted.base_url, key=scripted.base_url)
    p.cache.use("sess_1")
    assert await p.cache.fetch(quiet=True) is None and p.cache.route_missing
    assert await p.cache.fetch(quiet=True) is None
    assert scripted.count("GET", STATE_ROUTE) == 1
    p.cache.warn_no_state()
    p.cache.warn_no_state()
    (notice,) = p.rec.of(ev.Notice)
    assert notice.warning and "cannot show the timeline" in notice.text


async def test_queries_say_what_changed_and_the_balance(scripted, parts):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": ONE_CLIP})), json_reply(ok({"state": CLIP_AND_MUSIC})))
    p = parts(scripted.base_url, key=scripted.base_url)
    p.sessions.use("sess_1")
    queries = p.queries()
    await queries.refresh_state()
    first = p.rec.of(ev.StateUpdated)[-1]
    assert first.summary is None and '"Urban Dreams"' in first.overview  # nothing to compare with yet
    await queries.refresh_state()
    assert "Added Audio track 2: Audio: Lo-fi" in p.rec.of(ev.StateUpdated)[-1].summary
    credits = await queries.refresh_credits()
    assert credits is not None and p.rec.of(ev.CreditsUpdated)[-1].credits.available == 90


# ---- uploads -------------------------------------------------------------------------------------


async def test_the_uploader_refuses_what_the_hosted_list_lacks_before_sending(parts, tmp_path):
    mpg = tmp_path / "home video.mpg"
    mpg.write_bytes(b"\x00\x00\x01\xba" + b"\x00" * 2044)
    p = parts("https://hosted.invalid", token="t", key="https://hosted.invalid", accepted=SUPPORTED_UPLOADS)
    p.sessions.use("sess_1")
    assert await p.uploader().upload([mpg]) is None  # a request would fail to connect instead
    refused = p.rec.of(ev.ErrorRaised)[-1]
    assert "home video.mpg: .mpg files are not supported" in refused.sentence and refused.bad_input
    assert "Use one of: mp4" in refused.action and "mpg" not in refused.action
    assert await p.uploader().upload([tmp_path / "missing.mp4"]) is None
    assert p.rec.of(ev.ErrorRaised)[-1].detail == {"kind": "FileNotFound"}


async def test_the_uploader_sends_files_and_remembers_their_local_copies(parts, engine, media):
    p = local(parts, engine)
    await new_session(p)
    result = await p.uploader().upload([media / "clip.mp4", media / "tone.wav"])
    assert result is not None and [f.filename for f in result.files] == ["clip.mp4", "tone.wav"]
    done = p.rec.of(ev.UploadDone)[-1]
    assert sorted(done.local_files.values()) == sorted(str((media / n).resolve()) for n in ("clip.mp4", "tone.wav"))
    assert p.journal.local_copies() == done.local_files  # kept for previews in later runs
    assert {e.filename for e in p.rec.of(ev.UploadProgress)} == {"clip.mp4", "tone.wav"}


# ---- a turn, then exports and previews of its draft -----------------------------------------------


async def merged_parts(parts, eng, media, export_dir: Path) -> tuple[Parts, RenderManager, Exporter]:
    """A session with a merged timeline, made by the uploader and a turn runner (no facade)."""
    p = local(parts, eng)
    await new_session(p)
    await p.uploader().upload([media / "clip.mp4", media / "tone.wav"])
    renders = p.renders(export_dir)
    exporter = Exporter(renders, p.sessions, p.cache, p.journal, p.rec)
    await turn_runner(p, exporter).chat("merge this audio and video")
    assert p.rec.of(ev.TurnFinished)[-1].ok
    return p, renders, exporter


async def test_the_exporter_checks_first_then_renders_the_draft(parts, engine, media, tmp_path):
    from reelterm.media import probe

    empty = local(parts, engine)
    await new_session(empty)
    nothing = Exporter(empty.renders(tmp_path), empty.sessions, empty.cache, empty.journal, empty.rec)
    assert await nothing.export() is None
    assert empty.rec.of(ev.ErrorRaised)[-1].detail == {"kind": "EmptyDraft"}
    assert await nothing.export("../mp4") is None
    assert empty.rec.of(ev.ErrorRaised)[-1].detail == {"kind": "BadExportOption"}

    p, renders, exporter = await merged_parts(parts, engine, media, tmp_path / "out")
    record = await exporter.export("mp4", "draft")
    assert record is not None and record.fmt == "mp4"
    await renders.wait()
    done = p.rec.of(ev.RenderDone)[-1]
    assert done.path.parent == tmp_path / "out" and probe(done.path).has_audio
    subs = await exporter.subtitles_beside(record, "txt")
    assert subs is None and "not a subtitle format" in p.rec.of(ev.ErrorRaised)[-1].sentence


async def test_the_previewer_renders_stills_and_reuses_them(parts, engine, media, tmp_path, paths):
    p, _, _ = await merged_parts(parts, engine, media, tmp_path)
    previewer = Previewer(p.client, p.cache, p.rec, preview_dir(paths.cache_dir, "local"), nearby=True)
    await previewer.show(500)
    ready = p.rec.of(ev.PreviewReady)[-1]
    assert ready.at_ms == 500 and ready.path.suffix == ".jpg" and ready.path.parent == previewer.folder
    stamp = ready.path.stat().st_mtime_ns
    await previewer.show(500)  # the same draft and time: the kept file, not a second render
    again = p.rec.of(ev.PreviewReady)[-1]
    assert again.path == ready.path and again.path.stat().st_mtime_ns == stamp
    first = previewer.storyboard([0, 900])
    second = previewer.storyboard([0, 900])  # a newer strip replaces the running one
    with pytest.raises(asyncio.CancelledError):
        await first
    await second
    assert [r.at_ms for r in p.rec.of(ev.PreviewReady)][-2:] == [0, 900] and previewer.idle("storyboard")
    blank = Previewer(p.client, StateCache(p.client, p.rec), p.rec, tmp_path, nearby=True)
    await blank.show(0)  # no state fetched: nothing to show
    assert "timeline is empty" in p.rec.of(ev.PreviewFailed)[-1].sentence


async def test_the_turn_runner_sends_once_and_refuses_after_stop(parts, start_engine, tmp_path):
    eng = start_engine(agent=ReplyAgent("Hello from the agent."))
    p = local(parts, eng)
    sid = await new_session(p)
    runner = turn_runner(p, Exporter(p.renders(tmp_path), p.sessions, p.cache, p.journal, p.rec))
    await runner.chat("hi")
    names = p.rec.names()
    assert names[0] == "TurnStarted" and names[-2:] == ["ReplyFinal", "TurnFinished"]
    assert p.rec.of(ev.ReplyFinal)[-1].text == "Hello from the agent." and p.rec.of(ev.TurnFinished)[-1].ok
    assert not runner.busy and not runner.cancel()  # nothing to cancel
    await runner.stop()
    await runner.chat("hi again")
    assert p.rec.of(ev.ErrorRaised)[-1].detail == {"kind": "NotStarted"}
    assert len(eng.state.store.messages(sid)) == 1  # the second message never left
