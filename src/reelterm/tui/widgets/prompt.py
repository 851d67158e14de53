"""The message box: enter sends, ctrl+j breaks the line, up/down walk the sent history."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message

from reelterm.tui.bindings import PROMPT_KEYS, bindings
from reelterm.tui.history import HISTORY_LIMIT
from reelterm.tui.paste import clean_text
from reelterm.tui.widgets.safe_text import SafeTextArea


class PromptArea(SafeTextArea):
    """The message box: enter sends, ctrl+j breaks the line, up/down walk the history."""

    BINDINGS = bindings(PROMPT_KEYS)
    DEFAULT_CSS = """
    PromptArea { height: auto; min-height: 3; max-height: 8; }
    """

    class Submitted(Message):
        """The user sent a message."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.sent_history: list[str] = []
        self._history_index = 0
        self._draft = ""

    def on_mount(self) -> None:
        """No blinking cursor in headless runs (tests, screenshots)."""
        if self.app.is_headless:
            self.cursor_blink = False
        self.border_subtitle = "enter send · ctrl+j new line · ↑↓ history"

    async def _on_key(self, event: events.Key) -> None:
        """Keys bound here (send, new line, history) skip the text insert and reach the bindings.

        They are not priority bindings on purpose: a priority key is handled as soon as it is
        read, before the characters typed just ahead of it are inserted, so a fast typist (or
        tmux send-keys) would send half a message.
        """
        if event.key in self._bindings.key_to_bindings:
            event.prevent_default()  # TextArea's own handler must not insert it; the event bubbles on

    def action_send(self) -> None:
        """Send the text (unless it is blank) and remember it."""
        text = clean_text(self.text).strip()
        if not text:
            return
        if text in self.sent_history:  # one copy, at the newest place
            self.sent_history.remove(text)
        self.sent_history.append(text)
        del self.sent_history[:-HISTORY_LIMIT]
        self._history_index = len(self.sent_history)
        self._draft = ""
        self.clear()
        self.post_message(self.Submitted(text))

    def set_history(self, messages: list[str]) -> None:
        """Messages sent in earlier runs (oldest first); up walks back through them."""
        self.sent_history = list(messages)[-HISTORY_LIMIT:]
        self._history_index = len(self.sent_history)

    def action_newline(self) -> None:
        """Insert a line break."""
        self.insert("\n")

    def action_history(self, step: int) -> None:
        """Older (-1) or newer (1) sent message; moves the cursor when not on an edge line."""
        row = self.cursor_location[0]
        last_row = self.document.line_count - 1
        if step < 0 and row > 0:
            self.action_cursor_up()
            return
        if step > 0 and row < last_row:
            self.action_cursor_down()
            return
        if not self.sent_history:
            return
        if self._history_index == len(self.sent_history):
            self._draft = self.text
        index = max(0, min(len(self.sent_history), self._history_index + step))
        if index == self._history_index:
            return
        self._history_index = index
        self.load_text(self.sent_history[index] if index < len(self.sent_history) else self._draft)
        self.move_cursor(self.document.end)
