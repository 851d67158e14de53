"""The status bar: backend, session, credits, connection state and the agent's activity."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reelterm.protocol import Credits
from reelterm.worker import events as ev

CONNECTION_STYLE = {"connected": "bold green", "connecting…": "yellow", "offline": "bold red",
                    "working…": "bold cyan"}


def credits_text(credits: Credits | None) -> str:
    """`credits 100` or `credits ∞`, or `credits ?` before the first answer."""
    if credits is None:
        return "credits ?"
    if credits.unlimited:
        return "credits ∞"
    return f"credits {credits.available:g}"


class StatusBar(Widget):
    """One line at the bottom of the main screen."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    backend: reactive[str] = reactive("local engine")
    session: reactive[str] = reactive("")
    credits: reactive[Credits | None] = reactive(None, always_update=True)
    connection: reactive[str] = reactive("connecting…")
    activity: reactive[str] = reactive("")

    def render(self) -> Text:
        """The line."""
        state = self.connection
        style = CONNECTION_STYLE.get(state, "bold red" if "fail" in state else "")
        session = self.session[:12] + "…" if len(self.session) > 13 else self.session
        text = Text.assemble(("● ", style), (state, style), "  ",
                             ("backend ", "dim"), self.backend, "  ",
                             ("session ", "dim"), session or "-", "  ",
                             credits_text(self.credits))
        if self.activity:
            text.append("  " + self.activity, style="italic")
        text.truncate(max(1, self.size.width), overflow="ellipsis")
        return text

    SHOWS = (ev.Connected, ev.SessionReplaced, ev.TurnStarted, ev.ToolStarted, ev.TurnFinished,
             ev.CreditsUpdated, ev.ErrorRaised)
    """The worker events the bar shows."""

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """Show one worker event on the bar."""
        match event:
            case ev.Connected():
                self.backend, self.session, self.connection = event.backend, event.session_id, "connected"
            case ev.SessionReplaced(session_id=session_id):
                self.session = session_id
            case ev.TurnStarted():
                self.activity = "agent working…"
            case ev.ToolStarted(name=name, summary=summary):
                self.activity = f"{summary or name}…"
            case ev.TurnFinished():
                self.activity = ""
            case ev.CreditsUpdated(credits=credits):
                self.credits = credits
            case ev.ErrorRaised(detail=detail) if detail.get("kind") == "ConnectionFailed":
                self.connection = "offline"
