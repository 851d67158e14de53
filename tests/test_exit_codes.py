"""Each documented exit code (docs/headless.md) comes back from a real case, as a user runs reelterm."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reelterm.cli.exit_codes import (
    EXIT_BACKEND,
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from reelterm.media import probe
from reelterm.media._ffmpeg import ffmpeg_exe


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reelterm", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, stdin=subprocess.DEVNULL)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_codes_are_the_documented_ones() -> None:
    table = (Path(__file__).resolve().parents[1] / "docs" / "headless.md").read_text(encoding="utf-8")
    documented = [int(line.split("|")[1]) for line in table.splitlines() if line.startswith("| ")
                  and line.split("|")[1].strip().isdigit()]
    assert documented == [EXIT_OK, EXIT_USAGE, EXIT_BACKEND, EXIT_BAD_INPUT, EXIT_INTERRUPTED] == [0, 2, 3, 4, 130]


def test_ok_a_converted_file(tmp_path: Path) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=d=1", str(tmp_path / "tone.wav")],
                   check=True)
    done = run("convert", "tone.wav", "-o", "tone.mp3", cwd=tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    assert probe(tmp_path / "tone.mp3").has_audio


@pytest.mark.parametrize(("args", "said"), [
    (("--api", "ftp://x", "state"), "is not a backend"),
    (("chat", ""), "the message is empty"),
    (("serve", "--host", "0.0.0.0"), "not a loopback address"),
    (("frobnicate",), "invalid choice"),
])
def test_usage(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    done = run(*args, cwd=tmp_path)
    assert done.returncode == EXIT_USAGE and said in done.stderr and "Traceback" not in done.stderr


def test_backend_error_an_unreachable_backend(tmp_path: Path) -> None:
    done = run("--api", f"http://127.0.0.1:{closed_port()}", "state", cwd=tmp_path)
    assert done.returncode == EXIT_BACKEND and "could not reach the backend" in done.stderr, done.stderr


@pytest.mark.parametrize(("args", "said"), [
    (("convert", "nothere.wav", "-o", "out.mp3"), "does not exist"),
    (("upload", "nothere.mp4"), "There is no file"),
    (("render", "draft.json", "-o", "out.mp4"), "is not a JSON draft"),
])
def test_bad_input(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    (tmp_path / "draft.json").write_text("{not json", encoding="utf-8")
    done = run(*args, cwd=tmp_path)
    assert done.returncode == EXIT_BAD_INPUT and said in done.stderr, done.stderr
    assert not (tmp_path / "out.mp3").exists() and not (tmp_path / "out.mp4").exists()


def test_interrupted_render_leaves_no_file(tmp_path: Path) -> None:
    """Ctrl+C during a real render (an hour of video: it is still running when the signal comes)."""
    draft = {"m": {"width": 640, "height": 360, "fps": 30},
             "t": [{"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 3_600_000, "src": "color:#203040"}]}]}
    (tmp_path / "long.json").write_text(json.dumps(draft), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "reelterm", "render", "long.json", "-o", "long.mp4"],
                            cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline().startswith("render: 0%")  # the render has started
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED and "Interrupted." in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [tmp_path / "long.json"]
