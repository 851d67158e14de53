"""The command palette provider: every app action, searchable by name."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reelterm.tui.bindings import APP_KEYS, KeySpec, effective_key

PALETTE: tuple[KeySpec, ...] = tuple(spec for spec in APP_KEYS if spec.action != "command_palette")
EXTRA: tuple[tuple[str, str, str], ...] = (
    ("Timeline: zoom in", "timeline_action('zoom(0.5)')", "Show less time, in more detail"),
    ("Timeline: zoom out", "timeline_action('zoom(2)')", "Show more time"),
    ("Timeline: fit", "timeline_action('zoom_fit')", "Fit the whole timeline"),
    ("Timeline: preview the frame at the playhead", "preview_frame",
     "The composed frame the video shows at the playhead, rendered by the backend"),
    ("Timeline: preview the selected segment's source", "preview_segment",
     "Show a frame of the selected segment's own file or colour"),
    ("Timeline: undo the last change", "timeline_action('edit(\'undo\')')", "Undo the last change"),
    ("Timeline: redo", "timeline_action('edit(\'redo\')')", "Redo the change just undone"),
    ("Renders: copy the last finished path", "copy_last_path",
     "Copy the newest finished render's path"),
    ("Renders: cancel the running render", "cancel_running", "Cancel the newest running render"),
    ("Export: draft quality", "export('draft')", "Render quickly at draft quality"),
    ("Export: high quality", "export('high')", "Render at high quality"),
)
"""Actions that are reached by a panel key or only by the palette."""


NAMES = {
    "reelterm.help": "Help: list every key",
    "reelterm.upload": "Upload files",
    "reelterm.export": "Export the timeline to a video",
    "reelterm.refresh": "Refresh the timeline and credits",
    "reelterm.cancel_turn": "Stop the agent",
    "reelterm.copy_reply": "Copy the last reply",
    "reelterm.focus_chat": "Focus: message box",
    "reelterm.focus_timeline": "Focus: timeline",
    "reelterm.focus_renders": "Focus: render queue",
    "reelterm.focus_log": "Focus: chat log",
    "reelterm.new_session": "New session",
    "reelterm.sessions": "Sessions: list past sessions and switch",
    "reelterm.quit": "Quit reelterm",
}
"""Palette names: a binding's footer label is too short to stand alone ("Log", "Chat")."""


def entries(keymap: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(name, action, help) for every action; the help names the key (after remaps)."""
    out = []
    for spec in PALETTE:
        key = effective_key(spec, keymap or {}).split(",")[0]
        out.append((NAMES.get(spec.id, spec.description), spec.action, f"{spec.tooltip} · {key}"))
    return out + list(EXTRA)


class KeymapOwner(Protocol):
    """The app as the palette reads it: the key remaps from the settings (`ReelApp`)."""

    keymap_settings: dict[str, str]


class ReelCommands(Provider):
    """Every reelterm action."""

    @property
    def keymap(self) -> Mapping[str, str]:
        """The app's key remaps (the help of each entry names the key in force)."""
        # Listed only in `ReelApp.COMMANDS`; importing `ReelApp` here would be a cycle
        return cast(KeymapOwner, self.app).keymap_settings

    async def discover(self) -> Hits:
        """All actions, before anything is typed."""
        for name, action, help_text in entries(self.keymap):
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose name matches."""
        matcher = self.matcher(query)
        for name, action, help_text in entries(self.keymap):
            score = matcher.match(f"{name} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action),
                          help=help_text)
