"""Compile a draft into one ffmpeg command with one `filter_complex` (pure: no ffmpeg is run).

Only numbers, validated hex colours, fixed filter names and paths we generate reach the graph;
user text reaches ffmpeg as pixels in PNGs drawn by `text_images` (see `captions`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reelterm.media import formats as F
from reelterm.media._graph import Graph, Resolver, num, tile_slots
from reelterm.media.ducking import duck
from reelterm.media.errors import MediaError
from reelterm.media.karaoke import caption_layer
from reelterm.media.probe import MediaInfo, probe
from reelterm.media.scenes import collect, overlay_scenes
from reelterm.media.subtitles import soft_subtitles
from reelterm.media.transitions import transition
from reelterm.protocol.draft import Draft, Segment, TrackType, source_kind

__all__ = ["FFmpegJob", "Resolver", "compile_draft", "loudness_job"]
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
GRAPH_FILE_OVER = 60_000
"""Graphs longer than this many characters go through a file (`-/filter_complex`)."""


@dataclass
class FFmpegJob:
    """A compiled job: ffmpeg arguments (without the binary), length in seconds, what it made."""

    args: list[str]
    duration_s: float
    output: Path
    graph: str
    kind: str
    text_images: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    graph_files: list[Path] = field(default_factory=list)

    @property
    def argv(self) -> list[str]:
        """The whole command line, binary first."""
        from reelterm.media._ffmpeg import ffmpeg_exe

        return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *self.args]

    def to_null(self) -> list[str]:
        """`args` writing to ffmpeg's null muxer instead of a file (for checks)."""
        i = len(self.args) - 3
        assert self.args[i] == "-f"
        return [*self.args[:i], "-f", "null", "-"]


