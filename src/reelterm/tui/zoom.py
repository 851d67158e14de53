"""One panel at a time: the focused panel fills the screen (the chat keeps its message box)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget

ZOOM_CLASSES = ("-zoom-chat", "-zoom-timeline", "-zoom-renders")
"""Screen classes that hide every panel but one (see app.tcss)."""


def zoom_target(focused: Widget | None) -> str:
    """The zoom class for the panel holding `focused`: the timeline, the renders, else the chat."""
    ids = {node.id for node in focused.ancestors_with_self} if focused is not None else set()
    if "timeline" in ids:
        return "-zoom-timeline"
    if "renders" in ids:
        return "-zoom-renders"
    return "-zoom-chat"


def toggle_zoom(screen: Screen[Any], focused: Widget | None) -> str | None:
    """Zoom the focused panel, or show every panel again; returns the zoom class now in force."""
    zoomed = any(screen.has_class(name) for name in ZOOM_CLASSES)
    screen.remove_class(*ZOOM_CLASSES)
    if zoomed:
        return None
    target = zoom_target(focused)
    screen.add_class(target)
    return target
