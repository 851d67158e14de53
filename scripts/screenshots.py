"""Make the SVG screenshots in `screenshots/` from the real app on the real local engine.

Every picture is the app as a user runs it: `reelterm`'s own backend opener starts the embedded
engine in a fresh home, the real worker talks to it over HTTP, messages are typed as keys, and
previews are frames the engine rendered. Nothing is scripted but the keys pressed and the moment
the picture is taken (for "streaming", the reply's later pieces are held back until the picture
is saved, then let through).

Run: `python scripts/screenshots.py [--out screenshots] [--text] [scene ...]`; `--text` prints each screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

PROMPT = ("make a 20-second video about Brewlab, a cold brew coffee maker that brews in 10 minutes, "
          "with upbeat music")


def ffmpeg() -> str:
    """The bundled ffmpeg."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def make_media(root: Path) -> Path:
    """Real little files for the picker: a clip, a tone, a picture and a script."""
    media = root / "media"
    (media / "b-roll").mkdir(parents=True, exist_ok=True)
    for name, source in (("pouring.mp4", "testsrc2=size=320x180:rate=25:duration=3"),
                         ("jingle.wav", "sine=frequency=440:duration=2"),
                         ("b-roll/beans.mp4", "mandelbrot=size=320x180:rate=25,trim=duration=2")):
        extra = ["-pix_fmt", "yuv420p"] if name.endswith(".mp4") else []
        subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,  # noqa: S603
                        *extra, str(media / name)], check=True, timeout=120)
    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (256, 256), (40, 24, 16))
    ImageDraw.Draw(logo).ellipse((48, 48, 208, 208), fill=(200, 140, 80))
    logo.save(media / "logo.png")
    (media / "script.txt").write_text("Brewlab makes cold brew in ten minutes.\n", encoding="utf-8")
    return media


class Shot:
    """One app run on its own engine home, with helpers to type and wait."""

    def __init__(self, app: Any, pilot: Any) -> None:
        self.app, self.pilot = app, pilot

    async def until(self, check: Callable[[], object], timeout: float = 120.0) -> None:
        """Wait until `check()` is true."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not check():
            if loop.time() > end:
                raise SystemExit(f"timed out waiting for the app:\n{screen_text(self.app)}")
            await self.pilot.pause(0.1)

    async def connected(self) -> None:
        """Wait for the engine."""
        await self.until(lambda: self.app.status.connection == "connected")

    async def say(self, text: str) -> None:
        """Type a message and send it."""
        self.app.query_one("#prompt").load_text(text)
        await self.pilot.press("enter")

    async def video(self) -> None:
        """Ask for a video and wait for its timeline and the end of the turn."""
        await self.connected()
        await self.say(PROMPT)
        await self.until(lambda: self.app.timeline.draft is not None and self.app.timeline.draft.ready
                         and not self.app.status.activity)
        await self.settle()

    async def settle(self) -> None:
        """Let streams and layout finish."""
        for _ in range(5):
            await self.pilot.pause(0.05)
        await self.app.animator.wait_until_complete()


def screen_text(app: Any) -> str:
    """The app's screen as plain text."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True,
                      color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


async def main_screen(shot: Shot, media: Path) -> None:
    """A video made from one sentence; its export under way."""
    await shot.video()
    shot.app.export_quality = "standard"
    await shot.pilot.press("ctrl+e")
    await shot.until(lambda: any(j.progress >= 20 for j in shot.app.renders.jobs.values()))
    await shot.pilot.press("f3")
    await shot.settle()


async def streaming(shot: Shot, media: Path) -> None:
    """The agent's reply mid-stream (its later pieces held back until the picture is taken)."""
    from reelterm.worker import events as ev

    await shot.video()
    held: list[Any] = []
    worker = shot.app.link.backend  # the worker's own callback (the app's emit was handed to it at start)
    emit = worker.emit
    deltas = [0]

    def holding(event: Any) -> None:
        if isinstance(event, ev.ReplyDelta):
            deltas[0] += 1
        if deltas[0] > 6 or held:
            held.append(event)
        else:
            emit(event)

    worker.emit = holding
    await shot.say("what can you do?")
    await shot.until(lambda: held)
    await shot.settle()
    shot.release = lambda: [emit(event) for event in held]  # type: ignore[attr-defined]


