"""The worker against the real embedded engine, end to end."""

from __future__ import annotations

import asyncio
import json

import pytest
from worker_helpers import ReplyAgent, SilentAgent, SlowAgent, backend_of

from reelterm.worker import events as ev


def messages(eng, sid: str) -> int:
    """How many user messages the engine received for a session (its store's own count)."""
    return len(eng.state.store.messages(sid))


async def merged(make_worker, eng, media):
    """A started worker whose session has a merged timeline (no file asked for, so no export)."""
    worker, rec = make_worker(backend_of(eng))
    assert await worker.start(new=True)
    await worker.send(f"upload {media / 'clip.mp4'} {media / 'tone.wav'}")
    assert rec.of(ev.UploadDone) and len(rec.of(ev.UploadDone)[0].files) == 2
    await worker.send("merge this audio and video")
    return worker, rec


async def test_merge_flow_ends_with_an_mp4(make_worker, engine, media, paths):
    worker, rec = await merged(make_worker, engine, media)
    reply = rec.of(ev.ReplyFinal)[-1].text
    assert "Merged clip.mp4" in reply and "tone.wav" in reply
    update = rec.of(ev.StateUpdated)[-1]
    assert update.reason == "turn" and "Audio: tone.wav" in update.summary
    await worker.send("export 720p mp4")
    await worker.wait_renders()
    done = rec.of(ev.RenderDone)[-1]
    assert done.path.parent == paths.export_dir
    assert done.path.name == f"clip-mp4_{done.render_id}.mp4"  # the draft's title, then the id
    from reelterm.media import probe

    info = probe(done.path)
    assert info.has_video and info.has_audio and 800 <= info.duration_ms <= 1200
    assert rec.of(ev.RenderQueued)[-1].quality == "standard"
    assert worker.journal.pending() == [] and worker.journal.history()[0].path == str(done.path)


async def test_routed_commands_skip_run_sse(make_worker, engine, media):
    worker, rec = await merged(make_worker, engine, media)
    sid = worker.session_id
    before = messages(engine, sid)
    assert before == 1
    await worker.send("credits")
    await worker.send("状态")
    await worker.send("show tracks")
    await worker.send("export")
    await worker.wait_renders()
    assert messages(engine, sid) == before
    assert rec.of(ev.CreditsUpdated)[-1].credits.unlimited
    overview = rec.of(ev.StateUpdated)[-1].overview
    assert "1. Video: clip.mp4" in overview and "2. Audio: tone.wav" in overview
    assert rec.of(ev.RenderDone)
    assert not rec.of(ev.TurnStarted)[1:]


async def test_export_requested_in_state_delta_exports(make_worker, engine, media):
    worker, rec = await merged(make_worker, engine, media)
    await worker.chat("export")  # unrouted: the agent answers with export_requested
    await worker.wait_renders()
    assert rec.of(ev.ToolStarted)[-1].name == "export"
    assert any("exporting it now" in n.text for n in rec.of(ev.Notice))
    assert rec.of(ev.RenderDone)[-1].path.exists()


async def test_export_of_an_empty_timeline_is_refused(make_worker, engine):
    worker, rec = make_worker(backend_of(engine))
    await worker.start(new=True)
    assert await worker.export() is None
    assert rec.of(ev.ErrorRaised)[-1].detail["kind"] == "EmptyDraft"


async def test_silent_turn_gets_a_change_summary(make_worker, start_engine):
    eng = start_engine(agent=SilentAgent())
    worker, rec = make_worker(backend_of(eng))
    await worker.start(new=True)
    await worker.send("add a title card saying Urban Dreams")
    assert not rec.of(ev.ReplyFinal)
    update = rec.of(ev.StateUpdated)[-1]
    assert update.reason == "turn"
    assert "Urban Dreams" in update.summary and "Text" in update.summary
    assert rec.of(ev.TurnFinished)[-1].ok
    # The same edit again changes nothing: the summary says so.
    await worker.send("add a title card saying Urban Dreams")
    assert "did not change" in rec.of(ev.StateUpdated)[-1].summary


async def test_engine_stopped_mid_turn_polls_state_and_never_resends(make_worker, start_engine):
    agent = SlowAgent()
    eng = start_engine(agent=agent)
    worker, rec = make_worker(backend_of(eng), state_poll_s=0.05)
    await worker.start(new=True)
    sid = worker.session_id
    turn = asyncio.create_task(worker.send("think about a video"))
    await rec.wait_for(ev.ToolStarted)
    await asyncio.to_thread(eng.stop)  # the connection drops while the agent works
    agent.release.set()
    await asyncio.wait_for(turn, 30)
    names = rec.names()
    assert "ReplyFinal" not in names
    assert any("watching the timeline" in n.text for n in rec.of(ev.Notice))
    err = rec.of(ev.ErrorRaised)[-1]
    assert err.detail["kind"] == "StreamBroken" and "Nothing was sent twice" in err.action
    assert rec.of(ev.TurnFinished)[-1] == ev.TurnFinished(ok=False, reason="stream broken")
    # The engine on the same data dir received the message exactly once.
    again = start_engine(agent=ReplyAgent("hi"))
    assert messages(again, sid) == 1
    assert agent.calls == 1


