"""Frame previews inside the terminal with textual-image (Kitty/Sixel, else half-blocks)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static

from reelterm.protocol import Segment as DraftSegment
from reelterm.protocol import Track
from reelterm.tui.bindings import PREVIEW_KEYS, bindings
from reelterm.tui.messages import PreviewRequested

STILL_TYPES = ("jpg", "jpeg", "png", "webp", "gif")


GRAPHICS_TERMS = ("kitty", "ghostty", "wezterm", "foot", "mlterm", "contour", "konsole")
GRAPHICS_PROGRAMS = ("WezTerm", "iTerm.app", "ghostty", "vscode", "mintty", "rio", "WarpTerminal")
_graphics = False


def _may_have_graphics(env: Mapping[str, str]) -> bool:
    """Whether the terminal is worth asking about Kitty/Sixel (asking a silent one costs 0.5 s)."""
    forced = env.get("REELTERM_IMAGES", "").strip().lower()
    if forced in ("0", "no", "off", "false"):
        return False
    if forced in ("1", "yes", "on", "true"):
        return True
    term = env.get("TERM", "").lower()
    return (any(name in term for name in GRAPHICS_TERMS) or "KITTY_WINDOW_ID" in env
            or env.get("TERM_PROGRAM", "") in GRAPHICS_PROGRAMS)


def prepare_terminal_images(env: Mapping[str, str] | None = None) -> bool:
    """Detect Kitty/Sixel support before the app takes over the terminal; True when found.

    Only terminals likely to have graphics are asked (`REELTERM_IMAGES=1` forces it, `0`
    skips it); everywhere else previews use reelterm's own half-block drawing.
    """
    global _graphics
    if not _may_have_graphics(os.environ if env is None else env):
        return False
    try:
        import textual_image.widget as widget  # the import queries the terminal once

        _graphics = widget.Image.__name__ != "AutoImage" or _auto_is_graphic()
    except Exception:  # noqa: BLE001 - previews are optional
        _graphics = False
    return _graphics


def graphics_enabled() -> bool:
    """True when the terminal answered for Kitty/Sixel pictures at start."""
    return _graphics


def load_image(path: Path, max_side: int = 960) -> Any:
    """A PIL image of a still file, fitted within `max_side` (raises on failure); a JPEG is decoded
    at a reduced scale straight away (a 1080p frame at half size: about 4x less work)."""
    from PIL import Image

    with Image.open(path) as opened:
        opened.draft("RGB", (max_side, max_side))
        image = opened.convert("RGB")
    image.thumbnail((max_side, max_side))
    return image


def _auto_is_graphic() -> bool:
    from textual_image.renderable import Image, SixelImage, TGPImage

    return Image in (SixelImage, TGPImage)


class HalfBlocks:
    """A picture as coloured half-blocks (two pixels a cell), fitted to the space given."""

    def __init__(self, image: Any) -> None:
        self.image = image

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        image = self.image
        width = max(1, min(options.max_width, image.width))
        height = max(2, round(width * image.height / image.width))
        if options.height and height > options.height * 2:
            height = options.height * 2
            width = max(1, round(height * image.width / image.height))
        pixels = image.convert("RGB").resize((width, height + height % 2)).load()
        for y in range(0, height, 2):
            for x in range(width):
                top, bottom = pixels[x, y], pixels[x, y + 1]
                yield Segment("▀", Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom)))
            yield Segment.line()


def extract_frame(path: Path, at_ms: int = 0, max_side: int = 640) -> Any:
    """A PIL image of the frame at `at_ms` (a still is opened as is); raises on failure."""
    from PIL import Image

    image: Image.Image | None = None
    if path.suffix.lower().lstrip(".") in STILL_TYPES:
        image = Image.open(path)
        image.load()
    else:
        import av

        with av.open(str(path)) as container:
            if not container.streams.video:
                raise ValueError(f"{path.name} has no pictures.")
            stream = container.streams.video[0]
            if at_ms > 0:
                container.seek(int(at_ms * 1000), backward=True, any_frame=False)
            for frame in container.decode(stream):
                # PyAV's stub leaves `to_image(**kwargs)` unannotated; it returns a PIL image
                image = frame.to_image()  # type: ignore[no-untyped-call]
                if frame.time is None or frame.time * 1000 >= at_ms - 40:
                    break
    if image is None:
        raise ValueError(f"{path.name} has no frame at {at_ms / 1000:.1f} s.")
    rgb = image.convert("RGB")
    rgb.thumbnail((max_side, max_side))
    return rgb


def color_image(spec: str, size: tuple[int, int] = (320, 180)) -> Any:
    """A picture of a `color:#RRGGBB` or `gradient:#A,#B` reference."""
    from PIL import Image

    kind, _, value = spec.partition(":")
    colors = value.split(",") if kind == "gradient" else [value]
    first = Image.new("RGB", size, colors[0])
    if len(colors) < 2:
        return first
    second = Image.new("RGB", size, colors[1])
    mask = Image.linear_gradient("L").resize(size).rotate(90, expand=False)
    return Image.composite(first, second, mask)


def segment_preview(track: Track, seg: DraftSegment, local_files: Mapping[str, Path]) -> PreviewRequested | str:
    """What previewing a timeline segment asks for, or the sentence saying why it cannot."""
    src = seg.src or ""
    if track.kind in ("text", "audio"):
        return (f"{track.kind.title()} segments have no picture; select a video segment, "
                "or preview a finished render (F4, then p).")
    if src.startswith(("color:", "gradient:")):
        return PreviewRequested(seg.label, color=src)
    local = local_files.get(src) or local_files.get(seg.m.name or "")
    if local is None:
        why = ("its file is not on this machine: it was moved, or uploaded from elsewhere"
               if src.startswith("upload:") else "it is on the backend only")
        return f"No local copy of {seg.label} to preview ({why})."
    return PreviewRequested(seg.label, path=local, at_ms=seg.in_)


class PreviewScreen(ModalScreen[None]):
    """A frame, shown as big as the screen allows; any key closes it."""

    BINDINGS = bindings(PREVIEW_KEYS)
    DEFAULT_CSS = """
    PreviewScreen { align: center middle; }
    PreviewScreen > Vertical {
        width: 80%; height: 80%; border: thick $primary; background: $surface;
    }
    PreviewScreen .preview-status { color: $text-muted; padding: 0 1; height: auto; }
    PreviewScreen .preview-image { width: 1fr; height: 1fr; }
    """

    def __init__(self, title: str, path: Path | None = None, at_ms: int = 0,
                 color: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.path = path
        self.at_ms = at_ms
        self.color = color

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = "esc close"
            yield Static("Extracting the frame…", classes="preview-status", markup=False)
        yield Footer()  # this dialog's keys, not the main screen's

    def on_mount(self) -> None:
        """Extract the frame in a thread."""
        self._load()

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _load(self) -> None:
        try:
            if self.color:
                image = color_image(self.color)
            elif self.path is not None:
                image = extract_frame(self.path, self.at_ms)
            else:
                raise ValueError("There is no local file for this segment to preview.")
        except Exception as exc:  # noqa: BLE001 - show any failure as a sentence
            self.app.call_from_thread(self._failed, str(exc) or type(exc).__name__)
            return
        # Textual awaits a coroutine function here; mypy infers `Never` from its `R | Awaitable[R]`
        self.app.call_from_thread(self._show, image)  # type: ignore[arg-type]

    def _failed(self, sentence: str) -> None:
        self.query_one(".preview-status", Static).update(f"No preview: {sentence}")

    async def _show(self, image: Any) -> None:
        widget: Widget = Static(HalfBlocks(image), classes="preview-image")
        if _graphics and not self.app.is_headless:
            try:
                from textual_image.widget import Image

                widget = Image(image, classes="preview-image")
            except Exception:  # noqa: BLE001 - half-blocks are fine
                pass
        status = self.query_one(".preview-status", Static)
        status.update(f"{image.width}x{image.height} at {self.at_ms / 1000:.1f} s"
                      if not self.color else self.color)
        await self.query_one(Vertical).mount(widget)
