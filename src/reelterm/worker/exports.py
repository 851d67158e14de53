"""Exports: check the options and the destination, then submit the draft to the render manager."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.worker.events import ErrorRaised
from reelterm.worker.intents import local_path
from reelterm.worker.journal import RenderRecord

if TYPE_CHECKING:
    from reelterm.worker.worker import BackendWorker

OPTION = re.compile(r"[a-z0-9]{1,12}")
"""What an export format or quality may look like (the backend decides which ones it offers)."""


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


async def export_draft(worker: BackendWorker, fmt: str | None, quality: str | None,
                       dest: str | Path | None) -> RenderRecord | None:
    """Export the worker's current draft; None (after an `ErrorRaised`) when it cannot be."""
    fmt = (fmt or worker.settings.export_format or "mp4").strip().lower()
    quality = (quality or worker.settings.export_quality or "high").strip().lower()
    if fmt in SUBTITLE_FORMATS and dest is None:  # subtitles go beside the newest video, when there is one
        dest = subtitles_dest(worker, fmt)
    problem = bad_option(fmt, quality) or (prepare_destination(str(dest)) if dest else None)
    if problem is not None:
        worker.emit(problem)
        return None
    state = await worker.guarded_call(lambda: worker.fetch_state())
    if state is None:
        if worker.state_route_missing:
            worker.emit(ErrorRaised("This backend cannot export: it has no session-state route.",
                                    "Use the local engine or the hosted API.", detail={"kind": "RouteMissing"}))
        return None
    draft = state.draft
    if draft is None or not draft.ready:
        worker.emit(ErrorRaised("There is nothing to export yet: the timeline is empty.",
                                "Upload media or ask the agent to make a video first.",
                                detail={"kind": "EmptyDraft"}))
        return None
    renders, sid = worker.renders, worker.session_id
    assert renders is not None and sid is not None
    return await worker.guarded_call(lambda: renders.submit(
        sid, draft.wire(), fmt, quality, title=draft.m.title, dest=str(dest) if dest else None))


SUBTITLE_FORMATS = ("srt", "vtt")
"""Subtitle files an export can write beside its video."""


async def export_subtitles_beside(worker: BackendWorker, video: RenderRecord, fmt: str) -> RenderRecord | None:
    """Export the draft's captions as `fmt` (srt/vtt) to the video's own name, `.srt`/`.vtt` beside it."""
    from reelterm.worker.renders import target_path

    if fmt not in SUBTITLE_FORMATS or worker.renders is None:
        worker.emit(ErrorRaised(f"{fmt[:10]!r} is not a subtitle format.", "Use srt or vtt.",
                                detail={"kind": "BadExportOption"}, bad_input=True))
        return None
    final = target_path(worker.renders.export_dir, video.title, video.id, video.fmt, video.dest)
    return await export_draft(worker, fmt, video.quality, final.with_suffix(f".{fmt}"))


def subtitles_dest(worker: BackendWorker, fmt: str) -> str | None:
    """Beside this session's newest downloaded video (its name, `.srt`/`.vtt`), else None."""
    for record in worker.journal.history():
        if record.session_id == worker.session_id and record.path and record.fmt not in SUBTITLE_FORMATS:
            return str(Path(record.path).with_suffix(f".{fmt}"))
    return None
