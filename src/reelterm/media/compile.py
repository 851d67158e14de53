"""Compile a draft into one ffmpeg command with two filtergraphs (pure: no ffmpeg is run).

The picture pass (`picture_pass`) and the sound pass (`sound_pass`) add to one `Graph`; the
encoder arguments (`encode_args`) map their outputs and choose the encoders; the mix is
levelled with the loudness `measure_loudness` found (`loudness`). Only numbers, validated hex
colours, fixed filter names and paths we generate reach the graph; user text reaches ffmpeg as
pixels in PNGs drawn by `text_images` (see `captions`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reelterm.media import formats as F
from reelterm.media._graph import Graph, ProbeFn, Resolver, num
from reelterm.media.encode_args import FFmpegJob, gif_palette, graph_args, output_args
from reelterm.media.errors import MediaError
from reelterm.media.loudness import Loudness, level_chain
from reelterm.media.picture_pass import frame_range, picture_pass
from reelterm.media.probe import probe
from reelterm.media.scenes import collect, video_tracks
from reelterm.media.sound_pass import level, sound_pass
from reelterm.media.subtitles import soft_subtitles
from reelterm.protocol.draft import Draft

__all__ = ["FFmpegJob", "Resolver", "compile_draft"]


def compile_draft(
    draft: Draft,
    out: Path | str,
    *,
    resolve: Resolver | None = None,
    quality: str = "standard",
    cache_dir: Path | None = None,
    probe_fn: ProbeFn = probe,
    loudness: Loudness | Callable[[], Loudness | None] | None = None,
    frames: tuple[int, int] | None = None,
    audio: bool = True,
    at_ms: int | None = None,
) -> FFmpegJob:
    """Turn `draft` into one ffmpeg job writing `out` (format from its suffix); probes sources only.

    `loudness` is the mix's (integrated LUFS, peak dBFS) from `measure_loudness`, or a function
    giving it, called after the picture pass (so a measurement running meanwhile overlaps the
    drawing): the mix then gets a linear gain to -14 LUFS and a peak limiter instead of `loudnorm`.
    `frames=(a, b)` keeps only the timeline's frames [a, b) (re-stamped from 0) and
    `audio=False` leaves the sound out: together they make one chunk of a chunked render.
    `at_ms` picks the frame a still (jpg/png/webp) shows: the one on screen at that time
    (default: 1 s, or mid-way).
    """
    out = Path(out)
    fmt = F.output_format(out)
    F.check_quality(quality)
    if draft.duration_ms <= 0 or not draft.ready:
        raise MediaError("The draft is empty: add a clip, some music or a title before rendering.")
    if cache_dir is None:
        from reelterm.config import app_paths

        cache_dir = app_paths().cache_dir / "text"
    g = Graph(draft, resolve, probe_fn, cache_dir, audio=fmt.kind in ("video", "audio") and audio,
              skip_to=frames[0] if frames is not None else 0)
    total = max(1, g.frame(draft.duration_ms))
    scenes = collect(draft)  # laid-out scenes: their pictures and words are drawn by media/scenes.py
    tracks = video_tracks(draft, scenes)
    video = picture_pass(g, draft, scenes, tracks, total) if fmt.kind != "audio" else ""
    sound = ""
    if g.audio:
        measured = loudness() if callable(loudness) else loudness
        sound = level(g, sound_pass(g, draft, total, tracks), total / g.fps, level_chain(measured))
    if frames is not None and video:  # one chunk: the whole graph, cut at its output
        video, total = frame_range(g, video, frames, total), frames[1] - frames[0]
        if sound:
            cut = g.label("arange")
            g.add_audio_chain(f"[{sound}]atrim=start={num(frames[0] / g.fps)}:end={num(frames[1] / g.fps)},"
                              f"asetpts=PTS-STARTPTS[{cut}]")
            sound = cut
    subs = soft_subtitles(g, draft, fmt.suffix) if fmt.kind == "video" and frames is None else []  # media/subtitles.py
    if fmt.kind == "gif":
        video = gif_palette(g, video)
    graphs, files = graph_args(g)
    args = [*g.input_args, *graphs, *(["-map", f"[{video}]"] if video else []),
            *(["-map", f"[{sound}]"] if sound else []), *subs,
            *output_args(fmt, quality, frames=total, fps=g.fps, sound=bool(sound), at_ms=at_ms, out=out)]
    graph = ";".join(text for text in (g.video_graph, g.audio_graph) if text)
    return FFmpegJob(args, total / g.fps, out, graph, fmt.kind, g.text_images, g.warnings, files)
