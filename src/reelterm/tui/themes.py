"""The app's theme from `config.toml`: Textual's themes, with older names still accepted."""

from __future__ import annotations

from typing import Any

from textual.app import App

THEME_ALIASES = {"textual-ansi": "ansi-dark", "ansi": "ansi-dark"}
"""Older names of Textual's ANSI themes (the terminal's own 16 colours)."""


def use_theme(app: App[Any], wanted: str | None) -> list[str]:
    """Switch `app` to the theme named in the settings; returns the problem, if any, as a sentence."""
    if not wanted:
        return []
    name = THEME_ALIASES.get(wanted, wanted)
    if name not in app.available_themes:
        return [f"Unknown theme {wanted!r}; using {app.theme}."]
    app.theme = name
    return []
