"""Render a draft to a file with one ffmpeg process."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from reelterm.media._ffmpeg import ProgressFn, run_to
from reelterm.media.compile import FFmpegJob, Resolver, compile_draft
from reelterm.media.formats import SUBTITLE_TARGETS, check_quality, output_format
from reelterm.media.loudness import Loudness, cache_path, loudness_job, run_measurement
from reelterm.media.probe import MediaInfo, probe
from reelterm.media.still import still_window
from reelterm.protocol.draft import Draft


def render_draft(
    draft: Draft | dict[str, Any],
    out: str | Path,
    *,
    resolve: Resolver | None = None,
    quality: str = "standard",
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    cache_dir: Path | None = None,
    probe_fn: Callable[[Path], MediaInfo] | None = None,
    on_warning: Callable[[str], None] | None = None,
    frames: tuple[int, int] | None = None,
    audio: bool = True,
    at_ms: int | None = None,
) -> Path:
    """Render `draft` to `out` (format from the suffix); `resolve(src) -> Path` maps upload:/asset: refs.

    `on_progress(pct)` is called from a reader thread with 0-100; setting `cancel` kills ffmpeg;
    `on_warning(sentence)` hears what the render had to work around (missing glyphs, in-points).
    `frames=(a, b)` renders only the timeline's frames [a, b) and `audio=False` leaves the sound
    out (see `compile_draft`).
    `at_ms` is the time a still (jpg/png/webp) shows.
    Raises `MediaError` (bad input), `FFmpegFailed`, or `RenderCancelled`; never leaves a partial file.
    """
    if isinstance(draft, dict):
        draft = Draft.model_validate(draft)
    out = Path(out)
    probed: dict[Path, MediaInfo] = {}
    base_probe = probe_fn or probe

    def probe_once(path: Path) -> MediaInfo:  # the measuring pass and the render share probes
        if path not in probed:
            probed[path] = base_probe(path)
        return probed[path]

    check_quality(quality)
    if out.suffix.lower().lstrip(".") in SUBTITLE_TARGETS:  # the captions alone, as SRT or WebVTT
        from reelterm.media.subtitles import write_subtitles

        return write_subtitles(draft, out)
    if at_ms is not None and output_format(out).kind == "image":
        draft, at_ms = still_window(draft, at_ms)
    measuring = None
    if output_format(out).kind in ("video", "audio") and audio:  # resolved and probed on this thread
        measuring = loudness_job(draft, resolve=resolve, cache_dir=cache_dir, probe_fn=probe_once)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reelterm-loudness") as pool:
        # the sound-only measuring pass runs in ffmpeg while the picture pass draws its PNGs
        measured = pool.submit(run_measurement, measuring, cache_path(cache_dir), cancel) if measuring else None

        def loudness() -> Loudness | None:
            return measured.result() if measured is not None else None

        job: FFmpegJob = compile_draft(draft, out, resolve=resolve, quality=quality,
                                       cache_dir=cache_dir, probe_fn=probe_once, loudness=loudness,
                                       frames=frames, audio=audio, at_ms=at_ms)
    if on_warning is not None:
        for warning in job.warnings:
            on_warning(warning)
    try:
        return run_to(out, lambda tmp: [*job.args[:-1], str(tmp)], duration_s=job.duration_s,
                      on_progress=on_progress, cancel=cancel, what="render")
    finally:
        for path in job.graph_files:
            with contextlib.suppress(OSError):
                path.unlink()
