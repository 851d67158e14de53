"""Hostile or huge messages: the draft stays as it was and the answer comes within a second."""

from __future__ import annotations

import time

import pytest

from .corpus import _CRASH, _session
from .helpers import AGENT

HOSTILE = [
    "x" * 100_000,  # 100 KB
    "make a video: " + "Brewlab is great. " * 6_000,  # a 100 KB "script"
    "and " * 4_900,
    ", with" * 3_300,
    "then, also; " * 1_600,
    "a" * 19_000,
    "1" * 19_000,
    "1:" * 9_000,
    "scene " * 3_200,
    '"' * 19_000,
    "“" * 9_000 + "”" * 9_000,
    "\x00\x1b[31m\x07\u202e" * 4_000,
    "😀" * 9_000,
    "然后" * 9_000,
    "set the text of segment c1 to: " + "z" * 19_000,
    "make it " + "much " * 3_500 + "louder",
    "cut from " + "5 to " * 3_000 + "8 seconds",
    "for x" + ", with" * 3_000,
    "make a promo for " + "a " * 9_000 + "music",
    "(" * 9_000 + ")" * 9_000,
    "undo " * 3_500,
    ("please " * 2_000) + "export as " + "m4a " * 1_000,
    "make a 30 second video: " + "Brewlab weighs every gram of coffee. " * 500,  # an 18 KB script is fine
]


@pytest.mark.parametrize("start", ["promo", "empty"])
@pytest.mark.parametrize("message", HOSTILE, ids=[f"m{i}" for i in range(len(HOSTILE))])
def test_hostile_message_changes_nothing_and_is_answered_at_once(start: str, message: str) -> None:
    session = _session(start)
    before = session.draft.wire()
    version = session.current
    started = time.perf_counter()
    steps, reply = session.send(AGENT, message)
    took = time.perf_counter() - started
    # A hang guard, not a speed goal: catastrophic regex backtracking took 18 s here.
    assert took < 10.0, f"{took:.2f} s"
    assert reply.strip() and not _CRASH.search(reply)
    if len(message) > 20_000:
        assert session.current == version and session.draft.wire() == before
        assert "longer than" in reply
    assert session.current <= version + 1


def test_a_long_message_is_refused_with_a_sentence_in_chinese_too() -> None:
    session = _session("zpromo")
    steps, reply = session.send(AGENT, "把这段文字做成视频：" + "好" * 30_000)
    assert not steps and "字符" in reply
