"""The help screen (F1): every key, grouped, with what it does and its id for remapping."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from reelterm.tui.bindings import GROUPS, HELP_KEYS, bindings, effective_key

ID_COLUMN_FROM = 100
"""Help boxes at least this wide list the ids in their own column; narrower ones under each line."""


def keys_table(keymap: Mapping[str, str], width: int = ID_COLUMN_FROM) -> Table:
    """A table of every binding with the user's remaps applied; `width` is the room it has.

    The description gets the room: in narrow boxes each id is a dim line under its description.
    """
    table = Table(box=None, expand=True, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("key", no_wrap=True, max_width=14, overflow="fold")
    table.add_column("does", ratio=1)
    beside = width >= ID_COLUMN_FROM
    if beside:
        table.add_column("id (remap in config.toml)", style="dim", no_wrap=True)
    else:
        table.columns[1].header = "does · [dim]id (remap in config.toml)[/dim]"
    for title, specs in GROUPS:
        table.add_row(f"[b]{title}[/b]", "", *([""] if beside else []))
        for spec in specs:
            keys = effective_key(spec, keymap).replace(",", " ")
            if beside:
                table.add_row(keys, spec.tooltip, spec.id)
            else:
                table.add_row(keys, Text.assemble(spec.tooltip, "\n", (spec.id, "dim")))
        table.add_row("", "", *([""] if beside else []))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key the app knows."""

    BINDINGS = bindings(HELP_KEYS)
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 110; height: 90%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = dict(keymap)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc close · ctrl+p every action"
            yield Static(keys_table(self.keymap, self.app.size.width), id="help-keys")
        yield Footer()  # this dialog's keys, not the main screen's

    def on_resize(self) -> None:
        """Ids beside or under the descriptions, as the width allows."""
        self.query_one("#help-keys", Static).update(keys_table(self.keymap, self.app.size.width))

    def action_scroll(self, step: int) -> None:
        """Scroll the list."""
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)
