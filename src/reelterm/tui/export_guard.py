"""Ctrl+E on a timeline already rendered the same way: say where the file is; a second press renders again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from reelterm.protocol import Draft
from reelterm.tui.widgets.render_job import Job
from reelterm.worker import events as ev

Key = tuple[str, str, str]
"""(timeline fingerprint, format, quality) of one export."""


def fingerprint(draft: Draft | None) -> str:
    """A digest of the timeline as shown ('' when there is none)."""
    if draft is None:
        return ""
    return hashlib.sha256(json.dumps(draft.wire(), sort_keys=True).encode()).hexdigest()


class ExportGuard:
    """Remembers which timeline each export rendered; `check` says when one is already there.

    `jobs` gives the render queue's jobs (id -> job) of the session in use.
    """

    SHOWS = (ev.RenderQueued,)
    """The worker event that ties an export to its render id."""

    def __init__(self, jobs: Callable[[], dict[str, Job]]) -> None:
        self.jobs = jobs
        self._asked: list[Key] = []
        """Exports asked for whose render id has not come yet (oldest first)."""
        self._rendered: dict[str, Key] = {}
        """Render id -> what it renders."""
        self._armed: Key | None = None
        """The export a notice was given for: pressing again renders it anyway."""

    def check(self, draft: Draft | None, fmt: str, quality: str) -> str | None:
        """None to go ahead with the export, or the sentence saying it is already rendered."""
        key = (fingerprint(draft), fmt.lower(), quality.lower())
        if not key[0] or self._armed == key:
            self._armed = None
            self._asked.append(key)
            return None
        jobs = self.jobs()
        for render_id, rendered in reversed(self._rendered.items()):
            job = jobs.get(render_id)
            if rendered != key or job is None:
                continue
            if job.status == "completed" and job.path is not None and job.path.exists():
                self._armed = key
                return f"Already rendered: {job.path} (this timeline, {fmt} {quality}). Press ctrl+e again to render it anew."
            if not job.finished:
                self._armed = key
                return f"Already rendering this timeline ({render_id}). Press ctrl+e again to start another render."
        self._armed = None
        self._asked.append(key)
        return None

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """A render id for the oldest export asked for with this format and quality."""
        if not isinstance(event, ev.RenderQueued):
            return
        for index, key in enumerate(self._asked):
            if key[1:] == (event.fmt.lower(), event.quality.lower()):
                self._rendered[event.render_id] = self._asked.pop(index)
                return
