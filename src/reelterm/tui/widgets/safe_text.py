"""A TextArea that takes pastes without escape sequences and never raises when drawn unstyled."""

from __future__ import annotations

from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from reelterm.tui.paste import clean_text


class SafeTextArea(TextArea):
    """Textual's TextArea, safe to draw after removal (or before its first styling), and pastes
    without terminal escape sequences or control characters (`clean_text`).

    `TextArea.render_lines` asks for its component styles (`text-area--gutter` first). Removing
    a widget clears them (`Widget._on_prune`), but until the screen's next layout the compositor
    still maps the old region to it: a mouse move there (`Screen.get_style_at`) or a late refresh
    (the cursor blink) draws it again and the `KeyError` used to end the app. Blank lines instead.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        """Blank lines while the component styles are missing; TextArea's lines otherwise."""
        try:
            self.get_component_styles("text-area--gutter")
        except KeyError:
            return [Strip.blank(crop.width)] * crop.height
        return super().render_lines(crop)

    async def _on_paste(self, event: events.Paste) -> None:
        """Insert the pasted text, cleaned, in place of TextArea's own insert."""
        event.prevent_default()  # TextArea's handler would insert it as it came
        if self.read_only:
            return
        if result := self._replace_via_keyboard(clean_text(event.text), *self.selection):
            self.move_cursor(result.end_location)
            self.focus()
