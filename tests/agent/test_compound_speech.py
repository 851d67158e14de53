"""Caption, voice and subtitle requests combine with other edits in one message: every part is applied,
as one undoable step (the speech tools used to take the whole message and drop the rest)."""

from __future__ import annotations

import pytest

from .helpers import AGENT, promo, promo_zh


def _music(d):
    return next(s for t in d.t if t.id == "music" for s in t.sg)


def _extra(d, key, default=None):
    return (d.m.model_extra or {}).get(key, default)


@pytest.mark.parametrize(("start", "message"), [(promo, "add karaoke captions and make the music quieter"),
                                                (promo, "word-by-word captions, then turn the music down"),
                                                (promo_zh, "加逐字字幕，再把音乐调小")])
def test_a_caption_style_and_a_volume_change_both_apply_in_one_undo(start, message: str) -> None:
    s = start()
    before, version = s.draft, s.current
    steps, reply = s.send(AGENT, message)
    assert [x.name for x in steps] == ["set_caption_style", "set_volume"]
    assert _extra(s.draft, "captions") == "words"
    assert _music(s.draft).m.volume < _music(before).m.volume
    assert _music(s.draft).src == _music(before).src, "quieter music is the same song, not a new one"
    assert s.current == version + 1
    s.send(AGENT, "undo")
    assert s.draft.wire() == before.wire()


def test_add_captions_on_a_video_that_has_them_says_so_and_still_lowers_the_music() -> None:
    s = promo()
    before = s.draft
    steps, reply = s.send(AGENT, "add captions and make the music quieter")
    assert [x.name for x in steps] == ["set_volume"]
    assert _music(s.draft).m.volume < _music(before).m.volume
    assert "already has captions" in reply and "didn't understand" not in reply


def test_voice_speed_and_length_in_one_message() -> None:
    s = promo()
    steps, _ = s.send(AGENT, "slower voice and make it 20 seconds")
    assert [x.name for x in steps] == ["set_voice_speed", "set_length"]
    assert _extra(s.draft, "voice_speed") < 1 and s.draft.duration_ms == 20_000


def test_subtitle_export_and_a_canvas_change_in_one_message() -> None:
    s = promo()
    steps, _ = s.send(AGENT, "make it square and export the subtitles as vtt")
    assert [x.name for x in steps] == ["set_format", "export"]
    assert (s.draft.m.width, s.draft.m.height) == (1080, 1080)
    assert steps[-1].state_delta["export_requested"]["format"] == "vtt"


def test_a_negation_after_a_comma_stays_with_its_request() -> None:
    s = promo()
    s.send(AGENT, "karaoke captions")
    steps, _ = s.send(AGENT, "make the subtitles normal, not word by word")
    assert [x.name for x in steps] == ["set_caption_style"] and _extra(s.draft, "captions") == "plain"
