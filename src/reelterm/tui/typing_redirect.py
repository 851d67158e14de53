"""Typing in a panel with single-letter keys: words go to the message box, never to the panel's keys."""

from __future__ import annotations

from textual import events
from textual.widget import Widget

from reelterm.tui.paste import clean_text
from reelterm.tui.widgets.prompt import PromptArea


def _prompt(panel: Widget) -> PromptArea | None:
    """The message box of the panel's screen (None under a modal, or when there is none)."""
    if panel.screen is not panel.app.screen:
        return None
    prompts = panel.screen.query(PromptArea)
    return prompts.first() if prompts else None


def _take_focus(panel: Widget, prompt: PromptArea) -> None:
    # At once, not via `focus()` (a callback queued behind the keys already read): the rest of
    # the words typed must land in the message box too.
    if panel.screen.focused is not prompt:
        panel.screen.set_focus(prompt)
        prompt.move_cursor(prompt.document.end)


def redirect_key(panel: Widget, event: events.Key) -> None:
    """For a panel's `on_key`: a printable key none of its bindings uses goes to the message box.

    Keys already queued for the panel when an earlier one moved the focus follow it there (in
    order), except enter: enter in a panel never sends anything.
    """
    prompt = _prompt(panel)
    if prompt is None:
        return
    if panel.has_focus:
        if event.key in panel.screen.active_bindings:
            return  # the panel's own key (or the app's): it acts
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            return
        if not event.is_printable or not event.character:
            return
    elif panel.screen.focused is not prompt:
        return
    event.prevent_default()  # no binding look-up for it at the app
    event.stop()
    if event.key == "enter":
        return
    _take_focus(panel, prompt)
    prompt.post_message(events.Key(event.key, event.character))


def redirect_paste(panel: Widget, event: events.Paste) -> None:
    """For a panel's `on_paste`: the pasted text goes into the message box."""
    prompt = _prompt(panel)
    if prompt is None:
        return
    event.stop()
    _take_focus(panel, prompt)
    prompt.insert(clean_text(event.text))


class TypesIntoPrompt:
    """Mixin for panels with letter keys (before the Widget base): typing goes to the message box."""

    def on_key(self, event: events.Key) -> None:
        """Words typed here go to the message box (only this panel's own letters act)."""
        assert isinstance(self, Widget)
        redirect_key(self, event)

    def on_paste(self, event: events.Paste) -> None:
        """A paste here goes to the message box."""
        assert isinstance(self, Widget)
        redirect_paste(self, event)
