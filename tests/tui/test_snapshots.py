"""Snapshot tests: fixed data fed as worker events, a fixed clock, no cursor blink."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reelterm.worker import events as ev
from support.demo import URBAN_DREAMS, state_of


async def settle(pilot: Pilot, rounds: int = 5) -> None:
    """Let streams, workers and layout finish."""
    for _ in range(rounds):
        await pilot.pause(0.05)
    await pilot.wait_for_scheduled_animations()


def feed(pilot: Pilot, *events: ev.WorkerEvent) -> None:
    """Post events as the worker would."""
    for event in events:
        pilot.app.emit(event)


def test_empty_main_screen(snap_compare, harness) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=(120, 32), run_before=settle)


def test_reply_mid_stream(snap_compare, harness) -> None:
    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.chat.add_user("A 10 second city timelapse with lo-fi music, titled Urban Dreams")
        feed(pilot, ev.TurnStarted("x"), ev.ToolStarted("plan_video", "planning the storyboard"),
             ev.ReplyDelta("Here is the plan:\n\n1. **Video**: city timelapse"),
             ev.ReplyDelta(" (0–10 s)\n2. **Music**: lo-fi at 35%\n"))
        await settle(pilot)

    assert snap_compare(h.app, terminal_size=(120, 32), run_before=run_before)


def test_three_track_timeline(snap_compare, harness) -> None:
    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        feed(pilot, ev.StateUpdated(state_of(URBAN_DREAMS), "The timeline has 3 tracks."))
        await settle(pilot)
        await pilot.press("f3", "j")
        await settle(pilot)

    assert snap_compare(h.app, terminal_size=(120, 32), run_before=run_before)


def test_render_in_progress(snap_compare, harness) -> None:
    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        feed(pilot, ev.StateUpdated(state_of(URBAN_DREAMS)),
             ev.RenderQueued("render_1795291341667", "mp4", "high", 1920, 1080, "Urban Dreams"))
        await settle(pilot)
        h.clock.now += 12
        feed(pilot, ev.RenderProgress("render_1795291341667", 40.0, "processing"))
        await settle(pilot)

    assert snap_compare(h.app, terminal_size=(120, 32), run_before=run_before)


def test_file_picker(snap_compare, harness, media_dir: Path) -> None:
    h = harness(start_dir=media_dir)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("j", "space", "j", "space")
        await settle(pilot)

    assert snap_compare(h.app, terminal_size=(100, 30), run_before=run_before)


def test_error_message(snap_compare, harness) -> None:
    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.chat.add_user("export it")
        feed(pilot, ev.ErrorRaised("Export is blocked on the free plan. This is a subscription "
                                   "limit, not credits.",
                                   "Register or upgrade your plan to unlock export.", 402))
        await settle(pilot)

    assert snap_compare(h.app, terminal_size=(120, 32), run_before=run_before)


def test_layout_80x24(snap_compare, harness) -> None:
    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.chat.add_user("make the title bigger")
        feed(pilot, ev.ReplyFinal("Done: the title is bigger."),
             ev.StateUpdated(state_of(URBAN_DREAMS)),
             ev.RenderQueued("render_1", "mp4", "high", 1920, 1080),
             ev.RenderProgress("render_1", 100.0, "completed"),
             ev.RenderDone("render_1", Path("/videos/reelterm/urban-dreams.mp4")))
        await settle(pilot)

    assert snap_compare(h.app, terminal_size=(80, 24), run_before=run_before)
