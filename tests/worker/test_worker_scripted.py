"""The worker against a scripted backend: broken streams, GUI talk, plain ADK servers, 2001, heartbeats."""

from __future__ import annotations

import asyncio
import json

import pytest

from reelterm.worker import events as ev
from support.scripted_server import (
    ADK_FRAMES,
    HEARTBEATS,
    err,
    file_reply,
    json_reply,
    ok,
    sse_reply,
)

STATE_A = {"draft": {"m": {"title": "Urban Dreams"},
                     "t": [{"tt": 0, "sg": [{"id": "v", "s": 0, "d": 10000, "src": "upload:a",
                                             "m": {"name": "city timelapse"}}]}]}}
STATE_B = json.loads(json.dumps(STATE_A))
STATE_B["draft"]["t"].append({"tt": 1, "sg": [{"id": "a", "s": 0, "d": 10000, "src": "music:calm/lofi",
                                               "m": {"name": "Lo-fi", "volume": 0.35}}]})
STATE_ROUTE = "/api/state/nemo_agent/me/*/latest"


def frames(*raw: str) -> str:
    return "".join(f"data: {f}\n\n" for f in raw)


def text_event(text: str) -> str:
    return json.dumps({"content": {"parts": [{"text": text}], "role": "model"}, "turnComplete": True})


async def test_broken_stream_then_the_state_changes(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})), json_reply(ok({"state": STATE_A})),
                json_reply(ok({"state": STATE_B})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ADK_FRAMES[0]), abort=True))
    worker, rec = make_worker(scripted_backend, state_poll_s=0.02)
    await worker.start()
    await worker.send("add lo-fi music at 35%")
    assert scripted.count("POST", "/run_sse") == 1
    update = rec.of(ev.StateUpdated)[-1]
    assert update.reason == "recovered"
    assert "Added Audio track 2: Audio: Lo-fi (0s–10s, volume 35%)." in update.summary
    assert rec.of(ev.TurnFinished)[-1] == ev.TurnFinished(ok=True, reason="recovered")
    assert not rec.of(ev.ErrorRaised)


async def test_broken_stream_and_nothing_changes(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ADK_FRAMES[0]), abort=True))
    worker, rec = make_worker(scripted_backend, state_poll_s=0.02)
    await worker.start()
    await worker.send("add lo-fi music")
    assert scripted.count("POST", "/run_sse") == 1
    assert scripted.count("GET", STATE_ROUTE) == 1 + 5  # the state before the turn, then 5 polls
    assert rec.of(ev.ErrorRaised)[-1].detail["kind"] == "StreamBroken"
    assert rec.of(ev.TurnFinished)[-1] == ev.TurnFinished(ok=False, reason="stream broken")


async def test_click_export_in_a_reply_runs_the_export(scripted, scripted_backend, make_worker, paths):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})))
    scripted.on("POST", "/run_sse", sse_reply(frames(text_event("Done! Click Export to download your video."))))
    scripted.on("GET", "/files/out.mp4", file_reply(4096))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("make it")
    await worker.wait_renders()
    assert rec.of(ev.ReplyFinal)[-1].text.startswith("Done!")
    assert scripted.count("POST", "/api/render/proxy/lambda") == 1
    done = rec.of(ev.RenderDone)[-1]
    assert done.path == paths.export_dir / "Urban-Dreams_render_x.mp4" and done.path.stat().st_size == 4096
    # Exporting again never overwrites the first file.
    await worker.export()
    await worker.wait_renders()
    assert rec.of(ev.RenderDone)[-1].path.name == "Urban-Dreams_render_x_2.mp4"


async def _download_behind_a_file(scripted, worker, tmp_path):
    """Download render_x into a folder whose parent is a file (say, a folder removed since)."""
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})))
    scripted.on("GET", "/files/out.mp4", file_reply(4096))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the user asked for a folder")
    await worker.start()
    await worker.download("render_x", dest=str(blocker / "videos") + "/")
    await worker.wait_renders()
    return blocker


async def test_a_download_into_an_unwritable_folder_lands_in_the_export_dir(
        scripted, scripted_backend, make_worker, paths, tmp_path):
    worker, rec = make_worker(scripted_backend)
    blocker = await _download_behind_a_file(scripted, worker, tmp_path)
    done = rec.of(ev.RenderDone)[-1]
    assert done.path == paths.export_dir / "reelterm_render_x.mp4" and done.path.stat().st_size == 4096
    warning = [n.text for n in rec.of(ev.Notice) if n.warning][-1]
    assert str(blocker / "videos") in warning and str(paths.export_dir) in warning
    assert not worker.journal.pending() and not rec.of(ev.RenderFailed)


