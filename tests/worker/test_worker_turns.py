"""`stream_turn`: deltas and finals, tool summaries, heartbeats, time limits, broken streams."""

from __future__ import annotations

import asyncio

from worker_helpers import Recorder

from reelterm.client import StreamBroken, TurnTimedOut
from reelterm.protocol import (
    BadFrame,
    Heartbeat,
    RunError,
    StateChanged,
    TextDelta,
    TextFinal,
    ToolCalled,
    ToolReturned,
)
from reelterm.worker import TurnTimings
from reelterm.worker import events as ev
from reelterm.worker.turns import stream_turn, tool_finished_summary, tool_started_summary


async def items(*things, gap: float = 0.0):
    for thing in things:
        if gap:
            await asyncio.sleep(gap)
        if isinstance(thing, BaseException):
            raise thing
        if isinstance(thing, float):
            await asyncio.sleep(thing)
            continue
        yield thing


async def test_final_replaces_deltas_and_tools_are_one_line():
    rec = Recorder()
    result = await stream_turn(items(
        ToolCalled("adk-1", "generate_video", {"prompt": "cat surfing", "duration_s": 5}),
        ToolReturned("adk-1", "generate_video", {"status": "ok", "media_id": "m_42"}),
        StateChanged({"draft_version": 2}),
        TextDelta("Done! "), TextDelta("Your clip is on the timeline."),
        TextFinal("Done! Your clip is on the timeline."), BadFrame("{", "not valid JSON"),
    ), rec, TurnTimings())
    assert rec.names() == ["ToolStarted", "ToolFinished", "ReplyDelta", "ReplyDelta", "ReplyFinal"]
    assert rec.of(ev.ToolStarted)[0].summary == "Working: generate video (cat surfing)…"
    assert rec.of(ev.ToolFinished)[0].summary == "Generate video done."
    assert "{" not in rec.of(ev.ToolStarted)[0].summary + rec.of(ev.ToolFinished)[0].summary
    assert result.text == "Done! Your clip is on the timeline."
    assert result.draft_changed and result.export_requested is None and result.error is None


def test_tool_summaries():
    assert tool_started_summary("merge_media", {}) == "Working: merge media…"
    assert tool_started_summary("merge_media", {"video": "upload:u_1", "audio": "upload:u_2"}) == "Working: merge media…"
    assert tool_started_summary("add_text", {"at": "start", "text": "Try it free"}) == "Working: add text (Try it free)…"
    assert tool_finished_summary("render", {"status": "error", "error": "no \n frames"}) == (
        "Render failed: no frames", False)
    assert tool_finished_summary("x", "ok") == ("X done: ok", True)


async def test_export_requested_and_run_error():
    result = await stream_turn(items(StateChanged({"export_requested": {"format": "webm"}}),
                                     RunError("model overloaded")), Recorder(), TurnTimings())
    assert result.export_requested == {"format": "webm"}
    assert result.run_error == "model overloaded" and result.text == ""
    result = await stream_turn(items(StateChanged({"export_requested": True})), Recorder(), TurnTimings())
    assert result.export_requested == {}


async def test_deltas_without_a_final_are_finalised():
    rec = Recorder()
    result = await stream_turn(items(TextDelta("half a "), TextDelta("reply"), StreamBroken()), rec, TurnTimings())
    assert rec.of(ev.ReplyFinal) == [ev.ReplyFinal("half a reply")]
    assert result.broken and result.text == "half a reply"


async def test_still_working_every_interval_of_heartbeats_only():
    rec = Recorder()
    timings = TurnTimings(still_working_s=0.1, heartbeat_timeout_s=5, turn_timeout_s=5)
    beats = [Heartbeat()] * 14
    result = await stream_turn(items(*beats, TextFinal("ok"), gap=0.025), rec, timings)
    still = rec.of(ev.StillWorking)
    assert len(still) >= 2 and still[0].text == "Still working…"
    gaps = [b.elapsed_s - a.elapsed_s for a, b in zip(still, still[1:], strict=False)]
    assert all(gap >= 0.09 for gap in gaps)  # once per interval, not once per heartbeat
    assert result.text == "ok" and not result.timed_out


async def test_still_working_without_any_frames():
    rec = Recorder()
    timings = TurnTimings(still_working_s=0.05, heartbeat_timeout_s=5, turn_timeout_s=5)
    await stream_turn(items(0.2, TextFinal("ok")), rec, timings)
    assert len(rec.of(ev.StillWorking)) >= 2


async def test_heartbeats_only_times_out():
    rec = Recorder()
    timings = TurnTimings(still_working_s=0.05, heartbeat_timeout_s=0.2, turn_timeout_s=5)
    result = await stream_turn(items(*[Heartbeat()] * 100, gap=0.02), rec, timings)
    assert result.timed_out and isinstance(result.error, TurnTimedOut)
    assert rec.of(ev.StillWorking) and not rec.of(ev.ReplyFinal) and result.text == ""


async def test_whole_turn_limit_even_with_progress():
    timings = TurnTimings(still_working_s=5, heartbeat_timeout_s=5, turn_timeout_s=0.2)
    rec = Recorder()
    result = await stream_turn(items(*[TextDelta("x")] * 100, gap=0.02), rec, timings)
    assert result.timed_out and isinstance(result.error, TurnTimedOut)
    assert 0 < len(rec.of(ev.ReplyDelta)) < 100  # progress did not extend the whole-turn limit


async def test_cancelling_closes_the_stream():
    closed = asyncio.Event()

    async def endless():
        try:
            while True:
                await asyncio.sleep(0.01)
                yield Heartbeat()
        finally:
            closed.set()

    task = asyncio.create_task(stream_turn(endless(), Recorder(), TurnTimings()))
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    await asyncio.wait_for(closed.wait(), 1)
    assert task.cancelled() and closed.is_set()


async def test_a_bug_in_the_stream_is_an_internal_error_not_a_broken_connection():
    rec = Recorder()
    result = await stream_turn(items(TextDelta("Hal"), RuntimeError("boom")), rec, TurnTimings())
    assert not result.broken and not isinstance(result.error, StreamBroken | TurnTimedOut)
    assert result.error is not None and "inside reelterm during the turn (RuntimeError)" in result.error.sentence
    assert "boom" not in result.error.sentence + result.error.action
