"""Pilot tests against the real local engine and the real backend worker (through the cli)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reelterm.config import Settings, app_paths
from reelterm.tui.app import ReelApp
from reelterm.tui.widgets.chat import Reply
from reelterm.tui.widgets.file_picker import FilePicker, MediaTree
from support.demo import screen_text, until

pytestmark = pytest.mark.slow


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture(scope="module")
def lavfi_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`clip.mp4` (1 s, 64x64) and `tone.wav` (1 s sine) generated with lavfi."""
    root = tmp_path_factory.mktemp("tui-media") / "media"
    root.mkdir()
    for name, source in (("clip.mp4", "testsrc=size=64x64:rate=10:duration=1"),
                         ("tone.wav", "sine=frequency=330:duration=1")):
        extra = ["-pix_fmt", "yuv420p"] if name.endswith(".mp4") else []
        subprocess.run([_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", source, *extra, str(root / name)], check=True, timeout=60)
    return root


def engine_app(start_dir: Path | None = None) -> ReelApp:
    """The app as `reelterm` opens it: the embedded engine and the real worker."""
    from reelterm.cli.app_backend import BackendOpener

    paths = app_paths().ensure()
    opener = BackendOpener(None, paths, Settings())
    return ReelApp(opener, start_dir=start_dir, on_shutdown=opener.aclose)




async def test_message_streams_from_the_engine() -> None:
    app = engine_app()
    seen: list[str] = []
    emit = app.link.emit  # the callback the worker is given

    def recording(event) -> None:
        seen.append(type(event).__name__)
        emit(event)

    app.link.emit = recording
    async with app.run_test(size=(120, 32)) as pilot:
        assert app.status.connection == "connecting…"
        await until(pilot, lambda: app.status.connection == "connected")
        assert app.status.backend == "local engine" and app.status.session.startswith("sess_")
        await pilot.press(*"hello", "enter")
        await until(pilot, lambda: app.query(Reply) and not app.status.activity)
        reply = app.query_one(Reply)
        assert reply.source and not reply.streaming
        assert seen.count("ReplyDelta") >= 2 and seen.index("ReplyDelta") < seen.index("ReplyFinal")
        text = screen_text(app)
        assert "hello" in text and reply.source.split()[0] in text


async def test_upload_merge_export_to_100(lavfi_media: Path) -> None:
    app = engine_app(start_dir=lavfi_media)
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: app.status.connection == "connected")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, FilePicker)
                    and len(app.screen.query_one(MediaTree).root.children) == 2)
        await pilot.press("j", "space", "j", "space", "u")
        await until(pilot, lambda: "Uploaded clip.mp4, tone.wav." in screen_text(app))
        assert app.local_files["clip.mp4"] == lavfi_media / "clip.mp4"
        await pilot.press(*"merge this audio and video into a single MP4 file", "enter")
        await until(pilot, lambda: app.timeline.draft is not None and app.timeline.draft.ready)
        text = screen_text(app)
        assert "Video" in text and "clip.mp4" in text and "tone.wav" in text
        await pilot.press("ctrl+e")
        await until(pilot, lambda: any(j.path for j in app.renders.jobs.values()))
        job = next(iter(app.renders.jobs.values()))
        assert job.progress == 100 and job.status == "completed" and job.path.exists()
        assert "100%" in screen_text(app)
        await pilot.press("f4", "y")
        assert app.clipboard == str(job.path)
        session = app.status.session
    # Restart: the session's timeline and the finished render come back.
    again = engine_app(start_dir=lavfi_media)
    async with again.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: again.timeline.draft is not None and job.id in again.renders.jobs
                    and f"Continuing session {session}" in screen_text(again))
        assert again.status.session == session
        assert again.renders.jobs[job.id].path == job.path
        assert str(job.path.name)[:20] in screen_text(again)


async def test_picker_duration_and_frame_preview(lavfi_media: Path) -> None:
    from reelterm.tui.preview import PreviewScreen, extract_frame

    image = extract_frame(lavfi_media / "clip.mp4", at_ms=500)
    assert image.size == (64, 64)
    app = ReelApp(start_dir=lavfi_media)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, FilePicker)
                    and len(app.screen.query_one(MediaTree).root.children) == 2)
        await pilot.press("j")
        await until(pilot, lambda: "KB · 1.0 s" in screen_text(app), timeout=20)
        await pilot.press("escape")
        await pilot.pause(0.1)
        app.push_screen(PreviewScreen("clip.mp4", lavfi_media / "clip.mp4", at_ms=500))
        await until(pilot, lambda: "64x64 at 0.5 s" in screen_text(app), timeout=20)
        await pilot.press("escape")


def test_a_real_frame_through_the_kitty_and_sixel_renderers(lavfi_media: Path, capfd) -> None:
    """What a Kitty/Sixel terminal would receive for a preview (no such terminal runs here)."""
    import io

    from rich.console import Console
    from textual_image.renderable.sixel import Image as SixelImage
    from textual_image.renderable.tgp import Image as KittyImage

    from reelterm.tui.preview import extract_frame

    frame = extract_frame(lavfi_media / "clip.mp4", at_ms=500)
    console = Console(width=20, height=6, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(SixelImage(frame, width=10))
    sixel = console.file.getvalue()
    assert "\x1bP0;0;0q" in sixel and sixel.rstrip().endswith("\x1b\\\x1b8")  # one DCS sixel image
    console = Console(width=20, height=6, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(KittyImage(frame, width=10))
    sent = capfd.readouterr().out  # the image itself goes straight to the terminal, once
    assert sent.startswith("\x1b_Gi=") and "f=100" in sent  # a PNG sent by the graphics protocol (chunked)
    assert sent.count("\x1b_Ga=p") == 1  # and placed once
    assert "\U0010eeee" in console.file.getvalue()  # then placeholders fill the cells