async def test_a_render_that_cannot_be_saved_anywhere_is_kept_for_later(
        scripted, scripted_backend, make_worker, paths, tmp_path):
    worker, rec = make_worker(scripted_backend)
    worker.settings.export_dir = str(tmp_path / "not-a-folder" / "exports")
    blocker = await _download_behind_a_file(scripted, worker, tmp_path)
    failed = rec.of(ev.RenderFailed)[-1]
    assert str(blocker / "videos") in failed.sentence and str(blocker / "exports") in failed.sentence
    assert "reelterm renders" in failed.sentence
    assert [r.id for r in worker.journal.pending()] == ["render_x"]
    assert not list(tmp_path.rglob("*.part"))


async def test_backend_without_state_route_still_shows_the_reply(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply({"detail": "Not Found"}, 404))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("make a cat video")  # the ADK frames: a tool call with draft_version, then text
    assert rec.of(ev.ReplyFinal)[-1].text == "Done! Your clip is on the timeline."
    assert rec.of(ev.TurnFinished)[-1].ok
    warning = [n for n in rec.of(ev.Notice) if n.warning]
    assert warning and "no session-state route" in warning[0].text
    assert not rec.of(ev.ErrorRaised)
    await worker.send("status")
    assert not rec.of(ev.ErrorRaised) and scripted.count("GET", STATE_ROUTE) == 1


async def test_out_of_credits_shows_the_registration_link(scripted, scripted_backend, make_worker):
    scripted.on("POST", "/run_sse", json_reply(err(2001, "no credits")))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("make a cat video")
    error = rec.of(ev.ErrorRaised)[-1]
    assert error.code == 2001 and "bind=" in error.detail["bind_url"] and error.detail["bind_url"] in error.action
    assert rec.of(ev.TurnFinished)[-1].ok is False


@pytest.mark.parametrize("frame", [
    '{"code": 2001, "message": "no credits"}',  # an error envelope sent as a frame
    '{"error": "You are out of credits.", "error_details": {"code": 2001}}',  # the local engine's way
])
async def test_out_of_credits_said_mid_stream_shows_the_link_and_refreshes_credits(
        scripted, scripted_backend, make_worker, frame):
    scripted.on("POST", "/run_sse", sse_reply([frames(ADK_FRAMES[0]), f"data: {frame}\n\n"]))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    credits_before = scripted.count("GET", "/api/credits/balance/simple")
    await worker.send("make a cat video")
    error = rec.of(ev.ErrorRaised)[-1]
    assert error.code == 2001 and error.sentence == "You are out of credits."
    assert "bind=" in error.detail["bind_url"] and error.detail["bind_url"] in error.action
    assert rec.of(ev.TurnFinished)[-1] == ev.TurnFinished(ok=False, reason="out of credits")
    assert scripted.count("GET", "/api/credits/balance/simple") == credits_before + 1
    assert scripted.count("POST", "/run_sse") == 1


async def test_session_lost_said_mid_stream_starts_a_new_session_and_sends_nothing_again(
        scripted, scripted_backend, make_worker):
    scripted.on("POST", "/run_sse", sse_reply(['data: {"code": 1002, "message": "session gone"}\n\n']))
    worker, rec = make_worker(scripted_backend)
    await worker.start(session_id="sess_old")
    await worker.send("make a cat video")
    (replaced,) = rec.of(ev.SessionReplaced)
    assert replaced.lost and replaced.session_id != "sess_old" and worker.session_id == replaced.session_id
    assert rec.of(ev.TurnFinished)[-1].reason == "session lost"
    assert scripted.count("POST", "/run_sse") == 1


async def test_heartbeats_only_say_still_working_then_time_out(scripted, scripted_backend, make_worker):
    scripted.on("POST", "/run_sse", sse_reply(HEARTBEATS, repeat_last_every=0.03))
    worker, rec = make_worker(scripted_backend, still_working_s=0.1, heartbeat_timeout_s=0.45)
    await worker.start()
    await worker.send("make a long video")
    assert len(rec.of(ev.StillWorking)) >= 2
    assert rec.of(ev.ErrorRaised)[-1].detail["kind"] == "TurnTimedOut"
    assert rec.of(ev.TurnFinished)[-1] == ev.TurnFinished(ok=False, reason="timed out")
    assert scripted.count("POST", "/run_sse") == 1


