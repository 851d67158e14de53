"""Pilot tests of every flow against a scripted worker (recorded events, no backend)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual import events

from reelterm.protocol import UploadedFile
from reelterm.tui.app import ReelApp
from reelterm.tui.bindings import GROUPS, all_ids
from reelterm.tui.commands import ReelCommands, entries
from reelterm.tui.widgets.chat import Reply
from reelterm.tui.widgets.file_picker import FilePicker, MediaTree, refusal
from reelterm.tui.widgets.help import HelpScreen
from reelterm.tui.widgets.prompt import PromptArea
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev
from support.demo import URBAN_DREAMS, screen_text, state_of, turn_events

REPLY = "Done! Your **Urban Dreams** clip is on the timeline."


async def test_start_connects_after_first_screen(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        assert h.worker is not None and h.worker.calls[0] == ("start", (None, False))
        status = h.app.status
        assert status.connection == "connected" and status.session == "sess_demo_0001"
        assert "credits 100" in screen_text(h.app)


async def test_send_streams_and_fills_timeline(harness) -> None:
    h = harness(script={"send": turn_events(REPLY, chunks=6)})
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        await pilot.press(*"make a video", "enter")
        await pilot.pause(0.3)
        # The turn, then a credit refresh (a generation may have spent some).
        assert h.worker.calls[-2:] == [("send", ("make a video",)), ("refresh_credits", ())]
        replies = list(h.app.query(Reply))
        assert len(replies) == 1 and replies[0].copy_text == REPLY
        assert replies[0].source == REPLY
        text = screen_text(h.app)
        assert "make a video" in text and "storyboard ready" in text
        assert "city timelapse" in text and "Lo-fi 35%" in text
        assert h.app.query_one(PromptArea).text == ""


async def test_deltas_append_without_final(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        for piece in ("Hel", "lo ", "there"):
            h.app.emit(ev.ReplyDelta(piece))
        await pilot.pause(0.2)
        reply = h.app.query_one(Reply)
        assert reply.source == "Hello there"
        h.app.emit(ev.ReplyFinal("Hello there, final."))
        h.app.emit(ev.StillWorking(120.0))
        h.app.emit(ev.TurnFinished(False, "The agent took too long."))
        await pilot.pause(0.2)
        assert reply.source == "Hello there, final."
        text = screen_text(h.app)
        assert "Still working… (120 s)" in text and "The agent took too long." in text


async def test_prompt_history_and_multiline(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        prompt = h.app.query_one(PromptArea)
        for text in ("first", "second"):
            await pilot.press(*text, "enter")
        await pilot.press("up")
        assert prompt.text == "second"
        await pilot.press("up")
        assert prompt.text == "first"
        await pilot.press("down", "down")
        assert prompt.text == ""
        await pilot.press("a", "ctrl+j", "b")
        assert prompt.text == "a\nb"
        prompt.insert("\nline three")
        await pilot.press("enter")
        assert h.worker.calls[-1] == ("send", ("a\nb\nline three",))


async def test_follow_bottom_only_when_at_bottom(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        log = h.app.chat
        for i in range(30):
            h.app.emit(ev.Notice(f"line {i}"))
        await pilot.pause(0.2)
        assert log.scroll_y == log.max_scroll_y > 0
        log.scroll_to(y=0, animate=False, immediate=True)
        log.release_anchor()
        await pilot.pause(0.05)
        h.app.emit(ev.ReplyDelta("more text"))
        await pilot.pause(0.2)
        assert log.scroll_y == 0


async def test_timeline_cursor_zoom_and_unknown_track(harness) -> None:
    h = harness()
    draft = {**URBAN_DREAMS, "t": [*URBAN_DREAMS["t"], {"tt": 3, "sg": [{"s": 0, "d": 500}]}]}
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.StateUpdated(state_of(draft)))
        await pilot.pause(0.1)
        timeline = h.app.query_one(Timeline)
        await pilot.press("f3")
        assert timeline.has_focus
        await pilot.press("j", "j")
        track, _, seg = timeline.selected()
        assert track.kind == "text" and seg.m.text == "Urban Dreams"
        await pilot.press("j")
        assert timeline.selected()[0].kind == "type 3"
        text = screen_text(h.app)
        assert "type 3" in text and '"Urban Dre' in text
        fit = timeline.scale
        await pilot.press("plus")
        assert timeline.scale < fit
        await pilot.press("minus", "minus", "0")
        assert timeline.scale == fit


async def test_upload_through_picker(harness, media_dir: Path) -> None:
    done = UploadedFile(filename="clip.mp4", id="u1")
    h = harness(start_dir=media_dir, script={"upload": [
        ev.UploadProgress("clip.mp4", 1024, 2048), ev.UploadDone([done])]})
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        picker = h.app.screen
        assert isinstance(picker, FilePicker)
        tree = picker.query_one(MediaTree)
        names = [node.label.plain for node in tree.root.children]
        assert names == ["more", "clip.mp4", "music.mp3", "notes.txt", "photo.png"]
        await pilot.press("j", "j", "space", "j", "space")
        assert [p.name for p in tree.marked] == ["clip.mp4", "music.mp3"]
        await pilot.press("space")
        await pilot.press("u")
        await pilot.pause(0.2)
        assert not isinstance(h.app.screen, FilePicker)
        name, (items,) = h.worker.calls[-1]
        assert name == "upload" and [p.name for p in items] == ["clip.mp4"]
        assert h.app.local_files["upload:u1"] == media_dir / "clip.mp4"
        assert "Uploaded clip.mp4." in screen_text(h.app)


async def test_picker_refuses_before_upload(harness, media_dir: Path) -> None:
    big = media_dir / "huge.mp4"
    with open(big, "wb") as handle:
        handle.truncate(501 * 1024 * 1024)
    assert "over the 500 MB limit" in (refusal(big) or "")
    assert "not supported" in (refusal(media_dir / "setup.exe") or "")
    h = harness(start_dir=media_dir)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+o")
        await pilot.pause(0.2)
        picker = h.app.screen
        await pilot.click("#picker-path")
        await pilot.press(*"setup.exe", "enter")
        assert "not supported" in screen_text(h.app)
        await pilot.press("ctrl+a", "ctrl+k", *"huge.mp4", "enter")
        assert "500 MB" in screen_text(h.app)
        await pilot.press("ctrl+a", "ctrl+k", *"more/b-roll.mov", "enter")
        assert [p.name for p in picker.query_one(MediaTree).marked] == ["b-roll.mov"]
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert not any(call[0] == "upload" for call in h.worker.calls)


async def test_export_reaches_100_and_copies_path(harness, tmp_path: Path) -> None:
    out = tmp_path / "urban-dreams.mp4"
    h = harness(script={
        "export": [ev.RenderQueued("render_1", "mp4", "high", 1920, 1080),
                   ev.RenderProgress("render_1", 50.0, "processing")],
        "cancel_render": [ev.RenderFailed("render_2", "Cancelled.", cancelled=True)]})
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+e")
        await pilot.pause(0.1)
        assert h.worker.calls[-1] == ("export", ("mp4", "high"))
        job = h.app.renders.jobs["render_1"]
        assert job.progress == 50 and job.status == "processing"
        h.clock.now += 10
        h.app.renders.tick()
        assert "0:10 ETA 0:10" in screen_text(h.app)
        h.app.emit(ev.RenderProgress("render_1", 100.0, "completed"))
        h.app.emit(ev.RenderDone("render_1", out))
        await pilot.pause(0.1)
        assert job.progress == 100 and job.status == "completed" and job.path == out
        assert "100%" in screen_text(h.app)
        await pilot.press("f4", "y")
        assert h.app.clipboard == str(out)
        h.app.emit(ev.RenderProgress("render_2", 10.0, "processing"))
        await pilot.pause(0.1)
        await pilot.press("j", "x")
        await pilot.pause(0.1)
        assert h.worker.calls[-1] == ("cancel_render", ("render_2",))
        assert h.app.renders.jobs["render_2"].status == "cancelled"


async def test_palette_render_commands_and_open_without_a_display(harness, tmp_path: Path,
                                                                  monkeypatch) -> None:
    """The palette cancels the newest running render and copies the newest path; `o` without a
    display copies the finished file's path and says so."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    out = tmp_path / "promo.mp4"
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        await h.app.run_action("cancel_running")
        await pilot.pause(0.1)
        assert "No render is running." in [n.message for n in h.app._notifications]
        h.app.emit(ev.RenderQueued("render_1", "mp4", "high", 1080, 1920))
        h.app.emit(ev.RenderDone("render_1", out))
        h.app.emit(ev.RenderQueued("render_2", "mp4", "draft", 1080, 1920))
        h.app.emit(ev.RenderQueued("render_3", "mp4", "draft", 1080, 1920))
        await pilot.pause(0.1)
        await h.app.run_action("cancel_running")
        await pilot.pause(0.1)
        assert h.worker.calls[-1] == ("cancel_render", ("render_3",))
        await h.app.run_action("copy_last_path")
        await pilot.pause(0.1)
        assert h.app.clipboard == str(out)
        h.app.copy_to_clipboard("")
        await pilot.press("f4", "o")
        await pilot.pause(0.1)
        assert h.app.clipboard == str(out)
        assert any("No display to play it here" in n.message for n in h.app._notifications)


