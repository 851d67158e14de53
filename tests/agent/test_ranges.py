"""Out-of-range values in chat are refused with the allowed range, never silently replaced."""

from __future__ import annotations

import pytest

from reelterm.engine.planner.ranges import out_of_range, without_canvas_size

from .helpers import AGENT, empty, with_text


@pytest.mark.parametrize(("message", "words"), [
    ("set the music volume to 900%", "0% to 200%"),
    ("set the music volume to 201%", "0% to 200%"),
    ("generate a video with music at 900%", "0% to 200%"),
    ("music at -1%", "0% to 200%"),
    ("make it -5 seconds long", "negative time"),
    ("make it −0.5 s long", "negative time"),
    ("make it 1e308 seconds long", "0 s to 4 hours"),
    ("add a title at 1e1 s", "plain numbers"),
    ("把音乐音量调到900%", "0% 到 200%"),
])
def test_values_past_the_range_are_named(message, words):
    zh = any("\u4e00" <= c <= "\u9fff" for c in message)
    sentence = out_of_range(message, zh=zh)
    assert sentence is not None and words in sentence


@pytest.mark.parametrize("message", [
    "set the music volume to 200%", "music at 0%", "make it 0 seconds long", "make a 30-second video",
    "trim the first 0-3s", "move segment v1 later by 0.1s", "split segment v1 at 12.4s",
    "make the intro 5-10 s", "set the narration speed to 300%",  # a speed is not a volume
    "set the text of segment t1 to: Now 900% faster, -5 s setup",  # the words after "to:" are text
    'add the caption "save 900% and wait -5 s"',
    "make a video: " + "Our new battery lasts 900% longer than before. " * 8,  # pasted content
])
def test_values_in_range_and_words_that_are_text_pass(message):
    assert out_of_range(message) is None


def test_the_agent_says_it_and_changes_nothing():
    s = with_text()
    s.send(AGENT, "turn this text into a 10-second video")
    before = s.versions[s.current]
    for message in ("set the music volume to 900%", "make it -5 seconds long", "make it 1e308 seconds long"):
        tools, reply = s.send(AGENT, message)
        assert tools == [] and "nothing was changed" in reply
        assert s.versions[s.current] == before
    tools, reply = s.send(AGENT, "set the music volume to 200%")  # the boundary is accepted
    assert tools and "200%" in reply


def test_a_canvas_size_in_a_topic_is_not_the_title():
    assert without_canvas_size("fresh coffee beans in 320x180") == "fresh coffee beans"
    assert without_canvas_size("City lights (1080 x 1920 px) at night") == "City lights at night"
    s = empty()
    s.send(AGENT, "make a 10 second video about fresh coffee beans roasted daily in 320x180")
    draft = s.versions[s.current]
    assert (draft.m.width, draft.m.height) == (320, 180)
    texts = [draft.m.title, *(seg.m.text or "" for t in draft.t for seg in t.sg)]
    assert not any("320" in text for text in texts), texts