async def test_credits_and_session_memory(scripted, scripted_backend, make_worker):
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("余额")
    assert rec.of(ev.CreditsUpdated)[-1].credits.available == 90
    assert scripted.count("POST", "/run_sse") == 0
    assert worker.journal.session_id() == "sess_1"
    again, rec2 = make_worker(scripted_backend)
    await again.start()
    assert scripted.count("POST", "/api/tasks/me/with-session/nemo_agent") == 1
    await again.start(new=True)
    assert rec2.of(ev.SessionReplaced)


async def test_cancel_a_render(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})))
    scripted.on("GET", "/api/render/proxy/lambda/*",
                json_reply({"success": True, "data": {"id": "render_x", "status": "processing", "progress": 40}}))
    worker, rec = make_worker(scripted_backend, render_poll_s=0.02)
    await worker.start()
    record = await worker.export(fmt="webm", quality="draft")
    await rec.wait_for(ev.RenderProgress)
    while scripted.count("GET", "/api/render/proxy/lambda/*") < 3:
        await asyncio.sleep(0.02)
    assert len(rec.of(ev.RenderProgress)) == 1  # only changes are reported
    await worker.cancel_render(record.id)
    assert scripted.count("POST", "/api/render/proxy/lambda/render_x/cancel") == 1
    assert rec.of(ev.RenderFailed)[-1] == ev.RenderFailed("render_x", "The render was cancelled.", cancelled=True)
    assert worker.journal.pending() == [] and worker.journal.history()[0].status == "cancelled"
    body = json.loads(scripted.seen("POST", "/api/render/proxy/lambda")[0].body)
    assert body["output"] == {"format": "webm", "quality": "draft"} and body["draft"]["m"]["title"] == "Urban Dreams"


async def test_upload_by_url(scripted, scripted_backend, make_worker):
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("upload https://example.com/media/intro.mp4")
    assert [f.filename for f in rec.of(ev.UploadDone)[-1].files] == ["intro.mp4"]
    assert scripted.count("POST", "/run_sse") == 0


async def test_a_backend_without_history_routes_and_a_still_preview(scripted, scripted_backend, make_worker):
    """The hosted API has no sessions/chat routes (404): no history, "no list"; a preview is a jpg
    still through the ordinary render route, with its time, downloaded once and then cached."""
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})))
    scripted.on("GET", "/files/out.mp4", file_reply(2048))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.load_history()
    assert not rec.of(ev.HistoryLoaded) and not rec.of(ev.ErrorRaised)
    await worker.list_sessions()
    assert rec.of(ev.SessionsListed)[-1] == ev.SessionsListed([], available=False)
    await worker.refresh_state()
    await worker.preview(2500)
    for _ in range(200):
        if rec.of(ev.PreviewReady) or rec.of(ev.PreviewFailed):
            break
        await asyncio.sleep(0.02)
    ready = rec.of(ev.PreviewReady)[-1]
    assert ready.at_ms == 2500 and ready.path.suffix == ".jpg" and ready.path.stat().st_size == 2048
    body = json.loads(scripted.seen("POST", "/api/render/proxy/lambda")[-1].body)
    assert body["output"] == {"format": "jpg", "quality": "standard", "time": 2.5}
    await worker.preview(2500)  # the same draft and time: from the cache, no second render
    for _ in range(100):
        if len(rec.of(ev.PreviewReady)) == 2:
            break
        await asyncio.sleep(0.02)
    assert len(rec.of(ev.PreviewReady)) == 2 and scripted.count("POST", "/api/render/proxy/lambda") == 1
    await worker.stop()


async def test_a_backend_that_dies_during_an_export_says_what_to_do(scripted, scripted_backend, make_worker, capsys):
    from reelterm.cli.session_cmd import Printer
    from support.scripted_server import raw_reply

    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE_A})))
    scripted.on("GET", "/api/render/proxy/lambda/*",
                json_reply({"success": True, "data": {"id": "render_x", "status": "processing", "progress": 40}}),
                raw_reply(b"<html>502 Bad Gateway</html>", status=502))
    worker, rec = make_worker(scripted_backend, render_poll_s=0.01)
    await worker.start()
    record = await worker.export(fmt="mp4", quality="draft")
    failed = await rec.wait_for(ev.RenderFailed, timeout=20)
    assert not failed.cancelled and "reelterm renders" in failed.action
    assert [r.id for r in worker.journal.pending()] == [record.id]  # kept for later
    printer = Printer(as_json=False)
    printer(failed)
    err = capsys.readouterr().err
    assert err.startswith(f"Error: Export {record.id}: ") and "run `reelterm renders`" in err
    assert printer.code == 3
