"""The help screen (F1): every key, grouped, with what it does and its id for remapping."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from reelterm.tui.bindings import GROUPS, HELP_KEYS, bindings, effective_key


def keys_table(keymap: Mapping[str, str]) -> Table:
    """A table of every binding with the user's remaps applied."""
    table = Table(box=None, expand=True, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("key", no_wrap=True)
    table.add_column("does")
    table.add_column("id (remap in config.toml)", style="dim", no_wrap=True)
    for title, specs in GROUPS:
        table.add_row(f"[b]{title}[/b]", "", "")
        for spec in specs:
            keys = effective_key(spec, keymap).replace(",", " ")
            table.add_row(keys, spec.tooltip, spec.id)
        table.add_row("", "", "")
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
            yield Static(keys_table(self.keymap))
        yield Footer()  # this dialog's keys, not the main screen's

    def action_scroll(self, step: int) -> None:
        """Scroll the list."""
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)
