"""On-screen words: product names, taglines, key phrases (EN/ZH), their layout, and reply plurals."""

from __future__ import annotations

import pytest

from reelterm.engine.agent.studio.replies import quote_list, say
from reelterm.engine.planner import plan_video
from reelterm.engine.planner.headlines import headline
from reelterm.engine.planner.phrases import covers, key_phrase, key_phrases
from reelterm.engine.planner.sentences import split_sentences

from .context import Session, text_upload
from .helpers import AGENT, TEXT_EN, TEXT_ZH, texts, video

BREWLAB = ("Brewlab is a smart coffee scale that guides every pour. It times your bloom, weighs every gram "
           "and learns your favourite recipe. Order yours today.")
BREWLAB_MESSAGE = f'turn this text into a 30-second promotional video with visuals and music: "{BREWLAB}"'


def _head(text: str) -> tuple[str, str, bool]:
    h = headline(text, split_sentences(text))
    return h.title, h.tagline, h.is_name


@pytest.mark.parametrize(("text", "expected"), [
    (BREWLAB, ("Brewlab", "A smart coffee scale", True)),
    (TEXT_EN, ("Acme AirBottle", "The smart water bottle", True)),
    ("Zenith — the quiet air purifier for small apartments. It runs silently.", ("Zenith", "The quiet air purifier", True)),
    ("Acme AirBottle\nThe smart water bottle that keeps drinks cold. Order now.",
     ("Acme AirBottle", "The smart water bottle", True)),
    ("Bright Beans roasts coffee every morning in small batches.", ("Bright Beans", "Roasts coffee every morning", True)),
    ("our new coffee shop opening downtown next week.", ("Our new coffee shop opening downtown", "", False)),
    (TEXT_ZH, ("小暖", "智能保温杯", True)),
    ("小暖是一款智能保温杯，能保温二十四小时。它还会提醒你按时喝水。", ("小暖", "智能保温杯", True)),
    ("Brewlab 智能咖啡秤，让每一次冲煮都精准。", ("Brewlab", "智能咖啡秤", True)),
    ("我们新开的咖啡店。", ("我们新开的咖啡店", "", False)),
])
def test_headline_is_a_name_and_a_tagline(text: str, expected: tuple[str, str, bool]) -> None:
    assert _head(text) == expected


def test_headline_never_cuts_a_sentence() -> None:
    text = ("Every single morning our friendly team carefully roasts small batches of organic beans for the "
            "whole neighbourhood to enjoy. Come by soon.")
    title, _, is_name = _head(text)
    assert "…" not in title and len(title.split()) <= 6 and not is_name


@pytest.mark.parametrize(("sentence", "name", "expected"), [
    ("Brewlab is a smart coffee scale that guides every pour.", "Brewlab", "Guides every pour"),
    ("It times your bloom, weighs every gram and learns your favourite recipe.", "Brewlab", "Times your bloom"),
    ("Meet the Acme AirBottle, the smart water bottle that keeps drinks ice-cold for 24 hours.",
     "Acme AirBottle", "Keeps drinks ice-cold for 24 hours"),
    ("It tracks every sip and reminds you to stay hydrated.", "", "Tracks every sip"),
    ("Our beans are roasted fresh every morning.", "", "Roasted fresh every morning"),
    ("With Brewlab, every cup is perfect.", "", "Every cup is perfect"),
    ("Tired of weak coffee?", "", "Tired of weak coffee?"),
    ("Brewlab guides every pour.", "Brewlab", "Guides every pour"),
    ("它能让饮品保温二十四小时，还会提醒你按时喝水。", "小暖", "让饮品保温二十四小时"),
    ("智能保温杯「小暖」全新上市。", "小暖", "全新上市"),
    ("它还会提醒你按时喝水。", "小暖", "提醒你按时喝水"),
])
def test_key_phrase(sentence: str, name: str, expected: str) -> None:
    phrase = key_phrase(sentence, name)
    assert phrase == expected
    assert len(phrase.split()) <= 6 and len(phrase) <= 38


def test_key_phrases_follow_the_clauses_and_avoid_the_tagline() -> None:
    assert key_phrases("It times your bloom, weighs every gram and learns your favourite recipe.", "Brewlab") == [
        "Times your bloom", "Weighs every gram", "Learns your favourite recipe"]
    assert key_phrases("Meet the Acme AirBottle, the smart water bottle that keeps drinks ice-cold for 24 hours.",
                       "Acme AirBottle") == ["Keeps drinks ice-cold for 24 hours"]  # whole: no lone "For 24 hours"
    assert key_phrases("小暖是一款智能保温杯，能保温二十四小时。", "小暖", "智能保温杯") == ["保温二十四小时"]
    assert key_phrases("它能让饮品保温二十四小时，还会提醒你按时喝水。", "小暖") == ["让饮品保温二十四小时", "提醒你按时喝水"]


