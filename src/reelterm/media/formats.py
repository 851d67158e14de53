"""Output formats by file suffix, their codecs, and the quality presets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelterm.media.errors import UnsupportedTarget
from reelterm.protocol.formats import (
    AUDIO_EXPORTS,
    EXPORT_FORMATS,
    EXPORT_QUALITIES,
    SUBTITLE_EXPORTS,
)

QUALITIES = EXPORT_QUALITIES
"""Quality presets: x264 ultrafast / veryfast / medium."""
_X264 = {"draft": ("ultrafast", 28), "standard": ("veryfast", 20), "high": ("medium", 18)}
_VP9 = {"draft": (8, 40, "realtime"), "standard": (5, 33, "good"), "high": (3, 30, "good")}


@dataclass(frozen=True)
class OutputFormat:
    """One supported target: ffmpeg muxer and kind (`video`, `audio`, `image`, `gif`).

    What each may take by stream copy is `reelterm.media.copy_rules.RULES`.
    """

    suffix: str
    muxer: str
    kind: str


FORMATS: dict[str, OutputFormat] = {
    "mp4": OutputFormat("mp4", "mp4", "video"),
    "mov": OutputFormat("mov", "mov", "video"),
    "mkv": OutputFormat("mkv", "matroska", "video"),
    "webm": OutputFormat("webm", "webm", "video"),
    "avi": OutputFormat("avi", "avi", "video"),
    "gif": OutputFormat("gif", "gif", "gif"),
    "jpg": OutputFormat("jpg", "image2", "image"),
    "png": OutputFormat("png", "image2", "image"),
    "webp": OutputFormat("webp", "webp", "image"),
    "mp3": OutputFormat("mp3", "mp3", "audio"),
    "wav": OutputFormat("wav", "wav", "audio"),
    "m4a": OutputFormat("m4a", "ipod", "audio"),
    "aac": OutputFormat("aac", "adts", "audio"),
}
SUBTITLE_TARGETS = SUBTITLE_EXPORTS
"""A timeline's captions alone, as a subtitle file (see `media/subtitles.py`)."""
DRAFT_TARGETS = EXPORT_FORMATS + SUBTITLE_TARGETS
"""What a whole timeline can be rendered to: the videos, a GIF, a still frame, its sound alone, or its captions."""
AUDIO_TARGETS = AUDIO_EXPORTS
"""The targets that hold sound only."""
SUPPORTED = EXPORT_FORMATS
"""The 13 supported targets, by suffix."""


def output_format(out: Path | str) -> OutputFormat:
    """The target format from `out`'s suffix (`jpeg` counts as `jpg`); `UnsupportedTarget` otherwise."""
    suffix = Path(out).suffix.lower().lstrip(".")
    suffix = {"jpeg": "jpg"}.get(suffix, suffix)
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise UnsupportedTarget(
            f"Cannot write {Path(out).name!r}: the target must end in one of {', '.join('.' + s for s in SUPPORTED)}."
        )
    return fmt


def check_quality(quality: str) -> str:
    """`quality` if known, else `UnsupportedTarget`."""
    if quality not in QUALITIES:
        raise UnsupportedTarget(f"Unknown quality {quality!r}; use draft, standard or high.")
    return quality


def video_encode_args(fmt: OutputFormat, quality: str) -> list[str]:
    """Encoder flags for the video stream of `fmt` (H.264 yuv420p, or VP9 for webm)."""
    if fmt.suffix == "webm":
        cpu, crf, deadline = _VP9[quality]
        return ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", str(crf), "-b:v", "0",
                "-deadline", deadline, "-cpu-used", str(cpu), "-row-mt", "1"]
    preset, crf = _X264[quality]
    args = ["-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p"]
    if fmt.suffix in ("mp4", "mov"):
        args += ["-movflags", "+faststart"]
    return args


def video_stream_args(fmt: OutputFormat, copy: bool, quality: str) -> list[str]:
    """Copy the video stream (faststart for MP4/MOV) or re-encode it at even dimensions."""
    if copy:
        return ["-c:v", "copy", *(["-movflags", "+faststart"] if fmt.suffix in ("mp4", "mov") else [])]
    return ["-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", *video_encode_args(fmt, quality)]


def audio_encode_args(fmt: OutputFormat) -> list[str]:
    """Encoder flags for the audio stream of `fmt`, 48 kHz stereo."""
    codec = {"webm": "libopus", "mp3": "libmp3lame", "avi": "libmp3lame", "wav": "pcm_s16le"}.get(
        fmt.suffix, "aac")
    args = ["-c:a", codec, "-ar", "48000", "-ac", "2"]
    if codec == "aac":
        args += ["-b:a", "192k"]
    elif codec == "libopus":
        args += ["-b:a", "128k"]
    elif codec == "libmp3lame":
        args += ["-b:a", "192k"]
    if fmt.suffix in ("m4a",):
        args += ["-movflags", "+faststart"]
    return args


def image_encode_args(fmt: OutputFormat) -> list[str]:
    """Flags for a single still picture."""
    if fmt.suffix == "jpg":
        return ["-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj420p", "-update", "1"]
    if fmt.suffix == "png":
        return ["-frames:v", "1", "-c:v", "png", "-update", "1"]
    return ["-frames:v", "1", "-c:v", "libwebp", "-quality", "90"]
