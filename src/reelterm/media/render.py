"""Render a draft to a file with one ffmpeg process."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from reelterm.media._ffmpeg import ProgressFn, run_to
from reelterm.media.compile import FFmpegJob, Resolver, compile_draft
from reelterm.protocol.draft import Draft


def render_draft(
    draft: Draft | dict,
    out: str | Path,
    *,
    resolve: Resolver | None = None,
    quality: str = "standard",
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    cache_dir: Path | None = None,
    probe_fn: Callable | None = None,
) -> Path:
    """Render `draft` to `out` (format from the suffix); `resolve(src) -> Path` maps upload:/asset: refs.

    `on_progress(pct)` is called from a reader thread with 0-100; setting `cancel` kills ffmpeg.
    Raises `MediaError` (bad input), `FFmpegFailed`, or `RenderCancelled`; never leaves a partial file.
    """
    if isinstance(draft, dict):
        draft = Draft.model_validate(draft)
    out = Path(out)
    extra = {"probe_fn": probe_fn} if probe_fn is not None else {}
    job: FFmpegJob = compile_draft(draft, out, resolve=resolve, quality=quality,
                                   cache_dir=cache_dir, **extra)
    try:
        return run_to(out, lambda tmp: [*job.args[:-1], str(tmp)], duration_s=job.duration_s,
                      on_progress=on_progress, cancel=cancel, what="render")
    finally:
        for path in job.graph_files:
            with contextlib.suppress(OSError):
                path.unlink()
