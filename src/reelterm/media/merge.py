"""Put an audio file under a video: stream copy where the codecs fit, re-encode only what must change."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from reelterm.media import formats as F
from reelterm.media._ffmpeg import ProgressFn, run_to
from reelterm.media._mp4_probe import quick_probe
from reelterm.media.copy_rules import can_copy_audio, can_copy_video
from reelterm.media.errors import FFmpegFailed, MediaError, NoStreamError, UnsupportedTarget
from reelterm.media.probe import MediaInfo, probe

FITS = ("shortest", "loop", "pad")
"""Length policies: cut to the shorter input, loop the audio to the video, pad the audio with silence."""
WARN_DIFF_S = 0.5
"""Lengths differing by more than this many seconds give a warning."""
SYNC_S = 0.03
"""A copied video longer than the sound by more than this is cut at an exact frame (`_cut`)."""


@dataclass(frozen=True)
class MergeResult:
    """The merged file, warnings worth showing, and which streams were copied."""

    path: Path
    warnings: list[str] = field(default_factory=list)
    video_copied: bool = False
    audio_copied: bool = False
    duration_s: float = 0.0


def _probe(path: Path) -> MediaInfo:
    """What `probe` says, read from the MP4 headers when they suffice (PyAV costs ~45 ms to load)."""
    return quick_probe(path) or probe(path)


def _inputs(video: Path, audio: Path) -> tuple[MediaInfo, MediaInfo]:
    vi, ai = _probe(video), _probe(audio)
    if not vi.has_video or vi.is_image:
        what = "is a still picture" if vi.is_image else "has no video stream"
        raise NoStreamError(f"{video.name} {what}; merge needs a video.")
    if not ai.has_audio:
        raise NoStreamError(f"{audio.name} has no audio stream.")
    return vi, ai


def merge(
    video: str | Path,
    audio: str | Path,
    out: str | Path,
    fit: str = "shortest",
    mix: bool = False,
    *,
    quality: str = "standard",
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> MergeResult:
    """Write `out` with `video`'s picture and `audio`'s sound (mixed with the video's own if `mix`)."""
    video, audio, out = Path(video), Path(audio), Path(out)
    if fit not in FITS:
        raise UnsupportedTarget(f"Unknown fit {fit!r}; use shortest, loop or pad.")
    fmt = F.output_format(out)
    if fmt.kind != "video":
        raise UnsupportedTarget(f"merge writes a video; {out.name} is not one (use .mp4, .mov, .mkv, .webm or .avi).")
    F.check_quality(quality)
    if out.resolve() in (video.resolve(), audio.resolve()):
        raise MediaError("The output would overwrite an input; choose another name.")
    vi, ai = _inputs(video, audio)
    warnings: list[str] = []
    v_len, a_len = vi.duration_s, ai.duration_s
    if vi.has_audio:  # the file's own sound may run longer than its picture: use the picture's
        from reelterm.media._cut import video_length

        v_len = min(v_len, video_length(video) or v_len)
    diff = a_len - v_len
    if abs(diff) > WARN_DIFF_S:
        side = "shorter" if diff < 0 else "longer"
        effect = {
            "shortest": f"the result is cut to {min(v_len, a_len):.1f} s",
            "loop": "the audio is looped to the video's length" if diff < 0 else "the audio is cut at the video's end",
            "pad": "the rest is silence" if diff < 0 else "the audio is cut at the video's end",
        }[fit]
        warnings.append(f"The audio ({a_len:.1f} s) is {abs(diff):.1f} s {side} than the video "
                        f"({v_len:.1f} s); {effect}. Keep them the same length to avoid sync issues.")
    if mix and not vi.has_audio:
        warnings.append(f"{video.name} has no sound of its own, so the audio replaces nothing and is used as is.")
        mix = False
    length = min(v_len, a_len) if fit == "shortest" else v_len

    copy_v = can_copy_video(fmt.suffix, vi)
    pad_needed = fit == "pad" and a_len < v_len - 0.05
    copy_a = not mix and not pad_needed and can_copy_audio(fmt.suffix, ai)
    frames: list[str] = []
    if fit == "shortest" and copy_v and v_len - a_len > SYNC_S:
        from reelterm.media._cut import video_cut

        cut = video_cut(video, a_len)
        if cut is not None:  # the copied picture ends at a frame, the sound is cut there too
            frames, length = ["-frames:v", str(cut.packets)], cut.end_s

    def build(tmp: Path) -> list[str]:
        args = ["-i", str(video)]
        if fit == "loop" and a_len < v_len:
            args += ["-stream_loop", "-1"]
        args += ["-i", str(audio)]
        graph = []
        if mix:
            graph.append("[0:a:0]aresample=48000,aformat=channel_layouts=stereo[va];"
                         "[1:a:0]aresample=48000,aformat=channel_layouts=stereo[na];"
                         "[va][na]amix=inputs=2:duration=longest:normalize=0:dropout_transition=0[am]")
        elif not copy_a:
            graph.append("[1:a:0]aresample=48000,aformat=channel_layouts=stereo" + (",apad" if pad_needed else "") + "[am]")
        if mix and pad_needed:
            graph[-1] = graph[-1].replace("[am]", ",apad[am]")
        if graph:
            args += ["-filter_complex", ";".join(graph)]
        args += ["-map", "0:v:0", "-map", "[am]" if graph else "1:a:0"]
        args += F.video_stream_args(fmt, copy_v, quality)
        args += ["-c:a", "copy"] if copy_a else F.audio_encode_args(fmt)
        args += [*frames, "-t", f"{length:.3f}", "-f", fmt.muxer, str(tmp)]
        return args

    try:
        path = run_to(out, build, duration_s=length, on_progress=on_progress, cancel=cancel, what="merge")
    except FFmpegFailed as exc:
        from reelterm.media._blame import explain_failure

        raise explain_failure(exc, [video, audio]) from exc
    return MergeResult(path, warnings, copy_v, copy_a, length)
