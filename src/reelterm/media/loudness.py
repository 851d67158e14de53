"""Loudness: measure a draft's mix with a quick sound-only pass, then level it to -14 LUFS.

`loudness_job` builds the measuring job from the sound pass alone (nothing is drawn);
`measure_loudness` runs it (remembering the answer per mix); `level_chain` turns the answer
into a gain and a limiter for the render, or single-pass `loudnorm` when there is none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import threading
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media._ffmpeg import run_ffmpeg
from reelterm.media._graph import Graph, ProbeFn, Resolver, num
from reelterm.media.encode_args import FFmpegJob, graph_args
from reelterm.media.errors import FFmpegFailed
from reelterm.media.probe import probe
from reelterm.media.scenes import collect, video_tracks
from reelterm.media.sound_pass import sound_pass
from reelterm.protocol.draft import Draft

TARGET_LUFS = -14.0
LOUDNESS = "loudnorm=I=-14:TP=-1.5:LRA=11"
"""Single-pass EBU R128 normalisation to -14 LUFS; TP -1.5 leaves room for the encoder's overshoot.

Used only when the mix's loudness was not measured beforehand (see `loudness_job`): loudnorm
resamples to 192 kHz internally and costs ~0.55 CPU-s per 30 s of stereo."""
MEASURE = "ebur128=peak=sample:framelog=quiet"
"""The measuring pass: integrated loudness (and sample peak) of the mix, ~0.1 s per 30 s of sound.

No true peak (4x oversampling): the gain depends on the loudness only, `LIMITER` holds the peaks."""
LIMITER = "alimiter=limit=0.7943:attack=5:release=50:level=false:latency=true"
"""A look-ahead limiter at -2 dBFS sample peak, after the gain (true peak ≤ -1 dBTP after AAC).

Transparent below its limit and nearly free (~0.01 CPU-s per 30 s), so it is always there;
`level=false` keeps it from re-levelling the mix, `latency=true` keeps sound and picture in sync."""
MAX_GAIN_DB = 30.0
"""Never lift a mix by more than this (near-silence stays quiet instead of becoming noise)."""

Loudness = tuple[float, float]
"""A mix's integrated loudness (LUFS) and sample peak (dBFS)."""


def level_chain(loudness: Loudness | None) -> str:
    """The filters taking a mix to -14 LUFS: a measured gain and the limiter, else `loudnorm`."""
    if loudness is None:  # the limiter also keeps loudnorm's NaN on a short silent mix from the encoder
        return f"{LOUDNESS},{LIMITER}"
    return f"volume={num(round(gain_db(loudness), 2))}dB,{LIMITER}"


def gain_db(loudness: Loudness) -> float:
    """The linear gain (dB) taking a mix of (LUFS, peak) to -14 LUFS."""
    lufs = loudness[0]
    if math.isnan(lufs) or lufs <= -70:  # silence (ebur128 reports -70.0) or nothing gated: leave it
        return 0.0
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, TARGET_LUFS - lufs))


def loudness_job(draft: Draft, *, resolve: Resolver | None = None, cache_dir: Path | None = None,
                 probe_fn: ProbeFn = probe) -> FFmpegJob | None:
    """A sound-only job measuring the draft's mix with `ebur128` (to ffmpeg's null muxer).

    Its log's summary gives `compile_draft(loudness=...)` (see `parse_loudness`); None when the
    draft has no sound to measure.
    """
    g = Graph(draft, resolve, probe_fn, cache_path(cache_dir))
    total = max(1, g.frame(draft.duration_ms))
    mixed = sound_pass(g, draft, total, video_tracks(draft, collect(draft)))
    if mixed is None:
        return None
    out = g.label("measured")
    g.add_audio_chain(f"[{mixed}]{MEASURE}[{out}]")
    graphs, files = graph_args(g)
    args = [*g.input_args, *graphs, "-map", f"[{out}]", "-f", "null", "-"]
    return FFmpegJob(args, total / g.fps, None, g.audio_graph, "measure", [], g.warnings, files)


def parse_loudness(log: list[str]) -> Loudness | None:
    """(integrated LUFS, sample peak dBFS) from an `ebur128` summary in ffmpeg's log; None if absent."""
    text = "\n".join(log)
    at = text.rfind("Summary:")
    if at < 0:
        return None
    lufs = re.search(r"\bI:\s+(-?[\d.]+|-inf) LUFS", text[at:])
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", text[at:])
    if lufs is None or peak is None:
        return None
    return float(lufs.group(1)), float(peak.group(1))


def measure_loudness(draft: Draft, *, resolve: Resolver | None = None, cache_dir: Path | None = None,
                     probe_fn: ProbeFn = probe, cancel: threading.Event | None = None) -> Loudness | None:
    """The mix's (LUFS, peak dBFS) from a quick sound-only pass; None (so `loudnorm`) if it cannot tell.

    About 0.15 s for 30 s of sound, against ~0.55 CPU-s for `loudnorm` in the render itself.
    """
    cache = cache_path(cache_dir)
    job = loudness_job(draft, resolve=resolve, cache_dir=cache, probe_fn=probe_fn)
    return run_measurement(job, cache, cancel) if job is not None else None


def run_measurement(job: FFmpegJob, cache_dir: Path, cancel: threading.Event | None = None) -> Loudness | None:
    """Run a `loudness_job` and read its answer (remembered in `cache_dir` per exact mix, see
    `_memo_path`); None when ffmpeg fails or says nothing. Safe on another thread: it only runs
    ffmpeg and reads and writes its own cache file."""
    try:
        memo = _memo_path(job, cache_dir)
        with contextlib.suppress(OSError, ValueError, TypeError):
            lufs, peak = json.loads(memo.read_text(encoding="utf-8"))
            return float(lufs), float(peak)
        log: list[str] = []
        try:
            run_ffmpeg(job.args, cancel=cancel, what="loudness measurement", log=log)
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


def _memo_path(job: FFmpegJob, cache_dir: Path) -> Path:
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
    return cache_dir / f"loudness-{key.hexdigest()[:32]}.json"


def cache_path(cache_dir: Path | None) -> Path:
    """The cache directory, or the app's default one."""
    if cache_dir is not None:
        return Path(cache_dir)
    from reelterm.config import app_paths

    return Path(app_paths().cache_dir / "text")
