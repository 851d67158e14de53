"""The main screen: its footer lists the focused panel's keys first, then the app's in a fixed order."""

from __future__ import annotations

from textual.binding import ActiveBinding
from textual.screen import Screen

from reelterm.tui.bindings import APP_KEYS

APP_ORDER = {spec.id: index for index, spec in enumerate(APP_KEYS)}


class MainScreen(Screen[None]):
    """The app's default screen."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual orders keys by where each key was first bound, so the message box's own
        ctrl+e would put Export first; here the panel's keys lead and the app's follow in order."""
        bindings = super().active_bindings
        local = {k: v for k, v in bindings.items() if v.binding.id not in APP_ORDER}
        app_keys = sorted(((k, v) for k, v in bindings.items() if v.binding.id in APP_ORDER),
                          key=lambda item: APP_ORDER[item[1].binding.id or ""])
        return {**local, **dict(app_keys)}
