"""Many text segments go through a few concat-demuxer lanes and look the same as one PNG each."""

from __future__ import annotations

import av
import numpy as np
import pytest

from reelterm.media import captions, compile_draft, render_draft
from reelterm.protocol.draft import Draft

from .assertions import assert_av_within, streams
from .conftest import tiny_draft

EVIL = "x'; [0:v] drawtext=text=%{pts}:fontfile=/etc/passwd \\ : ,"


def many(n: int, w: int = 160, h: int = 90, fps: int = 10, ms: int = 300) -> dict:
    caps = [{"s": i * ms, "d": ms, "m": {"text": f"{EVIL} {i}", "style": "caption"}} for i in range(n)]
    titles = [{"s": i * 2000, "d": 1500, "m": {"text": f"Title {i}", "style": "title", "fade_in": 500}}
              for i in range(n * ms // 2000)]
    overlapping = [{"s": 450, "d": 1000, "m": {"text": "overlaps", "style": "caption"}}]
    return tiny_draft({"tt": 0, "sg": [{"s": 0, "d": n * ms, "src": "gradient:#203040,#a0c0e0"}]},
                      {"tt": 7, "sg": caps + overlapping}, {"tt": 7, "sg": titles}, w=w, h=h, fps=fps)


def frames(path) -> np.ndarray:
    with av.open(str(path)) as c:
        return np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)]).astype(int)


def test_two_hundred_captions_are_a_few_inputs(tmp_path):
    job = compile_draft(Draft.model_validate(many(200, 64, 36, 5)), tmp_path / "o.mp4", quality="draft",
                        cache_dir=tmp_path / "c")
    assert job.args.count("-i") <= 5 and job.args.count("concat") >= 2
    scripts = [a for a in job.args if a.endswith(".ffconcat")]
    for text in [job.graph, "\n".join(job.args), *(open(s, encoding="utf-8").read() for s in scripts)]:
        for piece in ("drawtext", "passwd", "%{pts}", "Title 1", "overlaps"):
            assert piece not in text
    out = render_draft(many(200, 64, 36, 5), tmp_path / "o.mp4", quality="draft", cache_dir=tmp_path / "c")
    assert streams(out)["video"]["frames"] == 300
    assert_av_within(out, 0.05, 60.0)


def test_lanes_look_like_one_png_each(tmp_path, monkeypatch):
    draft = many(16)
    lanes = render_draft(draft, tmp_path / "lanes.mp4", quality="high", cache_dir=tmp_path / "c")
    monkeypatch.setattr(captions, "LANES_OVER", 10_000)
    single = render_draft(draft, tmp_path / "single.mp4", quality="high", cache_dir=tmp_path / "c")
    a, b = frames(lanes), frames(single)
    assert a.shape == b.shape == (48, 90, 160, 3)
    per_frame = np.abs(a - b).mean(axis=(1, 2, 3))  # a missing or late caption would be ~10+
    assert per_frame.max() < 1.0, per_frame


@pytest.mark.parametrize("count, lanes", [(3, 1), (14, 1)])
def test_lanes_split_overlaps(tmp_path, count, lanes):
    from reelterm.media._graph import Graph

    draft = Draft.model_validate(many(count))
    g = Graph(draft, None, None, tmp_path / "c")
    caps = [captions.caption(g, seg, 10_000) for seg in draft.t[1].sg]
    split = captions.lanes([c for c in caps if c is not None])
    assert len(split) == lanes + 1  # the overlapping caption needs a lane of its own
    for lane in split:
        assert all(a.end <= b.start for a, b in zip(lane, lane[1:], strict=False))
