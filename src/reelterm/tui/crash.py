"""What the app does with an error no handler caught: keep the user's words, log it, say so."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import TextArea

from reelterm.tui.history import save_history
from reelterm.tui.widgets.prompt import PromptArea

log = logging.getLogger("reelterm.tui")


def unsent_words(app: App[Any]) -> list[str]:
    """The words typed but not sent: the message box's and an open text editor's (main screen)."""
    if not app.screen_stack:
        return []
    words = []
    for area in app.screen_stack[0].query(TextArea):
        text = area.text.strip()
        if text:
            words.append(text)
    return words


def keep_and_explain(app: App[Any], error: BaseException, history_file: Path | None,
                     log_file: Path | None) -> str:
    """Keep the unsent words as the newest history entries, log the traceback; the sentence to show.

    The words land after the sent history, so ↑ in the next run brings them back first.
    """
    words = unsent_words(app)
    prompts = list(app.screen_stack[0].query(PromptArea)) if app.screen_stack else []
    history = list(prompts[0].sent_history) if prompts else []
    kept = bool(words) and save_history(history_file, [*history, *(w for w in words if w not in history)])
    log.error("unexpected error in the app", exc_info=(type(error), error, error.__traceback__))
    parts = [f"reelterm stopped on an unexpected error ({type(error).__name__}: {error})."]
    if kept:
        parts.append("Your unsent words are kept: press ↑ in the message box next time.")
    elif words:
        parts.append("Your unsent words could not be saved:\n" + "\n".join(words))
    if log_file is not None:
        parts.append(f"Details: {log_file}")
    return " ".join(parts)
