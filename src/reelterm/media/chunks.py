"""Chunked rendering: one frame range of a draft as a video-only piece, and the join of the pieces.

The recipe (measured, see docs/scale.md): every chunk is cut from the draft's whole graph at its
output, stamped from 0, encoded with a fixed closed GOP into MP4 whose timescale is the frame
rate; the sound of the whole timeline is rendered once (`render_draft(..., out="x.m4a")`); the
join is the concat *demuxer* with stream copy plus that sound, with `+faststart`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reelterm.media._ffmpeg import ProgressFn, run_to
from reelterm.media.compile import Resolver, compile_draft
from reelterm.media.errors import MediaError
from reelterm.protocol.draft import Draft

__all__ = ["join_chunks", "render_chunk"]


def render_chunk(
    draft: Draft | dict[str, Any],
    out: str | Path,
    frames: tuple[int, int],
    *,
    gop: int,
    resolve: Resolver | None = None,
    quality: str = "standard",
    cache_dir: Path | None = None,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Render the timeline's frames [a, b) to `out` (.mp4), picture only, a keyframe every `gop`."""
    if isinstance(draft, dict):
        draft = Draft.model_validate(draft)
    out = Path(out)
    if out.suffix.lower() != ".mp4":
        raise MediaError("A chunk is written as .mp4.")
    if gop < 1:
        raise MediaError("A chunk's keyframe interval must be at least one frame.")
    job = compile_draft(draft, out, resolve=resolve, quality=quality, cache_dir=cache_dir,
                        frames=frames, audio=False)
    if on_warning is not None:
        for warning in job.warnings:
            on_warning(warning)
    fps = draft.m.fps
    at = len(job.args) - 3  # [..., "-f", muxer, out]
    encode = ["-g", str(gop), "-keyint_min", str(gop), "-x264-params", "open-gop=0",
              "-movie_timescale", str(fps), "-video_track_timescale", str(fps)]
    args = [*job.args[:at], *encode, *job.args[at:]]
    try:
        return run_to(out, lambda tmp: [*args[:-1], str(tmp)], duration_s=job.duration_s,
                      on_progress=on_progress, cancel=cancel, what="render of a chunk")
    finally:
        for path in job.graph_files:
            with contextlib.suppress(OSError):
                path.unlink()


def join_chunks(
    chunks: Sequence[Path],
    sound: Path | None,
    out: str | Path,
    *,
    cancel: threading.Event | None = None,
) -> Path:
    """Join video-only MP4 chunks (in order) by stream copy, add `sound` as it is, `+faststart`."""
    out = Path(out)
    if not chunks:
        raise MediaError("There are no chunks to join.")
    listing = out.parent / f".{out.stem[:40]}.concat.txt"
    lines = ["ffconcat version 1.0"]
    for path in chunks:
        name = str(Path(path).resolve())
        if "\n" in name or "\r" in name:
            raise MediaError("A chunk's file name has a line break.")
        lines.append("file '" + name.replace("'", "'\\''") + "'")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["-f", "concat", "-safe", "0", "-i", str(listing)]
    if sound is not None:
        args += ["-i", str(sound)]
    args += ["-map", "0:v:0", *(["-map", "1:a:0"] if sound is not None else []),
             "-c", "copy", "-movflags", "+faststart", "-f", "mp4"]
    try:
        return run_to(out, lambda tmp: [*args, str(tmp)], cancel=cancel, what="join of the chunks")
    finally:
        with contextlib.suppress(OSError):
            listing.unlink()
