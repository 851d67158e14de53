"""What an uploaded file is, by content: a text source, or allow-listed media probed by reelterm.media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelterm.engine.textsource import TextSourceError, extract_text, sniff_text_kind
from reelterm.protocol.errors import (
    LOCAL_EXTRA_MEDIA,
    SUPPORTED_MEDIA,
    SUPPORTED_SUBTITLES,
    SUPPORTED_TEXT,
)

ALLOWED_FORMATS = {
    "mov": "mp4", "mp4": "mp4", "m4a": "m4a", "3gp": "mp4", "avi": "avi", "matroska": "mkv",
    "webm": "webm", "image2": "jpg", "png_pipe": "png", "jpeg_pipe": "jpg", "gif": "gif",
    "gif_pipe": "gif", "webp_pipe": "webp", "mp3": "mp3", "wav": "wav", "aac": "aac",
    # what else people commonly have, which FFmpeg decodes (protocol.LOCAL_EXTRA_MEDIA)
    "mpeg": "mpg", "mpegts": "ts", "mpegvideo": "m2v", "ogg": "ogg", "flac": "flac", "asf": "wmv",
    "flv": "flv", "aiff": "aiff", "amr": "amr", "ac3": "ac3", "bmp_pipe": "bmp", "tiff_pipe": "tiff",
}
"""Container names (as FFmpeg reports them) the local engine accepts, with the extension to store.

The hosted API takes the protocol's 13 formats; the local engine also takes the common files
FFmpeg decodes (MPEG program and transport streams, Ogg/Opus/FLAC, WMV, 3GP, M4V, ...)."""

LOCAL_MEDIA = SUPPORTED_MEDIA + LOCAL_EXTRA_MEDIA
"""The extensions the local engine takes as media."""
ACCEPTED_ACTION = (f"Use one of: {', '.join(LOCAL_MEDIA)}; text: {', '.join(SUPPORTED_TEXT)}; "
                   f"subtitles: {', '.join(SUPPORTED_SUBTITLES)}.")
"""The local engine's own list (wider than the hosted API's 13)."""
DAMAGED_ACTION = "It may be truncated or damaged: export or download it again, then upload it."


class UploadRejected(Exception):
    """An upload the engine does not keep; `str()` is the sentence for the 4001 envelope."""


def classify(path: Path, name: str) -> tuple[dict[str, Any], str | None]:
    """`(info, extracted text or None)` for a received file; raises `UploadRejected`."""
    shown = repr(name[:80])
    if path.stat().st_size == 0:
        raise UploadRejected(f"{shown} is empty (0 bytes). Choose the file again once it has been "
                             "fully written.")
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in SUPPORTED_SUBTITLES:
        return subtitle_info(path, name)
    try:
        text_kind = sniff_text_kind(path, name)
        if text_kind is not None:
            text = extract_text(path, text_kind)
            return {"kind": "text", "ext": text_kind, "format": text_kind, "chars": len(text)}, text
    except TextSourceError as exc:
        raise UploadRejected(f"{shown} was not accepted: {exc}") from None
    return media_info(path, shown, Path(name).suffix.lower().lstrip(".")), None


def subtitle_info(path: Path, name: str) -> tuple[dict[str, Any], str]:
    """An SRT/WebVTT upload, read in full: its cues must parse (else the sentence names the line)."""
    from reelterm.media.subtitles import MAX_BYTES, SubtitleError, parse_subtitles, to_srt

    if path.stat().st_size > MAX_BYTES:
        raise UploadRejected(f"{name[:80]!r} is larger than {MAX_BYTES // (1024 * 1024)} MB, the most a "
                             "subtitle file may be.")
    try:
        cues = parse_subtitles(path.read_bytes(), repr(name[:80]))
    except SubtitleError as exc:
        raise UploadRejected(f"{exc} Fix it and upload it again.") from None
    suffix = Path(name).suffix.lower().lstrip(".")
    # kept as SRT text: the agent reads the cues back when asked to add them
    return {"kind": "subtitles", "format": suffix, "ext": suffix, "cues": len(cues),
            "duration_ms": max(c.end for c in cues)}, to_srt(cues)


def media_info(path: Path, shown: str, suffix: str = "") -> dict[str, Any]:
    """Probe with `reelterm.media.probe`, then apply the engine's allow-list."""
    from reelterm.media import ProbeError, probe  # lazy: PyAV is slow to import

    try:
        info = probe(path)
    except ProbeError:
        if looks_like_media(path):
            raise UploadRejected(f"{shown} could not be decoded. {DAMAGED_ACTION}") from None
        if suffix in LOCAL_MEDIA:  # the name promises media the content does not hold
            raise UploadRejected(f"{shown} is named like a .{suffix} file, but what it holds is not a "
                                 "video, audio file or picture reelterm can read. Check that it is "
                                 "the file you meant, or export it again from the app that made it.") from None
        raise UploadRejected(f"{shown} is not a video, audio file, picture or document reelterm "
                             f"accepts. {ACCEPTED_ACTION}") from None
    names = info.format.split(",")
    fmt = next((n for n in names if n in ALLOWED_FORMATS), None)
    if fmt is None:
        raise UploadRejected(f"{shown} is in a format ({names[0][:20]}) reelterm does not accept. "
                             f"{ACCEPTED_ACTION}")
    kind = "image" if info.is_image else "video" if info.has_video else "audio"
    if kind != "image" and info.duration_ms <= 0:
        raise UploadRejected(f"{shown} could not be decoded: it has no playable length. {DAMAGED_ACTION}")
    ext = ALLOWED_FORMATS[fmt]
    if fmt == "mov":
        ext = "m4a" if kind == "audio" else "mp4"
    elif fmt == "asf" and kind == "audio":
        ext = "wma"
    streams: list[dict[str, Any]] = []
    if info.has_video:
        streams.append({"type": "video", "codec": info.video_codec, "width": info.width,
                        "height": info.height, "fps": round(info.fps, 3) or None, "rotation": info.rotation})
    if info.has_audio:
        streams.append({"type": "audio", "codec": info.audio_codec, "sample_rate": info.sample_rate,
                        "channels": info.channels})
    return {"kind": kind, "format": fmt, "ext": ext,
            "duration_ms": None if kind == "image" else info.duration_ms,
            "width": info.width if info.has_video else None,
            "height": info.height if info.has_video else None,
            "fps": round(info.fps, 3) if info.has_video and not info.is_image and info.fps else None,
            "has_video": info.has_video and not info.is_image, "has_audio": info.has_audio,
            "streams": streams}


_SIGNATURES = (b"\x1aE\xdf\xa3", b"ID3", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a",
               b"OggS", b"fLaC", b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3", b"FLV",
               b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", b"#!AMR")


def looks_like_media(path: Path) -> bool:
    """True when the first bytes carry an accepted container's signature (a failed probe = damage)."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(_SIGNATURES):
        return True
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
        return True
    if head.startswith(b"RIFF") and head[8:12] in (b"AVI ", b"WAVE", b"WEBP"):
        return True
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0  # MPEG audio / ADTS sync
