"""Narration without the `[voice]` extra: forced here, so this path runs even where the extra is installed."""

from __future__ import annotations

import pytest

from reelterm.engine.agent.studio import voice
from reelterm.protocol import validate_local_draft

from .helpers import AGENT, music, promo, track, with_text, with_zh_text

INSTALL_HINT = "pip install 'reelterm[voice]'"
pytestmark = pytest.mark.voice  # the forcing matters most where the extra is installed


@pytest.fixture
def no_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    """`voice.available()` says no, and any attempt to synthesise fails the test."""

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("narration was attempted without the voice extra")

    monkeypatch.setattr(voice, "available", lambda: False)
    monkeypatch.setattr(voice, "narrate_scenes", must_not_run)
    monkeypatch.setattr(voice, "synthesize", must_not_run)


@pytest.mark.usefixtures("no_voice")
def test_generation_with_voiceover_makes_the_video_and_says_how_to_get_narration() -> None:
    session = with_text()
    steps, reply = session.send(AGENT, "turn this text into a 30-second video with a voiceover")
    draft = session.draft
    validate_local_draft(draft)
    assert "generate_video" in [s.name for s in steps]
    assert abs(draft.duration_ms - 30_000) <= 500
    assert track(draft, "voice") is None
    assert music(draft) is not None and music(draft).m.volume == pytest.approx(0.35)
    assert INSTALL_HINT in reply and "made everything else" in reply


@pytest.mark.usefixtures("no_voice")
def test_adding_narration_later_changes_nothing_and_says_how_to_get_it() -> None:
    session = promo()
    before, version = session.draft.wire(), session.current
    steps, reply = session.send(AGENT, "add a voiceover")
    assert not [s for s in steps if "draft_version" in s.state_delta]
    assert session.current == version and session.draft.wire() == before
    assert INSTALL_HINT in reply


@pytest.mark.usefixtures("no_voice")
def test_chinese_request_for_narration_is_answered_in_chinese() -> None:
    session = with_zh_text()
    steps, reply = session.send(AGENT, "把这段文字做成30秒视频，要配音")
    assert "generate_video" in [s.name for s in steps]
    assert track(session.draft, "voice") is None
    assert "配音" in reply and INSTALL_HINT in reply


def test_the_forced_path_really_differs_from_the_installed_one() -> None:
    """Guard for the fixture above: with the extra installed, the same request adds a voice track."""
    if not voice.available():
        pytest.skip("the [voice] extra is not installed")
    session = with_text()
    session.send(AGENT, "turn this text into a 30-second video with a voiceover")
    assert track(session.draft, "voice") is not None
