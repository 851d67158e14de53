"""A still at a time shows exactly the frame the video has then, though it renders only a window."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelterm.media import render_draft
from reelterm.media.still import still_window
from reelterm.protocol import Draft

DRAFT = Draft.model_validate({"m": {"title": "t", "width": 192, "height": 108, "fps": 10}, "t": [
    {"tt": 0, "id": "video", "sg": [
        {"id": "a", "s": 0, "d": 2000, "src": "gradient:#203040,#c08030"},
        {"id": "b", "s": 2000, "d": 3000, "src": "gradient:#104010,#e0e0f0", "m": {"transition": "fade"}},
        {"id": "c", "s": 5000, "d": 2500, "src": "color:#402020", "m": {"transition": "wipeleft",
                                                                            "transition_ms": 800}}]},
    {"tt": 7, "id": "titles", "sg": [
        {"id": "t1", "s": 300, "d": 1500, "m": {"text": "One", "style": "title"}},
        {"id": "t2", "s": 2200, "d": 2600, "m": {"text": "Two", "style": "title"}},
        {"id": "t3", "s": 4500, "d": 2500, "m": {"text": "across the cut", "style": "caption"}}]},
]})


def _frames(path: Path) -> list[np.ndarray]:
    import av

    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]


def test_the_window_is_short_and_keeps_what_is_on_screen():
    window, at = still_window(DRAFT, 3500)  # inside scene b, after its fade: cut at b's start
    assert at == 1500 and [s.id for s in window.t[0].sg] == ["b"]
    assert [s.id for s in window.t[1].sg] == ["t2"]  # t3 starts after the frame: dropped
    window, at = still_window(DRAFT, 2100)  # inside b's fade: the scene before is needed
    assert at == 2100 and [s.id for s in window.t[0].sg] == ["a", "b"]
    window, at = still_window(DRAFT, 6000)  # t3 crosses c's start: the cut goes back to b's
    assert at == 4000 and [s.id for s in window.t[0].sg] == ["b", "c"]
    assert not any(t.tt == 1 for t in window.t)


@pytest.mark.parametrize("at_ms", [0, 1250, 2100, 2400, 3500, 5300, 6000, 7400])
def test_a_still_is_the_frame_of_the_video(tmp_path, at_ms):
    video = tmp_path / "v.mp4"
    render_draft(DRAFT, video, quality="high", cache_dir=tmp_path / "cache")
    frames = _frames(video)
    still = tmp_path / "s.png"
    render_draft(DRAFT, still, at_ms=at_ms, cache_dir=tmp_path / "cache")
    from PIL import Image

    got = np.asarray(Image.open(still).convert("RGB")).astype(int)
    index = at_ms * 10 // 1000
    diffs = [float(np.abs(got - frame).mean()) for frame in frames]
    assert diffs[index] < 3, (at_ms, diffs[index])
    assert diffs[index] == pytest.approx(min(diffs), abs=0.5)
