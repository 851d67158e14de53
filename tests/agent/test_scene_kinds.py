"""The planner's scene kinds, end-card addresses, upload matching and transitions."""

from __future__ import annotations

import pytest

from reelterm.engine.planner import plan_video
from reelterm.engine.planner.scene_kinds import (
    TRANSITIONS_BY_MOOD,
    classify,
    list_items,
    split_url,
    transition_for,
)
from reelterm.engine.planner.scene_media import Visual, assign_media
from reelterm.protocol.draft import TRANSITIONS


@pytest.mark.parametrize(("sentence", "layout", "big"), [
    ("Get 50% off your first box this week.", "number", "50% off"),
    ("Save 30% on every annual plan.", "number", "Save 30%"),
    ("Our new engine renders pages 3x faster than before.", "number", "3x faster"),
    ("Plans start at $9.99/month with no contract.", "number", "$9.99/month"),
    ("Keeps drinks hot for 12 hours, even outdoors.", "number", "12 hours"),
    ("Trusted by 10,000 customers in 40 countries.", "number", "10,000 customers"),
    ("现在下单立享8折优惠。", "number", "8折"),
    ("续航长达三十小时。", "number", "三十小时"),
    ("“The best purchase I made all year,” says Maria from Lisbon.", "quote", "The best purchase I made all year,"),
    ("\"It changed how our whole team works\" — Dana, product lead", "quote", "It changed how our whole team works"),
    ("It weighs, times and logs every brew.", "list", ""),
    ("Choose from oat, almond or soy milk.", "list", ""),
    ("支持咖啡、茶和果汁。", "list", ""),
    ("It guides every pour with a gentle light.", "feature", ""),
    ("Designed in Berlin for people who love good coffee.", "feature", ""),
    ("智能提醒你按时喝水。", "feature", ""),
])
def test_sentences_get_their_kind(sentence: str, layout: str, big: str) -> None:
    kind = classify(sentence)
    assert kind.layout == layout, kind
    if big:
        assert kind.big.strip(" ,") == big.strip(" ,")


def test_list_items_need_three_short_things() -> None:
    assert list_items("It weighs, times and logs every brew.") == ["It weighs", "times", "logs every brew"]
    assert list_items("Fast and simple.") == []
    assert list_items("We built it because mornings are hard, coffee is personal, and most scales are "
                      "confusing to use when you are half asleep.") == []


@pytest.mark.parametrize(("cta", "words", "url"), [
    ("Order yours today at brewlab.com.", "Order yours today", "brewlab.com"),
    ("Visit https://shop.example.org/new to learn more", "Visit  to learn more", "https://shop.example.org/new"),
    ("Sign up today!", "Sign up today!", ""),
    ("立即访问 xiaonuan.cn 购买", "立即访问  购买", "xiaonuan.cn"),
])
def test_end_card_address(cta: str, words: str, url: str) -> None:
    got_words, got_url = split_url(cta)
    assert got_url == url
    assert " ".join(got_words.split()) == " ".join(words.split())


def test_uploads_by_name_then_in_order() -> None:
    sentences = ["It times your pour to the second.", "The app logs every recipe.", "Brew better every morning."]
    ups = [Visual("upload:a", "image", name="IMG_2231.jpg"), Visual("upload:b", "video", 4000, "recipes-app.mp4"),
           Visual("upload:c", "image", name="photo.png"), Visual("upload:d", "image", name="extra.png")]
    got = assign_media(sentences, ups)
    assert [v.src if v else None for v in got] == ["upload:a", "upload:b", "upload:c"]
    assert assign_media(sentences, []) == [None, None, None]


def test_transitions_vary_by_mood_and_exist() -> None:
    for mood, seq in TRANSITIONS_BY_MOOD.items():
        assert all(t in TRANSITIONS for t in seq)
        assert len({transition_for(mood, i) for i in range(1, 5)}) >= 2
    calm, lively = set(TRANSITIONS_BY_MOOD["calm"]), set(TRANSITIONS_BY_MOOD["energetic"])
    assert "zoomin" in lively and "zoomin" not in calm


def test_end_card_gets_a_qr_when_the_text_has_an_address() -> None:
    d = plan_video("Brewlab is a smart coffee scale. It weighs every gram. Order yours today at brewlab.com.").draft
    end = sorted(next(t for t in d.t if t.id == "video").sg, key=lambda s: s.s)[-1]
    assert end.m.model_extra["layout"] == "end" and end.m.model_extra.get("qr") is True
    url = [s for t in d.t if t.tt == 7 for s in t.sg if (s.m.model_extra or {}).get("role") == "url"]
    assert [u.m.text for u in url] == ["brewlab.com"]
    d2 = plan_video("Brewlab is a smart coffee scale. It weighs every gram. Order yours today.").draft
    end2 = sorted(next(t for t in d2.t if t.id == "video").sg, key=lambda s: s.s)[-1]
    assert not end2.m.model_extra.get("qr")
