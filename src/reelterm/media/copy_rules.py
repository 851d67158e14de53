"""Which streams each of the 13 output containers may take by stream copy: codec, pixel format, rate.

A stream that breaks a rule is re-encoded (`formats.video_encode_args`/`audio_encode_args`).
MP4 and MOV promise **H.264 + AAC** for the widest playback, so only those two codecs are ever
copied into them, whatever the container could technically hold (MP3, HEVC, PCM, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from reelterm.media.probe import MediaInfo

AAC_RATES = frozenset((7350, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000))
"""Sample rates an AAC stream can signal (ISO 14496-3 sampling frequency index)."""
MP3_RATES = frozenset((8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000))
"""MPEG-1, MPEG-2 and MPEG-2.5 Layer III rates."""
AC3_RATES = frozenset((32000, 44100, 48000))
ANY_RATE: frozenset[int] = frozenset()
"""An empty set: the container stores any rate the codec has."""
PLAIN_420 = frozenset((None, "yuv420p", "yuvj420p"))
"""8-bit 4:2:0, what every H.264 player decodes."""


@dataclass(frozen=True)
class CopyRule:
    """What one output container takes as is: video codec -> allowed pixel formats (empty: any),
    audio codec -> allowed sample rates (empty: any), and the most channels it may copy."""

    video: dict[str, frozenset[str | None]]
    audio: dict[str, frozenset[int]]
    max_channels: int = 8


_H264_ONLY = {"h264": PLAIN_420}
_AAC_ONLY = {"aac": AAC_RATES}

RULES: dict[str, CopyRule] = {
    "mp4": CopyRule(_H264_ONLY, _AAC_ONLY),
    "mov": CopyRule(_H264_ONLY, _AAC_ONLY),
    "mkv": CopyRule({c: frozenset() for c in ("h264", "hevc", "vp8", "vp9", "av1", "mpeg4")},
                    {"aac": AAC_RATES, "mp3": MP3_RATES, "opus": ANY_RATE, "vorbis": ANY_RATE,
                     "flac": ANY_RATE, "ac3": AC3_RATES, "pcm_s16le": ANY_RATE}),
    "webm": CopyRule({c: frozenset() for c in ("vp8", "vp9", "av1")},
                     {"opus": frozenset((48000,)), "vorbis": ANY_RATE}),
    # AVI: video is never copied (copying from MP4 gives a 1/600 time base)
    "avi": CopyRule({}, {"mp3": MP3_RATES, "pcm_s16le": ANY_RATE, "ac3": AC3_RATES}),
    "mp3": CopyRule({}, {"mp3": MP3_RATES}, max_channels=2),
    "wav": CopyRule({}, {"pcm_s16le": ANY_RATE}),
    "m4a": CopyRule({}, _AAC_ONLY),
    "aac": CopyRule({}, _AAC_ONLY, max_channels=8),
    # pictures and GIFs are always encoded
    "gif": CopyRule({}, {}), "jpg": CopyRule({}, {}), "png": CopyRule({}, {}), "webp": CopyRule({}, {}),
}
"""The copy table, one rule per output suffix (the same 13 as `formats.FORMATS`)."""


def can_copy_video(suffix: str, info: MediaInfo) -> bool:
    """True when `info`'s video stream goes into a `.suffix` file unchanged."""
    rule = RULES[suffix]
    formats = rule.video.get(info.video_codec or "")
    return formats is not None and (not formats or info.pix_fmt in formats)


def can_copy_audio(suffix: str, info: MediaInfo) -> bool:
    """True when `info`'s audio stream goes into a `.suffix` file unchanged (codec, rate, channels)."""
    rule = RULES[suffix]
    rates = rule.audio.get(info.audio_codec or "")
    if rates is None or (rates and info.sample_rate not in rates):
        return False
    return 0 < info.channels <= rule.max_channels
