"""The command palette provider: every app action, searchable by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reelterm.tui.bindings import APP_KEYS, KeySpec

PALETTE: tuple[KeySpec, ...] = tuple(spec for spec in APP_KEYS if spec.action != "command_palette")
EXTRA: tuple[tuple[str, str, str], ...] = (
    ("Timeline: zoom in", "timeline_action('zoom(0.5)')", "Show less time, in more detail"),
    ("Timeline: zoom out", "timeline_action('zoom(2)')", "Show more time"),
    ("Timeline: fit", "timeline_action('zoom_fit')", "Fit the whole timeline"),
    ("Timeline: preview the selected segment", "preview_segment",
     "Show a frame of the selected segment"),
    ("Renders: copy the last finished path", "copy_last_path",
     "Copy the newest finished render's path"),
    ("Renders: cancel the running render", "cancel_running", "Cancel the newest running render"),
    ("Export: draft quality", "export('draft')", "Render quickly at draft quality"),
    ("Export: high quality", "export('high')", "Render at high quality"),
)
"""Actions that are reached by a panel key or only by the palette."""


def entries() -> list[tuple[str, str, str]]:
    """(name, action, help) for every action."""
    out = [(spec.description if spec.action != "quit" else "Quit reelterm", spec.action,
            spec.tooltip) for spec in PALETTE]
    return out + list(EXTRA)




class ReelCommands(Provider):
    """Every reelterm action."""

    async def discover(self) -> Hits:
        """All actions, before anything is typed."""
        for name, action, help_text in entries():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose name matches."""
        matcher = self.matcher(query)
        for name, action, help_text in entries():
            score = matcher.match(f"{name} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action),
                          help=help_text)
