"""Layouts: every scene kind in 16:9, 9:16 and 1:1, every word inside the title-safe area, phone-sized type."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from PIL import Image

from reelterm.media import render_draft
from reelterm.media.layouts import arrange, shape, type_px
from reelterm.media.scene_text import draw_pieces
from reelterm.media.text_images import render_text
from reelterm.protocol import validate_local_draft
from reelterm.protocol.draft import LAYOUTS

CANVASES = [(1920, 1080), (1080, 1920), (1080, 1080)]
TEXTS = {
    "headline": "Keeps every drink ice-cold for a whole day, even in the summer heat of the city",
    "sub": "for the first hundred orders placed before the end of the month",
    "url": "https://brewlab.example.com/order-today",
}
ZH = {"headline": "让饮品保温二十四小时还会提醒你按时喝水", "sub": "现在下单立享八折优惠", "url": "brewlab.com"}


def _alpha_bounds(path: Path) -> tuple[int, int, int, int] | None:
    with Image.open(path) as img:
        return img.getchannel("A").getbbox()


@pytest.mark.parametrize("canvas", CANVASES, ids=lambda c: f"{c[0]}x{c[1]}")
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("words", [TEXTS, ZH], ids=["en", "zh"])
def test_every_text_and_picture_inside_title_safe(tmp_path: Path, layout: str, canvas: tuple[int, int],
                                                 words: dict[str, str]) -> None:
    W, H = canvas
    safe = (0.1 * W, 0.1 * H, 0.9 * W, 0.9 * H)
    for pictures in (0, 1, 3):
        arr = arrange(layout, W, H, pictures, qr=layout == "end")
        boxes = list(arr.pictures) + ([arr.qr] if arr.qr else [])
        for box in boxes:
            assert safe[0] <= box.x and box.x + box.w <= safe[2] and safe[1] <= box.y and box.y + box.h <= safe[3]
        for role, text in words.items():
            box = arr.texts.get(role)
            if box is None:
                continue
            pieces = draw_pieces(text, box, type_px(role, layout, W, H), align=arr.align, cache_dir=tmp_path)
            assert pieces
            for p in pieces:
                bounds = _alpha_bounds(p.path)
                assert bounds is not None, "a piece with no visible pixels"
                x0, y0, x1, y1 = p.x + bounds[0], p.y + bounds[1], p.x + bounds[2], p.y + bounds[3]
                assert safe[0] <= x0 and x1 <= safe[2] and safe[1] <= y0 and y1 <= safe[3], (role, p)
            for a in boxes:  # words never sit on a picture
                for p in pieces:
                    overlap_w = min(a.x + a.w, p.x + p.w) - max(a.x, p.x)
                    overlap_h = min(a.y + a.h, p.y + p.h) - max(a.y, p.y)
                    assert overlap_w <= 0 or overlap_h <= 0, (layout, role, a, p)


def test_canvas_shapes_have_their_own_arrangement() -> None:
    assert [shape(*c) for c in CANVASES] == ["land", "port", "square"]
    land, port = arrange("feature", 1920, 1080, 1), arrange("feature", 1080, 1920, 1)
    pic, words = land.pictures[0], land.texts["headline"]
    assert pic.x + pic.w <= words.x, "16:9: the picture beside the words"
    pic, words = port.pictures[0], port.texts["headline"]
    assert pic.y + pic.h <= words.y, "9:16: the picture above the words"
    row = arrange("list", 1920, 1080, 3).pictures
    assert len(row) == 3 and len({p.y for p in row}) == 1 and row[0].x < row[1].x < row[2].x


def test_type_is_sized_for_phones(tmp_path: Path) -> None:
    def letters_height(width: int, height: int) -> int:
        cap = render_text("Times your pour", "caption", "bottom", width, height, tmp_path)
        with Image.open(cap.path) as img:  # the box is drawn at alpha 150; the letters are opaque
            box = img.getchannel("A").point(lambda v: 255 if v > 200 else 0).getbbox()
        assert box is not None
        return box[3] - box[1]

    assert letters_height(1080, 1920) >= 0.03 * 1920, "9:16 captions are readable on a phone"
    assert letters_height(1080, 1080) >= 0.03 * 1080
    assert type_px("headline", "title", 1080, 1920) >= 0.07 * 1920, "the name on the title card is big"
    assert type_px("headline", "number", 1080, 1920) > type_px("headline", "feature", 1080, 1920)


def _scene_draft(width: int, height: int) -> dict:
    video, pics, texts = [], [], []
    t = 0
    for i, layout in enumerate(LAYOUTS):
        sid = f"v{i + 1}"
        src = "gradient:#1b2a4a,#3b5bdb" if layout != "media" else "upload:photo"
        m = {"layout": layout, **({"qr": True} if layout == "end" else {}),
             **({"move": "kenburns"} if layout == "media" else {})}
        if i:
            m.update(transition="fade", transition_ms=200)
        video.append({"id": sid, "s": t, "d": 1000, "src": src, "m": m})
        refs = {"list": ["motif:dots", "motif:waves", "motif:arcs"], "quote": ["motif:quote"],
                "number": [], "end": [], "media": []}.get(layout, ["motif:rings"])
        for k, ref in enumerate(refs):
            pics.append({"id": f"p{i}{k}", "s": t, "d": 1000, "src": ref, "m": {"scene": sid, "slot": k}})
        texts.append({"id": f"h{i}", "s": t, "d": 1000, "m": {"text": "50% off" if layout == "number" else "Brewlab",
                                                              "scene": sid, "role": "headline"}})
        texts.append({"id": f"u{i}", "s": t, "d": 1000, "m": {
            "text": "brewlab.com" if layout == "end" else "The smart scale", "scene": sid,
            "role": "url" if layout == "end" else "sub", "style": "lower_third"}})
        t += 1000
    return {"m": {"width": width, "height": height, "fps": 10}, "t": [
        {"tt": 0, "id": "video", "sg": video}, {"tt": 0, "id": "pictures", "sg": pics},
        {"tt": 7, "id": "titles", "sg": texts}]}


@pytest.mark.slow
@pytest.mark.parametrize("canvas", [(320, 180), (180, 320), (240, 240)], ids=["16x9", "9x16", "1x1"])
def test_every_layout_renders_in_every_canvas(tmp_path: Path, media, canvas: tuple[int, int]) -> None:
    draft = validate_local_draft(_scene_draft(*canvas))
    out = tmp_path / "layouts.mp4"
    render_draft(draft, out, quality="draft", resolve=lambda src: media.jpeg, cache_dir=tmp_path / "c")
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    assert len(frames) == 10 * len(LAYOUTS)
    for i in range(len(LAYOUTS)):
        frame = frames[i * 10 + 8]
        assert frame.shape[:2] == (canvas[1], canvas[0])
        assert frame.max() > 200, f"scene {i + 1} shows its white words"


@pytest.mark.slow
def test_a_long_video_cut_per_scene_keeps_every_word_in_its_scene(tmp_path: Path, media) -> None:
    from reelterm.media.scenes import PER_SCENE_FROM

    one = _scene_draft(192, 108)
    n = PER_SCENE_FROM + 2
    video, pics, texts = [], [], []
    for k in range(n):  # the layouts again and again, each scene 1 s, shifted in time
        src = one["t"][0]["sg"][k % len(LAYOUTS)]
        shift = k * 1000 - src["s"]
        sid = f"s{k}"
        video.append({**src, "id": sid, "s": src["s"] + shift,
                      "m": {**src["m"], **({"transition": "fade", "transition_ms": 200} if k else {})}})
        if not k:
            video[0]["m"].pop("transition", None)
        for p in one["t"][1]["sg"]:
            if p["m"]["scene"] == src["id"]:
                pics.append({**p, "id": f"{p['id']}-{k}", "s": p["s"] + shift, "m": {**p["m"], "scene": sid}})
        for t in one["t"][2]["sg"]:
            if t["s"] == src["s"]:
                texts.append({**t, "id": f"{t['id']}-{k}", "s": t["s"] + shift, "m": {**t["m"], "scene": sid}})
    draft = validate_local_draft({"m": one["m"], "t": [{"tt": 0, "id": "video", "sg": video},
                                                       {"tt": 0, "id": "pictures", "sg": pics},
                                                       {"tt": 7, "id": "titles", "sg": texts}]})
    out = tmp_path / "long.mp4"
    render_draft(draft, out, quality="draft", resolve=lambda src: media.jpeg, cache_dir=tmp_path / "c")
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    assert len(frames) == 10 * n
    def white(frame) -> int:
        return int((frame.min(axis=2) > 225).sum())

    for k in range(n):
        if LAYOUTS[k % len(LAYOUTS)] == "media":  # the photo has white in it
            continue
        early, late = white(frames[k * 10 + 1]), white(frames[k * 10 + 8])
        assert late > 20, f"scene {k + 1} shows its words"
        assert early < late, f"scene {k + 1}'s words come in after its cut, not before"


def test_docs_scene_example_validates_and_compiles(tmp_path: Path) -> None:
    import json
    import re

    from reelterm.media import compile_draft
    from reelterm.media.pictures import bundled_exists

    doc = (Path(__file__).parents[2] / "docs" / "draft.md").read_text(encoding="utf-8")
    data = json.loads(re.search(r"```jsonc\n(.*?)```", doc, re.S).group(1))
    draft = validate_local_draft(data, lambda src: bool(bundled_exists(src)))
    job = compile_draft(draft, tmp_path / "scene.mp4", cache_dir=tmp_path)
    # the picture, the headline's four words coming in one by one, then the four held as one image
    assert job.graph.count("overlay=") == 1 + 4 + 1
