"""Chat edits of visuals in English and Chinese: pictures, no icons, calmer transitions, colours, uploads."""

from __future__ import annotations

import colorsys

import pytest

from reelterm.engine.agent.studio.visual_edits import recognise
from reelterm.media.visuals import library
from reelterm.protocol import validate_local_draft

from .helpers import AGENT, image_upload, promo, promo_zh, video


def _pictures(d):
    return [s for t in d.t if t.id == "pictures" for s in t.sg]


def _scene_pictures(d, n: int):
    scene = video(d)[n]  # index 0 is the title card, so scene n is video(d)[n]
    return [p for p in _pictures(d) if p.m.model_extra["scene"] == scene.id]


@pytest.mark.parametrize(("start", "message"), [(promo, "use a rocket in scene 2"),
                                                (promo_zh, "把第二个场景的图换成火箭"),
                                                (promo, "show a rocket in the second scene")])
def test_a_named_picture_goes_into_that_scene(start, message: str) -> None:
    s = start()
    before = s.draft
    steps, reply = s.send(AGENT, message)
    after = validate_local_draft(s.draft)
    assert [x.name for x in steps] == ["visuals_picture"]
    pics = _scene_pictures(after, 2)
    assert len(pics) == 1 and pics[0].src.startswith("icon:")
    pic = library().get(pics[0].src)
    assert "rocket" in (pic.name_en + " " + " ".join(pic.tags_en)).lower()
    assert "rocket" in reply or "火箭" in reply
    others = lambda d: [(p.src, p.m.model_extra["scene"]) for p in _pictures(d)  # noqa: E731
                        if p.m.model_extra["scene"] != video(d)[2].id]
    assert others(before) == others(after), "the other scenes keep their pictures"
    assert len({p.src for p in _pictures(after)}) == len(_pictures(after)), "never the same picture twice"


@pytest.mark.parametrize(("message", "needle"), [("use a xqzzyplonk in scene 2", "xqzzyplonk"),
                                                 ("use a rocket in scene 9", "no scene 9"),
                                                 ("make the background white", "white")])
def test_impossible_visual_edits_say_why_and_change_nothing(message: str, needle: str) -> None:
    s = promo()
    before, version = s.draft, s.current
    steps, reply = s.send(AGENT, message)
    assert not steps and s.current == version and s.draft == before
    assert needle in reply and "Nothing was changed" in reply


@pytest.mark.parametrize(("start", "message"), [(promo, "no icons"), (promo_zh, "不要图标"),
                                                (promo, "remove all the pictures please")])
def test_no_icons(start, message: str) -> None:
    s = start()
    assert _pictures(s.draft)
    words = sorted(x.m.text for t in s.draft.t if t.tt == 7 for x in t.sg)
    steps, reply = s.send(AGENT, message)
    assert [x.name for x in steps] == ["visuals_no_pictures"]
    assert not [p for p in _pictures(s.draft) if (p.src or "").startswith(("icon:", "motif:"))]
    assert sorted(x.m.text for t in s.draft.t if t.tt == 7 for x in t.sg) == words
    s.send(AGENT, "undo")
    assert _pictures(s.draft), "undo brings them back"


@pytest.mark.parametrize(("start", "message"), [(promo, "calmer transitions please"),
                                                (promo_zh, "转场柔和一点"),
                                                (promo, "make the transitions softer")])
def test_calmer_transitions(start, message: str) -> None:
    s = start()
    steps, reply = s.send(AGENT, message)
    assert [x.name for x in steps] == ["set_transitions"]
    moves = [seg.m.transition for seg in video(s.draft)[1:]]
    assert moves and all(m in ("fade", "fadeblack") for m in moves)
    assert all(seg.m.transition_ms >= 500 for seg in video(s.draft)[1:])


def _hue(src: str) -> float:
    c = src.split(":", 1)[1].split(",")[0].lstrip("#")
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hls(r, g, b)[0]


@pytest.mark.parametrize(("start", "message"), [(promo, "make the background blue"), (promo_zh, "背景换成蓝色"),
                                                (promo, "I'd like a blue background")])
def test_background_colour(start, message: str) -> None:
    s = start()
    steps, reply = s.send(AGENT, message)
    assert [x.name for x in steps] == ["visuals_background"]
    srcs = [seg.src for seg in video(s.draft)]
    assert all(src.startswith("gradient:") for src in srcs)
    assert all(0.52 <= _hue(src) <= 0.70 for src in srcs), srcs
    assert "blue" in reply or "蓝" in reply


def test_use_my_photos_needs_uploads_then_uses_them() -> None:
    s = promo()
    before = s.draft
    steps, reply = s.send(AGENT, "use my photos")
    assert not steps and "upload" in reply and s.draft == before
    s.uploads.append(image_upload("img1"))
    steps, reply = s.send(AGENT, "use my photos")
    assert [x.name for x in steps] == ["visuals_use_uploads"]
    first = video(s.draft)[1]
    assert first.src == "upload:img1" and first.m.model_extra["layout"] == "media"
    assert first.m.model_extra["move"] == "kenburns"


@pytest.mark.parametrize("message", [
    "add fade transitions", "change caption 1 to 'Stay cold'", "make the music louder", "make it vertical",
    "remove the caption from 3 to 10 seconds", "change the title to 'Hello'", "move scene 2 earlier",
    "set the text of segment k1 to: use a rocket in scene 2", "set the text of segment c1 to: no icons",
    "add upbeat music",
])
def test_other_edits_are_not_taken_for_visual_ones(message: str) -> None:
    assert recognise(message, has_draft=True) is None
    assert recognise("use a rocket in scene 2", has_draft=False) is None


def test_a_picture_in_a_draft_made_before_layouts() -> None:
    s = promo()
    data = s.draft.wire()  # strip the layouts: a draft saved by an older version
    data["t"] = [t for t in data["t"] if t.get("id") != "pictures"]
    for t in data["t"]:
        for seg in t["sg"]:
            for key in ("layout", "scene", "role", "qr"):
                seg.get("m", {}).pop(key, None)
    s.versions.append(validate_local_draft(data))
    s.current = len(s.versions) - 1
    steps, reply = s.send(AGENT, "use a rocket in scene 1")
    assert [x.name for x in steps] == ["visuals_picture"]
    scene = video(s.draft)[1]
    assert scene.m.model_extra["layout"] == "feature"
    words = [x for t in s.draft.t if t.tt == 7 for x in t.sg if scene.s <= x.s < scene.end and x.m.style == "title"]
    assert words and all(w.m.model_extra.get("role") == "headline" for w in words), "the words move beside the picture"


@pytest.mark.parametrize("message", ["turn this text into a 30-second promo with music but no icons",
                                     "把这段文字做成30秒的宣传视频，不要图标"])
def test_a_new_video_without_icons(message: str) -> None:
    from .helpers import with_text, with_zh_text

    s = with_zh_text() if "文字" in message else with_text()
    steps, reply = s.send(AGENT, message)
    assert [x.name for x in steps] == ["generate_video"]
    assert not _pictures(s.draft)
    assert "matching picture" not in reply and "配图" not in reply