def compile_draft(
    draft: Draft,
    out: Path | str,
    *,
    resolve: Resolver | None = None,
    quality: str = "standard",
    cache_dir: Path | None = None,
    probe_fn: Callable[[Path], MediaInfo] = probe,
    loudness: tuple[float, float] | None = None,
    _measure: bool = False,
    frames: tuple[int, int] | None = None,
    audio: bool = True,
    at_ms: int | None = None,
) -> FFmpegJob:
    """Turn `draft` into one ffmpeg job writing `out` (format from its suffix); probes sources only.

    `loudness` is the mix's (integrated LUFS, peak dBFS) from `loudness_job`: the mix then
    gets a linear gain to -14 LUFS and a peak limiter instead of `loudnorm`.
    `frames=(a, b)` keeps only the timeline's frames [a, b) (re-stamped from 0) and
    `audio=False` leaves the sound out: together they make one chunk of a chunked render.
    `at_ms` picks the frame a still (jpg/png/webp) shows: the one on screen at that time
    (default: 1 s, or mid-way).
    """
    out = Path(out)
    fmt = F.output_format(out)
    F.check_quality(quality)
    total_ms = draft.duration_ms
    if total_ms <= 0 or not draft.ready:
        raise MediaError("The draft is empty: add a clip, some music or a title before rendering.")
    if cache_dir is None:
        from reelterm.config import app_paths

        cache_dir = app_paths().cache_dir / "text"
    g = Graph(draft, resolve, probe_fn, cache_dir)
    chunk = frames  # (the audio-only branch below has a loop variable of that name)
    g.skip_to = chunk[0] if chunk is not None else 0
    fps = g.fps
    total = max(1, round(total_ms * fps / 1000))
    total_s = total / fps
    want_video = fmt.kind != "audio"
    g.want_audio = fmt.kind in ("video", "audio") and audio
    scenes = collect(draft)  # laid-out scenes: their pictures and words are drawn by media/scenes.py
    videos = [t for i, t in enumerate(draft.t) if t.tt == TrackType.VIDEO and t.sg and i not in scenes.picture_tracks]

    video = ""
    if want_video:
        base_segs = videos[0].sg if videos else []
        video = _base_track(g, base_segs, total, "track 1")
        for ti, track in enumerate(videos[1:], start=2):
            for si, seg in enumerate(sorted(track.sg, key=lambda s: s.s), start=1):
                start, end = round(seg.s * fps / 1000), min(total, round(seg.end * fps / 1000))
                if end <= start:
                    continue
                pic = g.picture(seg, end - start, f"video track {ti}, segment {si}", at=start)
                moved, nxt = g.label("o"), g.label("v")
                g.chains.append(f"[{pic}]setpts=PTS+{start}[{moved}]")  # time base is 1/fps
                _clip_audio(g, seg, start, end - start)
                g.chains.append(f"[{video}][{moved}]overlay=0:0:eof_action=pass:"
                                f"enable='between(n,{start},{end - 1})'[{nxt}]")
                video = nxt
        video = overlay_scenes(g, scenes, video, total)
        texts = [seg for track in draft.tracks_of(TrackType.TEXT) for seg in track.sg if id(seg) not in scenes.text_ids]
        video = caption_layer(g, draft, texts, video, total)  # word-timed captions: media/karaoke.py
    # audio of the video clips comes from the inputs opened above; now the audio tracks
    for ti, track in enumerate(draft.tracks_of(TrackType.AUDIO), start=1):
        for si, seg in enumerate(track.sg, start=1):
            if seg.d > 0 and seg.s < total_ms:
                first = len(g.audio)
                g.audio_segment(seg.model_copy(update={"d": min(seg.d, total_ms - seg.s)}),
                                f"audio track {ti}, segment {si}")
                duck(g, draft, seg, first)  # music lowered while the voice speaks: media/ducking.py
    if not want_video:  # the clips' own sound still counts
        for ti, track in enumerate(videos):
            if ti == 0:
                spans = [(s.seg, s.start, s.length) for s in tile_slots(track.sg, fps, total) if s.seg]
            else:
                spans = [(seg, round(seg.s * fps / 1000), min(total, round(seg.end * fps / 1000)) - round(seg.s * fps / 1000))
                         for seg in track.sg]
            for seg, start, frames in spans:
                if frames > 0:
                    _clip_audio(g, seg, start, frames)
    audio_out = _mix(g, total_s, loudness, _measure) if g.want_audio else ""
    if chunk is not None and want_video:  # one chunk: the whole graph, cut at its output
        video, total = _frame_range(g, video, chunk, total), chunk[1] - chunk[0]
        total_s = total / fps
        if audio_out:
            cut = g.label("arange")
            g.achains.append(f"[{audio_out}]atrim=start={num(chunk[0] / fps)}:end={num(chunk[1] / fps)},"
                             f"asetpts=PTS-STARTPTS[{cut}]")
            audio_out = cut

    subs = soft_subtitles(g, draft, fmt.suffix) if fmt.kind == "video" and chunk is None else []  # media/subtitles.py
    args = [*g.inputs]
    if fmt.kind == "gif":
        gif_fps = min(fps, 15)
        gw = min(g.W, 640)
        pal, a, b = g.label("pal"), g.label("g"), g.label("g")
        g.chains.append(f"[{video}]fps={gif_fps},scale={gw}:-2:flags=lanczos,split=2[{a}][{b}];"
                        f"[{a}]palettegen=stats_mode=diff[{pal}];"
                        f"[{b}][{pal}]paletteuse=dither=bayer:bayer_scale=4[gifout]")
        video = "gifout"
    # picture and sound are two filtergraphs, so ffmpeg filters them on two threads
    graphs = [";".join(chains) for chains in (g.chains, g.achains) if chains]
    graph_files: list[Path] = []
    for graph in graphs:
        if len(graph) > GRAPH_FILE_OVER:
            import tempfile

            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix="graph-", suffix=".txt", dir=cache_dir)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(graph)
            graph_files.append(Path(name))
            args += ["-/filter_complex", name]
        else:
            args += ["-filter_complex", graph]
    if want_video:
        args += ["-map", f"[{video}]"]
    if audio_out:
        args += ["-map", f"[{audio_out}]"]
    args += subs
    if fmt.kind == "video":
        args += [*F.video_encode_args(fmt, quality), *(F.audio_encode_args(fmt) if audio_out else ["-an"])]
        args += ["-frames:v", str(total)]
    elif fmt.kind == "audio":
        args += F.audio_encode_args(fmt)
    elif fmt.kind == "gif":
        args += ["-loop", "0"]
    else:
        args += ["-ss", num(_still_time(at_ms, fps, total, total_s)), *F.image_encode_args(fmt)]
    args += ["-f", fmt.muxer, str(out)]
    return FFmpegJob(args, total_s, out, ";".join(graphs), fmt.kind, g.texts, g.warnings, graph_files)


