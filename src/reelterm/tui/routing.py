"""How worker events reach the screen: each widget declares the events it shows (`SHOWS`) and
shows them itself (`show_event`); the app keeps what it needs, then hands each event on here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from reelterm.worker import events as ev


class ShowsEvents(Protocol):
    """A widget that shows some worker events."""

    @property
    def SHOWS(self) -> tuple[type[ev.WorkerEvent], ...]: ...  # noqa: N802 - the class constant

    async def show_event(self, event: ev.WorkerEvent) -> None: ...


async def route(event: ev.WorkerEvent, widgets: Iterable[ShowsEvents]) -> None:
    """Hand one worker event to every widget that shows it, in the order given."""
    for widget in widgets:
        if isinstance(event, widget.SHOWS):
            await widget.show_event(event)


def with_retry_hint(event: ev.ErrorRaised, is_local: bool) -> ev.ErrorRaised:
    """An error with the bind link and, when the backend is unreachable, how to retry."""
    detail = event.detail or {}
    action = event.action
    bind_url = detail.get("bind_url")
    if bind_url and bind_url not in action:
        action = f"{action} {bind_url}".strip()
    if detail.get("kind") == "ConnectionFailed":
        action = (f"{action} Press ctrl+r to try again"
                  + ("." if is_local else "; `reelterm --api local` works offline.")).strip()
    return dataclasses.replace(event, action=action)


def sentence_of(exc: BaseException, fallback: str) -> str:
    """The sentence a failure shows in the chat: its own (`ReelError.sentence`), else the fallback."""
    sentence = getattr(exc, "sentence", None)  # any exception may come here; only ours have one
    if isinstance(sentence, str) and sentence:
        return sentence
    text = str(exc).strip()
    return f"{fallback}: {text}" if text else f"{fallback}."


def state_notice(event: ev.StateUpdated, resuming: bool, session: str) -> str:
    """What the chat says about a new state ('' for nothing): the continued session, a summary of
    the change, or the overview asked for."""
    if resuming:
        draft = event.state.draft
        return f"Continuing session {session}.\n{event.overview}" \
            if draft is not None and draft.t and event.overview else ""
    if event.summary:
        return event.summary
    return event.overview if event.reason in ("refresh", "gui") else ""


def uploaded_paths(event: ev.UploadDone, picked: Mapping[str, Path]) -> dict[str, Path]:
    """Media references and file names of an upload mapped to the local files they came from."""
    found = {ref: Path(path) for ref, path in event.local_files.items()}
    for file in event.files:
        local = picked.get(file.filename)
        if local is not None:
            found[file.filename] = local
            if file.id:
                found[f"upload:{file.id}"] = local
    return found
