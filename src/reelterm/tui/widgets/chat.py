"""The chat log: streamed Markdown replies, tool status, notices and errors."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text
from textual import work
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from reelterm.tui.bindings import CHAT_LOG_KEYS, bindings
from reelterm.tui.md_theme import markdown_look
from reelterm.tui.messages import CopyRequested
from reelterm.tui.typing_redirect import TypesIntoPrompt
from reelterm.worker import events as ev

WELCOME = (
    "Describe the video you want (\"a 10 second city timelapse with lo-fi music and the title "
    "Urban Dreams\"), or press [b]ctrl+o[/b] to upload media. [b]F1[/b] lists every key."
)


class Entry(Static):
    """One plain line or block of the log: a user message, a notice, a tool line or an error."""

    DEFAULT_CSS = """
    Entry { padding: 0 1; margin: 0 0 1 0; }
    Entry.-user { color: $text; background: $boost; border-left: thick $accent; }
    Entry.-notice { color: $text-muted; }
    Entry.-warning { color: $text-warning; }
    Entry.-tool { color: $text-muted; margin: 0; }
    Entry.-error { color: $text-error; background: $error-muted; border-left: thick $error; }
    """

    def __init__(self, content: str | Text, kind: str, copy_text: str = "") -> None:
        super().__init__(content, classes=f"entry -{kind}", markup=False)
        self.copy_text = copy_text or (content.plain if isinstance(content, Text) else content)


REFRESH_S = 1 / 20
"""Streamed text is drawn at most this often (deltas in between are only appended)."""


class Reply(Widget):
    """The agent's reply, drawn with the line API: deltas append to the last paragraph only;
    finished paragraphs are rendered once; the final text replaces everything in one update."""

    DEFAULT_CSS = """
    Reply { height: auto; padding: 0 1; margin: 0 0 1 0; }
    """

    def __init__(self) -> None:
        super().__init__(classes="entry -reply")
        self.copy_text = ""
        self._blocks: list[str] = []
        self._tail = ""
        self._streaming = False
        self._width = -1
        self._done: list[Strip] = []
        self._done_count = 0
        self._tail_lines: list[Strip] | None = None
        self._refresh_pending = False

    @property
    def source(self) -> str:
        """The reply's Markdown so far."""
        return self.copy_text

    @property
    def streaming(self) -> bool:
        """True until the final text arrived."""
        return self._streaming

    async def add_delta(self, text: str) -> None:
        """Append a streamed piece; only the unfinished paragraph is drawn again."""
        self._streaming = True
        self.copy_text += text
        self._tail += text
        cut = self._tail.rfind("\n\n")
        if cut > 0 and self._tail[:cut].count("```") % 2 == 0:
            self._blocks.append(self._tail[:cut])
            self._tail = self._tail[cut + 2:].lstrip("\n")
        self._tail_lines = None
        if not self._refresh_pending:
            self._refresh_pending = True
            self.set_timer(REFRESH_S, self._flush)

    def _flush(self) -> None:
        self._refresh_pending = False
        self.refresh(layout=True)

    async def finish(self, text: str) -> None:
        """Replace the streamed text with the whole reply, parsed as one document.

        The full parse runs in a thread (a long reply takes a while); the streamed text stays
        up until it is ready, then every line is swapped in one update.
        """
        self._streaming = False
        self.copy_text = text
        width = self.size.width if self._width < 0 else self._width
        if width <= 0 or len(text) < 2000:
            self._install(text, width, None)
        else:
            self._render_in_thread(text, width)

    @work(thread=True, exclusive=True, group="reply-render", exit_on_error=False)
    def _render_in_thread(self, text: str, width: int) -> None:
        look = markdown_look(self.app)
        strips = self._render_markdown(text, width, look.thread_console(width), look.code_theme)
        self.app.call_from_thread(self._install, text, width, strips)

    def on_mount(self) -> None:
        """Follow theme changes."""
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def _restyle(self, _theme: object = None) -> None:
        """Draw every line again with the new theme's colours."""
        self._width, self._done, self._done_count, self._tail_lines = -2, [], 0, None
        self.refresh(layout=True)

    def _install(self, text: str, width: int, strips: list[Strip] | None) -> None:
        if text != self.copy_text:
            return
        self._blocks, self._tail = [], text
        self._done, self._done_count = [], 0
        self._width = width if strips is not None else -1
        self._tail_lines = strips
        self.refresh(layout=True)

    def _render_markdown(self, text: str, width: int, console: Console | None = None,
                         code_theme: str | None = None) -> list[Strip]:
        if console is None:
            look = markdown_look(self.app)
            console, code_theme = look.console, look.code_theme
        from rich.markdown import Markdown as RichMarkdown  # loads Pygments: wait for a reply

        options = console.options.update(width=max(1, width), height=None, highlight=False)
        markdown = RichMarkdown(text, code_theme=code_theme or "monokai")
        lines = console.render_lines(markdown, options, pad=False, new_lines=False)
        strips = [Strip(line).extend_cell_length(width) for line in lines]
        while strips and not strips[-1].text.strip():
            strips.pop()
        while strips and not strips[0].text.strip():
            strips.pop(0)
        return strips

    def _lines(self, width: int) -> list[Strip]:
        if width != self._width:
            self._width, self._done, self._done_count, self._tail_lines = width, [], 0, None
        while self._done_count < len(self._blocks):
            if self._done:
                self._done.append(Strip.blank(width))
            self._done.extend(self._render_markdown(self._blocks[self._done_count], width))
            self._done_count += 1
        if self._tail_lines is None:
            self._tail_lines = self._render_markdown(self._tail, width) if self._tail.strip() else []
        gap = [Strip.blank(width)] if self._done and self._tail_lines else []
        return self._done + gap + self._tail_lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width)
        strip = lines[y] if 0 <= y < len(lines) else Strip.blank(width)
        return strip.apply_style(self.rich_style)


