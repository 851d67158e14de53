"""convert(): all 13 targets, remux when possible, clear errors when impossible."""

from __future__ import annotations

import pytest

from reelterm.media import SUPPORTED, UnsupportedTarget, convert, probe

from .assertions import assert_faststart, no_partials, streams

EXPECT = {
    "mp4": ("h264", "aac"), "mov": ("h264", "aac"), "mkv": ("h264", "aac"), "webm": ("vp9", "opus"),
    "avi": ("h264", "mp3"), "gif": ("gif", None), "jpg": ("mjpeg", None), "png": ("png", None),
    "webp": ("webp", None), "mp3": (None, "mp3"), "wav": (None, "pcm_s16le"), "m4a": (None, "aac"),
    "aac": (None, "aac"),
}


def test_thirteen_formats():
    assert set(SUPPORTED) == set(EXPECT) and len(SUPPORTED) == 13


@pytest.mark.parametrize("suffix", sorted(EXPECT))
def test_video_to_every_format(media, tmp_path, suffix):
    out = convert(media.video, tmp_path / f"o.{suffix}", quality="draft")
    info = probe(out)
    vcodec, acodec = EXPECT[suffix]
    assert info.video_codec == vcodec and info.audio_codec == acodec
    if suffix in ("jpg", "png", "webp"):
        assert info.is_image and info.width == 320
    assert no_partials(tmp_path) == []


def test_remux_keeps_streams(media, tmp_path):
    mkv = convert(media.video, tmp_path / "o.mkv")
    back = convert(mkv, tmp_path / "back.mp4")
    assert streams(back)["video"]["frames"] == 50
    assert_faststart(back)
    # copying keeps the original 44.1 kHz mono AAC (a re-encode would make it 48 kHz stereo)
    assert streams(back)["audio"]["rate"] == 44100


def test_image_and_gif_sources(media, tmp_path):
    assert probe(convert(media.image, tmp_path / "a.jpg")).is_image
    assert probe(convert(media.jpeg, tmp_path / "a.webp")).is_image
    gif = convert(media.silent_video, tmp_path / "a.gif")
    mp4 = convert(gif, tmp_path / "from_gif.mp4")
    assert streams(mp4)["video"]["pix_fmt"] == "yuv420p"


@pytest.mark.parametrize("src, target, words", [
    ("wav", "mp4", "no picture"), ("wav", "jpg", "no picture"), ("image", "mp4", "still picture"),
    ("silent_video", "mp3", "no sound"), ("video", "flv", "must end in"),
])
def test_impossible_targets(media, tmp_path, src, target, words):
    with pytest.raises(UnsupportedTarget, match=words):
        convert(getattr(media, src), tmp_path / f"x.{target}")
    assert list(tmp_path.iterdir()) == []
