"""`reelterm render|merge|convert` as subprocesses: exit codes, messages, nothing partial left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reelterm.media._ffmpeg import ffmpeg_exe

from .assertions import assert_h264_mp4, no_partials
from .conftest import tiny_draft


def reelterm(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reelterm", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})}, cwd=cwd)


def write_draft(folder: Path, media) -> Path:
    (folder / "clip.mp4").write_bytes(media.video.read_bytes())
    draft = tiny_draft(
        {"tt": 0, "sg": [{"id": "v", "s": 0, "d": 1000, "src": "upload:clip"}]},
        {"tt": 1, "sg": [{"id": "m", "s": 0, "d": 1000, "src": "music:calm/calm_acoustic_1", "m": {"volume": 0.35}}]},
        {"tt": 7, "sg": [{"id": "t", "s": 0, "d": 800, "m": {"text": "Urban Dreams", "style": "title"}}]},
        w=96, h=54, fps=10)
    path = folder / "draft.json"
    path.write_text(json.dumps(draft))
    return path


def test_render_ok(media, tmp_path):
    draft = write_draft(tmp_path, media)
    proc = reelterm("render", str(draft), "-o", str(tmp_path / "out.mp4"), "--quality", "draft")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("out.mp4")
    assert "render: 100%" in proc.stderr  # plain progress lines off a terminal
    assert_h264_mp4(tmp_path / "out.mp4", 96, 54)


def test_render_warns_about_letters_the_fonts_lack(media, tmp_path):
    draft = write_draft(tmp_path, media)
    data = json.loads(draft.read_text())
    data["t"][2]["sg"][0]["m"]["text"] = "Urban Dreams 🎉"
    draft.write_text(json.dumps(data))
    proc = reelterm("render", str(draft), "-o", str(tmp_path / "out.mp4"), "--quality", "draft")
    assert proc.returncode == 0, proc.stderr
    assert "warning: The bundled fonts have no letters for 🎉 (in text segment t)" in proc.stderr
    assert_h264_mp4(tmp_path / "out.mp4", 96, 54)


def test_render_media_dir_and_bad_drafts(media, tmp_path):
    draft = write_draft(tmp_path, media)
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    moved = elsewhere / "draft.json"
    moved.write_text(draft.read_text())
    missing = reelterm("render", str(moved), "-o", str(elsewhere / "o.mp4"))
    assert missing.returncode == 4 and "upload:clip" in missing.stderr
    ok = reelterm("render", str(moved), "-o", str(elsewhere / "o.mp4"), "--media-dir", str(tmp_path),
                  "--quality", "draft")
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "bad.json").write_text("{nope")
    assert reelterm("render", str(tmp_path / "bad.json"), "-o", str(tmp_path / "x.mp4")).returncode == 4
    assert reelterm("render", str(tmp_path / "none.json"), "-o", str(tmp_path / "x.mp4")).returncode == 4
    unsupported = reelterm("render", str(draft), "-o", str(tmp_path / "x.flv"))
    assert unsupported.returncode == 4 and unsupported.stderr.count("\n") == 1
    assert no_partials(tmp_path) == [] and not (tmp_path / "x.mp4").exists()


def test_render_ffmpeg_failure_is_exit_3(media, tmp_path):
    draft = write_draft(tmp_path, media)
    proc = reelterm("render", str(draft), "-o", str(tmp_path / "out.mp4"), env={"REELTERM_FFMPEG": "false"})
    assert proc.returncode == 3, proc.stderr
    assert not (tmp_path / "out.mp4").exists() and no_partials(tmp_path) == []


def test_merge_and_convert(media, tmp_path):
    out = tmp_path / "m.mp4"
    proc = reelterm("merge", str(media.video), str(media.long_wav), "-o", str(out), "--fit", "pad")
    assert proc.returncode == 0, proc.stderr
    assert "warning:" in proc.stderr and out.exists()
    proc = reelterm("convert", str(out), "-o", str(tmp_path / "m.mp3"))
    assert proc.returncode == 0 and (tmp_path / "m.mp3").exists()


def test_bad_inputs_exit_4(media, tmp_path):
    cases = [
        ("merge", str(tmp_path / "nope.mp4"), str(media.wav), "-o", str(tmp_path / "a.mp4")),
        ("merge", str(media.video), str(media.junk), "-o", str(tmp_path / "b.mp4")),
        ("merge", str(media.video), str(media.silent_video), "-o", str(tmp_path / "c.mp4")),
        ("merge", str(media.video), str(media.wav), "-o", str(tmp_path / "d.gif")),
        ("convert", str(media.empty), "-o", str(tmp_path / "e.mp4")),
        ("convert", str(media.wav), "-o", str(tmp_path / "f.mp4")),
        ("convert", str(media.truncated), "-o", str(tmp_path / "g.mkv")),
        ("convert", str(media.video), "-o", str(tmp_path / "h.xyz")),
    ]
    for args in cases:
        proc = reelterm(*args)
        assert proc.returncode == 4, (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("reelterm "), proc.stderr
        assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("audio", ["tone.wav", "song.m4a"])
def test_merge_pays_only_for_what_it_uses(media, tmp_path, audio):
    """`reelterm merge` starts fast: no Textual, no Pillow, no asyncio, no HTTP stack; no PyAV for MP4s."""
    heavy = ("textual", "PIL", "asyncio", "httpx", "fastapi")
    if audio == "song.m4a":  # MP4 and M4A inputs are read from their headers
        heavy += ("av", "logging")
        subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac",
                        str(tmp_path / audio)], check=True)
    path = tmp_path / audio if audio == "song.m4a" else media.wav
    code = ("import sys; from reelterm.cli.main import main; "
            f"rc = main(['merge', {str(media.video)!r}, {str(path)!r}, '-o', {str(tmp_path / 'o.mp4')!r}]); "
            f"print(rc, *[m for m in {heavy!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split("\n")[-2].split() == ["0"], proc.stdout + proc.stderr


def test_progress_bar_on_a_terminal_and_lines_otherwise(monkeypatch, capsys):
    from reelterm.cli import media_cmd

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = media_cmd._Progress("render")
    for pct in (5.0, 50.0, 100.0):
        bar(pct)
    bar.end()
    err = capsys.readouterr().err
    assert "\rrender [" in err and "100.0%" in err and err.endswith("\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    bar = media_cmd._Progress("merge")
    for pct in (1.0, 12.0, 13.0, 55.0, 100.0):
        bar(pct)
    assert capsys.readouterr().err.splitlines() == ["merge: 0%", "merge: 10%", "merge: 50%", "merge: 100%"]
