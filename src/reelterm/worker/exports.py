"""Exports: check the options and the destination, fetch the draft, hand it to the render manager."""

from __future__ import annotations

import os
import re
from pathlib import Path

from reelterm.worker.events import Emit, ErrorRaised
from reelterm.worker.journal import Journal, RenderRecord
from reelterm.worker.paths import local_path
from reelterm.worker.renders import RenderManager, target_path
from reelterm.worker.sessions import Sessions
from reelterm.worker.state_cache import StateCache

OPTION = re.compile(r"[a-z0-9]{1,12}")
"""What an export format or quality may look like (the backend decides which ones it offers)."""
SUBTITLE_FORMATS = ("srt", "vtt")
"""Subtitle files an export can write beside its video."""


def bad_option(fmt: str, quality: str) -> ErrorRaised | None:
    """The error for a format or quality that cannot be one (`../x`, `a b`), else None."""
    for value in (fmt, quality):
        if not OPTION.fullmatch(value):
            return ErrorRaised(f"{value[:20]!r} is not an export format or quality.",
                               "Use a format such as mp4 or webm, and draft, standard or high.",
                               detail={"kind": "BadExportOption"}, bad_input=True)
    return None


def prepare_destination(dest: str) -> ErrorRaised | None:
    """Create the folder an export will go to (before any render); the error when that fails."""
    folder = local_path(dest)
    if not (dest.endswith(("/", os.sep)) or folder.is_dir()):
        folder = folder.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return ErrorRaised(f"reelterm cannot save into {folder} ({exc.strerror or type(exc).__name__}).",
                           "Choose another file or folder with -o.", detail={"kind": "BadDestination"},
                           bad_input=True)
    return None


class Exporter:
    """Exports the session's current draft (video, still, sound or subtitles) through `renders`."""

    def __init__(self, renders: RenderManager, sessions: Sessions, cache: StateCache, journal: Journal,
                 emit: Emit, default_fmt: str = "mp4", default_quality: str = "high") -> None:
        self._renders = renders
        self._sessions = sessions
        self._cache = cache
        self._journal = journal
        self._emit = emit
        self._default_fmt = default_fmt
        self._default_quality = default_quality

    async def export(self, fmt: str | None = None, quality: str | None = None,
                     dest: str | Path | None = None) -> RenderRecord | None:
        """Submit the current draft; None (after an `ErrorRaised`) when it cannot be exported."""
        fmt = (fmt or self._default_fmt or "mp4").strip().lower()
        quality = (quality or self._default_quality or "high").strip().lower()
        if fmt in SUBTITLE_FORMATS and dest is None:  # subtitles go beside the newest video, when there is one
            dest = self.subtitles_dest(fmt)
        problem = bad_option(fmt, quality) or (prepare_destination(str(dest)) if dest else None)
        if problem is not None:
            self._emit(problem)
            return None
        state = await self._sessions.call(lambda: self._cache.fetch())
        if state is None:
            if self._cache.route_missing:
                self._emit(ErrorRaised("This backend cannot export: it has no session-state route.",
                                       "Use the local engine or the hosted API.",
                                       detail={"kind": "RouteMissing"}))
            return None
        draft, sid = state.draft, self._sessions.current
        if draft is None or not draft.ready or sid is None:
            self._emit(ErrorRaised("There is nothing to export yet: the timeline is empty.",
                                   "Upload media or ask the agent to make a video first.",
                                   detail={"kind": "EmptyDraft"}))
            return None
        return await self._sessions.call(lambda: self._renders.submit(
            sid, draft.wire(), fmt, quality, title=draft.m.title, dest=str(dest) if dest else None))

    async def subtitles_beside(self, video: RenderRecord, fmt: str) -> RenderRecord | None:
        """Export the draft's captions as `fmt` (srt/vtt) to the video's own name, `.srt`/`.vtt` beside it."""
        if fmt not in SUBTITLE_FORMATS:
            self._emit(ErrorRaised(f"{fmt[:10]!r} is not a subtitle format.", "Use srt or vtt.",
                                   detail={"kind": "BadExportOption"}, bad_input=True))
            return None
        final = target_path(self._renders.export_dir, video.title, video.id, video.fmt, video.dest)
        return await self.export(fmt, video.quality, final.with_suffix(f".{fmt}"))

    def subtitles_dest(self, fmt: str) -> str | None:
        """Beside this session's newest downloaded video (its name, `.srt`/`.vtt`), else None."""
        for record in self._journal.history():
            if record.session_id == self._sessions.current and record.path and record.fmt not in SUBTITLE_FORMATS:
                return str(Path(record.path).with_suffix(f".{fmt}"))
        return None
