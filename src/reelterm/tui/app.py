"""The reelterm app: chat, timeline, render queue and status bar over one backend worker."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Footer

from reelterm.protocol import SUPPORTED_UPLOADS
from reelterm.tui.bindings import APP_KEYS, bindings, check_keymap
from reelterm.tui.commands import ReelCommands
from reelterm.tui.connection import WorkerLink
from reelterm.tui.contract import RenderHistory, WorkerFactory
from reelterm.tui.crash import keep_and_explain
from reelterm.tui.editing import TimelineEdits
from reelterm.tui.export_guard import ExportGuard
from reelterm.tui.frames import FramePreviews
from reelterm.tui.history import load_history, save_history
from reelterm.tui.messages import CopyRequested, PreviewRequested, WorkerEventPosted
from reelterm.tui.paste import install as install_paste_parser
from reelterm.tui.preview import PreviewScreen
from reelterm.tui.routing import route, state_notice, uploaded_paths, with_retry_hint
from reelterm.tui.screen import MainScreen
from reelterm.tui.switching import SessionSwitch
from reelterm.tui.themes import use_theme
from reelterm.tui.widgets.chat import ChatLog
from reelterm.tui.widgets.preview_pane import PreviewPane
from reelterm.tui.widgets.prompt import PromptArea
from reelterm.tui.widgets.render_queue import RenderQueue
from reelterm.tui.widgets.status_bar import StatusBar
from reelterm.tui.widgets.text_editor import SegmentTextEditor
from reelterm.tui.widgets.timeline import Timeline
from reelterm.tui.widgets.upload_bar import UploadBar
from reelterm.tui.zoom import toggle_zoom
from reelterm.worker import events as ev

log = logging.getLogger("reelterm.tui")

WIDER_FROM = 140
"""Terminals at least this wide show the preview pane (the frame at the playhead, a storyboard)."""
SHORT_BELOW_ROWS = 32
"""Terminals with fewer rows than this keep the timeline's details and the finished renders
folded until those panels have focus, so the chat keeps its room (80x24: 6 rows -> 10)."""


class ReelApp(App[None]):
    """Chat with the video agent, watch the timeline, upload media and render videos.

    The app keeps what it learns from the worker and hands each event to the widgets and helpers
    that list it (`SHOWS`). Composed helpers do the rest: `link` (the worker: connect, call, stop,
    messages typed meanwhile), `frames` (previews), `edits` (timeline keys, the text editor) and
    `sessions` (list and switch)."""

    CSS_PATH = "app.tcss"
    TITLE = "reelterm"
    BINDINGS = bindings(APP_KEYS)
    COMMANDS = App.COMMANDS | {ReelCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (WIDER_FROM, "-wider")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW_ROWS, "-tall")]

    def __init__(self, worker_factory: WorkerFactory | None = None, *,
                 backend_label: str = "local engine", is_local: bool = True,
                 keys: Mapping[str, str] | None = None, theme: str | None = None,
                 export_format: str = "mp4", export_quality: str = "high", start_dir: Path | None = None,
                 session_id: str | None = None, new_session: bool = False,
                 notices: list[str] | None = None, clock: Callable[[], float] = time.monotonic,
                 on_shutdown: Callable[[], Awaitable[None]] | None = None,
                 history_file: Path | None = None, log_file: Path | None = None,
                 save_theme: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        install_paste_parser()  # pastes with escape sequences arrive whole and in order
        self.link = WorkerLink(self, worker_factory, self.emit, session_id=session_id,
                               new_session=new_session, log_file=log_file, on_shutdown=on_shutdown)
        """The backend worker and whether it is ready (`link.backend`, `link.connected`)."""
        self.backend_label = backend_label
        self.is_local = is_local
        """Whether the backend is reelterm's own engine (the worker's `Connected` says for sure)."""
        self.keymap_settings = dict(keys or {})
        self.theme_name = theme
        self.export_format = export_format
        self.export_quality = export_quality
        self.start_dir = start_dir
        self.startup_notices = list(notices or [])
        self.clock = clock
        self.history_file = history_file
        """Where sent messages are kept between runs (None: not kept)."""
        self.save_theme = save_theme
        """Remembers a theme picked in the app for the next run; returns why not, or None."""
        self.local_files: dict[str, Path] = {}
        """Media references (`upload:ID`) and file names mapped to the local files uploaded."""
        self.upload_types: tuple[str, ...] = SUPPORTED_UPLOADS
        """What the backend in use accepts (from the worker's `Connected`): the picker's filter."""
        self._pending_uploads: dict[str, Path] = {}
        self.typed = False
        """True once a message was sent in this run (its turn's state is no resumed session)."""
        ask, connected = self.link.call, lambda: self.link.connected
        self.frames = FramePreviews(self, ask, connected)
        self.edits = TimelineEdits(self, ask, connected)
        self.sessions = SessionSwitch(self, self.link)
        self.export_guard = ExportGuard(lambda: self.renders.jobs)

    def get_default_screen(self) -> MainScreen:
        """The main screen (its footer lists keys in a steady order)."""
        return MainScreen(id="_default")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, without a second "Quit" (reelterm's own is listed)."""
        yield from (command for command in super().get_system_commands(screen) if command.title != "Quit")

    MAIN_ONLY = frozenset({"upload", "export", "refresh", "cancel_turn", "copy_reply", "focus",
                           "new_session", "help", "sessions", "preview_frame"})
    """Actions that only make sense on the main screen (not under a modal)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Global keys do nothing while a modal screen (picker, help, preview) is open."""
        if action in self.MAIN_ONLY and len(self.screen_stack) > 1:
            return False
        if action == "focus" and parameters and self.focused is not None \
                and self.focused.id == parameters[0]:
            return False  # already there: keep the footer for keys that do something
        return True

    def on_resize(self, event: events.Resize) -> None:
        """Short terminals fold the timeline's detail lines until it has focus; wide ones preview."""
        self.timeline.compact = event.size.height < SHORT_BELOW_ROWS
        self.set_timer(0.1, self.frames.want_frame)  # after the new layout (the pane may just have appeared)

    def _remember_theme(self, theme: Theme) -> None:
        """A theme picked in the app (palette, keys) is saved for the next run."""
        if theme.name == self.theme_name or self.save_theme is None:
            return
        self.theme_name = theme.name
        problem = self.save_theme(theme.name)
        if problem:
            self.emit(ev.Notice(problem, warning=True))

    # ---- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield ChatLog(id="chat-log")
                yield UploadBar(id="uploads")
                yield PromptArea(id="prompt")
            with Vertical(id="side"):
                yield Timeline(id="timeline")
                yield RenderQueue(clock=self.clock, journal=self._journal, id="renders")
                yield PreviewPane(id="preview-pane")
        yield StatusBar(id="status")
        yield Footer()

    def _journal(self) -> RenderHistory | None:
        return self.link.backend.journal if self.link.backend is not None else None

    def on_mount(self) -> None:
        """Apply settings, show the first screen, then connect in the background."""
        self.query_one("#timeline").border_title = "Timeline"
        self.query_one("#renders").border_title = "Renders"
        self.timeline.compact = self.size.height < SHORT_BELOW_ROWS
        status = self.query_one(StatusBar)
        status.backend = self.backend_label
        if self.keymap_settings:
            self.set_keymap(self.keymap_settings)
        problems = check_keymap(self.keymap_settings)
        problems += use_theme(self, self.theme_name)
        self.theme_name = self.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        prompt = self.query_one(PromptArea)
        prompt.set_history(load_history(self.history_file))
        prompt.focus()
        for text in [*self.startup_notices, *problems]:
            self.emit(ev.Notice(text))
        if self.link.factory is None:
            status.connection = "offline"
        else:
            self.call_after_refresh(self.link.connect)
        # Everything built so far lives as long as the app: keep it out of the collector's
        # full passes, which otherwise stall a long streamed reply for 50+ ms at a time.
        self.call_after_refresh(self._first_screen_painted)

    def _first_screen_painted(self) -> None:
        gc.freeze()
        gc.enable()  # `reelterm app` starts with it off: start-up allocates much and frees nothing

    @property
    def chat(self) -> ChatLog:
        """The chat log."""
        return self.query_one(ChatLog)

    @property
    def timeline(self) -> Timeline:
        """The timeline."""
        return self.query_one(Timeline)

    @property
    def renders(self) -> RenderQueue:
        """The render queue."""
        return self.query_one(RenderQueue)

    @property
    def status(self) -> StatusBar:
        """The status bar."""
        return self.query_one(StatusBar)

    @property
    def uploads(self) -> UploadBar:
        """The upload progress line."""
        return self.query_one(UploadBar)

    # ---- the worker --------------------------------------------------------------------------

    async def on_worker_event_posted(self, message: WorkerEventPosted) -> None:
        """Keep what the app needs from a worker event, then each widget shows its part."""
        event = message.event
        match event:
            case ev.Connected():
                self.link.connected, self.is_local = True, event.is_local  # messages go straight out now
                self.upload_types = tuple(event.upload_types)
                self.local_files.update({ref: Path(path) for ref, path in event.local_files.items()})
            case ev.UploadDone():
                self.local_files.update(uploaded_paths(event, self._pending_uploads))
            case ev.ErrorRaised():
                event = with_retry_hint(event, self.is_local)
            case ev.TurnFinished():
                self.call_worker("refresh_credits")  # a generation may have spent some
        try:
            shown_by = (self.status, self.timeline, self.renders, self.uploads, self.chat, self.frames,
                        self.sessions, self.export_guard)
        except NoMatches:  # the app is closing: its widgets are gone
            return
        await route(event, shown_by)
        if isinstance(event, ev.StateUpdated):
            at_connect = self.link.resuming and event.reason in ("refresh", "")  # not a turn's state
            self.link.resuming = self.link.resuming and not at_connect
            notice = "" if at_connect and self.typed else state_notice(event, at_connect, self.status.session)
            if notice:
                await self.chat.add_notice(notice)

    def emit(self, event: ev.WorkerEvent) -> None:
        """The worker's callback: turn the event into a Textual message (thread-safe)."""
        self.post_message(WorkerEventPosted(event))

    def call_worker(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Call a worker method by name in the background; failures become error messages."""
        self.link.call(name, *args, **kwargs)

    async def action_quit(self) -> None:
        """Stop the worker, then leave."""
        await self.link.stop()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """An error no handler caught: keep the unsent words, log it, and say so in a sentence."""
        sentence = keep_and_explain(self, error, self.history_file, self.link.log_file)
        super()._handle_exception(error)
        if "debug" not in self.features:
            self._exit_renderables[:] = [sentence]  # a sentence, not a traceback (that is in the log)

    async def on_unmount(self) -> None:
        """However the app ends, stop the worker and close the backend."""
        await self.link.stop()
        gc.unfreeze()

    # ---- requests from widgets ---------------------------------------------------------------

    @on(PromptArea.Submitted)
    async def _submitted(self, message: PromptArea.Submitted) -> None:
        save_history(self.history_file, self.query_one(PromptArea).sent_history)
        self.typed = True
        await self.chat.add_user(message.text)
        await self.link.submit(message.text)

    @on(Timeline.PlayheadMoved)
    async def _playhead_moved(self) -> None:
        await self.frames.want_frame()  # the playhead, the draft under it or the selection moved

    @on(Timeline.EditRequested)
    async def _edit_requested(self, message: Timeline.EditRequested) -> None:
        await self.edits.requested(message)

    @on(SegmentTextEditor.Saved)
    async def _text_saved(self, message: SegmentTextEditor.Saved) -> None:
        await self.edits.text_saved(message)

    @on(SegmentTextEditor.Closed)
    async def _text_closed(self) -> None:
        await self.edits.close_text_editor()

    @on(PreviewRequested)
    def _preview(self, message: PreviewRequested) -> None:
        self.push_screen(PreviewScreen(message.title, message.path, message.at_ms, message.color))

    @on(RenderQueue.CancelRequested)
    def _cancel_render(self, message: RenderQueue.CancelRequested) -> None:
        self.call_worker("cancel_render", message.render_id)

    @on(RenderQueue.SubtitlesRequested)
    def _subtitles(self, message: RenderQueue.SubtitlesRequested) -> None:
        self.call_worker("export", "srt", None, message.dest)

    @on(CopyRequested)
    def _copy(self, message: CopyRequested) -> None:
        if not message.text:
            self.notify("Nothing to copy.", severity="warning")
            return
        self.copy_to_clipboard(message.text)
        self.notify(f"Copied the {message.what} to the clipboard.", timeout=3)

    # ---- actions -----------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from reelterm.tui.widgets.help import HelpScreen

        self.push_screen(HelpScreen({**self.keymap_settings}))

    def action_upload(self) -> None:
        """Open the file picker, then upload what was picked."""
        from reelterm.tui.widgets.file_picker import FilePicker

        def picked(paths: list[Path] | None) -> None:
            if not paths:
                return
            for path in paths:
                self._pending_uploads[path.name] = path
            self.uploads.show_progress(f"{len(paths)} file(s)", 0, 1)
            self.call_worker("upload", paths)

        self.push_screen(FilePicker(self.start_dir, self.upload_types), picked)

    async def action_export(self, quality: str | None = None) -> None:
        """Render the timeline to a file (unless just that was rendered: then a second press)."""
        quality = quality or self.export_quality
        already = self.export_guard.check(self.timeline.draft, self.export_format, quality)
        if already:
            await self.chat.add_notice(already)
            return
        self.call_worker("export", self.export_format, quality)

    def action_refresh(self) -> None:
        """Fetch the state and credits again (or reconnect when offline)."""
        if not self.link.connected and self.link.factory is not None:
            self.link.connect()
            return
        self.call_worker("refresh_state")
        self.call_worker("refresh_credits")

    def action_cancel_turn(self) -> None:
        """Stop the agent's turn."""
        self.call_worker("cancel_turn")

    def action_copy_reply(self) -> None:
        """Copy the last reply."""
        self.post_message(CopyRequested(self.chat.last_reply_text(), "reply"))

    def action_zoom_panel(self) -> None:
        """Fill the screen with the focused panel, or show every panel again."""
        toggle_zoom(self.screen, self.focused)

    def action_new_session(self) -> None:
        """Start over with a new session."""
        if self.link.backend is None:
            return
        self.timeline.set_draft(None)
        self.screen.set_focus(self.query_one(PromptArea))  # at once: what is typed next is the new session's first message
        self.call_worker("start", new=True)

    def action_timeline_action(self, action: str) -> None:
        """Run a timeline action from the palette."""
        self.timeline.focus()
        self.call_after_refresh(self.timeline.run_action, action)

    def action_preview_frame(self) -> None:
        """The rendered frame at the playhead, as big as the screen allows."""
        self.frames.preview_frame()

    def action_preview_segment(self) -> None:
        """A frame of the selected segment's own file or colour (the palette's command)."""
        self.frames.preview_segment(self.local_files)

    def action_cancel_render(self, render_id: str) -> None:
        """Cancel one render."""
        self.call_worker("cancel_render", render_id)

    def action_cancel_running(self) -> None:
        """Cancel the newest unfinished render."""
        self.renders.cancel_newest()

    def action_copy_last_path(self) -> None:
        """Copy the newest finished render's path."""
        self.renders.copy_newest_path()

    def action_sessions(self) -> None:
        """List past sessions of this backend and switch to one."""
        if not self.link.connected:
            self.notify("Not connected yet; the sessions list comes from the backend.", severity="warning")
            return
        self.sessions.open()
