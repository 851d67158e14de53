"""The reviewer's findings on the real agent: described videos, one answer per sentence, merges that say
what they replaced, long texts at a readable pace, cross-dissolves, suggestions answered with yes."""

from __future__ import annotations

from .helpers import AGENT, empty, texts, video

PLACEHOLDER = "a 10 second city timelapse with lo-fi music and the title Urban Dreams"


def test_the_placeholder_example_makes_a_video_on_a_fresh_install() -> None:
    s = empty()
    steps, reply = s.send(AGENT, PLACEHOLDER)
    assert [t.name for t in steps] == ["generate_video"], reply
    d = s.draft
    assert abs(d.duration_ms - 10_000) <= 600
    titles = [seg.m.text for seg in texts(d, "title")]
    assert titles and titles[0] == "Urban Dreams"
    shown = " ".join(seg.m.text or "" for t in d.t if t.tt == 7 for seg in t.sg).lower()
    assert "city timelapse" in shown and "lo-fi" not in shown and "10 second" not in shown
    music = next(t for t in d.t if t.id == "music").sg[0]
    assert "calm" in (music.src or "")
    assert len(video(d)) >= 3  # a title card, the scene, an end card


def test_a_sentence_is_never_said_twice_in_one_reply() -> None:
    s = empty()  # two clauses that both need a video: the same answer once
    _, reply = s.send(AGENT, "add calm music and the title Hello")
    sentences = [x.strip() for x in reply.replace("。", ".").split(".") if x.strip()]
    assert len(sentences) == len(set(sentences)), reply
