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


def _frame_png(path: Path, width: int = 320, height: int = 180, hue: int = 0) -> Path:
    """A fixed picture standing in for a rendered still (a gradient, a band, a square)."""
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((width, height)).rotate(90)
    image = Image.merge("RGB", (image, image.point(lambda v: (v + hue) % 256), image.point(lambda v: 255 - v)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 4, height // 3, 3 * width // 4, height // 2), fill=(250, 250, 250))
    draw.rectangle((20 + hue // 4, 120, 60 + hue // 4, 160), fill=(230, 80, 40))
    image.save(path)
    return path


def test_preview_pane_at_160x45(snap_compare, harness, tmp_path: Path) -> None:
    """Wide terminals: the frame at the playhead (from the backend) and one frame per scene."""
    from reelterm.worker.draft_keys import draft_key

    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        feed(pilot, ev.StateUpdated(state_of(URBAN_DREAMS)))
        await settle(pilot)
        await pilot.press("f3", "F", "F")
        await settle(pilot, rounds=8)
        app = pilot.app
        key = draft_key(app.timeline.draft)
        assert ("preview", (2000,)) in h.worker.calls and ("storyboard", ([5000],)) in h.worker.calls
        feed(pilot, ev.PreviewReady(key, 2000, _frame_png(tmp_path / "at.png")),
             ev.PreviewReady(key, 5000, _frame_png(tmp_path / "mid.png", hue=90)))
        await settle(pilot, rounds=8)
        assert app.frames.pane.shown == (key, 2000)

    assert snap_compare(h.app, terminal_size=(160, 45), run_before=run_before)


def test_sessions_screen(snap_compare, harness) -> None:
    from reelterm.protocol import SessionSummary

    day = 1_795_000_000.0  # 2026-11-18, a fixed date
    listed = ev.SessionsListed([
        SessionSummary(session_id="sess_demo_0001", title="Urban Dreams", messages=4, duration_ms=10_000,
                       created_at=day, updated_at=day + 3600),
        SessionSummary(session_id="sess_demo_0000", title="Acme AirBottle", messages=9,
                       duration_ms=30_000, created_at=day - 86_400, updated_at=day - 80_000),
        SessionSummary(session_id="sess_demo_000a", title="", messages=0, duration_ms=0,
                       created_at=day - 200_000, updated_at=day - 200_000),
    ])
    h = harness(script={"list_sessions": [listed]})

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot, rounds=8)

    assert snap_compare(h.app, terminal_size=(120, 32), run_before=run_before)


def test_editing_a_text_segment_in_place(snap_compare, harness) -> None:
    """`e` on a text segment: its words in a box under the timeline; the key sent nothing yet."""
    h = harness()

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        feed(pilot, ev.StateUpdated(state_of(URBAN_DREAMS)))
        await settle(pilot)
        await pilot.press("f3", "j", "j", "e")
        await settle(pilot)
        assert not [c for c in h.worker.calls if c[0] == "chat"]

    assert snap_compare(h.app, terminal_size=(120, 32), run_before=run_before)
