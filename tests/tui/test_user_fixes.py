"""Regressions found by using the app: typed paths, logging, track names, theme, history, resume."""

from __future__ import annotations

import logging
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from reelterm.tui.applog import AppLogging
from reelterm.tui.history import HISTORY_LIMIT, load_history, save_history
from reelterm.tui.md_theme import markdown_styles
from reelterm.tui.widgets.chat import Reply
from reelterm.tui.widgets.file_picker import FilePicker, MediaTree, refusal, typed_path
from reelterm.tui.widgets.prompt import PromptArea
from reelterm.tui.widgets.timeline import track_label
from reelterm.worker import events as ev
from support.demo import URBAN_DREAMS, screen_text, state_of, until


def test_typed_paths_give_sentences_never_errors(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    cases = {
        "~nosuchuser-xyz/clip.mp4": "no user nosuchuser-xyz",
        "clip\0.mp4": "NUL",
        "a" * 5000: "characters long",
        "/tmp/" + "b" * 300 + ".mp4": "too long",
        "missing.mp4": "does not exist",
    }
    for text, expected in cases.items():
        path, problem = typed_path(text, tmp_path)
        sentence = problem or refusal(path)  # type: ignore[arg-type]
        assert sentence and expected in sentence, (text[:40], sentence)
    assert "is a folder" in (refusal(tmp_path / "dir") or "")
    assert typed_path("  ", tmp_path) == (None, None)
    assert typed_path("'dir'", tmp_path) == (tmp_path / "dir", None)


async def test_picker_typed_paths_and_folders(harness, media_dir: Path) -> None:
    h = harness(start_dir=media_dir)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(h.app.screen, FilePicker))
        picker = h.app.screen
        for text, expected in (("~nosuchuser-xyz/a.mp4", "no user"), ("a" * 5000, "characters"),
                               ("gone.mp4", "does not exist")):
            picker.query_one("#picker-path").value = text
            await pilot.click("#picker-path")
            await pilot.press("enter")
            assert expected in screen_text(h.app), text[:30]
        picker.query_one("#picker-path").value = "more"
        await pilot.click("#picker-path")
        await pilot.press("enter")
        tree = picker.query_one(MediaTree)
        await until(pilot, lambda: Path(tree.path) == media_dir / "more")
        assert "Folder: media/more" in screen_text(h.app)
        assert tree.has_focus
        await pilot.press("backspace")
        await until(pilot, lambda: Path(tree.path) == media_dir)


async def test_marking_redraws_the_cursor_line_at_once(harness, media_dir: Path) -> None:
    h = harness(start_dir=media_dir)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(h.app.screen, FilePicker)
                    and len(h.app.screen.query_one(MediaTree).root.children) > 2)
        await pilot.press("j", "j", "space")
        await pilot.pause(0.05)
        assert "✓ 📄 clip.mp4" in screen_text(h.app)


def test_logging_goes_to_a_file_without_tokens(tmp_path: Path, capsys) -> None:
    # a library logger with its own terminal handler (not under "uvicorn": the scripted servers of
    # earlier tests configure that tree, which made this test depend on the order tests run in)
    noisy = logging.getLogger("somelib.server")
    noisy.propagate = False
    terminal = logging.StreamHandler(sys.stderr)
    noisy.addHandler(terminal)
    logs = AppLogging(tmp_path / "state").install()
    try:
        logs.redact.add("nmv_local_SECRET123")
        logs.quiet_terminal()
        assert terminal not in noisy.handlers and noisy.propagate
        try:
            raise RuntimeError("boom with Bearer abcdefghijk")
        except RuntimeError:
            logging.getLogger("reelterm.worker").warning("request failed token=nmv_local_SECRET123",
                                                         exc_info=True)
        noisy.warning("somelib says hi")
    finally:
        logs.close()
    assert terminal in noisy.handlers and not noisy.propagate
    noisy.removeHandler(terminal)
    text = (tmp_path / "state" / "app.log").read_text()
    assert "request failed" in text and "Traceback" in text and "somelib says hi" in text
    assert "SECRET123" not in text and "abcdefghijk" not in text
    assert capsys.readouterr().err == ""


def test_track_labels_name_then_id_then_kind() -> None:
    from reelterm.protocol import Draft

    draft = Draft.model_validate({"t": [
        {"tt": 7, "m": {"name": "Titles"}, "sg": []},
        {"tt": 7, "id": "x2", "sg": []},
        {"tt": 7, "sg": []},
        {"tt": 1, "sg": []}]})
    assert [track_label(draft.t, i) for i in range(4)] == ["Titles", "x2", "text 3", "audio 1"]


async def test_timeline_shows_names_and_the_selected_overlapping_segment(harness) -> None:
    data = {"m": {"title": "Brewlab"}, "t": [
        {"tt": 7, "m": {"name": "Captions"}, "sg": [
            {"s": 0, "d": 6000, "m": {"text": "first"}},
            {"s": 1000, "d": 3000, "m": {"text": "hidden under"}}]}]}
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.StateUpdated(state_of(data)))
        await pilot.pause(0.1)
        text = screen_text(h.app)
        assert "Captions" in text and "Timeline ▼ 0.00s · Brewlab · 6s" in text
        assert '"hidden under"' not in text.split("Captions")[1].splitlines()[0]
        await pilot.press("f3", "l")
        await pilot.pause(0.1)
        row = screen_text(h.app).split("Captions")[1].splitlines()[0]
        assert '"hidden under"' in row


