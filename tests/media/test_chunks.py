"""Rendering a draft in frame ranges and joining them gives the frames of the whole render."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from hub import avsync
from reelterm.media import MediaError, render_draft
from reelterm.media.chunks import join_chunks, render_chunk

FPS = 24


@pytest.fixture(scope="module")
def bars(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return avsync.make_clip(tmp_path_factory.mktemp("bars") / "bars.mp4", frames=200, fps=FPS)


def _gray(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as box:
        return [f.to_ndarray(format="gray").astype(int) for f in box.decode(video=0)]


@pytest.mark.slow
def test_chunks_of_cuts_fades_overlays_and_captions_join_into_the_whole_render(bars, tmp_path):
    draft = {"m": {"width": 160, "height": 90, "fps": FPS}, "t": [
        {"id": "video", "tt": 0, "sg": [
            {"id": "a", "s": 0, "d": 3000, "src": "upload:u", "in": 500},
            {"id": "b", "s": 3000, "d": 4000, "src": "upload:u", "in": 1000,
             "m": {"transition": "fade", "transition_ms": 500}}]},
        {"id": "v2", "tt": 0, "sg": [{"id": "o", "s": 5000, "d": 1500, "src": "upload:u", "in": 3000,
                                      "m": {"fit": "contain"}}]},
        {"tt": 7, "sg": [{"id": "t", "s": 1000, "d": 3000, "m": {"text": "Hello", "style": "caption"}}]}]}
    resolve = lambda src: bars  # noqa: E731
    whole = render_draft(draft, tmp_path / "whole.mp4", resolve=resolve, quality="high", cache_dir=tmp_path)
    edges = [0, 36, 60, 96, 132, 168]  # chunk starts inside a clip, a fade and the overlay: they seek
    parts = [render_chunk(draft, tmp_path / f"c{a}.mp4", (a, b), gop=12, resolve=resolve, quality="high",
                          cache_dir=tmp_path) for a, b in zip(edges, edges[1:], strict=False)]
    with av.open(str(parts[1])) as box:
        assert not box.streams.audio and box.streams.video[0].frames == 24
    sound = render_draft(draft, tmp_path / "sound.m4a", resolve=resolve, cache_dir=tmp_path)
    joined = join_chunks(parts, sound, tmp_path / "joined.mp4")
    a, b = _gray(whole), _gray(joined)
    assert len(a) == len(b) == 168
    worst = max(float(np.abs(x - y).mean()) for x, y in zip(a, b, strict=True))
    assert worst < 2.0, worst  # encoder noise only: the same source frame at every position
    assert not list(tmp_path.glob(".*part*")) and not list(tmp_path.glob(".*concat*"))


def test_a_frame_range_outside_the_timeline_is_refused(bars, tmp_path):
    draft = {"m": {"width": 64, "height": 64, "fps": 10},
             "t": [{"id": "video", "tt": 0, "sg": [{"id": "a", "s": 0, "d": 1000, "src": "color:#223344"}]}]}
    with pytest.raises(MediaError, match="outside"):
        render_chunk(draft, tmp_path / "x.mp4", (5, 11), gop=5, cache_dir=tmp_path)
    with pytest.raises(MediaError):
        render_chunk(draft, tmp_path / "x.mov", (0, 5), gop=5, cache_dir=tmp_path)
    out = render_chunk(draft, tmp_path / "x.mp4", (5, 10), gop=5, cache_dir=tmp_path)
    with av.open(str(out)) as box:
        assert box.streams.video[0].frames == 5 and not box.streams.audio


def test_a_frame_range_with_its_sound_keeps_both_the_same_length(tmp_path):
    draft = {"m": {"width": 64, "height": 64, "fps": 10}, "t": [
        {"id": "video", "tt": 0, "sg": [{"id": "a", "s": 0, "d": 3000, "src": "color:#223344"}]},
        {"tt": 1, "sg": [{"id": "m", "s": 0, "d": 3000, "src": "music:calm/calm_acoustic_1"}]}]}
    out = render_draft(draft, tmp_path / "part.mp4", frames=(10, 30), quality="draft", cache_dir=tmp_path)
    with av.open(str(out)) as box:
        v, a = box.streams.video[0], box.streams.audio[0]
        assert v.frames == 20
        assert abs(float(a.duration * a.time_base) - 2.0) < 0.05
    silent = render_draft(draft, tmp_path / "mute.mp4", frames=(10, 30), audio=False, cache_dir=tmp_path)
    with av.open(str(silent)) as box:
        assert not box.streams.audio and box.streams.video[0].frames == 20