async def picker(shot: Shot, media: Path) -> None:
    """The file picker with two files marked."""
    await shot.connected()
    await shot.pilot.press("ctrl+o")
    await shot.until(lambda: shot.app.screen.query("MediaTree"))
    await shot.settle()
    await shot.pilot.press("j", "j", "space", "j", "space")
    await shot.until(lambda: "marked" in screen_text(shot.app) or True)
    await shot.settle()


async def error(shot: Shot, media: Path) -> None:
    """A real refusal with what to do about it: a file type the backend does not take."""
    await shot.connected()
    (media / "notes.xyz").write_text("not media\n", encoding="utf-8")
    await shot.say(f"upload {media / 'notes.xyz'}")
    await shot.until(lambda: shot.app.chat.query(".-error"))
    await shot.settle()


async def help_screen(shot: Shot, media: Path) -> None:
    """F1: every key with its id."""
    await shot.connected()
    await shot.pilot.press("f1")
    await shot.settle()


async def preview(shot: Shot, media: Path) -> None:
    """160x45: the frame at the playhead as the engine renders it, a storyboard, an edit by key."""
    await shot.video()
    app = shot.app
    await shot.pilot.press("f3", "l", "F", "F")
    await shot.until(lambda: app.frames.pane.shown == app.frames.current_frame()
                     and not app.frames.pane.query(".board-slot"))
    await shot.pilot.press("right_square_bracket")
    await shot.until(lambda: not app.status.activity and app.frames.pane.shown == app.frames.current_frame()
                     and len(app.chat.query(".-user")) >= 2, timeout=180)
    await shot.until(lambda: not app.frames.pane.query(".board-slot"))
    await shot.settle()


async def sessions(shot: Shot, media: Path) -> None:
    """F7: the sessions of this engine, with title, length, messages and date."""
    await shot.video()
    await shot.pilot.press("ctrl+n")
    await shot.until(lambda: not shot.app.timeline.draft)
    await shot.say("make a 10-second video about a quiet library at night")
    await shot.until(lambda: shot.app.timeline.draft is not None and shot.app.timeline.draft.ready
                     and not shot.app.status.activity)
    await shot.pilot.press("f7")
    await shot.until(lambda: getattr(shot.app.screen, "ids", None))
    await shot.settle()


Scene = Callable[[Shot, Path], Awaitable[None]]
SCENES: dict[str, tuple[Scene, tuple[int, int]]] = {
    "main": (main_screen, (120, 32)),
    "streaming": (streaming, (120, 32)),
    "file-picker": (picker, (100, 30)),
    "error": (error, (100, 28)),
    "help": (help_screen, (120, 40)),
    "80x24": (main_screen, (80, 24)),
    "preview": (preview, (160, 45)),
    "sessions": (sessions, (120, 32)),
}


async def shoot(name: str, scene: Scene, size: tuple[int, int], out: Path, media: Path, home: Path,
                text: bool) -> None:
    """Run one scene on a fresh engine home and save its SVG."""
    from reelterm.cli.app_backend import BackendOpener
    from reelterm.config import Settings, app_paths
    from reelterm.tui.app import ReelApp

    os.environ["REELTERM_HOME"] = str(home / name)
    paths = app_paths().ensure()
    opener = BackendOpener("local", paths, Settings())
    app = ReelApp(opener, start_dir=media, on_shutdown=opener.aclose)
    async with app.run_test(size=size) as pilot:
        shot = Shot(app, pilot)
        await scene(shot, media)
        app.save_screenshot(f"{name}.svg", path=str(out))
        if text:
            print(f"--- {name} ---\n{screen_text(app)}")
        release = getattr(shot, "release", None)
        if release is not None:
            release()
            await pilot.pause(0.3)


def main(argv: list[str] | None = None) -> int:
    """Write every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--text", action="store_true", help="print each screen as text too")
    parser.add_argument("scenes", nargs="*", help="only these scenes")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("REELTERM_IMAGES", "0")  # half-blocks: an SVG cannot hold Kitty/Sixel pictures
    with tempfile.TemporaryDirectory() as tmp:
        media = make_media(Path(tmp))
        for name, (scene, size) in SCENES.items():
            if args.scenes and name not in args.scenes:
                continue
            asyncio.run(shoot(name, scene, size, args.out.resolve(), media, Path(tmp) / "homes", args.text))
            print(f"wrote {args.out / (name + '.svg')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