def test_markdown_follows_the_theme() -> None:
    dark = markdown_styles({"text-primary": "#57A5E2", "text-accent": "#FFC473",
                            "markdown-h1-color": "#0178D4", "surface": "#1E1E1E"}, dark=True)
    assert dark["markdown.h1"].color.triplet.hex == "#0178d4"
    assert dark["markdown.code"].color.triplet.hex == "#ffc473"
    assert dark["markdown.code"].bgcolor.triplet.hex == "#1e1e1e"
    ansi = markdown_styles({"text-primary": "ansi_blue", "surface": "transparent",
                            "markdown-h1-color": "ansi_magenta"}, dark=True)
    assert ansi["markdown.h1"].color.number == 5 and ansi["markdown.code"].bgcolor is None
    assert ansi["markdown.link"].color.number == 4


async def test_reply_colours_change_with_the_theme(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.ReplyFinal("# Brewlab\n\nUse `ctrl+e` to export."))
        await until(pilot, lambda: h.app.query(Reply))
        reply = h.app.query_one(Reply)

        def h1_colour() -> str:
            for segment in reply.render_line(0):
                if "Brewlab" in segment.text:
                    return str(segment.style.color)
            return ""

        before = h1_colour()
        assert before
        h.app.theme = "textual-light"
        await until(pilot, lambda: h1_colour() not in ("", before))
        after = h1_colour()
        h.app.theme = "ansi-dark"
        await until(pilot, lambda: h1_colour() not in ("", before, after))


def test_history_file_is_private_and_capped(tmp_path: Path) -> None:
    file = tmp_path / "state" / "prompt-history.json"
    assert load_history(file) == []
    assert save_history(file, [f"m{i}" for i in range(HISTORY_LIMIT + 50)])
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    loaded = load_history(file)
    assert len(loaded) == HISTORY_LIMIT and loaded[-1] == f"m{HISTORY_LIMIT + 49}"
    file.write_text("not json")
    assert load_history(file) == []


async def test_history_survives_a_restart(harness, tmp_path: Path) -> None:
    file = tmp_path / "history.json"
    first = harness(history_file=file)
    async with first.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press(*"one", "enter", *"two", "enter", *"one", "enter")
        await pilot.pause(0.1)
    assert load_history(file) == ["two", "one"]
    second = harness(history_file=file)
    async with second.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("up")
        assert second.app.query_one(PromptArea).text == "one"
        await pilot.press("up")
        assert second.app.query_one(PromptArea).text == "two"


@dataclass
class Record:
    id: str
    session_id: str
    status: str
    path: str | None
    fmt: str = "mp4"
    quality: str = "high"
    title: str = ""
    submitted_at: float = 100.0
    finished_at: float | None = 112.0
    error: str | None = None


class Journal:
    def __init__(self, records: list[Record]) -> None:
        self.records = records

    def history(self) -> list[Record]:
        return self.records


async def test_restart_shows_the_session_and_its_finished_renders(harness, tmp_path: Path) -> None:
    done = tmp_path / "brewlab.mp4"
    done.write_bytes(b"\0")
    h = harness(script={"refresh_state": [ev.StateUpdated(state_of(URBAN_DREAMS),
                                                          overview='"Urban Dreams", 10s')]})
    journal = Journal([Record("r_new", "sess_demo_0001", "completed", str(done)),
                       Record("r_gone", "sess_demo_0001", "completed", str(tmp_path / "x.mp4")),
                       Record("r_other", "sess_other", "completed", str(done))])
    factory = h.app.link.factory

    def with_journal(emit):
        worker = factory(emit)
        worker.journal, worker.session_id = journal, "sess_demo_0001"
        return worker

    h.app.link.factory = with_journal
    async with h.app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: "Continuing session" in screen_text(h.app)
                    and "r_gone" in screen_text(h.app))
        jobs = h.app.renders.jobs
        assert set(jobs) == {"r_new", "r_gone"} and jobs["r_new"].path == done
        assert jobs["r_gone"].path is None and "gone" in jobs["r_gone"].error
        text = screen_text(h.app)
        assert "Continuing session sess_demo_0001" in text and "100% 0:12" in text
        assert h.app.timeline.draft is not None


async def test_footer_lists_the_panel_keys_then_the_app_keys_in_order(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        keys = [b.binding.id for b in h.app.screen.active_bindings.values() if b.binding.show]
        app_ids = [k for k in keys if k and k.startswith("reelterm.") and k.count(".") == 1]
        assert app_ids[:3] == ["reelterm.help", "reelterm.upload", "reelterm.export"]
        await pilot.press("f3")
        keys = [b.binding.id for b in h.app.screen.active_bindings.values() if b.binding.show]
        assert keys[0] == "reelterm.timeline.zoom_in"


async def test_f6_lets_one_panel_fill_a_small_terminal(harness) -> None:
    """At 80x24 the chat gets a few rows: f6 gives it the screen (message box included)."""
    h = harness(script={"start": [ev.StateUpdated(state_of(URBAN_DREAMS), None)]})
    async with h.app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Urban Dreams" in screen_text(h.app))
        app = h.app
        timeline, prompt = app.query_one("#timeline"), app.query_one(PromptArea)
        chat_rows = app.query_one("#chat-log").size.height
        prompt.focus()
        await pilot.press("f6")
        await pilot.pause(0.1)
        assert not timeline.is_on_screen
        assert prompt.is_on_screen and app.query_one("#chat-log").size.height > chat_rows
        await pilot.press("f6")
        await pilot.pause(0.1)
        assert timeline.is_on_screen
        await pilot.press("f3", "f6")
        await pilot.pause(0.1)
        assert timeline.is_on_screen and not prompt.is_on_screen
        assert timeline.size.height > 12
