"""The inline editor of a text segment's words: enter sends them, escape closes it unchanged."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message

from reelterm.tui.bindings import TEXT_EDITOR_KEYS, bindings
from reelterm.tui.paste import clean_text
from reelterm.tui.widgets.safe_text import SafeTextArea


class SegmentTextEditor(SafeTextArea):
    """Edits the words of one text segment in place, under the timeline."""

    BINDINGS = bindings(TEXT_EDITOR_KEYS)
    DEFAULT_CSS = """
    SegmentTextEditor { height: auto; min-height: 3; max-height: 8; border: round $accent; }
    """

    class Saved(Message):
        """The user confirmed the new words of segment `segment_id`."""

        def __init__(self, segment_id: str, text: str) -> None:
            super().__init__()
            self.segment_id = segment_id
            self.text = text

    class Closed(Message):
        """The editor closed without a change."""

    def __init__(self, segment_id: str, text: str, **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.segment_id = segment_id

    def on_mount(self) -> None:
        """Title, cursor at the end, no blinking in headless runs."""
        self.border_title = "New words for the text segment"
        self.border_subtitle = "enter send · ctrl+j new line · esc cancel"
        if self.app.is_headless:
            self.cursor_blink = False
        self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in self._bindings.key_to_bindings:
            event.prevent_default()  # reach the bindings instead of inserting

    def action_save(self) -> None:
        """Send the words (as typed: quotes and line breaks are kept)."""
        self.post_message(self.Saved(self.segment_id, clean_text(self.text).rstrip("\n")))

    def action_newline(self) -> None:
        """Insert a line break."""
        self.insert("\n")

    def action_cancel(self) -> None:
        """Close without sending."""
        self.post_message(self.Closed())
