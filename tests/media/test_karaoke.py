"""Word-timed captions: the word being said is lit in the accent colour, at its timestamp."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelterm.media import compile_draft, render_draft
from reelterm.media.karaoke import caption_mode, pages
from reelterm.media.words import reading_times, split_words, times_for
from reelterm.protocol import Draft

W, H, FPS = 360, 640, 10
WORDS = [[300, 900], [900, 1500], [1500, 2100]]


def _draft(text: str, words: list | None = None, mode: str | None = None, width: int = W,
           height: int = H) -> Draft:
    m: dict = {"text": text, "style": "caption"}
    if words is not None:
        m["words"] = words
    meta: dict = {"width": width, "height": height, "fps": FPS}
    if mode:
        meta["captions"] = mode
    return Draft.model_validate({"m": meta, "t": [
        {"tt": 0, "sg": [{"id": "v", "s": 0, "d": 2600, "src": "color:#203040"}]},
        {"tt": 7, "sg": [{"id": "c1", "s": 0, "d": 2600, "m": m}]}]})


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def _accent_columns(frame: np.ndarray) -> np.ndarray:
    """x of every pixel in the accent colour (#FFD23F: bright red and green, little blue)."""
    r, g, b = (frame[..., i].astype(int) for i in range(3))
    ys, xs = np.nonzero((r > 190) & (g > 150) & (b < 130) & (r - b > 110))
    return xs


def test_word_k_is_lit_at_its_timestamp(tmp_path: Path) -> None:
    out = render_draft(_draft("Big Fly Jog", WORDS), tmp_path / "w.mp4", quality="draft")
    frames = _frames(out)
    white = frames[5][..., 0].astype(int)
    assert (white > 235).sum() > 200  # the line is drawn in white
    centres = []
    for k, (start, _) in enumerate(WORDS):
        at = start * FPS // 1000  # the frame at word k's timestamp
        xs = _accent_columns(frames[at])
        assert len(xs) > 80, f"word {k} not lit at {start} ms"
        centres.append(xs.mean())
        before = _accent_columns(frames[at - 1])
        if k == 0:
            assert len(before) < 10  # nothing lit before the first word is said
        else:
            assert abs(before.mean() - centres[k - 1]) < 5  # the previous word was lit until then
    assert centres[0] < centres[1] - 20 < centres[2] - 40  # left to right, one word at a time
    # the caption sits in the title-safe area and its letters are phone-sized (>= 4 % of height)
    lit = frames[10]
    ys = np.nonzero((lit[..., 0] > 235) & (lit[..., 1] > 235) & (lit[..., 2] > 235))[0]
    assert ys.min() > H * 0.1 and ys.max() < H * 0.9
    assert ys.max() - ys.min() >= H * 0.04  # from the top of "B" to the bottom of "g"


def test_plain_mode_and_landscape_default_draw_no_accent(tmp_path: Path) -> None:
    assert caption_mode(_draft("x")) == "words"
    assert caption_mode(_draft("x", width=640, height=360)) == "plain"
    assert caption_mode(_draft("x", mode="plain")) == "plain"
    assert caption_mode(_draft("x", width=640, height=360, mode="words")) == "words"
    plain = render_draft(_draft("Big Fly Jog", WORDS, mode="plain"), tmp_path / "p.mp4", quality="draft")
    frames = _frames(plain)
    assert all(len(_accent_columns(frames[k])) < 10 for k in (3, 9, 15))
    assert (frames[9][..., 0] > 235).sum() > 50  # the caption is there, in white


def test_user_text_stays_in_pixels_and_states_share_one_input(tmp_path: Path) -> None:
    text = "{\\an8}C:\\New'quux [x];y, 中文 z"
    job = compile_draft(_draft(text), tmp_path / "o.mp4", cache_dir=tmp_path)
    for part in ("an8", "New", "中文", "quux"):
        assert part not in job.graph and all(part not in a for a in job.args)
    states = [p for p in job.text_images if p.name.startswith("word-")]
    assert len(states) >= len(text.split())  # a picture per word lit (and the unlit page)
    assert sum(1 for a in job.args if a == "-i") == 1  # one lane input holds every state
    assert job.graph.count("overlay=") == 1


@pytest.mark.slow
def test_odd_cache_folder_still_renders(tmp_path: Path) -> None:
    odd = tmp_path / "it's a [cache]; dir, yes:1"
    out = render_draft(_draft("Big Fly Jog", WORDS), tmp_path / "o.mp4", quality="draft", cache_dir=odd)
    assert len(_accent_columns(_frames(out)[9])) > 80


def test_pages_hold_at_most_two_lines() -> None:
    from reelterm.media.karaoke import _font, em_size

    text = " ".join(["wonderful"] * 30)
    words = times_for(text, None, 12_000)
    font = _font(False, em_size(1080, 1920))
    got = pages(text, words, 0, 12_000, 1080 * 0.8, font)
    assert len(got) > 2
    for p in got:
        assert len(p.breaks) <= 1
        lines = [[]]  # every line fits the width
        for k, w in enumerate(p.words):
            if k in p.breaks:
                lines.append([])
            lines[-1].append(w.text)
        assert all(font.getlength(" ".join(line)) <= 1080 * 0.8 for line in lines)
    assert [w for p in got for w in p.words] == words  # every word once, in order
    assert got[0].start == 0 and got[-1].end == 12_000
    assert all(a.end == b.start for a, b in zip(got, got[1:], strict=False))  # pages follow each other


def test_reading_pace_and_cjk_words() -> None:
    assert [w.text for w in split_words("你好，world! 3.5 x")] == ["你", "好，", "world!", "3.5", "x"]
    times = reading_times(["one", "two", "three"], 10_000)
    assert times[0][0] == 0 and times[-1][1] < 3000  # a reading pace, not spread over 10 s
    short = reading_times(["one", "two", "three"], 600)
    assert short[-1][1] <= 600 and all(b > a for a, b in short)
    # bad m.words (wrong count, going backwards) fall back to the reading pace
    assert [w.start for w in times_for("a b", [[0, 10]], 1000)] == [r[0] for r in reading_times(["a", "b"], 1000)]
    assert [w.start for w in times_for("a b", [[500, 600], [0, 10]], 1000)] != [500, 0]


def test_a_line_never_ends_on_a_word_glued_to_the_next() -> None:
    """The planner glues "for", "the", "a"… to the next word with a no-break space; pages keep them."""
    from reelterm.media.karaoke import _font, em_size

    glued = {"for", "the", "a", "by"}
    text = " ".join(["Order by\u00a08pm for\u00a0next-day delivery to\u00a0the\u00a0door of every home"] * 4)
    words = times_for(text, None, 16_000)
    font = _font(False, em_size(1080, 1920))
    for width in (600, 720, 864, 1000):
        lines: list[list[str]] = []
        for p in pages(text, words, 0, 16_000, width, font):
            cut = min(p.breaks) if p.breaks else len(p.words)
            lines += [[w.text for w in p.words[:cut]], [w.text for w in p.words[cut:]]]
        ends = [line[-1] for line in lines if line]
        assert not glued & set(ends), (width, ends)
        assert [w for line in lines for w in line] == [w.text for w in words]