async def test_cancel_turn(make_worker, start_engine):
    agent = SlowAgent()
    eng = start_engine(agent=agent)
    worker, rec = make_worker(backend_of(eng))
    await worker.start(new=True)
    turn = asyncio.create_task(worker.send("think"))
    await rec.wait_for(ev.ToolStarted)
    assert worker.busy and await worker.cancel_turn()
    await asyncio.wait_for(turn, 10)
    agent.release.set()
    assert rec.of(ev.TurnFinished)[-1] == ev.TurnFinished(ok=False, reason="cancelled")
    assert not worker.busy and not await worker.cancel_turn()


async def test_render_in_flight_is_finished_after_a_restart(make_worker, engine, media, paths):
    worker, rec = await merged(make_worker, engine, media)
    record = await worker.export()
    assert record is not None
    await worker.stop()  # before any poll: the render is still "in flight" for the worker
    assert [r.id for r in worker.journal.pending()] == [record.id]
    journal = json.loads((paths.state_dir / "worker.json").read_text())
    assert record.id in journal["backends"]["local"]["renders"]

    again, rec2 = make_worker(backend_of(engine))
    assert await again.start()
    assert again.session_id == worker.session_id  # the last session is remembered
    assert any("Resuming 1" in n.text for n in rec2.of(ev.Notice))
    await again.wait_renders()
    done = rec2.of(ev.RenderDone)[-1]
    assert done.render_id == record.id and done.path.stat().st_size > 0
    assert again.journal.pending() == []


async def test_lost_session_is_replaced(make_worker, engine):
    worker, rec = make_worker(backend_of(engine))
    await worker.start(session_id="sess_gone")
    await worker.send("hello")
    replaced = rec.of(ev.SessionReplaced)[-1]
    assert replaced.session_id != "sess_gone" and "new session" in replaced.notice
    assert worker.session_id == replaced.session_id
    assert rec.of(ev.TurnFinished)[-1].ok is False
    await worker.send("hello")
    assert rec.of(ev.TurnFinished)[-1].ok


async def test_upload_of_bad_input(make_worker, engine, media):
    worker, rec = make_worker(backend_of(engine))
    await worker.start(new=True)
    assert await worker.upload([media / "missing.mp4"]) is None
    assert rec.of(ev.ErrorRaised)[-1].bad_input
    assert await worker.upload([media / "notes.xyz"]) is None
    err = rec.of(ev.ErrorRaised)[-1]
    assert err.bad_input and err.code == 4001 and "mp4" in err.action


@pytest.mark.slow
async def test_seed_prompt_text_to_video(make_worker, engine, tmp_path):
    worker, rec = make_worker(backend_of(engine))
    await worker.start(new=True)
    product = tmp_path / "product.txt"
    product.write_text("Lumen is a solar desk lamp that charges all day and glows all night. "
                       "It folds flat, weighs 300 grams and needs no cable.")
    await worker.upload([product])
    await worker.send("turn this text into a 30-second promotional video with visuals and music")
    assert rec.of(ev.TurnFinished)[-1].ok and rec.of(ev.ReplyFinal)
    draft = rec.of(ev.StateUpdated)[-1].state.draft
    assert draft is not None and 25_000 <= draft.duration_ms <= 35_000
    if not rec.of(ev.RenderQueued):
        await worker.send("export draft")
    await worker.wait_renders()
    done = rec.of(ev.RenderDone)[-1]
    from reelterm.media import probe

    info = probe(done.path)
    assert info.has_video and info.has_audio and 25_000 <= info.duration_ms <= 35_000


async def test_render_survives_an_engine_restart(make_worker, start_engine, media):
    eng = start_engine()
    worker, rec = await merged(make_worker, eng, media)
    record = await worker.export()
    await worker.stop()
    await asyncio.to_thread(eng.stop)
    again_engine = start_engine()
    again, rec2 = make_worker(backend_of(again_engine))
    assert await again.start()
    await again.wait_renders()
    assert [e.render_id for e in rec2.of(ev.RenderDone)] == [record.id]
    assert again.session_id == worker.session_id and not rec2.of(ev.SessionReplaced)


async def test_a_remembered_session_that_is_gone_is_replaced_at_start(make_worker, engine):
    worker, rec = make_worker(backend_of(engine))
    worker.journal.set_session("sess_forgotten")
    assert await worker.start()
    replaced = rec.of(ev.SessionReplaced)[-1]
    assert replaced.lost is False and "gone" in replaced.notice
    assert rec.of(ev.Connected)[-1].session_id == replaced.session_id == worker.journal.session_id()


