"""A TextArea that draws nothing, instead of raising, when it is asked to draw while unstyled."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea


class SafeTextArea(TextArea):
    """Textual's TextArea, safe to draw after removal (or before its first styling).

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
