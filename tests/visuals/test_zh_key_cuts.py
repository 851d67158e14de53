"""A Chinese key phrase or title cut from a long clause ends between words, never on a particle or pronoun."""

from __future__ import annotations

import jieba
import pytest

from reelterm.engine.planner.cuts_zh import key_zh
from reelterm.engine.planner.headlines import headline

LONG = [
    "保温杯的第1个特点是它可以保温二十四小时",
    "我们的新款空气净化器能够在三十分钟内清除房间里百分之九十九的细菌和病毒",
    "这款智能手环可以实时监测你的心率和睡眠质量并且提醒你起身活动一下",
    "全自动咖啡机从研磨到萃取只需要四十五秒钟就能做出一杯香浓的意式浓缩咖啡",
    "折叠电动自行车充满电之后可以连续骑行六十公里而且整车重量不到十五公斤",
    "儿童学习台灯采用全光谱护眼光源让孩子在晚上写作业的时候眼睛不容易疲劳",
]


@pytest.fixture(scope="module")
def tok(tmp_path_factory: pytest.TempPathFactory) -> jieba.Tokenizer:
    """jieba on its own, its cache in a temp dir of the test: the reference words."""
    t = jieba.Tokenizer()
    t.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    return t


def _word_ends(tok: jieba.Tokenizer, text: str) -> set[int]:
    ends, at = {0}, 0
    for piece in tok.lcut(text, HMM=False):
        at += len(piece)
        ends.add(at)
    return ends


@pytest.mark.parametrize("sentence", LONG)
def test_a_long_chinese_clause_is_cut_between_words(tok: jieba.Tokenizer, sentence: str) -> None:
    cut = key_zh(sentence, "")
    at = sentence.find(cut)
    assert at >= 0 and len(cut) >= 3, cut
    assert at + len(cut) in _word_ends(tok, sentence), f"{cut!r} ends inside a word of {sentence!r}"
    assert not cut.endswith(("的", "在", "和", "是", "它", "你", "可", "能够", "可以")), cut


def test_a_title_card_from_a_long_first_sentence_reads_whole() -> None:
    first = "保温杯的第1个特点是它可以保温二十四小时。"
    title = headline(first + "第2个特点是它很轻。", [first, "第2个特点是它很轻。"]).title
    assert title == "保温杯的第1个特点", title