async def test_queue_key_exports_subtitles_beside_the_selected_video(harness, tmp_path: Path) -> None:
    out = tmp_path / "promo.mp4"
    h = harness(script={"export": [ev.RenderQueued("render_1", "mp4", "high", 1080, 1920)]})
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+e")
        await pilot.pause(0.1)
        h.app.emit(ev.RenderDone("render_1", out))
        await pilot.pause(0.1)
        await pilot.press("f4", "s")
        await pilot.pause(0.1)
        assert h.worker.calls[-1] == ("export", ("srt", None, str(tmp_path / "promo.srt")))


async def test_error_and_copy_reply(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.ReplyFinal("A reply to copy."))
        h.app.emit(ev.ErrorRaised("You are out of credits.", "Register to get more credits."))
        await pilot.pause(0.1)
        assert "→ Register to get more credits." in screen_text(h.app)
        await pilot.press("ctrl+y")
        assert h.app.clipboard == "A reply to copy."
        await pilot.press("f5", "y")
        assert h.app.clipboard.startswith("You are out of credits.")
        await pilot.press("k", "y")
        assert h.app.clipboard == "A reply to copy."


async def test_keys_have_ids_help_and_remaps(harness) -> None:
    for _, specs in GROUPS:
        for spec in specs:
            assert spec.id.startswith("reelterm.") and spec.tooltip
            assert "ctrl+enter" not in spec.key and "shift+enter" not in spec.key
    h = harness(keys={"reelterm.upload": "f9", "reelterm.nope": "f8"})
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        assert "unknown key id 'reelterm.nope'" in screen_text(h.app)
        await pilot.press("f9")
        await pilot.pause(0.1)
        assert isinstance(h.app.screen, FilePicker)
        await pilot.press("escape", "f1")
        await pilot.pause(0.1)
        assert isinstance(h.app.screen, HelpScreen)
        text = screen_text(h.app)
        assert "reelterm.upload" in text and "f9" in text
        await pilot.press("f9", "f1")
        await pilot.pause(0.1)
        assert not isinstance(h.app.screen, (HelpScreen, FilePicker))
        assert len(h.app.screen_stack) == 1