def test_covers() -> None:
    assert covers("Free shipping on every order", "Free shipping on every order.")
    assert not covers("Guides every pour", "Brewlab is a smart coffee scale that guides every pour.")


def test_brewlab_promo_looks_like_a_promo() -> None:
    session = Session()
    steps, reply = session.send(AGENT, BREWLAB_MESSAGE)
    d = session.draft
    assert [s.name for s in steps] == ["generate_video"] and d.m.title == "Brewlab"
    titles = {t.id: t.m.text.replace("\xa0", " ") for t in texts(d, "title") + texts(d, "caption")}  # no-break spaces keep a line from ending on "a"
    assert titles["title"] == "Brewlab" and titles["tagline"] == "A smart coffee scale"
    assert titles["cta"] == "Order yours today" and titles["brand"] == "Brewlab"
    assert [titles[k] for k in ("k1", "k2", "k3", "k4")] == [
        "Guides every pour", "Times your bloom", "Weighs every gram", "Learns your favourite recipe"]
    assert "2 scenes" in reply and "credit" not in reply and "(s)" not in reply and "…" not in reply
    assert [t.m.get("name") for t in d.t] == ["Video", "Pictures", "Titles", "Captions", "Music"]
    backgrounds = [v.src for v in video(d)]
    assert len(set(backgrounds[1:-1])) == len(backgrounds) - 2 and backgrounds[1] != backgrounds[0]


@pytest.mark.parametrize(("text", "size"), [(BREWLAB, (1920, 1080)), (TEXT_EN, (1080, 1920)), (TEXT_ZH, (1080, 1080)),
                                            (TEXT_EN * 3, (1920, 1080))])
def test_texts_sit_in_their_scene_and_never_collide(text: str, size: tuple[int, int]) -> None:
    d = plan_video(text, width=size[0], height=size[1]).draft
    for scene in video(d):
        inside = [t for t in texts(d, "title") + texts(d, "caption") if scene.s <= t.s < scene.end]
        assert all(t.end <= scene.end for t in inside)
        for style, position in (("title", "center"), ("caption", "bottom")):
            same = sorted((t for t in inside if t.m.style == style), key=lambda t: t.s)
            assert all(t.m.position == position for t in same)
            assert all(a.end <= b.s for a, b in zip(same, same[1:], strict=False)), "two texts at one place"
        big = [t for t in inside if t.m.style == "title"]
        small = [t for t in inside if t.m.style == "caption"]
        assert big, "every scene shows big words"
        assert all(c.s > big[0].s for c in small), "captions follow the big words"


def test_zh_promo_reply_is_natural() -> None:
    session = Session(language="zh-CN")
    steps, reply = session.send(AGENT, f"把这段文字做成30秒的宣传视频，要有画面和音乐：{TEXT_ZH}")
    assert session.draft.m.title == "小暖"
    assert "2个场景" in reply and "积分" not in reply and "(s)" not in reply and " " not in reply.replace("x", "")


def test_plurals() -> None:
    assert say("credits_used", False, credits=1) == "That used 1 credit."
    assert say("credits_used", False, credits=3) == "That used 3 credits."
    assert say("credits", False, credits=1.0) == "You have 1 credit left."
    assert say("text_removed", False, count=1, style="caption") == "Removed 1 caption."
    assert say("text_removed", False, count=2, style="lower_third") == "Removed 2 lower thirds."
    assert say("voice_added", False, count=1, volume=15).startswith("Narration added for 1 scene;")
    assert say("credits_used", True, credits=3) == "本次消耗3个积分。"
    assert quote_list(["A"], False) == "“A”" and quote_list(["A", "B"], False) == "“A” and “B”"
    assert quote_list(["A", "B", "C", "D"], False) == "“A”, “B”, “C” and 1 more"
    assert quote_list(["甲", "乙"], True) == "“甲”“乙”"


@pytest.mark.parametrize(("budget", "said"), [(None, False), (100, True)])
def test_credits_are_mentioned_only_where_they_are_counted(budget: float | None, said: bool) -> None:
    session = Session(uploads=[text_upload("t1", TEXT_EN)], credits=budget)
    steps, reply = session.send(AGENT, "turn this text into a 30-second promotional video with visuals and music")
    assert [s.name for s in steps] == ["generate_video"]
    assert ("That used 3 credits." in reply) is said
    assert ("credit" in reply) is said
