"""probe(): typed stream facts and clear errors."""

from __future__ import annotations

import pytest

from reelterm.media import MediaInfo, ProbeError, probe


def test_probe_video_with_audio(media):
    info = probe(media.video)
    assert isinstance(info, MediaInfo)
    assert (info.width, info.height, info.fps) == (320, 180, 25.0)
    assert info.has_video and info.has_audio and not info.is_image
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert info.channels == 1 and info.sample_rate == 44100
    assert abs(info.duration_ms - 2000) <= 50
    assert info.rotation == 0 and "mp4" in info.format


def test_probe_rotation_swaps_display_size(media):
    info = probe(media.rotated)
    assert info.rotation in (90, 270)
    assert (info.width, info.height) == (90, 160)


def test_probe_image_and_audio(media):
    img = probe(media.image)
    assert img.is_image and img.has_video and not img.has_audio
    assert (img.width, img.height, img.duration_ms) == (400, 300, 0)
    snd = probe(media.mp3)
    assert not snd.has_video and snd.has_audio and snd.audio_codec == "mp3"
    assert abs(snd.duration_ms - 3000) < 100


@pytest.mark.parametrize("name, words", [
    ("empty", "empty"), ("junk", "not a media file"), ("truncated", "not a media file"),
])
def test_probe_bad_files(media, name, words):
    with pytest.raises(ProbeError, match=words) as err:
        probe(getattr(media, name))
    assert str(err.value).endswith(".")


def test_probe_missing_and_directory(media, tmp_path):
    with pytest.raises(ProbeError, match="does not exist"):
        probe(tmp_path / "nope.mp4")
    with pytest.raises(ProbeError, match="not a file"):
        probe(tmp_path)