async def test_start_reports_an_unreachable_backend(make_worker, paths):
    from reelterm.worker import Backend

    worker, rec = make_worker(Backend("http://127.0.0.1:1", "tok", True, "local engine"))
    worker.journal.set_session("sess_1")
    assert await worker.start() is False
    assert rec.of(ev.ErrorRaised)[-1].detail["kind"] == "ConnectionFailed"
    assert not rec.of(ev.Connected)


async def test_uploads_remember_their_local_files_for_later_runs(make_worker, engine, media, tmp_path):
    worker, rec = make_worker(backend_of(engine))
    assert await worker.start(new=True)
    await worker.upload([media / "clip.mp4"])
    (uploaded,) = rec.of(ev.UploadDone)[-1].files
    ref = f"upload:{uploaded.id}"
    assert rec.of(ev.UploadDone)[-1].local_files == {ref: str((media / "clip.mp4").resolve())}
    await worker.stop()
    later, rec2 = make_worker(backend_of(engine))  # the next run of the app
    assert await later.start()
    assert rec2.of(ev.Connected)[-1].local_files[ref] == str((media / "clip.mp4").resolve())


async def test_a_bad_remembered_upload_path_never_blocks_connecting(make_worker, engine, paths):
    from reelterm.worker.journal import Journal

    worker, _ = make_worker(backend_of(engine))
    journal = Journal(paths, worker.journal.backend_key)
    journal.remember_uploads({"upload:u_bad": "/tmp/a\x00b", "upload:u_gone": "/nonexistent/clip.mp4"})
    assert await worker.start(new=True)  # Path.is_file() would raise on the NUL byte
    assert journal.local_copies() == {}


async def test_what_a_render_worked_around_is_said(make_worker, engine, media):
    worker, rec = await merged(make_worker, engine, media)
    await worker.send("add a title 'Party 🎉' from 0 to 1 seconds")
    await worker.send("export draft mp4")
    await worker.wait_renders()
    assert rec.of(ev.RenderDone)
    notes = [n.text for n in rec.of(ev.Notice) if n.warning and n.text.startswith("Render ")]
    assert any("no letters for 🎉" in n and "empty boxes" in n for n in notes), notes


async def test_subtitles_exported_beside_the_video(make_worker, engine, media, paths):
    from reelterm.media.subtitles import parse_subtitles

    worker, rec = await merged(make_worker, engine, media)
    await worker.send("add a caption 'Hello 世界 --> “ok”' from 0 to 0.8 seconds")
    video = await worker.export("mp4", "draft")
    assert video is not None
    subs = await worker.export_subtitles(video, "vtt")
    assert subs is not None
    await worker.wait_renders()
    done = {d.render_id: d.path for d in rec.of(ev.RenderDone)}
    assert done[subs.id] == done[video.id].with_suffix(".vtt")  # the video's own name, beside it
    cues = parse_subtitles(done[subs.id].read_bytes())
    assert [(c.start, c.end, c.text) for c in cues] == [(0, 800, "Hello 世界 --> “ok”")]
    # "export subtitles" typed in the chat: an SRT with the newest video's name, beside it
    await worker.send("export subtitles")
    await worker.wait_renders()
    srt = rec.of(ev.RenderDone)[-1].path
    assert srt.suffix == ".srt" and srt.with_suffix(".mp4").is_file()
    assert parse_subtitles(srt.read_bytes())[0].text == "Hello 世界 --> “ok”"


async def test_local_engine_takes_common_files_the_hosted_list_lacks(make_worker, engine, media, tmp_path):
    import subprocess

    from reelterm.media._ffmpeg import ffmpeg_exe
    from reelterm.protocol import LOCAL_UPLOADS, SUPPORTED_UPLOADS
    from reelterm.worker.options import Backend

    mpg = tmp_path / "home video.mpg"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1",
                    "-c:v", "mpeg2video", "-f", "vob", str(mpg)], check=True, timeout=60)
    worker, rec = make_worker(backend_of(engine))
    assert await worker.start(new=True)
    assert rec.of(ev.Connected)[-1].upload_types == LOCAL_UPLOADS
    await worker.upload([mpg])
    files = rec.of(ev.UploadDone)[-1].files
    assert files[0].file_type == "video" and abs(files[0].duration - 1.0) < 0.15
    # the hosted API's 13 formats stay the rule there (refused before anything is sent:
    # test_worker_jobs.py, test_the_uploader_refuses_what_the_hosted_list_lacks_before_sending)
    assert Backend("https://mega-api-prod.nemovideo.ai").upload_types == SUPPORTED_UPLOADS
