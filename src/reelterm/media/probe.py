"""Probing media files with PyAV (the bundled ffmpeg has no ffprobe)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelterm.media.errors import ProbeError

if TYPE_CHECKING:
    from av.audio.codeccontext import AudioCodecContext
    from av.container import InputContainer
    from av.video.codeccontext import VideoCodecContext

IMAGE_CODECS = {"png", "mjpeg", "jpegls", "webp", "bmp", "tiff", "gif", "libwebp"}
IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe",
                 "gif_pipe", "gif"}


@dataclass(frozen=True)
class MediaInfo:
    """What a media file holds. Times in ms; width/height as displayed (rotation applied)."""

    path: Path
    format: str
    duration_ms: int
    has_video: bool
    has_audio: bool
    is_image: bool = False
    width: int = 0
    height: int = 0
    fps: float = 0.0
    rotation: int = 0
    video_codec: str | None = None
    pix_fmt: str | None = None
    audio_codec: str | None = None
    channels: int = 0
    sample_rate: int = 0

    @property
    def duration_s(self) -> float:
        """Duration in seconds."""
        return self.duration_ms / 1000


def check_file(path: Path) -> int:
    """`path`'s size in bytes; `ProbeError` when it is missing, not a file or empty."""
    if not path.exists():
        raise ProbeError(f"{path.name} does not exist.")
    if not path.is_file():
        raise ProbeError(f"{path.name} is not a file.")
    size = path.stat().st_size
    if size == 0:
        raise ProbeError(f"{path.name} is empty (0 bytes).")
    return size


def probe(path: str | Path) -> MediaInfo:
    """Read a file's streams; raise `ProbeError` with one clear sentence when it is not usable media."""
    import av

    path = Path(path)
    check_file(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise ProbeError(f"{path.name} is not a media file reelterm can read (it may be corrupt).") from exc
    try:
        return _read(path, container)
    except ProbeError:
        raise
    except (av.FFmpegError, ValueError, StopIteration) as exc:
        raise ProbeError(f"{path.name} is corrupt: its streams cannot be decoded.") from exc
    finally:
        container.close()


def _read(path: Path, container: InputContainer) -> MediaInfo:
    fmt = container.format.name
    from av.stream import Disposition

    vstreams = [s for s in container.streams.video if not s.disposition & Disposition.attached_pic]
    astreams = list(container.streams.audio)
    if not vstreams and not astreams:
        raise ProbeError(f"{path.name} has no video or audio stream.")
    duration = 0.0
    if container.duration:
        duration = container.duration / 1_000_000
    for s in (*vstreams[:1], *astreams[:1]):
        if s.duration and s.time_base:
            duration = max(duration, float(s.duration * s.time_base))
    info: dict[str, Any] = {"path": path, "format": fmt, "has_video": bool(vstreams), "has_audio": bool(astreams)}
    if vstreams:
        vs = vstreams[0]
        cc = vs.codec_context
        codec = _codec_name(cc)
        rate = vs.average_rate or vs.guessed_rate or vs.base_rate
        frames = vs.frames or 0
        is_image = fmt in IMAGE_FORMATS and codec in IMAGE_CODECS and not (codec == "gif" and frames > 1)
        if codec == "gif" and duration > 0.2:
            is_image = False
        rotation = 0
        frame = next(container.decode(vs), None)
        if frame is None:
            raise ProbeError(f"{path.name} is corrupt: its picture cannot be decoded.")
        rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
        width, height = frame.width or cc.width, frame.height or cc.height
        if rotation in (90, 270):
            width, height = height, width
        info.update(is_image=is_image, width=width, height=height,
                    fps=0.0 if is_image else float(rate or 0), rotation=rotation,
                    video_codec=codec, pix_fmt=cc.format.name if cc.format else None)
        if is_image:
            duration = 0.0
    if astreams:
        ac = astreams[0].codec_context
        info.update(audio_codec=_codec_name(ac), channels=ac.channels or 0, sample_rate=ac.sample_rate or 0)
    if duration <= 0 and not info.get("is_image"):
        duration = scan_duration(path)
    if duration <= 0 and not info.get("is_image"):
        raise ProbeError(f"{path.name} has no readable duration (it may be truncated).")
    return MediaInfo(duration_ms=int(round(duration * 1000)), **info)


def scan_duration(path: Path) -> float:
    """The length in seconds read from the packets' own timestamps (no decoding), or 0.0.

    For containers whose header gives no duration (MPEG program streams with long padding,
    some live recordings): the span from the earliest packet to the end of the latest one,
    per stream, and the longest stream wins.
    """
    import av

    spans: dict[int, list[float]] = {}
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            wanted = [s for s in (*container.streams.video, *container.streams.audio)]
            for packet in container.demux(wanted):
                if packet.pts is None or packet.time_base is None:
                    continue
                start = float(packet.pts * packet.time_base)
                end = start + float((packet.duration or 0) * packet.time_base)
                span = spans.setdefault(packet.stream.index, [start, end])
                span[0], span[1] = min(span[0], start), max(span[1], end)
    except (av.FFmpegError, ValueError, OSError):
        pass
    return max((end - start for start, end in spans.values()), default=0.0)


def _codec_name(cc: VideoCodecContext | AudioCodecContext) -> str:
    """The codec's canonical name (`mp3`, not the decoder's `mp3float`)."""
    return getattr(cc.codec, "canonical_name", None) or cc.name
