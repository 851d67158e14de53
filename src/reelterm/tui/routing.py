"""How the app turns each worker event into a change on screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.widgets import Label, ProgressBar

from reelterm.tui.messages import WorkerEventPosted
from reelterm.worker import events as ev

if TYPE_CHECKING:
    from collections.abc import Callable

    from reelterm.tui.widgets.chat import ChatLog
    from reelterm.tui.widgets.render_queue import RenderQueue
    from reelterm.tui.widgets.status_bar import StatusBar
    from reelterm.tui.widgets.timeline import Timeline


class WorkerEventsMixin:
    """The app's handler of `WorkerEventPosted` (mixed into `ReelApp`)."""

    chat: ChatLog
    status: StatusBar
    timeline: Timeline
    renders: RenderQueue
    local_files: dict[str, Path]
    upload_types: tuple[str, ...]
    backend_label: str
    _pending_uploads: dict[str, Path]
    resuming: bool
    connected: bool

    call_worker: Callable[..., object]
    frame_event: Callable[..., Any]
    sessions_listed: Callable[..., Any]
    history_loaded: Callable[..., Any]

    async def on_worker_event_posted(self, message: WorkerEventPosted) -> None:
        """Route one worker event to the widget it concerns."""
        event = message.event
        chat, status = self.chat, self.status
        match event:
            case ev.ReplyDelta(text=text):
                await chat.add_delta(text)
            case ev.ReplyFinal(text=text):
                await chat.add_final(text)
            case ev.Connected():
                self.local_files.update({ref: Path(path) for ref, path in event.local_files.items()})
                self.upload_types = tuple(event.upload_types)
                status.backend = event.backend
                status.session = event.session_id
                status.connection = "connected"
                self.connected = True  # the worker has its session: messages and keys go straight out
            case ev.SessionReplaced():
                status.session = event.session_id
                self.timeline.set_draft(None)
                await chat.add_notice(event.notice)
            case ev.TurnStarted():
                status.activity = "agent working…"
            case ev.ToolStarted():
                status.activity = f"{event.summary or event.name}…"
                await chat.set_tool(f"⚙ {event.summary or event.name}…")
            case ev.ToolFinished():
                mark = "✓" if event.ok else "✗"
                await chat.set_tool(f"{mark} {event.summary or event.name}")
            case ev.StillWorking():
                await chat.add_notice(f"{event.text} ({int(event.elapsed_s)} s)")
            case ev.TurnFinished():
                status.activity = ""
                await chat.end_turn()
                self.call_worker("refresh_credits")  # a generation may have spent some
                if not event.ok and event.reason:
                    await chat.add_notice(event.reason)
            case ev.StateUpdated():
                self.timeline.set_draft(event.state.draft)
                overview = getattr(event, "overview", "")
                if self.resuming:
                    self.resuming = False
                    draft = event.state.draft
                    if draft is not None and draft.t and overview:
                        await chat.add_notice(f"Continuing session {status.session}.\n{overview}")
                elif event.summary:
                    await chat.add_notice(event.summary)
                elif overview and getattr(event, "reason", "") in ("refresh", "gui"):
                    await chat.add_notice(overview)
            case ev.UploadProgress():
                self._show_upload(event.filename, event.sent, event.total)
            case ev.UploadDone():
                await self._uploaded(event)
            case ev.RenderQueued():
                self.renders.upsert(event.render_id, fmt=event.fmt, quality=event.quality,
                                    width=event.width, height=event.height, title=event.title,
                                    status="pending")
            case ev.RenderProgress():
                self.renders.upsert(event.render_id, progress=event.progress,
                                    status=event.status)
            case ev.RenderDone():
                self.renders.upsert(event.render_id, progress=100.0, status="completed",
                                    path=event.path)
                await chat.add_notice(f"Saved {event.path} (press F4 then y to copy the path).")
            case ev.RenderFailed():
                self.renders.upsert(event.render_id, error=event.sentence,
                                    status="cancelled" if event.cancelled else "failed")
            case ev.CreditsUpdated():
                status.credits = event.credits
            case ev.ErrorRaised():
                action = event.action
                bind_url = (event.detail or {}).get("bind_url")
                if bind_url and bind_url not in action:
                    action = f"{action} {bind_url}".strip()
                if (event.detail or {}).get("kind") == "ConnectionFailed":
                    status.connection = "offline"
                    local = self.backend_label == "local engine"
                    action = (f"{action} Press ctrl+r to try again"
                              + ("." if local else "; `reelterm --api local` works offline.")).strip()
                # a failed upload stops there: its bar goes (a later file's progress shows it again)
                self.query_one("#uploads").remove_class("-active")
                await chat.add_error(event.sentence, action)
            case ev.Notice():
                await chat.add_notice(event.text, warning=getattr(event, "warning", False))
            case ev.PreviewReady() | ev.PreviewFailed():
                await self.frame_event(event)
            case ev.SessionsListed():
                self.sessions_listed(event)
            case ev.HistoryLoaded():
                await self.history_loaded(event)

    def _show_upload(self, filename: str, sent: int, total: int) -> None:
        box = self.query_one("#uploads")
        box.add_class("-active")
        self.query_one("#upload-label", Label).update(f"Uploading {filename}")
        bar = self.query_one("#upload-bar", ProgressBar)
        bar.update(total=max(total, 1), progress=sent)

    async def _uploaded(self, event: ev.UploadDone) -> None:
        self.query_one("#uploads").remove_class("-active")
        names = []
        self.local_files.update({ref: Path(path) for ref, path in event.local_files.items()})
        for file in event.files:
            names.append(file.filename)
            local = self._pending_uploads.get(file.filename)
            if local is not None:
                self.local_files[file.filename] = local
                if file.id:
                    self.local_files[f"upload:{file.id}"] = local
        if names:
            await self.chat.add_notice("Uploaded " + ", ".join(names) + ".")

