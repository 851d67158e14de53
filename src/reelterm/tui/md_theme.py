"""Rich Markdown styles taken from the Textual theme, so replies match the rest of the app."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from rich.color import Color as RichColor
from rich.console import Console
from rich.style import Style
from rich.theme import Theme
from textual.color import Color

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class MarkdownLook:
    """A console whose theme styles Markdown like the app, and the code blocks' Pygments theme."""

    console: Console
    code_theme: str
    theme: Theme

    def thread_console(self, width: int) -> Console:
        """A console of its own for rendering in a thread (same theme)."""
        return Console(width=max(1, width), color_system="truecolor", force_terminal=True,
                       legacy_windows=False, file=io.StringIO(), theme=self.theme)


def _color(variables: dict[str, str], *names: str) -> RichColor | None:
    """The first of `names` that is an opaque colour, as a Rich colour (None when none is)."""
    for name in names:
        value = variables.get(name)
        if not value:
            continue
        try:
            color = Color.parse(value)
        except Exception:  # noqa: BLE001 - `auto 60%` and the like: try the next name
            continue
        if color.a >= 0.99 or color.ansi is not None:
            return color.rich_color
    return None


def _text_style(value: str | None) -> set[str]:
    return set((value or "").split()) & {"bold", "italic", "underline", "reverse", "strike"}


def markdown_styles(variables: dict[str, str], dark: bool) -> dict[str, Style]:
    """`markdown.*` styles from a Textual theme's variables (Rich's defaults for anything else)."""
    primary = _color(variables, "text-primary", "primary")
    secondary = _color(variables, "text-secondary", "secondary")
    accent = _color(variables, "text-accent", "accent")
    warning = _color(variables, "text-warning", "warning")
    code_bg = _color(variables, "surface", "panel")
    styles = {
        "markdown.code": Style(color=accent, bgcolor=code_bg, bold=True),
        "markdown.code_block": Style(bgcolor=code_bg),
        "markdown.block_quote": Style(color=secondary, italic=True),
        "markdown.list": Style(color=accent),
        "markdown.item.bullet": Style(color=accent, bold=True),
        "markdown.item.number": Style(color=accent),
        "markdown.hr": Style(color=secondary),
        "markdown.link": Style(color=primary),
        "markdown.link_url": Style(color=primary, underline=True),
        "markdown.table.border": Style(color=secondary),
        "markdown.table.header": Style(color=primary, bold=True),
        "markdown.kbd": Style(color=warning, bold=True),
        "markdown.h1.border": Style(color=primary),
    }
    for level in HEADINGS:
        color = _color(variables, f"markdown-{level}-color") or primary
        flags = _text_style(variables.get(f"markdown-{level}-text-style")) or {"bold"}
        if level in ("h1", "h2"):
            flags = flags | {"bold"}
        styles[f"markdown.{level}"] = Style(color=color, bold="bold" in flags or None, italic="italic" in flags or None,
                                           underline="underline" in flags or None,
                                           reverse="reverse" in flags or None, strike="strike" in flags or None)
    return styles


_looks: dict[tuple[Any, ...], MarkdownLook] = {}


def markdown_look(app: Any) -> MarkdownLook:
    """The look for the app's current theme (built once per theme)."""
    theme = app.current_theme
    key = (theme.name, theme.dark, app.ansi_color)
    look = _looks.get(key)
    if look is None:
        variables = dict(app.theme_variables)
        ansi = "ansi" in theme.name or app.ansi_color
        code = ("ansi_dark" if theme.dark else "ansi_light") if ansi else (
            "monokai" if theme.dark else "default")
        rich_theme = Theme(markdown_styles(variables, theme.dark), inherit=True)
        console = Console(width=80, color_system="truecolor", force_terminal=True,
                          legacy_windows=False, file=io.StringIO(), theme=rich_theme)
        look = _looks[key] = MarkdownLook(console, code, rich_theme)
    return look
