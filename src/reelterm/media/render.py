"""Render a draft to a file with one ffmpeg process."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media._ffmpeg import ProgressFn, run_ffmpeg, run_to
from reelterm.media.compile import FFmpegJob, Resolver, compile_draft, loudness_job, parse_loudness
from reelterm.media.errors import FFmpegFailed
from reelterm.media.formats import SUBTITLE_TARGETS, check_quality, output_format
from reelterm.media.probe import MediaInfo, probe
from reelterm.media.still import still_window
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
    loudness = None
    if output_format(out).kind in ("video", "audio") and audio:
        loudness = _measure(draft, resolve, cache_dir, probe_once, cancel)
    job: FFmpegJob = compile_draft(draft, out, resolve=resolve, quality=quality,
                                   cache_dir=cache_dir, probe_fn=probe_once, loudness=loudness,
                                   frames=frames, audio=audio, at_ms=at_ms)
    for warning in job.warnings if on_warning is not None else ():
        on_warning(warning)
    try:
        return run_to(out, lambda tmp: [*job.args[:-1], str(tmp)], duration_s=job.duration_s,
                      on_progress=on_progress, cancel=cancel, what="render")
    finally:
        for path in job.graph_files:
            with contextlib.suppress(OSError):
                path.unlink()


def _measure(draft: Draft, resolve, cache_dir, probe_fn, cancel) -> tuple[float, float] | None:
    """The mix's (LUFS, peak dBFS) from a quick audio-only pass; None (so `loudnorm`) if it cannot tell.

    About 0.15 s for 30 s of sound, against ~0.55 CPU-s for `loudnorm` in the render itself.
    """
    job = loudness_job(draft, resolve=resolve, cache_dir=cache_dir, probe_fn=probe_fn)
    if job is None:
        return None
    try:
        memo = _memo_path(job)
        with contextlib.suppress(OSError, ValueError, TypeError):
            lufs, peak = json.loads(memo.read_text(encoding="utf-8"))
            return float(lufs), float(peak)
        log: list[str] = []
        try:
            run_ffmpeg(job.to_null(), cancel=cancel, what="loudness measurement", log=log)
        except FFmpegFailed:
            return None  # the render reports the problem with its own words
        found = parse_loudness(log)
        if found is not None:
            with contextlib.suppress(OSError, ValueError):  # "-Infinity" for silence
                write_cached(memo, lambda tmp: tmp.write_text(json.dumps(found), encoding="utf-8"))
        return found
    finally:
        for path in job.graph_files:
            with contextlib.suppress(OSError):
                path.unlink()


def _memo_path(job: FFmpegJob) -> Path:
    """Where the measurement of this exact mix is remembered: a hash of the measuring job's
    arguments and graph and of each input file's size and modification time.

    Re-rendering a draft whose sound did not change (another quality, an edited caption or
    clip) then skips the measuring pass.
    """
    key = hashlib.sha256()
    temp = {str(p) for p in job.graph_files}  # random names; their text is in `job.graph`
    for arg in [*job.args, job.graph]:
        if arg in temp:
            continue
        key.update(arg.encode("utf-8", "surrogateescape") + b"\0")
    for flag, arg in zip(job.args, job.args[1:], strict=False):
        if flag == "-i":
            with contextlib.suppress(OSError):
                st = os.stat(arg)
                key.update(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}".encode())
    return job.output.parent / f"loudness-{key.hexdigest()[:32]}.json"
