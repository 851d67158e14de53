"""Files from the wild: odd MP3 rates, MPEG-4 Part 2 AVI, MPEG-PS without a duration, damaged MP4s,
and unequal lengths under every merge policy (A/V within 50 ms)."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import av
import pytest

from reelterm.media import ProbeError, convert, merge, probe
from reelterm.media._cut import best_cut
from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media.copy_rules import RULES, can_copy_audio, can_copy_video
from reelterm.media.formats import FORMATS

from .assertions import no_partials

SYNC_S = 0.05


def make(out: Path, *args: str) -> Path:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args, str(out)], check=True)
    return out


@dataclass
class Wild:
    root: Path
    mp3: dict[int, Path]  # 2 s MP3 at 8,000 / 11,025 / 22,050 Hz
    avi: Path  # MPEG-4 Part 2 + MP3, 1 s
    mpeg_ps: Path  # MPEG-2 + MP2 program stream, 1 s, 18 MB of padding: no duration in the header
    bframes: Path  # 10 s 25 fps H.264 with B-frames, no sound
    audio71: Path  # 7.1 s AAC
    damaged: Path  # valid MP4 headers, random media data


@pytest.fixture(scope="module")
def wild(tmp_path_factory: pytest.TempPathFactory) -> Wild:
    root = tmp_path_factory.mktemp("wild")
    mp3 = {rate: make(root / f"tone{rate}.mp3", "-f", "lavfi", "-i", f"sine=f=440:d=2:sample_rate={rate}",
                      "-c:a", "libmp3lame") for rate in (8000, 11025, 22050)}
    avi = make(root / "old.avi", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-f", "lavfi",
               "-i", "sine=d=1", "-c:v", "mpeg4", "-c:a", "libmp3lame")
    ps = make(root / "short.mpg", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-f", "lavfi",
              "-i", "sine=d=1", "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "vob")
    padding = b"\x00\x00\x01\xbe" + (2042).to_bytes(2, "big") + b"\xff" * 2042  # MPEG padding packets
    mpeg_ps = root / "dvd.mpg"
    mpeg_ps.write_bytes(ps.read_bytes() + padding * 9000)
    bframes = make(root / "long.mp4", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=10", "-c:v", "libx264",
                   "-preset", "veryfast", "-bf", "3", "-pix_fmt", "yuv420p")
    audio71 = make(root / "voice.m4a", "-f", "lavfi", "-i", "sine=f=300:d=7.1:sample_rate=44100", "-c:a", "aac")
    good = make(root / "good.mp4", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=2", "-f", "lavfi", "-i",
                "sine=d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-movflags", "+faststart")
    data = bytearray(good.read_bytes())
    start = data.find(b"mdat") + 4 + 64
    data[start:] = random.Random(16).randbytes(len(data) - start)
    damaged = root / "damaged.mp4"
    damaged.write_bytes(bytes(data))
    return Wild(root, mp3, avi, mpeg_ps, bframes, audio71, damaged)


def ends(path: Path) -> dict[str, float]:
    """Where each stream's last packet ends, in seconds from the file's first one."""
    out: dict[str, float] = {}
    with av.open(str(path)) as c:
        for s in c.streams:
            last = [float((p.pts + (p.duration or 0)) * p.time_base) for p in c.demux(s) if p.pts is not None]
            c.seek(0)
            out[s.type] = max(last)
    return out


def codecs(path: Path) -> tuple[str | None, str | None, int]:
    info = probe(path)
    return info.video_codec, info.audio_codec, info.sample_rate


def test_every_format_has_a_copy_rule_and_mp4_mov_take_only_h264_aac():
    assert set(RULES) == set(FORMATS)
    for suffix in ("mp4", "mov"):
        assert set(RULES[suffix].video) == {"h264"} and set(RULES[suffix].audio) == {"aac"}


@pytest.mark.parametrize("rate", [8000, 11025, 22050])
def test_mp3_at_low_rates_merges_into_every_video_container(wild, tmp_path, rate):
    mp3 = wild.mp3[rate]
    video = wild.avi
    for suffix in ("mp4", "mov", "mkv", "avi", "webm"):
        out = tmp_path / f"m.{suffix}"
        res = merge(video, mp3, out, fit="pad")
        vcodec, acodec, out_rate = codecs(out)
        expected = {"mp4": "aac", "mov": "aac", "webm": "opus"}.get(suffix, "mp3")
        assert acodec == expected, (suffix, acodec)
        if suffix in ("mkv", "avi"):  # these take MP3 at any MPEG rate: copied, rate kept
            assert res.audio_copied is False or out_rate == rate
    # and MP3 -> the audio formats
    for suffix, codec in (("m4a", "aac"), ("aac", "aac"), ("mp3", "mp3"), ("wav", "pcm_s16le")):
        out = convert(mp3, tmp_path / f"c.{suffix}")
        assert codecs(out)[1] == codec
    assert no_partials(tmp_path) == []


def test_mp3_rate_decides_copy_in_the_table():
    from reelterm.media.probe import MediaInfo

    def audio(rate: int, codec: str = "mp3") -> MediaInfo:
        return MediaInfo(Path("x"), "mp3", 1000, False, True, audio_codec=codec, channels=2, sample_rate=rate)

    assert can_copy_audio("mkv", audio(11025)) and can_copy_audio("avi", audio(8000))
    assert not can_copy_audio("mp4", audio(44100))  # MP4 is AAC only
    assert not can_copy_audio("mp3", audio(96000))  # no such MP3 rate
    assert can_copy_audio("m4a", audio(22050, "aac")) and not can_copy_audio("aac", audio(7000, "aac"))
    assert not can_copy_audio("webm", audio(24000, "opus")) and can_copy_audio("webm", audio(48000, "opus"))


def test_mpeg4_part2_avi_becomes_h264_aac_in_mp4_and_mov(wild, tmp_path):
    for suffix in ("mp4", "mov"):
        out = convert(wild.avi, tmp_path / f"o.{suffix}", quality="draft")
        assert codecs(out)[:2] == ("h264", "aac")
    # MKV keeps both streams as they are (nothing promised there but faithful copies)
    out = convert(wild.avi, tmp_path / "o.mkv")
    assert codecs(out)[:2] == ("mpeg4", "mp3")
    res = merge(wild.avi, wild.mp3[22050], tmp_path / "m.mp4", fit="pad")
    assert not res.video_copied and not res.audio_copied
    assert codecs(tmp_path / "m.mp4")[:2] == ("h264", "aac")


def test_h264_mp4_is_still_copied(wild, tmp_path):
    res = merge(wild.bframes, wild.audio71, tmp_path / "m.mov")
    assert res.video_copied and res.audio_copied


def test_mpeg_ps_without_a_header_duration_is_measured_from_packets(wild, tmp_path):
    with av.open(str(wild.mpeg_ps)) as c:
        assert c.duration is None  # the property under test
    info = probe(wild.mpeg_ps)
    assert info.duration_ms == pytest.approx(1000, abs=60)
    assert (info.video_codec, info.audio_codec) == ("mpeg2video", "mp2")
    out = convert(wild.mpeg_ps, tmp_path / "o.mp4", quality="draft")
    assert probe(out).duration_ms == pytest.approx(1000, abs=60)
    res = merge(wild.mpeg_ps, wild.mp3[22050], tmp_path / "m.mkv")
    assert res.duration_s == pytest.approx(1.0, abs=0.06)


def test_damaged_media_data_is_a_corrupt_file_exit_4(wild, tmp_path):
    from reelterm.media._mp4_probe import quick_probe

    assert quick_probe(wild.damaged) is not None  # the headers alone look fine
    with pytest.raises(ProbeError, match="corrupt"):
        merge(wild.damaged, wild.mp3[22050], tmp_path / "m.webm")
    proc = subprocess.run([sys.executable, "-m", "reelterm", "merge", str(wild.damaged), str(wild.mp3[22050]),
                           "-o", str(tmp_path / "m.webm")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 4, proc.stderr
    assert "corrupt" in proc.stderr and "ffmpeg" not in proc.stderr
    assert no_partials(tmp_path) == [] and not (tmp_path / "m.webm").exists()


def test_shortest_cuts_a_copied_bframe_video_at_the_exact_frame(wild, tmp_path):
    for suffix in ("mp4", "mkv"):
        out = tmp_path / f"s.{suffix}"
        res = merge(wild.bframes, wild.audio71, out)  # 10 s of picture, 7.1 s of sound
        assert res.video_copied
        e = ends(out)
        assert abs(e["video"] - e["audio"]) <= SYNC_S, e
        assert e["video"] == pytest.approx(7.1, abs=SYNC_S), e


@pytest.mark.parametrize("fit", ["shortest", "loop", "pad"])
def test_unequal_lengths_under_each_policy(wild, tmp_path, fit):
    # audio shorter than the video (7.1 s under 10 s)
    out = merge(wild.bframes, wild.audio71, tmp_path / "a.mp4", fit=fit).path
    e = ends(out)
    want = 7.1 if fit == "shortest" else 10.0
    assert abs(e["video"] - e["audio"]) <= SYNC_S, e
    assert e["video"] == pytest.approx(want, abs=SYNC_S), e
    # audio longer than the video (7.1 s over 2 s): every policy ends with the picture
    short = wild.avi
    out = merge(short, wild.audio71, tmp_path / "b.mkv", fit=fit).path
    e = ends(out)
    assert abs(e["video"] - e["audio"]) <= SYNC_S, e
    assert e["video"] == pytest.approx(1.0, abs=SYNC_S), e


def test_best_cut_never_keeps_a_frame_that_needs_a_dropped_one():
    # decode order I0 P3 B1 B2 P6 B4 B5 at 10 fps (pts, end)
    frames = [(0.0, 0.1), (0.3, 0.4), (0.1, 0.2), (0.2, 0.3), (0.6, 0.7), (0.4, 0.5), (0.5, 0.6)]
    cut = best_cut(frames, 0.38)  # B1 and B2 need P3: the clean cuts end at 0.1, 0.4 and 0.7
    assert cut is not None and (cut.packets, cut.end_s) == (4, pytest.approx(0.4))
    cut = best_cut(frames, 0.3)  # 0.4 would leave 100 ms of picture without sound
    assert cut is not None and (cut.packets, cut.end_s) == (1, pytest.approx(0.1))
    assert best_cut(frames, 0.7).packets == 7
    assert best_cut([], 1.0) is None


def test_copy_video_needs_plain_420_in_mp4():
    from reelterm.media.probe import MediaInfo

    def video(codec: str, pix: str) -> MediaInfo:
        return MediaInfo(Path("x"), "mov", 1000, True, False, video_codec=codec, pix_fmt=pix)

    assert can_copy_video("mp4", video("h264", "yuv420p"))
    assert not can_copy_video("mp4", video("h264", "yuv444p")) and not can_copy_video("mp4", video("hevc", "yuv420p"))
    assert can_copy_video("mkv", video("hevc", "yuv420p10le")) and not can_copy_video("avi", video("h264", "yuv420p"))


def test_the_exact_cut_of_an_mp4_needs_no_pyav(wild, tmp_path):
    out = tmp_path / "cut.mp4"
    code = ("import sys; from reelterm.cli.main import main; "
            f"rc = main(['merge', {str(wild.bframes)!r}, {str(wild.audio71)!r}, '-o', {str(out)!r}]); "
            "print(rc, 'av' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split("\n")[-2].split() == ["0", "False"], proc.stdout + proc.stderr
    e = ends(out)
    assert abs(e["video"] - e["audio"]) <= SYNC_S and e["video"] == pytest.approx(7.1, abs=SYNC_S)


@pytest.mark.parametrize("suffix", ["mp4", "mkv"])
def test_a_video_whose_own_sound_runs_longer_ends_with_its_picture(wild, tmp_path, suffix):
    video = make(tmp_path / f"phone.{suffix}", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=2", "-f", "lavfi",
                 "-i", "sine=d=4", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac")
    assert probe(video).duration_ms >= 3900  # the container lasts as long as its sound
    res = merge(video, wild.audio71, tmp_path / "m.mp4")
    e = ends(res.path)
    assert e["video"] == pytest.approx(2.0, abs=SYNC_S) and abs(e["video"] - e["audio"]) <= SYNC_S, e
    assert res.duration_s == pytest.approx(2.0, abs=SYNC_S)
