"""Problems a reviewer met driving the app in tmux: a crash, lost words, pastes, keys, renders."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual import events
from textual.geometry import Region

from reelterm.tui.history import load_history
from reelterm.tui.widgets.prompt import PromptArea
from reelterm.tui.widgets.render_queue import RenderQueue
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev
from support.demo import CONNECTED, URBAN_DREAMS, screen_text, state_of, until


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


async def test_ctrl_n_puts_the_focus_in_the_message_box(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await with_draft(pilot, h.app)
        await pilot.press("f4")
        assert isinstance(h.app.focused, RenderQueue)
        await pilot.press("ctrl+n")
        for char in "做一个关于咖啡的视频":  # as the terminal sends them, queued before the app reads one
            h.app.post_message(events.Key(char, char))
        h.app.post_message(events.Key("enter", None))
        await until(pilot, lambda: any(name == "send" for name, _ in h.worker.calls))
        assert ("send", ("做一个关于咖啡的视频",)) in h.worker.calls


async def test_words_typed_on_the_timeline_go_to_the_message_box(harness) -> None:
    """"six boxes" + enter on the timeline split (s) and deleted (x) segments."""
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await with_draft(pilot, h.app)
        await pilot.press("f3")
        h.app.timeline.cursor = (0, 0)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert h.worker.calls[-1][0] != "chat" and isinstance(h.app.focused, Timeline)  # enter: nothing
        for char in "in six boxes":  # i is no timeline key; s and x are, but the box has the focus now
            h.app.post_message(events.Key(char, char))
        await pilot.pause(0.2)
        prompt = h.app.query_one(PromptArea)
        assert h.app.focused is prompt and prompt.text == "in six boxes"
        assert not [c for c in h.worker.calls if c[0] == "chat"]  # no split, no delete
        await pilot.press("f3", "l", "j", "k", "h")  # the timeline's own letters still work
        assert isinstance(h.app.focused, Timeline) and prompt.text == "in six boxes"
        await pilot.press("x")  # a binding: delete
        await until(pilot, lambda: h.worker.calls[-1][0] == "chat")
        assert "delete" in h.worker.calls[-1][1][0]
        await pilot.press("f4", "w")  # the render queue has no w
        assert h.app.focused is prompt and prompt.text == "in six boxesw"


PASTED = "\x1b[200~one two\x1b[31mRED\x1b[0m three four\x1b[201~"


async def test_a_paste_with_escape_sequences_arrives_clean_and_in_order(harness) -> None:
    from textual.drivers import linux_driver

    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: h.app.status.connection == "connected")
        parser = linux_driver.XTermParser()  # what the terminal driver reads input with
        for event in parser.feed(PASTED):
            h.app.post_message(event)  # as the driver hands them over
        await pilot.pause(0.2)
        await pilot.press("enter")
        await until(pilot, lambda: any(name == "send" for name, _ in h.worker.calls))
        assert ("send", ("one twoRED three four",)) in h.worker.calls
        h.app.post_message(events.Paste("tab\there\x07 \x1b]0;title\x07done"))
        await pilot.pause(0.1)
        assert h.app.query_one(PromptArea).text == "tab here done"


async def test_help_at_80x24_gives_the_descriptions_the_room(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("f1")
        await pilot.pause(0.2)
        shown = screen_text(h.app)
        assert "Render the timeline to a video file" in shown  # on one line, not in 10-wide bits
        assert "reelterm.export" in shown  # the id is still there for remapping


async def test_a_new_session_lists_only_its_own_renders(harness, tmp_path: Path) -> None:
    """After ctrl+n the old session's renders stayed listed, and its unfinished one (which the
    worker resumes) showed up again in the new session."""
    from reelterm.config import app_paths
    from reelterm.worker.journal import Journal, RenderRecord

    journal = Journal(app_paths(tmp_path).ensure(), "local")
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await with_draft(pilot, h.app)
        h.worker.journal = journal  # the real journal: which session each render belongs to
        old = h.app.status.session
        for render_id in ("render_done", "render_running"):
            journal.add_render(RenderRecord(render_id, old))
            h.app.emit(ev.RenderQueued(render_id, "mp4", "high"))
        h.app.emit(ev.RenderDone("render_done", tmp_path / "done.mp4"))
        await until(pilot, lambda: "render_done" in screen_text(h.app))
        await pilot.press("ctrl+n")
        h.app.emit(dataclasses.replace(CONNECTED, session_id="sess_new"))  # what start(new=True) says
        h.app.emit(ev.RenderProgress("render_running", 40.0, "processing"))  # the worker follows it still
        await pilot.pause(0.3)
        assert "render_done" not in screen_text(h.app) and "render_running" not in screen_text(h.app)
        assert not h.app.renders.jobs
        h.app.emit(ev.RenderQueued("render_new", "mp4", "high"))
        await until(pilot, lambda: "render_new" in screen_text(h.app))
        journal.add_render(RenderRecord("render_resumed_new", "sess_new"))
        h.app.emit(ev.RenderProgress("render_resumed_new", 10.0, "processing"))  # this session's: shown
        await until(pilot, lambda: "render_resumed_new" in screen_text(h.app))


async def test_ctrl_e_on_an_unchanged_timeline_says_where_the_file_is(harness, tmp_path: Path) -> None:
    out = tmp_path / "urban-dreams.mp4"
    out.write_bytes(b"\0" * 64)
    h = harness(script={"export": [ev.RenderQueued("render_1", "mp4", "high"), ev.RenderDone("render_1", out)]})
    async with h.app.run_test(size=(120, 32)) as pilot:
        await with_draft(pilot, h.app)

        def exports() -> int:
            return sum(1 for name, _ in h.worker.calls if name == "export")

        await pilot.press("ctrl+e")
        await until(pilot, lambda: "completed" in screen_text(h.app))
        assert exports() == 1
        await pilot.press("ctrl+e")  # the same timeline, format and quality: the file is there
        await pilot.pause(0.2)
        assert exports() == 1
        assert "Already rendered:" in screen_text(h.app) and "urban-dreams.mp4" in screen_text(h.app)
        await pilot.press("ctrl+e")  # asked twice: render anew
        await until(pilot, lambda: exports() == 2)
        out.unlink()  # the file is gone: render without asking
        await pilot.press("ctrl+e")
        await until(pilot, lambda: exports() == 3)
        out.write_bytes(b"\0" * 64)
        h.app.emit(ev.StateUpdated(state_of({**URBAN_DREAMS, "m": {**URBAN_DREAMS["m"], "title": "New"}})))
        await until(pilot, lambda: h.app.timeline.draft.m.title == "New")
        await pilot.press("ctrl+e")  # a changed timeline renders at once
        await until(pilot, lambda: exports() == 4)


async def test_a_changed_source_is_named_for_people_never_by_id(harness) -> None:
    """The chat said "source a gradient background → u_527e828590c6ea10"."""
    from reelterm.worker.state_diff import summarize_change

    def with_source(src: str, name: str | None = "Background") -> dict:
        seg = {"id": "bg", "s": 0, "d": 5000, "src": src, "m": {"name": name} if name else {}}
        return {"m": {"title": "T"}, "t": [{"tt": 0, "id": "video", "sg": [seg]}]}

    before = state_of(with_source("gradient:#000000,#ffffff"))
    summary = summarize_change(before, state_of(with_source("upload:u_527e828590c6ea10")))
    unnamed = summarize_change(before, state_of(with_source("upload:u_527e828590c6ea10", None)))
    for text in (summary, unnamed):
        assert text and "u_527e" not in text and "an uploaded file" in text, text
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: h.app.status.connection == "connected")
        h.app.emit(ev.StateUpdated(state_of(with_source("upload:u_527e828590c6ea10")), summary=summary,
                                   reason="turn"))
        await until(pilot, lambda: "an uploaded file" in screen_text(h.app))
        said = [line for line in screen_text(h.app).splitlines() if "Background" in line]
        assert said and not any("u_527e" in line for line in said)  # the chat's lines
