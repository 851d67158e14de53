"""Music ducked only while the voice speaks, measured by ebur128 momentary loudness on windows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from reelterm.media import compile_draft, render_draft
from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media.ducking import gain_expr, voice_spans
from reelterm.protocol import Draft


def _make(out: Path, *args: str) -> Path:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args, str(out)], check=True)
    return out


@pytest.fixture(scope="module")
def sounds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("duck")
    return {
        "upload:music": _make(root / "music.wav", "-f", "lavfi", "-i", "sine=f=330:d=8:sample_rate=48000"),
        # the "voice" is silent, so that the rendered sound is the music alone
        "upload:voice": _make(root / "voice.wav", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "8"),
    }


def momentary(path: Path) -> list[tuple[float, float]]:
    """(t, momentary LUFS) every 100 ms from ffmpeg's ebur128 filter."""
    run = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af",
                          "ebur128=framelog=info", "-f", "null", "-"], capture_output=True, text=True, check=True)
    return [(float(m.group(1)), float(m.group(2)))
            for m in re.finditer(r"t:\s*([\d.]+)\s+TARGET:.*?M:\s*(-?[\d.]+|-inf)", run.stderr)]


def level_at(rows: list[tuple[float, float]], t: float) -> float:
    """The momentary loudness of the 400 ms window ending at `t`."""
    return min(rows, key=lambda r: abs(r[0] - t))[1]


def _draft(voice: list[dict], duck: float | None = 14) -> Draft:
    music_m: dict = {"volume": 0.35}
    if duck is not None:
        music_m["duck"] = duck
    return Draft.model_validate({"m": {"width": 64, "height": 64, "fps": 10}, "t": [
        {"tt": 1, "id": "music", "sg": [{"id": "m", "s": 0, "d": 8000, "src": "upload:music", "m": music_m}]},
        {"tt": 1, "id": "voice", "sg": voice}]})


def test_music_is_at_least_10_db_lower_under_the_voice(tmp_path: Path, sounds: dict[str, Path]) -> None:
    voice = [{"id": "n1", "s": 1000, "d": 1600, "src": "upload:voice"},
             # one clip with a long pause inside: the music comes back up between its words
             {"id": "n2", "s": 4000, "d": 3600, "src": "upload:voice",
              "m": {"text": "one two. three", "words": [[0, 300], [300, 700], [2600, 3300]]}}]
    out = render_draft(_draft(voice), tmp_path / "mix.wav", resolve=sounds.__getitem__)
    rows = momentary(out)
    under = [level_at(rows, t) for t in (2.2, 4.6, 7.2)]  # windows inside speech
    gaps = [level_at(rows, t) for t in (0.9, 3.8, 6.3)]  # windows in the gaps (after the ramps)
    assert min(gaps) - max(under) >= 10, (under, gaps)
    assert max(gaps) - min(gaps) < 1.5  # the music comes all the way back up each time
    # without `duck` the level does not move
    flat = momentary(render_draft(_draft(voice, duck=None), tmp_path / "flat.wav", resolve=sounds.__getitem__))
    levels = [level_at(flat, t) for t in (0.9, 2.2, 3.8, 4.6, 6.3, 7.2)]
    assert max(levels) - min(levels) < 1.5


def test_spans_ramps_and_the_graph_holds_only_numbers(tmp_path: Path, sounds: dict[str, Path]) -> None:
    voice = [{"id": "n1", "s": 1000, "d": 1000, "src": "upload:voice"},
             {"id": "n2", "s": 2300, "d": 500, "src": "upload:voice"},  # a short gap: stays down
             {"id": "n3", "s": 5000, "d": 900, "src": "upload:voice", "m": {"volume": 0}}]  # muted: no duck
    d = _draft(voice)
    assert voice_spans(d) == [(1000, 2800)]
    expr = gain_expr([(1000, 2800)], 12)
    assert re.fullmatch(r"[0-9t.,()*/+\-a-z]+", expr)
    job = compile_draft(d, tmp_path / "x.wav", resolve=sounds.__getitem__, cache_dir=tmp_path)
    assert job.graph.count("eval=frame") == 1