def _still_time(at_ms: int | None, fps: int, total: int, total_s: float) -> float:
    """The output seek that lands on the frame shown at `at_ms`: ffmpeg keeps the frame on screen
    at the seek, so a quarter of a frame into it, whatever the rounding of the printed number."""
    if at_ms is None:
        return min(1.0, total_s / 2)
    index = max(0, min(total - 1, int(max(0, at_ms) * fps // 1000)))
    return (index + 0.25) / fps


def loudness_job(
    draft: Draft,
    *,
    resolve: Resolver | None = None,
    cache_dir: Path | None = None,
    probe_fn: Callable[[Path], MediaInfo] = probe,
) -> FFmpegJob | None:
    """An audio-only job measuring the draft's mix with `ebur128` (to ffmpeg's null muxer).

    Its log's summary gives `compile_draft(loudness=...)` (see `parse_loudness`); None when the
    draft has no sound to measure.
    """
    if cache_dir is None:
        from reelterm.config import app_paths

        cache_dir = app_paths().cache_dir / "text"
    # the output is never written (the job goes to the null muxer); it names the cache directory
    job = compile_draft(draft, Path(cache_dir) / "loudness.wav", resolve=resolve, cache_dir=cache_dir,
                        probe_fn=probe_fn, _measure=True)
    if MEASURE not in job.graph:
        for path in job.graph_files:
            path.unlink(missing_ok=True)
        return None
    return job


def parse_loudness(log: list[str]) -> tuple[float, float] | None:
    """(integrated LUFS, sample peak dBFS) from an `ebur128` summary in ffmpeg's log; None if absent."""
    import re

    text = "\n".join(log)
    at = text.rfind("Summary:")
    if at < 0:
        return None
    lufs = re.search(r"\bI:\s+(-?[\d.]+|-inf) LUFS", text[at:])
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", text[at:])
    if lufs is None or peak is None:
        return None
    return float(lufs.group(1)), float(peak.group(1))


def _gain(loudness: tuple[float, float]) -> float:
    """The linear gain (dB) taking a mix of (LUFS, peak) to -14 LUFS."""
    lufs = loudness[0]
    if math.isnan(lufs) or lufs <= -70:  # silence (ebur128 reports -70.0) or nothing gated: leave it
        return 0.0
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, TARGET_LUFS - lufs))


def _frame_range(g: Graph, video: str, frames: tuple[int, int], total: int) -> str:
    """`[video]` cut to the timeline frames [a, b), stamped 0, 1, 2… (`MediaError` if out of range)."""
    a, b = frames
    if not 0 <= a < b <= total:
        raise MediaError(f"The frames {a}-{b} are outside this timeline's 0-{total}.")
    out = g.label("range")
    g.chains.append(f"[{video}]trim=start_frame={a}:end_frame={b},setpts=N/({g.fps})/TB[{out}]")
    return out


def _base_track(g: Graph, segs: list[Segment], total: int, where: str) -> str:
    slots = tile_slots(segs, g.fps, total)
    labels = []
    for i, slot in enumerate(slots, start=1):
        labels.append(g.picture(slot.seg, slot.length + slot.ext, f"video {where}, segment {i}", at=slot.start))
    for slot in slots:
        if slot.seg is not None:
            _clip_audio(g, slot.seg, slot.start, slot.length)
    # xfade only the overlap windows: each slot is cut into head | body | tail and only the
    # short tail+head pairs go through xfade; everything else is concatenated untouched
    pieces: list[str] = []
    prev_tail = ""
    for slot, lab in zip(slots, labels, strict=True):
        head, body, tail = _cut(g, lab, slot.trans_len, slot.length, slot.ext)
        if head:
            mixed = g.label("x")
            g.chains.append(transition(slot.trans or "fade", prev_tail, head, mixed, slot.trans_len,
                                       (g.W, g.H, g.fps), g.label))
            pieces.append(mixed)
        pieces.append(body)
        prev_tail = tail
    acc = g.concat(pieces)
    out = g.label("base")
    g.chains.append(f"[{acc}]trim=end_frame={total},setpts=PTS-STARTPTS[{out}]")
    return out


def _cut(g: Graph, lab: str, head: int, length: int, ext: int) -> tuple[str, str, str]:
    """Split a slot's stream into frames [0, head), [head, length), [length, length+ext)."""
    spans = [(a, b) for a, b in ((0, head), (head, length), (length, length + ext)) if b > a]
    if len(spans) == 1:
        return "", lab, ""
    cut = g.pieces(lab, spans)
    return (cut.pop(0) if head else ""), cut[0], (cut[1] if ext else "")


def _clip_audio(g: Graph, seg: Segment, start: int, frames: int) -> None:
    """A video clip's own sound joins the mix (`start` and `frames` in canvas frames)."""
    if source_kind(seg.src) not in ("upload", "asset") or not g.want_audio:
        return
    path, info = g.media(seg.src or "", "a video segment")
    vol = 1.0 if seg.m.volume is None else seg.m.volume
    if vol <= 0 or not info.has_audio or info.is_image:
        return
    in_ms = g.in_point(seg, info)
    opts = ["-stream_loop", "-1"] if seg.m.loop else []
    opts += (["-ss", num(in_ms / 1000)] if in_ms else []) + ["-t", num(frames / g.fps + 0.2), "-vn"]
    idx = g.add_input(path, *opts)
    g.audio_chain(f"{idx}:a", seg, round(start * 1000 / g.fps), round(frames * 1000 / g.fps))


def _mix(g: Graph, total_s: float, loudness: tuple[float, float] | None = None,
         measure: bool = False) -> str:
    out = g.label("aout")
    d = num(total_s)
    if not g.audio:
        g.achains.append(f"anullsrc=r=48000:cl=stereo,atrim=duration={d}[{out}]")
        return out
    if len(g.audio) == 1:
        mixed = g.audio[0]
    else:
        mixed = g.label("mix")
        g.achains.append("".join(f"[{lab}]" for lab in g.audio)
                        + f"amix=inputs={len(g.audio)}:duration=longest:normalize=0:dropout_transition=0[{mixed}]")
    if measure:
        g.achains.append(f"[{mixed}]{MEASURE}[{out}]")
        return out
    if loudness is None:  # the limiter also keeps loudnorm's NaN on a short silent mix from the encoder
        level = f"{LOUDNESS},{LIMITER}"
    else:
        level = f"volume={num(round(_gain(loudness), 2))}dB,{LIMITER}"
    g.achains.append(f"[{mixed}]{level},aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
                    f"apad=whole_dur={d},atrim=duration={d}[{out}]")
    return out