async def test_command_palette_lists_every_action(harness) -> None:
    names = [name for name, _, _ in entries()]
    assert "Upload files" in names and "Focus: chat log" in names and "Timeline: zoom in" in names
    assert "Pick files to upload to the session · f9" in [
        help_text for _, _, help_text in entries({"reelterm.upload": "f9,ctrl+o"})]
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        provider = ReelCommands(h.app.screen)
        hits = [hit async for hit in provider.search("export")]
        assert hits
        await pilot.press("ctrl+p")
        await pilot.pause(0.1)
        await pilot.press(*"export draft", "enter")
        await pilot.pause(0.3)
        assert ("export", ("mp4", "draft")) in h.worker.calls
    assert all_ids()


async def test_no_color_and_ansi_theme(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReelApp(theme="textual-ansi")
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        assert app.theme == "ansi-dark"
        assert app.status.connection == "offline"
        assert any(type(f).__name__ in ("NoColor", "Monochrome") for f in app._filters)


async def test_preview_of_a_colour_segment(harness) -> None:
    draft = {"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "color:#336699"}]}]}
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.StateUpdated(state_of(draft)))
        await pilot.pause(0.1)
        await pilot.press("f3", "p")
        await pilot.pause(0.5)
        assert "color:#336699" in screen_text(h.app)
        await pilot.press("escape")


async def test_resumed_render_appears_and_progress_coalesces(harness) -> None:
    from reelterm.tui.messages import WorkerEventPosted

    old = WorkerEventPosted(ev.RenderProgress("r1", 10.0, "processing"))
    assert WorkerEventPosted(ev.RenderProgress("r1", 20.0, "processing")).can_replace(old)
    assert not WorkerEventPosted(ev.RenderProgress("r2", 20.0, "processing")).can_replace(old)
    assert not WorkerEventPosted(ev.ReplyDelta("a")).can_replace(WorkerEventPosted(ev.ReplyDelta("b")))
    h = harness(script={"start": [ev.RenderProgress("render_resumed", 60.0, "processing")]})
    async with h.app.run_test(size=(120, 32)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if "render_resumed" in screen_text(h.app):
                break
        job = h.app.renders.jobs["render_resumed"]
        assert job.progress == 60 and "render_resumed" in screen_text(h.app)


def test_docs_list_every_key() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "keys.md").read_text()
    missing = [key_id for key_id in all_ids() if f"`{key_id}`" not in docs]
    assert not missing, f"docs/keys.md lacks {missing}"


def test_graphics_probe_only_where_it_pays_and_half_blocks() -> None:
    from PIL import Image
    from rich.console import Console

    from reelterm.tui.preview import HalfBlocks, _may_have_graphics, color_image

    assert not _may_have_graphics({"TERM": "xterm-256color"})
    assert _may_have_graphics({"TERM": "xterm-kitty"})
    assert _may_have_graphics({"TERM": "screen", "REELTERM_IMAGES": "1"})
    assert not _may_have_graphics({"TERM_PROGRAM": "WezTerm", "REELTERM_IMAGES": "0"})
    console = Console(width=20, height=5, color_system="truecolor", record=True)
    console.print(HalfBlocks(Image.new("RGB", (40, 20), "#ff0000")))
    lines = console.export_text().splitlines()
    assert lines[0] == "▀" * 20 and len(lines) == 5
    assert color_image("gradient:#000000,#ffffff").size == (320, 180)


async def test_new_session_clears_the_timeline(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.StateUpdated(state_of(URBAN_DREAMS)))
        await pilot.pause(0.1)
        await pilot.press("ctrl+n")
        await pilot.pause(0.1)
        assert h.worker.calls[-1] == ("start", (None, True))
        assert h.app.timeline.draft is None
        h.app.emit(ev.SessionReplaced("sess_new", "The old session was lost; a new one started."))
        await pilot.pause(0.1)
        assert h.app.status.session == "sess_new"
        assert "a new one started" in screen_text(h.app)


async def test_keys_typed_faster_than_the_app_reads_them_send_the_whole_message(harness) -> None:
    """tmux send-keys and fast typists queue every key before the app reads one: enter must not
    overtake the characters ahead of it (it once sent half a message and left the rest behind)."""
    h = harness()
    text = 'turn this into a promo: "Brewlab weighs every gram."'
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        for char in text:
            h.app.post_message(events.Key(char, char))
        h.app.post_message(events.Key("enter", None))
        await pilot.pause(0.3)
        assert ("send", (text,)) in h.worker.calls
        assert h.app.query_one(PromptArea).text == ""


async def test_a_theme_picked_in_the_app_is_there_next_time() -> None:
    from reelterm.config import app_paths, load_settings, save_setting

    paths = app_paths().ensure()
    saved: list[str] = []

    def save(name: str) -> str | None:
        saved.append(name)
        return save_setting("theme", name, paths)

    app = ReelApp(theme=load_settings(paths)[0].theme, save_theme=save)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        assert saved == []  # applying the configured theme at start saves nothing
        app.theme = "nord"  # what the palette's "Change theme" does
        await pilot.pause(0.1)
    assert saved == ["nord"]
    again = ReelApp(theme=load_settings(paths)[0].theme)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        assert again.theme == "nord"


async def test_a_theme_that_cannot_be_saved_is_said_once(harness) -> None:
    h = harness(save_theme=lambda name: f"config.toml could not be written, so the theme {name} was not saved.")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.theme = "gruvbox"
        await pilot.pause(0.1)
        assert "theme gruvbox was not saved" in screen_text(h.app)


async def test_preview_of_a_clip_uploaded_in_an_earlier_run(harness, tmp_path) -> None:
    from reelterm.tui.messages import PreviewRequested

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 100)
    draft = {"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "upload:u1", "m": {"name": "clip.mp4"}}]}]}
    h = harness()
    seen: list[PreviewRequested] = []
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.Connected("local engine", "http://127.0.0.1:1", "s1", True, {"upload:u1": str(clip)}))
        h.app.emit(ev.StateUpdated(state_of(draft)))
        await pilot.pause(0.1)
        h.app.post_message = lambda message, _post=h.app.post_message: (  # type: ignore[method-assign]
            seen.append(message) if isinstance(message, PreviewRequested) else None) or _post(message)
        await pilot.press("f3")
        await h.app.run_action("preview_segment")  # the palette's "preview the selected segment"
        await pilot.pause(0.2)
        assert "earlier run" not in screen_text(h.app)
    assert [(m.path, m.at_ms) for m in seen] == [(clip, 0)]


