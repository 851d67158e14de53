"""The worker's change summaries speak the session's language (Chinese session -> Chinese)."""

from __future__ import annotations

import re

from reelterm.protocol import Draft
from reelterm.worker.state_diff import describe_draft, diff_drafts

BEFORE = Draft.model_validate({"t": [{"tt": 0, "id": "video", "m": {"name": "Video"}, "sg": [
    {"id": "v1", "s": 0, "d": 10_000, "src": "color:#000000"}]}], "m": {"title": "Demo", "width": 1920, "height": 1080}})
AFTER = Draft.model_validate({"t": [
    {"tt": 0, "id": "video", "m": {"name": "Video"}, "sg": [{"id": "v1", "s": 0, "d": 8_000, "src": "color:#000000"}]},
    {"tt": 1, "id": "music", "sg": [{"id": "m1", "s": 0, "d": 8_000, "src": "music:calm/a", "m": {"volume": 0.35}}]},
], "m": {"title": "Demo", "width": 1080, "height": 1920}})
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_chinese_session_gets_chinese_summaries() -> None:
    lines = diff_drafts(BEFORE, AFTER, "zh-CN")
    assert lines and all(_CJK.search(line) for line in lines)
    text = "\n".join(lines)
    assert "Added" not in text and "Canvas" not in text and "新增" in text and "画面" in text and "1080x1920" in text
    assert "时间线是空的" in describe_draft(None, "zh")


def test_an_english_session_keeps_english_summaries() -> None:
    text = "\n".join(diff_drafts(BEFORE, AFTER, "en"))
    assert "Added Audio track 2: " in text and "Canvas changed from 1920x1080 to 1080x1920." in text
    assert not _CJK.search(text)
