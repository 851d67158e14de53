"""Upload classification: reelterm.media's probe plus the engine's allow-list and sentences."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from reelterm.engine.intake import UploadRejected, classify, looks_like_media

from .helpers import ffmpeg, make_media, new_session


def _refusal(api, name: str, content: bytes) -> str:
    sid = new_session(api)
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (name, content))])
    assert r.status_code == 415 and r.json()["code"] == 4001, r.text
    return r.json()["message"]


def test_zero_bytes_has_its_own_sentence(api):
    msg = _refusal(api, "empty.mp4", b"")
    assert "'empty.mp4' is empty (0 bytes)" in msg
    assert "not supported" not in msg and "Use one of" not in msg


def test_truncated_mp4_says_it_could_not_be_decoded(api, media_dir):
    data = (media_dir / "clip.mp4").read_bytes()
    for cut in (data[: len(data) // 3], data[:600]):
        msg = _refusal(api, "cut.mp4", cut)
        assert "'cut.mp4' could not be decoded" in msg and "truncated" in msg
        assert "Use one of" not in msg


def test_truncated_faststart_mp4_and_cut_wav(api, tmp_path):
    fast = tmp_path / "fast.mp4"
    subprocess.run([ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=64x64:rate=10:duration=2", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                    str(fast)], check=True, timeout=60)
    data = fast.read_bytes()
    assert "could not be decoded" in _refusal(api, "fast.mp4", data[: len(data) // 2])
    wav = make_media(tmp_path / "t.wav", "audio", 1.0).read_bytes()
    assert "could not be decoded" in _refusal(api, "t.wav", wav[:60])


def test_wrong_kind_of_file_lists_the_formats(api):
    msg = _refusal(api, "notes.bin", b"\x00\x9f some binary blob that is no media\n" * 20)
    assert "'notes.bin' is not a video" in msg and "Use one of: mp4" in msg


def test_a_media_name_on_other_content_says_the_name_misleads(api):
    msg = _refusal(api, "notes.mp4", b"just text renamed to look like a video\n" * 20)
    assert "'notes.mp4' is named like a .mp4 file, but what it holds is not a video" in msg
    assert "Use one of" not in msg  # .mp4 is accepted: the list would not help


def test_format_outside_the_allow_list(api, tmp_path):
    nut = tmp_path / "t.nut"  # FFmpeg's own container: it decodes, but nobody has such files
    subprocess.run([ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", "-f", "nut",
                    str(nut)], check=True, timeout=60)
    msg = _refusal(api, "t.nut", nut.read_bytes())
    assert "(nut)" in msg and "Use one of" in msg and "mpg" in msg and "flac" in msg


COMMON = {
    "clip.mpg": (["-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-c:v", "mpeg2video", "-f", "vob"], "video"),
    "clip.ts": (["-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-c:v", "mpeg2video", "-f", "mpegts"], "video"),
    "clip.m4v": (["-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-c:v", "libx264", "-f", "mp4"], "video"),
    "clip.3gp": (["-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-c:v", "libx264", "-f", "3gp"], "video"),
    "clip.wmv": (["-f", "lavfi", "-i", "testsrc2=s=64x64:r=25:d=1", "-c:v", "wmv2", "-f", "asf"], "video"),
    "song.ogg": (["-f", "lavfi", "-i", "sine=d=1", "-c:a", "libvorbis", "-f", "ogg"], "audio"),
    "song.opus": (["-f", "lavfi", "-i", "sine=d=1", "-c:a", "libopus", "-f", "ogg"], "audio"),
    "song.flac": (["-f", "lavfi", "-i", "sine=d=1", "-f", "flac"], "audio"),
    "scan.bmp": (["-f", "lavfi", "-i", "testsrc2=s=64x64", "-frames:v", "1"], "image"),
    "scan.tiff": (["-f", "lavfi", "-i", "testsrc2=s=64x64", "-frames:v", "1"], "image"),
}


def test_common_files_ffmpeg_decodes_are_accepted_and_probed(api, tmp_path):
    sid = new_session(api)
    for name, (args, kind) in COMMON.items():
        path = tmp_path / name
        subprocess.run([ffmpeg(), "-loglevel", "error", "-y", *args, str(path)], check=True, timeout=60)
        r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (name, path.read_bytes()))])
        assert r.status_code == 200, (name, r.text)
        got = r.json()["data"]["files"][0]
        assert got["file_type"] == kind, (name, got)
        assert kind == "image" or abs(got["duration"] - 1.0) < 0.15, (name, got)


def test_engine_probe_copy_is_gone():
    assert importlib.util.find_spec("reelterm.engine.probe") is None


def test_media_probe_is_used_rotation_and_animated_gif(api, tmp_path):
    rotated = tmp_path / "phone.mp4"
    subprocess.run([ffmpeg(), "-loglevel", "error", "-y", "-display_rotation", "90", "-f", "lavfi", "-i",
                    "testsrc=size=64x32:rate=10:duration=1", "-pix_fmt", "yuv420p", str(rotated)],
                   check=True, timeout=60)
    gif = tmp_path / "anim.gif"
    subprocess.run([ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=32x32:rate=10:duration=1", str(gif)], check=True, timeout=60)
    sid = new_session(api)
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}",
                 files=[("files", ("phone.mp4", rotated.read_bytes())), ("files", ("anim.gif", gif.read_bytes()))])
    assert r.status_code == 200, r.text
    phone, anim = r.json()["data"]["files"]
    assert (phone["width"], phone["height"]) == (32, 64)  # as displayed, rotation applied
    assert anim["file_type"] == "video" and anim["duration"] == pytest.approx(1.0, abs=0.15)
    assert anim["format"] == "gif"


def test_classify_direct(tmp_path, media_dir):
    empty = tmp_path / "in_x.part"
    empty.write_bytes(b"")
    with pytest.raises(UploadRejected, match="is empty"):
        classify(empty, "shown.mp4")
    info, text = classify(media_dir / "av.mp4", "av.mp4")
    assert text is None and info["kind"] == "video" and info["has_audio"]
    assert {s["type"] for s in info["streams"]} == {"video", "audio"}
    assert looks_like_media(media_dir / "tone.wav") and looks_like_media(media_dir / "pic.png")
    noise = tmp_path / "n"
    noise.write_bytes(b"hello world, plain text" * 4)
    assert not looks_like_media(noise)
