"""Problems a reviewer met driving the app in tmux: a crash, lost words, pastes, keys, renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.geometry import Region

from reelterm.tui.history import load_history
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev
from support.demo import URBAN_DREAMS, screen_text, state_of


async def until(pilot, check, timeout: float = 10.0) -> None:
    """Wait (polling) until `check()` is true."""
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out; screen:\n{screen_text(pilot.app)}")


async def with_draft(pilot, app) -> None:
    """Connected, with the three-track example draft on the timeline."""
    await until(pilot, lambda: app.status.connection == "connected")
    app.emit(ev.StateUpdated(state_of(URBAN_DREAMS)))
    await until(pilot, lambda: app.timeline.draft is not None)


async def test_saving_a_text_edit_never_crashes_on_a_late_redraw(harness) -> None:
    """The editor is gone after enter, but the compositor may draw it once more (a mouse move
    over its old place, the cursor blink): that drawing raised KeyError 'text-area--gutter'."""
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await with_draft(pilot, h.app)
        await pilot.press("f3")
        h.app.timeline.cursor = (2, 0)  # the title
        await pilot.press("e")
        await until(pilot, lambda: h.app.query("#segment-text"))
        editor = h.app.query_one("#segment-text")
        await pilot.press("end")
        for char in " — precisely 🎯":  # as a terminal sends them (pilot.press drops non-ASCII)
            h.app.post_message(events.Key(char, char))
        await pilot.pause(0.1)
        await pilot.press("enter")
        await until(pilot, lambda: not h.app.query("#segment-text"))
        assert h.worker.calls[-1][0] == "chat"
        assert "Urban Dreams — precisely 🎯" in h.worker.calls[-1][1][0]
        lines = editor.render_lines(Region(0, 0, 40, 3))  # what the stale compositor map asks
        assert len(lines) == 3
        assert isinstance(h.app.focused, Timeline)


async def test_an_unexpected_error_keeps_the_unsent_words_and_says_so(harness, tmp_path: Path,
                                                                      capsys) -> None:
    history = tmp_path / "history.json"
    h = harness(history_file=history, log_file=tmp_path / "app.log")
    with pytest.raises(ZeroDivisionError):
        async with h.app.run_test(size=(120, 32)) as pilot:
            await until(pilot, lambda: h.app.status.connection == "connected")
            await pilot.press(*"half a thought")

            def broken() -> None:
                raise ZeroDivisionError("boom")

            h.app.timeline.call_later(broken)
            await pilot.pause(0.3)
    assert load_history(history)[-1] == "half a thought"
    shown = " ".join(capsys.readouterr().err.split())  # what the terminal shows at exit
    assert "unsent words are kept" in shown and "app.log" in shown and "Traceback" not in shown
