"""merge(): stream copy when it fits, length policies, mixing, warnings."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import pytest

from reelterm.media import MergeResult, NoStreamError, UnsupportedTarget, merge, probe
from reelterm.media._ffmpeg import ffmpeg_exe

from .assertions import assert_faststart, no_partials, streams

MERGE = importlib.import_module("reelterm.media.merge")  # the module; `reelterm.media.merge` is the function


def ffmpeg(out: Path, *args: str) -> Path:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args, str(out)], check=True)
    return out


@pytest.fixture
def probe_calls(monkeypatch) -> list[Path]:
    """The paths merge asks PyAV about."""
    calls: list[Path] = []
    monkeypatch.setattr(MERGE, "probe", lambda path: calls.append(path) or probe(path))
    return calls


def test_copy_both_when_codecs_fit(media, tmp_path):
    out = tmp_path / "m.mkv"
    # song.mp3 fits MKV as is; the video is H.264
    res = merge(media.portrait, media.mp3, out)
    assert isinstance(res, MergeResult) and res.path == out
    assert res.video_copied and res.audio_copied
    info = streams(out)
    assert info["video"]["codec"] == "h264" and info["audio"]["codec"] == "mp3"
    # MP4 promises H.264 + AAC: the same MP3 is re-encoded there, the picture still copied
    res = merge(media.portrait, media.mp3, tmp_path / "m.mp4")
    assert res.video_copied and not res.audio_copied
    assert streams(tmp_path / "m.mp4")["audio"]["codec"] == "aac"
    assert_faststart(tmp_path / "m.mp4")
    info = streams(tmp_path / "m.mp4")
    assert abs(info["duration"] - 2.0) < 0.1  # shortest: the 2 s video
    assert any("longer than the video" in w for w in res.warnings)


def test_reencode_only_audio_when_needed(media, tmp_path):
    res = merge(media.video, media.wav, tmp_path / "m.mp4")  # PCM cannot go in MP4
    assert res.video_copied and not res.audio_copied
    info = streams(tmp_path / "m.mp4")
    assert info["audio"]["codec"] == "aac" and info["audio"]["rate"] == 48000
    assert abs(probe(tmp_path / "m.mp4").duration_ms - 1500) < 120
    assert res.warnings == []  # 0.5 s apart is within the tolerance
    res = merge(media.video, media.long_wav, tmp_path / "m2.mp4")
    assert res.warnings and "longer" in res.warnings[0] and "cut to 2.0 s" in res.warnings[0]


def test_no_warning_when_lengths_match(media, tmp_path):
    res = merge(media.video, media.video, tmp_path / "m.mkv")
    assert res.warnings == [] and res.video_copied and res.audio_copied


@pytest.mark.parametrize("fit", ["loop", "pad"])
def test_loop_and_pad_reach_video_length(media, tmp_path, fit):
    out = tmp_path / f"{fit}.mp4"
    res = merge(media.video, media.wav, out, fit=fit)  # 1.5 s audio under a 2 s video
    info = streams(out)
    assert abs(info["audio"]["duration"] - 2.0) < 0.08, info
    assert abs(info["video"]["duration"] - 2.0) < 0.05
    assert res.duration_s == pytest.approx(2.0, abs=0.05)


def test_mix_with_own_audio(media, tmp_path):
    out = tmp_path / "mix.mp4"
    res = merge(media.video, media.long_wav, out, mix=True)
    assert not res.audio_copied and res.video_copied
    assert probe(out).has_audio
    res2 = merge(media.portrait, media.wav, tmp_path / "mix2.mp4", mix=True)
    assert any("no sound of its own" in w for w in res2.warnings)


def test_webm_reencodes_video(media, tmp_path):
    res = merge(media.silent_video, media.wav, tmp_path / "m.webm", fit="pad")
    assert not res.video_copied
    info = streams(tmp_path / "m.webm")
    assert info["video"]["codec"].startswith("libvpx") or "vp9" in info["video"]["codec"]
    assert info["audio"]["codec"] == "opus"


def test_errors_and_no_partials(media, tmp_path):
    with pytest.raises(NoStreamError, match="no audio stream"):
        merge(media.video, media.silent_video, tmp_path / "x.mp4")
    with pytest.raises(NoStreamError, match="no video stream"):
        merge(media.wav, media.mp3, tmp_path / "x.mp4")
    with pytest.raises(NoStreamError, match="still picture"):
        merge(media.image, media.mp3, tmp_path / "x.mp4")
    with pytest.raises(UnsupportedTarget):
        merge(media.video, media.mp3, tmp_path / "x.mp3")
    with pytest.raises(UnsupportedTarget):
        merge(media.video, media.mp3, tmp_path / "x.mp4", fit="stretch")
    assert list(tmp_path.iterdir()) == [] or no_partials(tmp_path) == []


def test_plain_mp4_inputs_skip_pyav_and_merge_as_before(media, tmp_path, monkeypatch, probe_calls):
    song = ffmpeg(tmp_path / "song.m4a", "-f", "lavfi", "-i", "sine=f=330:d=3", "-c:a", "aac")
    fast = merge(media.video, song, tmp_path / "fast.mp4")
    assert probe_calls == []  # both read from their MP4 headers
    monkeypatch.setattr(MERGE, "quick_probe", lambda path: None)
    slow = merge(media.video, song, tmp_path / "slow.mp4")
    assert probe_calls == [media.video, song]
    assert fast.video_copied and fast.audio_copied and "longer than the video" in fast.warnings[0]
    assert (fast.warnings, fast.video_copied, fast.audio_copied, fast.duration_s) == (
        slow.warnings, slow.video_copied, slow.audio_copied, slow.duration_s)
    assert (tmp_path / "fast.mp4").read_bytes() == (tmp_path / "slow.mp4").read_bytes()


def test_inputs_the_header_reader_rejects_merge_through_pyav(media, tmp_path, probe_calls):
    frag = ffmpeg(tmp_path / "frag.mp4", "-i", str(media.video), "-an", "-c", "copy",
                  "-movflags", "frag_keyframe+empty_moov")
    alac = ffmpeg(tmp_path / "alac.m4a", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "alac")
    res = merge(frag, alac, tmp_path / "m.mp4")
    assert probe_calls == [frag, alac]
    assert res.video_copied and not res.audio_copied  # ALAC cannot go in MP4
    info = streams(tmp_path / "m.mp4")
    assert info["video"]["codec"] == "h264" and info["audio"]["codec"] == "aac"
