"""Every sentence the studio agent says exists in English and Chinese, and a Chinese session hears Chinese."""

from __future__ import annotations

import re
import string

import pytest

from reelterm.engine.agent.base import ToolStep
from reelterm.engine.agent.studio import StudioAgent
from reelterm.engine.agent.studio.replies import _MESSAGES, say

from .context import Session, text_upload
from .helpers import TEXT_ZH

_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}\b")
"""Three English words in a row: a sentence left in English (a song file name is one token)."""
_VARIANT = re.compile(r"_(?:zh|en)$")
AGENT = StudioAgent()


def _fields(template: str) -> set[str]:
    names = {f.split(":")[0] for _, f, _, _ in string.Formatter().parse(template) if f}
    return {_VARIANT.sub("", n).removesuffix("s") for n in names}  # style/styles, mode/mode_en/mode_zh


@pytest.mark.parametrize("key", sorted(_MESSAGES))
def test_every_sentence_has_both_languages(key: str) -> None:
    en, zh = _MESSAGES[key]
    assert en.strip() and zh.strip() and en != zh
    assert _CJK.search(zh), f"{key}: the Chinese sentence is not Chinese"
    assert not _CJK.search(en), f"{key}: the English sentence has Chinese in it"
    assert _fields(en) == _fields(zh), f"{key}: the two sentences take different values"


def test_an_english_error_detail_stays_out_of_a_chinese_reply() -> None:
    zh = say("failed", True, error="Track 2, segment 1 refers to icon:fluent/x, which does not exist")
    assert "Track" not in zh and _CJK.search(zh)
    assert "Track 2" in say("failed", False, error="Track 2, segment 1 refers to icon:fluent/x")


EDITS = ["背景音乐小一点", "改成20秒", "做成竖屏", "第二个场景音乐小一点", "加淡入淡出", "去掉转场",
         "把标题改成“春日上新”", "删除所有字幕", "第三个场景删掉", "导出１０８０ｐ的ＭＰ４", "音乐音量调到300%",
         "字幕大一点", "把音乐关掉，然后改成正方形", "undo一下", "你能做什么", "随便说点什么"]


@pytest.mark.parametrize("message", EDITS)
def test_a_chinese_session_hears_chinese_replies_and_summaries(message: str) -> None:
    s = Session(uploads=[text_upload("t1", TEXT_ZH)], language="zh-CN")
    s.send(AGENT, "把这段文字做成30秒的宣传视频，要有画面和音乐")
    steps = list(AGENT.respond(s.context(), message))
    texts = [st.text for st in steps if not isinstance(st, ToolStep)]
    texts += [st.response.get("summary", "") for st in steps if isinstance(st, ToolStep)]
    for text in filter(None, texts):
        assert _CJK.search(text), (message, text)
        assert not _ENGLISH_WORDS.search(text), (message, text)