async def _finished_render_on(h, pilot) -> None:
    """Urban Dreams on the timeline and one finished render in the queue."""
    await pilot.pause(0.1)
    h.app.emit(ev.StateUpdated(state_of(URBAN_DREAMS)))
    h.app.emit(ev.RenderQueued("render_1", "mp4", "high", 1920, 1080))
    h.app.emit(ev.RenderDone("render_1", Path("/videos/reelterm/urban-dreams.mp4")))
    await pilot.pause(0.3)


async def test_short_terminals_fold_details_and_finished_renders_until_focused(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await _finished_render_on(h, pilot)
        renders = h.app.query_one("#renders")
        assert renders.size.height == 1 and "render_1" in screen_text(h.app)  # its summary line only
        assert "Video #1/" not in screen_text(h.app)  # the timeline's detail lines wait for focus
        assert h.app.chat.size.height >= 9
        await pilot.press("f3")
        await pilot.pause(0.2)
        assert "Video #1/" in screen_text(h.app)
        await pilot.press("f4")
        await pilot.pause(0.2)
        assert renders.size.height >= 3 and "Video #1/" not in screen_text(h.app)


async def test_tall_terminals_show_everything(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(80, 40)) as pilot:
        await _finished_render_on(h, pilot)
        assert h.app.query_one("#renders").size.height >= 3 and "Video #1/" in screen_text(h.app)


async def test_a_refused_upload_takes_its_progress_bar_away(harness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.UploadProgress("odd.jpeg", 12, 12))
        await pilot.pause(0.1)
        assert "Uploading odd.jpeg" in screen_text(h.app)
        h.app.emit(ev.ErrorRaised("'odd.jpeg' is not a file reelterm accepts.", "Use one of: mp4.", code=4001))
        await pilot.pause(0.1)
        assert "Uploading odd.jpeg" not in screen_text(h.app)
        assert "'odd.jpeg' is not a file reelterm accepts." in screen_text(h.app)


async def test_an_unreachable_hosted_api_points_to_the_local_engine(harness) -> None:
    hosted = ev.Connected(backend="hosted", base_url="https://api.example", session_id="s1", is_local=False)
    h = harness(script={"start": [hosted]})  # the app learns where it is from the worker's Connected
    async with h.app.run_test(size=(200, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.ErrorRaised("reelterm could not reach the backend at https://api.example.",
                                  "Check that the backend is running and that the address is right.",
                                  detail={"kind": "ConnectionFailed"}))
        await pilot.pause(0.1)
        (error,) = [e for e in h.app.chat.query("Entry") if e.copy_text.startswith("reelterm could not")]
        assert error.copy_text.endswith("Press ctrl+r to try again; `reelterm --api local` works offline.")
        assert h.app.status.connection == "offline"


def test_segment_preview_says_what_it_can_show_and_why_not(tmp_path) -> None:
    from reelterm.protocol import Draft
    from reelterm.tui.messages import PreviewRequested
    from reelterm.tui.preview import segment_preview

    clip = tmp_path / "clip.mp4"
    draft = Draft.model_validate({"t": [
        {"tt": 0, "sg": [{"s": 0, "d": 1000, "in": 2500, "src": "upload:u1", "m": {"name": "clip.mp4"}},
                         {"s": 1000, "d": 1000, "src": "upload:u2", "m": {"name": "gone.mp4"}},
                         {"s": 2000, "d": 1000, "src": "gradient:#000000,#ffffff"},
                         {"s": 3000, "d": 1000, "src": "asset:a1"}]},
        {"tt": 1, "sg": [{"s": 0, "d": 1000, "src": "music:calm/calm_acoustic_1"}]}]})
    video, music = draft.t
    local = {"upload:u1": clip}
    found = segment_preview(video, video.sg[0], local)
    assert isinstance(found, PreviewRequested) and (found.path, found.at_ms) == (clip, 2500)
    assert "moved, or uploaded from elsewhere" in segment_preview(video, video.sg[1], local)
    assert segment_preview(video, video.sg[2], local).color == "gradient:#000000,#ffffff"
    assert "on the backend only" in segment_preview(video, video.sg[3], local)
    assert segment_preview(music, music.sg[0], local).startswith("Audio segments have no picture")


async def test_open_a_finished_render_plays_it_or_copies_its_path(harness, tmp_path, monkeypatch) -> None:
    """With a display, the system player gets the path as one argument; without, it is copied."""
    done = tmp_path / "my video; rm -rf ~.mp4"  # a name a shell would misread
    done.write_bytes(b"\0" * 10)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "argv.txt"
    opener = bin_dir / ("open" if sys.platform == "darwin" else "xdg-open")
    opener.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {seen}\n")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    h = harness()
    async with h.app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.RenderQueued("r1", "mp4", "high"))
        h.app.emit(ev.RenderDone("r1", done))
        await pilot.pause(0.1)
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        await pilot.press("f4", "o")
        await pilot.pause(0.1)
        assert h.app.clipboard == str(done) and not seen.exists()
        monkeypatch.setenv("DISPLAY", ":0")
        await pilot.press("o")
        for _ in range(50):
            if seen.exists():
                break
            await pilot.pause(0.05)
        assert seen.read_text().splitlines() == [str(done)]


async def test_messages_typed_while_connecting_are_dropped_with_a_sentence_if_it_fails(harness) -> None:
    async def failing(emit):
        await asyncio.sleep(0.5)
        raise RuntimeError("the engine could not start")


    app = ReelApp(failing)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        app.query_one("#prompt").load_text("make a video")
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.link.outbox.waiting == ["make a video"]
        for _ in range(400):  # a loaded machine may take a while; only the outcome is asserted
            if app.status.connection == "offline" and app.chat.query(".-error"):
                break
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        errors = [e.copy_text for e in app.chat.query(".-error")]
        assert any("typed while connecting were not sent" in e for e in errors), errors
        assert app.link.outbox.waiting == []


def test_every_readme_picture_is_made_by_the_screenshot_script() -> None:
    """README pictures come from scripts/screenshots.py (the real app on the real engine), none by hand."""
    import re

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    pictures = set(re.findall(r"screenshots/([\w-]+)\.svg", readme))
    script = (root / "scripts" / "screenshots.py").read_text(encoding="utf-8")
    scenes = set(re.findall(r'^    "([\w-]+)": \(', script, re.MULTILINE))
    assert pictures and pictures <= scenes, pictures - scenes
    assert "preview" in pictures  # one with a real frame preview
    assert "ScriptedWorker" not in script and "BackendOpener" in script
    for name in pictures:
        svg = (root / "screenshots" / f"{name}.svg").read_text(encoding="utf-8")
        assert "plan_video" not in svg and "credits\xa0100" not in svg.replace("&#160;", "\xa0")


async def test_picker_filter_follows_the_backend_in_use(harness, media_dir: Path) -> None:
    from reelterm.protocol import LOCAL_UPLOADS, SUPPORTED_UPLOADS

    (media_dir / "home.mpg").write_bytes(b"\0" * 64)
    (media_dir / "song.flac").write_bytes(b"\0" * 64)
    assert "not supported" in (refusal(media_dir / "home.mpg") or "")  # the hosted API's 13 formats
    assert refusal(media_dir / "home.mpg", LOCAL_UPLOADS) is None
    h = harness(start_dir=media_dir)

    async def listed(pilot) -> list[str]:
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        tree = h.app.screen.query_one(MediaTree)
        names = sorted(str(n.data.path.name) for n in tree.root.children if n.data is not None)
        await pilot.press("escape")
        await pilot.pause(0.1)
        return names

    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        h.app.emit(ev.Connected("hosted", "https://api.example", "s1", False, {}, SUPPORTED_UPLOADS))
        await pilot.pause(0.1)
        hosted = await listed(pilot)
        h.app.emit(ev.Connected("local engine", "http://127.0.0.1:1", "s1", True, {}, LOCAL_UPLOADS))
        await pilot.pause(0.1)
        local = await listed(pilot)
    assert "home.mpg" not in hosted and "song.flac" not in hosted
    assert "home.mpg" in local and "song.flac" in local and "clip.mp4" in local
