"""Probe uploaded bytes with PyAV: what they are is decided by content, never by the file name."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALLOWED_FORMATS = {
    "mov": "mp4", "mp4": "mp4", "m4a": "m4a", "3gp": "mp4", "avi": "avi", "matroska": "mkv",
    "webm": "webm", "image2": "jpg", "png_pipe": "png", "jpeg_pipe": "jpg", "gif": "gif",
    "gif_pipe": "gif", "webp_pipe": "webp", "mp3": "mp3", "wav": "wav", "aac": "aac",
}
"""Container names (as FFmpeg reports them) the engine accepts, with the extension to store."""

IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "gif_pipe"}


class ProbeError(Exception):
    """The bytes are not media the engine accepts; the message is a sentence."""


@dataclass
class Probe:
    """What PyAV found in a file."""

    kind: str
    """`video`, `audio` or `image`."""
    format: str
    ext: str
    duration_ms: int | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    has_video: bool = False
    has_audio: bool = False
    streams: list[dict[str, Any]] = field(default_factory=list)

    def info(self) -> dict[str, Any]:
        """JSON-ready form, kept in the store."""
        return {"kind": self.kind, "format": self.format, "ext": self.ext,
                "duration_ms": self.duration_ms, "width": self.width, "height": self.height,
                "fps": self.fps, "has_video": self.has_video, "has_audio": self.has_audio,
                "streams": self.streams}


def probe_file(path: Path) -> Probe:
    """Open the file, check that its container is allowed and that a frame decodes."""
    import av  # lazy: PyAV is slow to import

    if path.stat().st_size == 0:
        raise ProbeError("The file is empty.")
    try:
        container = av.open(str(path), mode="r", options={"probesize": "5000000"})
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise ProbeError("The file is not a video, audio or picture that can be read.") from exc
    try:
        names = container.format.name.split(",")
        fmt = next((n for n in names if n in ALLOWED_FORMATS), None)
        if fmt is None:
            raise ProbeError(f"The file's format ({names[0]}) is not supported.")
        video = next((s for s in container.streams.video), None)
        audio = next((s for s in container.streams.audio), None)
        if video is None and audio is None:
            raise ProbeError("The file has no video or audio stream.")
        streams = [_stream(s) for s in container.streams if s.type in ("video", "audio")]
        _decode_one(container, video or audio)
        is_image = fmt in IMAGE_FORMATS and audio is None
        kind = "image" if is_image else "video" if video is not None else "audio"
        duration_ms = None
        if container.duration is not None and container.duration > 0:
            duration_ms = int(container.duration / 1000)
        elif not is_image:
            stream = video or audio
            if stream.duration and stream.time_base:
                duration_ms = int(float(stream.duration * stream.time_base) * 1000)
        if is_image:
            duration_ms = None if fmt not in ("gif", "gif_pipe") else duration_ms
        fps = None
        if video is not None and video.average_rate:
            fps = round(float(video.average_rate), 3)
        ext = ALLOWED_FORMATS[fmt]
        if fmt == "mov":
            ext = "m4a" if kind == "audio" else "mp4"
        return Probe(kind=kind, format=fmt, ext=ext, duration_ms=duration_ms,
                     width=video.width if video is not None else None,
                     height=video.height if video is not None else None,
                     fps=fps, has_video=video is not None and not is_image,
                     has_audio=audio is not None, streams=streams)
    except ProbeError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure means "not readable"
        raise ProbeError("The file is damaged or cannot be decoded.") from exc
    finally:
        container.close()


def _stream(s: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"index": s.index, "type": s.type,
                           "codec": s.codec_context.name if s.codec_context else None}
    if s.type == "video":
        out.update(width=s.width, height=s.height,
                   fps=round(float(s.average_rate), 3) if s.average_rate else None)
    else:
        out.update(sample_rate=s.codec_context.sample_rate, channels=s.codec_context.channels)
    if s.duration and s.time_base:
        out["duration_ms"] = int(float(s.duration * s.time_base) * 1000)
    return out


def _decode_one(container: Any, stream: Any) -> None:
    for i, packet in enumerate(container.demux(stream)):
        for _frame in packet.decode():
            return
        if i > 200:
            break
    raise ProbeError("No frame of the file could be decoded.")
