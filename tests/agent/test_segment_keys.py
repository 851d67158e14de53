"""The exact requests the app's timeline keys send, applied by the studio agent (EN/ZH), as the app
relies on them (the agent's own tests cover its wording)."""

from __future__ import annotations

import pytest

from .helpers import AGENT, SEED_EN, with_text

TIMES = ("0.1s", "1s", "0.25s", "2.125s")


def made():
    """A session with a generated 30-second video."""
    session = with_text()
    session.send(AGENT, SEED_EN)
    return session


def seg(draft, seg_id):
    """The segment with this id, or None."""
    return next((s for t in draft.t for s in t.sg if s.id == seg_id), None)


def scene_ids(draft):
    """The main video's segment ids in time order."""
    return [s.id for s in sorted(next(t for t in draft.t if t.id == "video").sg, key=lambda s: s.s)]


@pytest.mark.parametrize("amount", TIMES)
def test_move_trim_extend_by_any_written_amount(amount):
    session = made()
    ms = round(float(amount[:-1]) * 1000)
    text = next(t for t in session.draft.t if t.tt == 7).sg[1]
    before = seg(session.draft, text.id)
    tools, reply = session.send(AGENT, f"move segment {text.id} later by {amount}")
    assert [t.name for t in tools] == ["move_segment"] and seg(session.draft, text.id).s == before.s + ms
    session.send(AGENT, f"trim the end of segment {text.id} by {amount}")
    assert seg(session.draft, text.id).d == before.d - ms
    session.send(AGENT, f"extend the end of segment {text.id} by {amount}")
    assert seg(session.draft, text.id).d == before.d
    session.send(AGENT, f"trim the start of segment {text.id} by {amount}")
    after = seg(session.draft, text.id)
    assert (after.s, after.end) == (before.s + 2 * ms, before.end + ms)
    session.send(AGENT, f"extend the start of segment {text.id} by {amount}")
    session.send(AGENT, f"move segment {text.id} earlier by {amount}")
    back = seg(session.draft, text.id)
    assert (back.s, back.d, back.m.text) == (before.s, before.d, before.m.text)  # fades may be clamped


def test_music_in_point_moves_with_its_start_and_volume_is_set():
    session = made()
    music = next(t for t in session.draft.t if t.tt == 1).sg[0]
    session.send(AGENT, f"move segment {music.id} later by 1s")
    session.send(AGENT, f"trim the start of segment {music.id} by 0.5s")
    assert seg(session.draft, music.id).in_ == music.in_ + 500
    _, reply = session.send(AGENT, f"set the volume of segment {music.id} to 45%")
    assert seg(session.draft, music.id).m.volume == 0.45 and "45%" in reply
    _, reply = session.send(AGENT, f"set the volume of segment {music.id} to 250%")
    assert "200%" in reply and seg(session.draft, music.id).m.volume == 0.45  # said, nothing changed


def test_split_text_delete_scene_and_undo():
    session = made()
    draft = session.draft
    ids = scene_ids(draft)
    middle = seg(draft, ids[1])
    at = middle.s + 1234
    tools, _ = session.send(AGENT, f"split segment {middle.id} at {at / 1000}s")
    assert [t.name for t in tools] == ["split_segment"]
    halves = [seg(session.draft, middle.id), seg(session.draft, f"{middle.id}-2")]
    assert [(h.s, h.end) for h in halves] == [(middle.s, at), (at, middle.end)]
    _, reply = session.send(AGENT, f"split segment {middle.id} at {middle.s / 1000 + 0.05}s")
    assert "not inside" in reply
    title = next(t for t in session.draft.t if t.tt == 7).sg[0]
    words = 'Say "hi"\nsecond line: with a colon'
    session.send(AGENT, f"set the text of segment {title.id} to: {words}")
    assert seg(session.draft, title.id).m.text == words
    _, reply = session.send(AGENT, f"set the text of segment {ids[1]} to: words")
    assert "not a text" in reply
    before = session.draft.wire()
    session.send(AGENT, f"delete segment {ids[2]}")
    assert seg(session.draft, ids[2]) is None
    session.send(AGENT, "undo")
    assert session.draft.wire() == before
    _, reply = session.send(AGENT, f"delete segment {ids[2]}x")
    assert "no segment" in reply and session.draft.wire() == before


def test_move_scene_swaps_neighbours_with_what_is_inside():
    session = made()
    draft = session.draft
    ids = scene_ids(draft)
    body = [i for i in ids if seg(draft, i).m.name not in ("Title card", "End card")]
    assert len(body) >= 2, "the seed text makes two scenes"
    first, second = seg(draft, body[0]), seg(draft, body[1])
    inside = [s.id for t in draft.t if t.id != "video" for s in t.sg
              if s.s >= first.s and s.end <= first.end and t.tt != 1]
    tools, _ = session.send(AGENT, "move scene 1 later")
    assert [t.name for t in tools] == ["move_scene"]
    moved = seg(session.draft, first.id)
    assert seg(session.draft, second.id).s == first.s and moved.s == first.s + second.d
    for seg_id in inside:
        assert seg(session.draft, seg_id).s == seg(draft, seg_id).s + second.d
    _, reply = session.send(AGENT, f"move scene {len(body)} later")
    assert "last" in reply
    before = session.draft.wire()
    _, reply = session.send(AGENT, "move scene 99 earlier")
    assert session.draft.wire() == before and "scene" in reply.lower()


def test_chinese_sessions_get_chinese_replies():
    from .helpers import with_zh_text

    session = with_zh_text()
    session.send(AGENT, "把这段文字做成30秒的宣传视频，要有画面和音乐")
    text = next(t for t in session.draft.t if t.tt == 7).sg[0]
    _, reply = session.send(AGENT, f"move segment {text.id} later by 0.5s")
    assert "秒" in reply and seg(session.draft, text.id).s == text.s + 500
    _, reply = session.send(AGENT, "delete segment nope")
    assert "没有片段" in reply


def test_other_sentences_are_left_to_the_agent():
    session = made()
    tools, reply = session.send(AGENT, "please delete segment 2 of the music if you can")
    assert all(t.name != "delete_segment" for t in tools)
