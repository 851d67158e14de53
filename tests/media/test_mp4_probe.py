"""quick_probe(): PyAV's answer from the MP4 headers alone, or None; never an exception on bad bytes."""

from __future__ import annotations

import dataclasses
import random
import subprocess
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelterm.media import ProbeError, probe
from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media._mp4_probe import quick_probe

V = ("-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=1")
A = ("-f", "lavfi", "-i", "sine=f=440:d=1.3:sample_rate=48000")
X264 = ("-c:v", "libx264", "-preset", "ultrafast")
SAME, NO_PIX, NONE, MAYBE = "same", "same but pix_fmt None", "None", "None or same"
CASES = {  # name: (file name, ffmpeg arguments ("{case}": that case's file), what quick_probe must give)
    "h264 baseline, video only": ("base.mp4", (*V, *X264, "-profile:v", "baseline", "-pix_fmt", "yuv420p"), SAME),
    "h264 high + aac, moov at end": ("high.mp4", (*V, *A, "-c:v", "libx264", "-bf", "2", "-pix_fmt", "yuv420p",
                                                  "-c:a", "aac", "-ac", "2"), SAME),
    "h264 high + aac, faststart": ("fast.mp4", (*V, *A, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                                                "-movflags", "+faststart"), SAME),
    "h264 full range": ("full.mp4", (*V, *X264, "-pix_fmt", "yuvj420p"), SAME),
    "h264 4:4:4": ("h444.mp4", (*V, *X264, "-pix_fmt", "yuv444p"), MAYBE),
    "h264 10-bit": ("h10.mp4", (*V, *X264, "-pix_fmt", "yuv420p10le"), MAYBE),
    "h264 cropped odd size, NTSC rate": ("odd.mp4", ("-f", "lavfi", "-i", "testsrc2=s=162x94:r=30000/1001:d=1",
                                                     *X264, "-pix_fmt", "yuv420p"), SAME),
    "hevc": ("hevc.mp4", (*V, "-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "log-level=none"), NO_PIX),
    "mpeg4": ("mpeg4.mp4", (*V, "-c:v", "mpeg4"), NO_PIX),
    "aac m4a": ("aac.m4a", (*A, "-c:a", "aac"), SAME),
    "mp3 in mp4": ("mp3.mp4", (*A, "-c:a", "libmp3lame"), SAME),
    "opus in mp4": ("opus.mp4", (*A, "-c:a", "libopus"), SAME),
    "alac in mov": ("alac.mov", (*A, "-c:a", "alac"), MAYBE),
    "h264 + pcm in mov": ("pcm.mov", (*V, *A, *X264, "-c:a", "pcm_s16le"), MAYBE),
    "h264 + aac in mov": ("plain.mov", (*V, *A, *X264, "-c:a", "aac"), SAME),
    "rotated 90": ("rot.mp4", ("-display_rotation", "90", "-i", "{h264 baseline, video only}", "-c", "copy"), SAME),
    "audio starts late": ("late.mp4", (*V, "-itsoffset", "0.3", *A, "-map", "0", "-map", "1", *X264,
                                       "-c:a", "aac"), SAME),
    "cover art": ("cover.m4a", (*A, "-f", "lavfi", "-i", "testsrc=s=64x64", "-map", "0", "-map", "1",
                                "-frames:v", "1", "-c:a", "aac", "-c:v", "png", "-disposition:v",
                                "attached_pic"), SAME),
    "fragmented": ("frag.mp4", (*V, *A, *X264, "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"), NONE),
}


@cache
def _encoders() -> str:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-encoders"], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    """Make a case's file on first use (once per module)."""
    root = tmp_path_factory.mktemp("mp4")

    @cache
    def make(case: str) -> Path:
        name, args, _ = CASES[case]
        if "libx265" in args and "libx265" not in _encoders():
            pytest.skip("this ffmpeg has no libx265")
        out = root / name
        args = [str(make(a[1:-1])) if a.startswith("{") else a for a in args]
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args, str(out)], check=True)
        return out

    return make


def _boxes(path: Path) -> list[str]:
    """The types of a file's top-level boxes, in order."""
    data, pos, kinds = path.read_bytes(), 0, []
    while pos + 8 <= len(data):
        kinds.append(data[pos + 4:pos + 8].decode("latin-1"))
        pos += int.from_bytes(data[pos:pos + 4], "big") or len(data)
    return kinds


