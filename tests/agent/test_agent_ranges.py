"""Out-of-range values are refused with the allowed range (or clamped and said), never silently replaced."""

from __future__ import annotations

import pytest

from .corpus import _session
from .helpers import AGENT


@pytest.mark.parametrize(("start", "message", "says"), [
    ("promo", "set the music volume to 500%", "200%"),
    ("promo", "set the volume of segment music1 to 999%", "200%"),
    ("promo", "make it 5 hours long", "30 minutes"),
    ("promo", "make it 0.2 seconds", "0.5 seconds"),
    ("promo", "fade out the music over 30 seconds", "0.1–10 seconds"),
    ("promo", "use wipe transitions of 9 seconds", "0.1–3 seconds"),
    ("promo", "make it 99999x5", "16–4096"),
    ("promo", "set the voice speed to 3", "0.7–1.4"),
    ("promo", "export as flv", "mp4, mov, avi, webm, mkv, gif, jpg, png, webp, mp3, wav, m4a, aac"),
    ("empty", "make a 5 hour video: Brewlab weighs every gram of coffee. Order today.", "30 minutes"),
    ("zpromo", "音乐音量调到500%", "200%"),
])
def test_out_of_range_is_refused_with_the_range(start: str, message: str, says: str) -> None:
    session = _session(start)
    before = session.draft.wire()
    steps, reply = session.send(AGENT, message)
    assert says in reply, reply
    assert session.draft.wire() == before and not any(s.state_delta.get("export_requested") for s in steps)


def test_a_generation_with_too_loud_music_says_the_range() -> None:
    session = _session("empty")
    steps, reply = session.send(AGENT, "make a video with music at 500%: Brewlab weighs every gram. Order today.")
    assert "200%" in reply and "500%" in reply
    music = [t for t in session.draft.t if t.id == "music"]
    assert not session.draft.ready or music[0].sg[0].m.volume == 2.0  # refused, or clamped and said


def test_the_value_applied_is_the_value_said() -> None:
    session = _session("promo")
    steps, reply = session.send(AGENT, "fade out the music over 9 seconds")
    music = next(t for t in session.draft.t if t.id == "music").sg[0]
    assert f"{music.m.fade_out} ms" in reply
