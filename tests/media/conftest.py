"""Tiny media generated once per session with lavfi (64x64 to 320x180, 1-2 s)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from reelterm.media._ffmpeg import ffmpeg_exe


def make(out: Path, *args: str) -> Path:
    """Run ffmpeg to create a fixture file."""
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args, str(out)], check=True)
    return out


@dataclass
class Media:
    """Paths of the generated fixtures."""

    root: Path
    video: Path  # 320x180 25 fps 2 s, H.264 + AAC mono 44.1 kHz
    silent_video: Path  # 64x64 10 fps 1 s, no audio
    portrait: Path  # 180x320 30 fps 2 s, no audio
    rotated: Path  # 160x90 coded, displayed 90x160: left red / right blue before rotation
    image: Path  # 400x300 PNG
    jpeg: Path  # 320x240 JPEG
    wav: Path  # 1.5 s 440 Hz
    mp3: Path  # 3 s
    long_wav: Path  # 4 s
    empty: Path
    junk: Path
    truncated: Path


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    """Generate every fixture once."""
    root = tmp_path_factory.mktemp("media")
    video = make(root / "clip.mp4", "-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=2",
                 "-f", "lavfi", "-i", "sine=f=440:d=2:sample_rate=44100",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest")
    silent = make(root / "silent.mp4", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=10:d=1",
                  "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
    portrait = make(root / "portrait.mp4", "-f", "lavfi", "-i", "testsrc2=s=180x320:r=30:d=2",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
    plain = make(root / "halves.mp4", "-f", "lavfi", "-i", "color=c=red:s=80x90:r=10:d=1",
                 "-f", "lavfi", "-i", "color=c=blue:s=80x90:r=10:d=1",
                 "-filter_complex", "[0][1]hstack", "-c:v", "libx264", "-preset", "ultrafast",
                 "-pix_fmt", "yuv420p")
    rotated = make(root / "rotated.mp4", "-display_rotation", "90", "-i", str(plain), "-c", "copy")
    image = make(root / "still.png", "-f", "lavfi", "-i", "mandelbrot=s=400x300", "-frames:v", "1")
    jpeg = make(root / "photo.jpg", "-f", "lavfi", "-i", "testsrc=s=320x240", "-frames:v", "1")
    wav = make(root / "tone.wav", "-f", "lavfi", "-i", "sine=f=440:d=1.5:sample_rate=48000")
    mp3 = make(root / "song.mp3", "-f", "lavfi", "-i", "sine=f=330:d=3", "-c:a", "libmp3lame")
    long_wav = make(root / "long.wav", "-f", "lavfi", "-i", "sine=f=550:d=4")
    empty = root / "empty.mp4"
    empty.write_bytes(b"")
    junk = root / "junk.mp4"
    junk.write_bytes(bytes(range(256)) * 20)
    truncated = root / "truncated.mp4"
    truncated.write_bytes(video.read_bytes()[:3000])
    return Media(root, video, silent, portrait, rotated, image, jpeg, wav, mp3, long_wav, empty, junk,
                 truncated)


@pytest.fixture
def resolver(media: Media):
    """upload:ID -> the fixture whose stem is ID."""

    def resolve(src: str) -> Path:
        ident = src.split(":", 1)[1]
        for path in media.root.iterdir():
            if path.stem == ident:
                return path
        raise FileNotFoundError(src)

    return resolve


def tiny_draft(*tracks: dict, w: int = 64, h: int = 36, fps: int = 5) -> dict:
    """A draft dict with a tiny canvas."""
    return {"m": {"title": "test", "width": w, "height": h, "fps": fps}, "t": list(tracks)}
