"""A generated promo with visuals: every scene moves, and the file passes the output checks."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from reelterm.media import render_draft

from .helpers import AGENT, SEED_EN, Session, text_upload

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media.assertions import (  # noqa: E402
    assert_av_within,
    assert_faststart,
    assert_h264_mp4,
    assert_loudness,
)

BREWLAB = ("Brewlab is a smart coffee scale for people who love a perfect cup. It times your pour to the second "
           "and weighs every gram. Brew café-quality coffee 2x faster every morning. Order yours today at brewlab.com.")


def _frames(path: Path, times: list[float]) -> list[np.ndarray]:
    import av

    out = []
    with av.open(str(path)) as c:
        for t in times:
            c.seek(int(max(0.0, t - 1) * 1_000_000))
            for f in c.decode(video=0):
                if f.time is not None and f.time >= t - 0.01:
                    out.append(f.to_ndarray(format="rgb24").astype(np.int16))
                    break
    return out


@pytest.mark.slow
def test_every_scene_of_a_promo_moves_and_the_file_is_right(tmp_path: Path) -> None:
    session = Session(uploads=[text_upload("t1", BREWLAB)])
    session.send(AGENT, SEED_EN)
    draft = session.draft
    draft = draft.model_copy(update={"m": draft.m.model_copy(update={"width": 640, "height": 360})})
    out = tmp_path / "promo.mp4"
    render_draft(draft, out, quality="standard", cache_dir=tmp_path / "cache")

    scenes = sorted(next(t for t in draft.t if t.id == "video").sg, key=lambda s: s.s)
    assert len(scenes) >= 4
    assert any(t.id == "pictures" and t.sg for t in draft.t)
    times = []
    for seg in scenes:
        a = seg.s / 1000 + min(1.0, seg.d / 1000 * 0.25)
        assert a + 1.0 < seg.end / 1000 - 0.1, "each scene lasts long enough to compare two frames 1 s apart"
        times += [a, a + 1.0]
    frames = _frames(out, times)
    assert len(frames) == len(times)
    for i, seg in enumerate(scenes):
        diff = float(np.abs(frames[2 * i] - frames[2 * i + 1]).mean())
        assert diff > 0.5, f"{seg.m.name} looks frozen (mean difference {diff:.2f} of 255 between frames 1 s apart)"

    info = assert_h264_mp4(out, 640, 360)
    assert info
    assert_faststart(out)
    assert_av_within(out, 0.05, draft.duration_ms / 1000)
    assert_loudness(out, -14.0)