class ChatLog(TypesIntoPrompt, VerticalScroll, can_focus=True):
    """The conversation; follows the bottom only while the user is at the bottom."""

    BINDINGS = bindings(CHAT_LOG_KEYS)
    DEFAULT_CSS = """
    ChatLog { height: 1fr; padding: 0 1 0 0; }
    ChatLog > .welcome { padding: 0 2; margin-bottom: 1; color: $foreground; }
    ChatLog > .entry.-selected { background: $boost; outline-left: thick $secondary; }
    ChatLog:focus > .entry.-selected { outline-left: thick $primary; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reply: Reply | None = None
        self._tool: Entry | None = None
        self._selected = -1

    def on_mount(self) -> None:
        """Start anchored to the bottom and show the welcome text."""
        self.anchor()
        self.mount(Static(WELCOME, classes="entry -notice welcome"))  # no Markdown parser at start

    def _entries(self) -> list[Widget]:
        return [child for child in self.children if child.has_class("entry")]

    async def add(self, widget: Widget) -> Widget:
        """Mount an entry at the end (and drop the welcome text)."""
        for welcome in self.query(".welcome"):
            await welcome.remove()
        await self.mount(widget)
        return widget

    async def add_user(self, text: str) -> None:
        """The user's message; starts a new turn."""
        self._reply = None
        self._tool = None
        await self.add(Entry(text, "user"))
        self.anchor()

    async def add_delta(self, text: str) -> None:
        """A streamed piece of the agent's reply."""
        if self._reply is None:
            self._reply = Reply()
            await self.add(self._reply)
        await self._reply.add_delta(text)

    async def add_final(self, text: str) -> None:
        """The whole reply: replaces the streamed pieces."""
        if self._reply is None:
            self._reply = Reply()
            await self.add(self._reply)
        await self._reply.finish(text)
        self._reply = None

    async def set_tool(self, text: str) -> None:
        """The one compact line of tool activity for this turn."""
        if self._tool is None:
            self._tool = Entry(text, "tool")
            await self.add(self._tool)
        else:
            self._tool.update(text)
            self._tool.copy_text = text

    async def end_turn(self) -> None:
        """The turn is over: later tool activity starts a new line."""
        self._tool = None
        if self._reply is not None and self._reply.streaming:
            await self._reply.finish(self._reply.copy_text)
        self._reply = None

    async def add_restored(self, items: list[tuple[str, str]], note: str) -> None:
        """A session's earlier chat ((role, text), oldest first) above anything already shown."""
        for welcome in self.query(".welcome"):
            await welcome.remove()
        first = self.children[0] if self.children else None
        for role, text in items:
            widget: Widget = Entry(text, "user") if role == "user" else Reply()
            widget.add_class("restored")
            await (self.mount(widget, before=first) if first is not None else self.mount(widget))
            if isinstance(widget, Reply):
                await widget.finish(text)
        end = Entry(note, "notice")
        end.add_class("restored")
        await (self.mount(end, before=first) if first is not None else self.mount(end))
        self.anchor()

    async def add_notice(self, text: str, warning: bool = False) -> None:
        """A plain informational line (a warning stands out)."""
        await self.add(Entry(("⚠ " if warning else "") + text, "warning" if warning else "notice"))

    async def add_error(self, sentence: str, action: str = "") -> None:
        """An error: the sentence, then what to do about it."""
        text = Text.assemble(("✗ ", "bold"), (sentence, "bold"))
        if action:
            text.append("\n→ " + action)
        plain = sentence + (f"\n{action}" if action else "")
        await self.add(Entry(text, "error", copy_text=plain))

    SHOWS = (ev.ReplyDelta, ev.ReplyFinal, ev.SessionReplaced, ev.ToolStarted, ev.ToolFinished,
             ev.StillWorking, ev.TurnFinished, ev.UploadDone, ev.RenderDone, ev.ErrorRaised,
             ev.Notice, ev.HistoryLoaded)
    """The worker events the log shows (the app routes them here)."""

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """Show one worker event in the log."""
        match event:
            case ev.ReplyDelta(text=text):
                await self.add_delta(text)
            case ev.ReplyFinal(text=text):
                await self.add_final(text)
            case ev.SessionReplaced(notice=text) | ev.Notice(text=text, warning=False):
                await self.add_notice(text)
            case ev.Notice(text=text, warning=True):
                await self.add_notice(text, warning=True)
            case ev.ToolStarted(name=name, summary=summary):
                await self.set_tool(f"⚙ {summary or name}…")
            case ev.ToolFinished(name=name, summary=summary, ok=ok):
                await self.set_tool(f"{'✓' if ok else '✗'} {summary or name}")
            case ev.StillWorking(text=text, elapsed_s=elapsed):
                await self.add_notice(f"{text} ({int(elapsed)} s)")
            case ev.TurnFinished(ok=ok, reason=reason):
                await self.end_turn()
                if not ok and reason:
                    await self.add_notice(reason)
            case ev.UploadDone(files=files) if files:
                await self.add_notice("Uploaded " + ", ".join(f.filename for f in files) + ".")
            case ev.RenderDone(path=path):
                await self.add_notice(f"Saved {path} (press F4 then y to copy the path).")
            case ev.ErrorRaised(sentence=sentence, action=action):
                await self.add_error(sentence, action)
            case ev.HistoryLoaded(messages=messages) if not self.query(".restored"):
                await self.add_restored([(item.role, item.text) for item in messages],
                                        f"— the chat of this session so far ({len(messages)} messages) —")

    def last_reply_text(self) -> str:
        """The last reply's text, or ''."""
        for child in reversed(self.children):
            if isinstance(child, Reply):
                return child.copy_text
        return ""

    def on_focus(self) -> None:
        """Select the newest message when the log gets focus."""
        entries = self._entries()
        if entries and not 0 <= self._selected < len(entries):
            self._set_selected(len(entries) - 1)

    def action_select(self, step: int) -> None:
        """Move the selection by `step` messages."""
        entries = self._entries()
        if not entries:
            return
        index = len(entries) - 1 if self._selected < 0 else self._selected + step
        self._set_selected(max(0, min(len(entries) - 1, index)))

    def action_select_edge(self, end: int) -> None:
        """Select the first (0) or last (1) message."""
        entries = self._entries()
        if entries:
            self._set_selected(len(entries) - 1 if end else 0)

    def _set_selected(self, index: int) -> None:
        entries = self._entries()
        for child in entries:
            child.remove_class("-selected")
        self._selected = index
        entries[index].add_class("-selected")
        self.scroll_to_widget(entries[index], animate=False)

    def action_copy(self) -> None:
        """Copy the selected message (the last one when nothing is selected)."""
        entries = self._entries()
        if not entries:
            return
        entry = entries[self._selected if 0 <= self._selected < len(entries) else -1]
        text = entry.copy_text if isinstance(entry, Entry | Reply) else ""
        self.post_message(CopyRequested(text, "message"))
