"""Convert between the 13 supported formats, remuxing (stream copy) whenever the codecs fit."""

from __future__ import annotations

import threading
from pathlib import Path

from reelterm.media import formats as F
from reelterm.media._ffmpeg import ProgressFn, run_to
from reelterm.media.copy_rules import can_copy_audio, can_copy_video
from reelterm.media.errors import FFmpegFailed, MediaError, UnsupportedTarget
from reelterm.media.probe import MediaInfo, probe


def _plan(src: Path, info: MediaInfo, fmt: F.OutputFormat, quality: str) -> tuple[list[str], float]:
    """Output arguments (without the file) and the expected length in seconds."""
    name = src.name
    moving = info.has_video and not info.is_image
    if fmt.kind == "video":
        if not moving:
            what = "is a still picture" if info.is_image else "has no picture"
            raise UnsupportedTarget(f"{name} {what}, so it cannot become a .{fmt.suffix} video.")
        args = ["-map", "0:v:0"]
        args += F.video_stream_args(fmt, can_copy_video(fmt.suffix, info), quality)
        if info.has_audio:
            args += ["-map", "0:a:0"]
            args += ["-c:a", "copy"] if can_copy_audio(fmt.suffix, info) else F.audio_encode_args(fmt)
        return args, info.duration_s
    if fmt.kind == "audio":
        if not info.has_audio:
            raise UnsupportedTarget(f"{name} has no sound, so it cannot become a .{fmt.suffix} file.")
        args = ["-map", "0:a:0", "-vn"]
        args += ["-c:a", "copy"] if can_copy_audio(fmt.suffix, info) else F.audio_encode_args(fmt)
        return args, info.duration_s
    if not info.has_video:
        raise UnsupportedTarget(f"{name} has no picture, so it cannot become a .{fmt.suffix} image.")
    if fmt.kind == "gif":
        rate = min(info.fps or 10, 15)
        width = min(info.width or 640, 640)
        graph = (f"[0:v:0]fps={rate:g},scale={width}:-2:flags=lanczos,split=2[a][b];"
                 "[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4[g]")
        return ["-filter_complex", graph, "-map", "[g]", "-loop", "0"], info.duration_s
    seek = [] if not moving else ["-ss", f"{min(1.0, info.duration_s / 2):.3f}"]
    return [*seek, "-map", "0:v:0", *F.image_encode_args(fmt)], 0.0


def convert(
    src: str | Path,
    out: str | Path,
    quality: str = "standard",
    *,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Convert `src` to `out`'s format (from its suffix); `UnsupportedTarget` when impossible."""
    src, out = Path(src), Path(out)
    fmt = F.output_format(out)
    F.check_quality(quality)
    info = probe(src)
    if out.resolve() == src.resolve():
        raise MediaError("The output would overwrite the input; choose another name.")
    args, length = _plan(src, info, fmt, quality)
    try:
        return run_to(out, lambda tmp: ["-i", str(src), *args, "-f", fmt.muxer, str(tmp)],
                      duration_s=length, on_progress=on_progress, cancel=cancel, what="conversion")
    except FFmpegFailed as exc:
        from reelterm.media._blame import explain_failure

        raise explain_failure(exc, [src]) from exc
