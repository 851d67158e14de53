"""Worker events reach the widgets that show them; the preview pane follows the selection."""

from __future__ import annotations

from reelterm.worker import events as ev
from support.demo import screen_text, state_of

TWO_SCENES = {"t": [{"tt": 0, "sg": [{"id": "a", "s": 0, "d": 2000, "src": "color:#336699"},
                                     {"id": "b", "s": 2000, "d": 3000, "src": "color:#996633"}]}]}


async def settle(pilot, rounds: int = 5) -> None:
    for _ in range(rounds):
        await pilot.pause(0.05)


async def test_the_preview_pane_follows_the_selected_segment(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        h.app.emit(ev.StateUpdated(state_of(TWO_SCENES)))
        await settle(pilot)
        await pilot.press("f3", "l")
        await settle(pilot, rounds=8)
        _, index, seg = h.app.timeline.selected()
        assert index == 1 and seg.s == 2000
        assert h.app.timeline.playhead_ms == seg.s
        assert ("preview", (seg.s,)) in h.worker.calls  # the pane asked for the selected scene's frame
        assert f"{seg.s / 1000:.2f} s" in screen_text(h.app)


async def test_a_local_engine_that_drops_says_retry_without_pointing_elsewhere(harness) -> None:
    h = harness()  # the scripted worker connects as the local engine (Connected.is_local)
    async with h.app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        h.app.emit(ev.UploadProgress("clip.mp4", 10, 100))
        h.app.emit(ev.ErrorRaised("reelterm could not reach the backend.", "Start it again.",
                                  detail={"kind": "ConnectionFailed"}))
        await settle(pilot)
        (error,) = [e for e in h.app.chat.query("Entry") if e.copy_text.startswith("reelterm could not")]
        assert error.copy_text.endswith("Start it again. Press ctrl+r to try again.")
        assert h.app.status.connection == "offline"
        assert "Uploading clip.mp4" not in screen_text(h.app)  # the upload bar went with it
