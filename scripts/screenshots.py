"""Make the SVG screenshots in `screenshots/` from the app with fixed data (no backend needed).

Run: `python scripts/screenshots.py [--out screenshots] [--text]`; `--text` prints each screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from reelterm.tui.app import ReelApp
from reelterm.tui.demo import URBAN_DREAMS, ScriptedWorker, screen_text, state_of
from reelterm.worker import events as ev

Scene = Callable[[ReelApp, "Clock", Path], Awaitable[None]]


class Clock:
    """A clock moved by hand, so elapsed times and ETAs are fixed."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def settle(app: ReelApp) -> None:
    """Let streams and layout finish."""
    for _ in range(4):
        await asyncio.sleep(0.05)
    await app.animator.wait_until_complete()


async def main_screen(app: ReelApp, clock: Clock, media: Path) -> None:
    """A turn done: the reply, the three-track timeline and a render in progress."""
    await app.chat.add_user("A 10 second city timelapse with lo-fi music, titled Urban Dreams")
    for event in (ev.ToolStarted("plan_video", "planning the storyboard"),
                  ev.ToolFinished("plan_video", "storyboard ready: 3 tracks"),
                  ev.ReplyFinal("Your draft **Urban Dreams** is on the timeline:\n\n"
                                "1. **Video**: city timelapse (0–10 s)\n"
                                "2. **Music**: lo-fi at 35%\n"
                                "3. **Title**: \"Urban Dreams\" (0–3 s)\n\n"
                                "Say *export* (or press ctrl+e) to render the MP4."),
                  ev.StateUpdated(state_of(URBAN_DREAMS)),
                  ev.TurnFinished(True),
                  ev.RenderQueued("render_1795291341667", "mp4", "high", 1920, 1080)):
        app.emit(event)
    await settle(app)
    clock.now += 12
    app.emit(ev.RenderProgress("render_1795291341667", 40.0, "processing"))
    await settle(app)
    app.timeline.focus()
    await settle(app)


async def streaming(app: ReelApp, clock: Clock, media: Path) -> None:
    """A reply mid-stream."""
    await app.chat.add_user("Make it feel like a rainy night")
    for event in (ev.ToolStarted("edit_draft", "recolouring the video"),
                  ev.ReplyDelta("Switching to a **rainy night** look:\n\n- cooler colours"),
                  ev.ReplyDelta("\n- rain ambience under the music at 20%\n- ")):
        app.emit(event)
    await settle(app)


async def picker(app: ReelApp, clock: Clock, media: Path) -> None:
    """The file picker with two files marked."""
    app.action_upload()
    await settle(app)
    tree = app.screen.query_one("MediaTree")
    for _ in range(2):
        tree.action_cursor_down()
        tree.action_mark()
    await settle(app)


async def error(app: ReelApp, clock: Clock, media: Path) -> None:
    """An error with the action to take."""
    await app.chat.add_user("export it")
    app.emit(ev.ErrorRaised("You are out of credits.",
                            "Register to get more credits, or top up credits in your account.",
                            2001))
    await settle(app)


async def help_screen(app: ReelApp, clock: Clock, media: Path) -> None:
    """F1: every key with its id."""
    app.action_help()
    await settle(app)


SCENES: dict[str, tuple[Scene, tuple[int, int]]] = {
    "main": (main_screen, (120, 32)),
    "streaming": (streaming, (120, 32)),
    "file-picker": (picker, (100, 30)),
    "error": (error, (100, 28)),
    "help": (help_screen, (120, 40)),
    "80x24": (main_screen, (80, 24)),
}


def make_media(root: Path) -> Path:
    """A folder of fixed files for the picker."""
    media = root / "media"
    (media / "b-roll").mkdir(parents=True, exist_ok=True)
    for name, size in (("city-timelapse.mp4", 18_874_368), ("lofi-loop.mp3", 3_145_728),
                       ("logo.png", 48_000), ("script.txt", 900)):
        with open(media / name, "wb") as handle:
            handle.truncate(size)
    return media


async def shoot(name: str, scene: Scene, size: tuple[int, int], out: Path, media: Path,
                text: bool) -> None:
    """Run one scene and save its SVG."""
    clock = Clock()
    app = ReelApp(lambda emit: ScriptedWorker(emit), clock=clock, start_dir=media)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.1)
        await scene(app, clock, media)
        await pilot.pause(0.1)
        app.save_screenshot(f"{name}.svg", path=str(out))
        if text:
            print(f"--- {name} ---\n{screen_text(app)}")


def main(argv: list[str] | None = None) -> int:
    """Write every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--text", action="store_true", help="print each screen as text too")
    parser.add_argument("scenes", nargs="*", help="only these scenes")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("REELTERM_HOME", str(Path(tmp) / "home"))
        media = make_media(Path(tmp))
        for name, (scene, size) in SCENES.items():
            if args.scenes and name not in args.scenes:
                continue
            asyncio.run(shoot(name, scene, size, args.out, media, args.text))
            print(f"wrote {args.out / (name + '.svg')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
