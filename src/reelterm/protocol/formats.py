"""The export formats and qualities every part of reelterm offers (the seeds' 13 formats)."""

from __future__ import annotations

VIDEO_EXPORTS = ("mp4", "mov", "avi", "webm", "mkv")
"""Formats that hold picture and sound."""
ANIMATED_EXPORTS = ("gif",)
"""A silent, looping animation."""
STILL_EXPORTS = ("jpg", "png", "webp")
"""One still frame of the video."""
AUDIO_EXPORTS = ("mp3", "wav", "m4a", "aac")
"""The sound alone."""
EXPORT_FORMATS = (*VIDEO_EXPORTS, *ANIMATED_EXPORTS, *STILL_EXPORTS, *AUDIO_EXPORTS)
"""Every format an export may ask for, in the seeds' order: mp4 mov avi webm mkv gif jpg png webp mp3 wav m4a aac."""
EXPORT_QUALITIES = ("draft", "standard", "high")
"""Quality presets, fastest first."""
UNSUPPORTED_FORMATS = ("flv", "wmv", "mpeg", "mpg", "m4v", "3gp", "ogv", "ogg", "flac", "opus", "wma", "aiff", "heic",
                       "tiff", "tif", "bmp", "avif", "svg", "pdf", "psd", "apng", "ts", "vob", "rm", "rmvb")
"""Formats people ask for that reelterm does not write: they get the list of those it does."""
FORMAT_ALIASES = {"jpeg": "jpg", "mpeg4": "mp4", "mpeg-4": "mp4", "quicktime": "mov", "matroska": "mkv"}
"""Other names people use for the same formats."""


def export_kind(fmt: str) -> str:
    """`video`, `gif`, `image` or `audio` for an export format (`video` for an unknown one)."""
    if fmt in AUDIO_EXPORTS:
        return "audio"
    if fmt in STILL_EXPORTS:
        return "image"
    if fmt in ANIMATED_EXPORTS:
        return "gif"
    return "video"


SUBTITLE_EXPORTS = ("srt", "vtt")
"""The captions alone as a subtitle file (SubRip, WebVTT): reelterm's own engine writes these too."""