@pytest.mark.parametrize("case", list(CASES))
def test_same_answer_as_pyav(made, case):
    path, want = made(case), CASES[case][2]
    quick, slow = quick_probe(path), probe(path)
    if want == SAME:
        assert quick == slow
    elif want == NO_PIX:  # merge's choice reads pix_fmt for H.264 only
        assert quick == dataclasses.replace(slow, pix_fmt=None)
    elif want == NONE:
        assert quick is None
    else:
        assert quick is None or quick == slow
    if quick is not None and quick.video_codec == "h264":
        assert quick.pix_fmt in ("yuv420p", "yuvj420p") and quick.pix_fmt == slow.pix_fmt


def test_cases_cover_what_they_claim(made):
    at_end, faststart = _boxes(made("h264 high + aac, moov at end")), _boxes(made("h264 high + aac, faststart"))
    assert at_end.index("moov") > at_end.index("mdat") and faststart.index("moov") < faststart.index("mdat")
    assert probe(made("h264 full range")).pix_fmt == "yuvj420p"
    assert probe(made("rotated 90")).rotation in (90, 270)
    cover = probe(made("cover art"))
    assert not cover.has_video and cover.has_audio  # the cover is no video stream, for PyAV either


def test_missing_empty_and_not_mp4(made, tmp_path):
    with pytest.raises(ProbeError, match="does not exist"):
        quick_probe(tmp_path / "nope.mp4")
    with pytest.raises(ProbeError, match="not a file"):
        quick_probe(tmp_path)
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(ProbeError, match="empty"):
        quick_probe(tmp_path / "empty.mp4")
    (tmp_path / "junk.mp4").write_bytes(bytes(range(256)) * 20)
    assert quick_probe(tmp_path / "junk.mp4") is None
    wav = tmp_path / "tone.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", *A, str(wav)], check=True)
    assert quick_probe(wav) is None


@pytest.mark.parametrize("case", ["h264 high + aac, moov at end", "h264 high + aac, faststart"])
def test_truncated_files_give_none(made, tmp_path, case):
    data = made(case).read_bytes()
    moov = data.index(b"moov") - 4
    cuts = {1, 7, 8, 20, 33, moov + 1, moov + 8, moov + 9, moov + 200, len(data) // 2, len(data) - 1}
    cuts |= {moov + i * 97 for i in range(30)}
    for cut in sorted(c for c in cuts if 0 < c < len(data)):
        path = tmp_path / f"cut{cut}.mp4"
        path.write_bytes(data[:cut])
        assert quick_probe(path) is None, cut


@pytest.mark.parametrize("case", ["h264 high + aac, moov at end", "h264 + aac in mov", "opus in mp4"])
def test_flipped_bytes_never_raise(made, tmp_path, case):
    data, rng = made(case).read_bytes(), random.Random(case)
    moov, path = data.index(b"moov") - 4, tmp_path / "flipped.mp4"
    answers = set()
    for _ in range(300):
        changed = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            changed[rng.randrange(moov, len(data)) if rng.random() < 0.9 else rng.randrange(len(data))] ^= (
                1 << rng.randrange(8))
        path.write_bytes(changed)
        info = quick_probe(path)
        answers.add(info is None)
    assert answers == {True, False}  # some flips are caught, some (in the media data) are not


FTYP = b"\x00\x00\x00\x14ftypisom\x00\x00\x02\x00isom"
BOX = st.tuples(st.sampled_from([b"moov", b"mdat", b"free", b"trak", b"mvhd", b"mdia", b"stsd", b"avcC"]),
                st.binary(max_size=64)).map(lambda kb: (8 + len(kb[1])).to_bytes(4, "big") + kb[0] + kb[1])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tail=st.one_of(st.binary(max_size=400), st.lists(BOX, max_size=6).map(b"".join)))
def test_random_bytes_after_ftyp(tmp_path, tail):
    path = tmp_path / "random.mp4"
    path.write_bytes(FTYP + tail)
    # no answer from headers that describe no real track: PyAV decides, and it refuses the file
    # with a sentence naming it (never an exception of another kind, never a made-up MediaInfo)
    assert quick_probe(path) is None
    with pytest.raises(ProbeError, match="random.mp4"):
        probe(path)
