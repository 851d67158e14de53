"""The preview pane (wide terminals): the rendered frame at the playhead and a storyboard strip."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from reelterm.tui import preview as frames


def cells_for(image: Any, cols: int, rows: int) -> tuple[int, int]:
    """The cells (columns, rows) a picture takes when fitted in `cols` x `rows` (2 pixels a cell)."""
    scale = min(cols / image.width, 2 * rows / image.height)
    return max(1, int(image.width * scale)), max(1, int(image.height * scale / 2))


def picture(image: Any, classes: str, cols: int, rows: int) -> Widget:
    """A widget showing a PIL image fitted in `cols` x `rows` cells: Kitty/Sixel when the terminal
    has them, else half-blocks."""
    width, height = cells_for(image, cols, rows)
    widget: Widget | None = None
    if frames.graphics_enabled():
        try:
            from textual_image.widget import Image

            widget = Image(image, classes=classes)
        except Exception:  # noqa: BLE001 - half-blocks are fine
            widget = None
    if widget is None:
        widget = Static(frames.HalfBlocks(image.resize((width, height * 2))), classes=classes)
    widget.styles.width, widget.styles.height = width, height
    return widget


class PreviewPane(Vertical):
    """The composed frame at the playhead, as the backend renders it, and one frame per scene."""

    DEFAULT_CSS = """
    PreviewPane { height: 1fr; border: round $panel-lighten-2; border-title-color: $text-muted; }
    PreviewPane .pane-status { color: $text-muted; height: auto; padding: 0 1; }
    PreviewPane #pane-frame { height: 1fr; align: center top; }
    PreviewPane #storyboard { height: 5; }
    PreviewPane #storyboard > .board-image { margin: 0 1 0 0; }
    PreviewPane #storyboard > .board-slot { width: 17; height: 5; margin: 0 1 0 0; color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[str, int] | None = None
        """(draft key, time) of the frame on screen; None while nothing current is shown."""
        self.board: tuple[str, tuple[int, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield Static("No timeline yet.", classes="pane-status", markup=False)
        yield Vertical(id="pane-frame")
        yield Horizontal(id="storyboard")

    def on_mount(self) -> None:
        self.border_title = "Preview"

    async def show_status(self, text: str) -> None:
        """Say what is happening; any frame on screen goes (it would no longer be current)."""
        self.shown = None
        self.query_one(".pane-status", Static).update(text)
        await self.query_one("#pane-frame").remove_children()

    async def show_frame(self, key: str, at_ms: int, image: Any, note: str) -> None:
        """Show the frame of draft `key` at `at_ms`."""
        self.shown = (key, at_ms)
        self.query_one(".pane-status", Static).update(note)
        box = self.query_one("#pane-frame")
        await box.remove_children()
        await box.mount(picture(image, "pane-image", max(8, box.size.width), max(2, box.size.height)))

    async def set_board(self, key: str, times: tuple[int, ...]) -> None:
        """Empty slots for a storyboard of draft `key` (one frame per scene)."""
        self.board = (key, times)
        strip = self.query_one("#storyboard")
        await strip.remove_children()
        await strip.mount_all([Static(f"scene {i + 1}\n…", classes="board-slot", id=f"board-{i}")
                               for i in range(len(times))])

    async def board_frame(self, key: str, at_ms: int, image: Any) -> None:
        """Fill the storyboard slot of `at_ms` when the strip still shows draft `key`."""
        if self.board is None or self.board[0] != key or at_ms not in self.board[1]:
            return
        index = self.board[1].index(at_ms)
        slot = self.query(f"#board-{index}")
        if slot:
            await self.query_one("#storyboard").mount(picture(image, "board-image", 17, 5),
                                                       before=slot.first())
            await slot.first().remove()
