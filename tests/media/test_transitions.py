"""Transitions drawn by a moving window or a mask look like ffmpeg's own `xfade` of the same name."""

from __future__ import annotations

import subprocess

import pytest

from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media.transitions import SOFT, WINDOWED, transition

W, H, FPS, N = 256, 128, 30, 8  # window offsets land on even pixels: the same frames as xfade
SOURCES = (f"testsrc2=s={W}x{H}:r={FPS},format=yuv420p,trim=end_frame={N},setpts=PTS-STARTPTS[a];"
           f"testsrc2=s={W}x{H}:r={FPS},format=yuv420p,hflip,negate,trim=end_frame={N},setpts=PTS-STARTPTS[b];")


def frames(graph: str) -> list[bytes]:
    """The graph's `[o]` as raw yuv420p frames."""
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-filter_complex", SOURCES + graph, "-map", "[o]",
                          "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"], capture_output=True, check=True).stdout
    size = W * H * 3 // 2
    return [raw[i:i + size] for i in range(0, len(raw), size)]


def mean_diff(x: bytes, y: bytes) -> float:
    """Mean absolute difference of two frames' samples."""
    return sum(abs(p - q) for p, q in zip(x, y, strict=True)) / len(x)


@pytest.mark.parametrize("name", [*WINDOWED, *SOFT])
def test_transition_matches_xfade(name: str) -> None:
    labels = iter(range(100))
    ours = frames(transition(name, "a", "b", "o", N, (W, H, FPS), lambda p: f"{p}{next(labels)}"))
    ref = frames(f"[a][b]xfade=transition={name}:duration={N / FPS}:offset=0[o]")
    assert len(ours) == len(ref) == N
    # the same picture (to xfade's rounding through 4:4:4 and the mask's smoothing); the opposite
    # direction, a missing blend or an inverted mask differs by tens of levels half-way through
    assert max(mean_diff(o, r) for o, r in zip(ours, ref, strict=True)) < 2.5
    assert mean_diff(ours[N // 2], ours[0]) > 10  # it does move


def test_other_transitions_go_to_xfade() -> None:
    assert "xfade=transition=radial" in transition("radial", "a", "b", "o", 12, (W, H, FPS), str)
