"""Chinese captions and titles break lines between words, never inside one (jieba's segmentation)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jieba  # a core dependency: a missing one must fail, not skip
import pytest

from reelterm.media.karaoke import _font as caption_font
from reelterm.media.karaoke import _line, em_size, pages
from reelterm.media.words import split_words, times_for, word_joins

SENTENCES = [
    "智能保温杯「小暖」全新上市。它能让饮品保温二十四小时，还会提醒你按时喝水。现在下单立享8折优惠。",
    "我们的咖啡豆来自云南高山农场，每一颗都经过手工挑选和低温烘焙，让你在家也能喝到专业咖啡馆的味道。",
    "周末带上家人去郊外露营吧！新款帐篷三分钟就能搭好，防风防雨，适合四到六个人一起使用。",
    "这款无线耳机支持主动降噪，续航长达三十小时，通勤、运动和办公都很方便。",
]
WIDTHS = (420, 520, 640, 760, 864)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> jieba.Tokenizer:
    """jieba on its own (its cache in a temp dir of the test): the words a reader sees."""
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    return tok


def _words(tok: jieba.Tokenizer, text: str) -> list[tuple[int, str]]:
    """(index in text, word) for every Chinese word of two or more characters."""
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]+", text):
        at = m.start()
        for piece in tok.cut(m.group(0), HMM=True):
            if len(piece) > 1:
                out.append((at, piece))
            at += len(piece)
    return out


def _assert_no_word_split(tok: jieba.Tokenizer, text: str, lines: list[str], width: float, font) -> None:
    assert "".join(lines).replace(" ", "") == text.replace(" ", ""), lines  # every character, in order
    ends, at = [], 0
    for line in lines[:-1]:
        at += len(line.replace(" ", ""))
        ends.append(at)  # a line break sits before text index `at` (no spaces in these texts)
    for start, word in _words(tok, text):
        inside = [e for e in ends if start < e < start + len(word)]
        assert not inside or font.getlength(word) > width, (width, word, lines)


def _caption_lines(text: str, width: float) -> list[str]:
    words = times_for(text, None, 16_000)
    font = caption_font(True, em_size(1080, 1920))
    out: list[str] = []
    for p in pages(text, words, 0, 16_000, width, font):
        cut = min(p.breaks) if p.breaks else len(p.words)
        out += [_line(list(p.words[:cut])), _line(list(p.words[cut:]))]
    return [line for line in out if line]


def test_word_captions_never_split_a_chinese_word(reference: jieba.Tokenizer) -> None:
    """Karaoke pages: "还会提醒你按时喝" / "水。" cannot happen at any width."""
    font = caption_font(True, em_size(1080, 1920))
    for text in SENTENCES:
        for width in WIDTHS:
            lines = _caption_lines(text, width)
            _assert_no_word_split(reference, text, lines, width, font)
            assert all(font.getlength(line) <= width for line in lines), (width, lines)
            assert not [ln for ln in lines if ln[0] in "」』）》，。、！？；："], (width, lines)


def test_a_word_wider_than_the_line_still_breaks() -> None:
    """A word that alone does not fit is cut (no line overflows, nothing is lost)."""
    font = caption_font(True, em_size(1080, 1920))
    text = "中华人民共和国"
    width = font.getlength("中华人") + 1
    lines = _caption_lines(text, width)
    assert "".join(lines) == text and len(lines) >= 2, lines
    assert all(font.getlength(line) <= width for line in lines), lines


def test_old_word_timings_still_fit() -> None:
    """`m.words` of a draft made before segmentation (one pair per character) is still used."""
    text = SENTENCES[0]
    words = split_words(text)
    assert [w.text for w in words][:8] == list("智能保温杯「小暖")  # still one word a character
    n = len(words)
    timed = [[i * 100, i * 100 + 90] for i in range(n)]
    words = times_for(text, timed, n * 100)
    assert [(w.start, w.end) for w in words] == [tuple(p) for p in timed]
    lines = _caption_lines(text, 520)
    assert "".join(lines) == text


def test_titles_wrap_between_chinese_words(reference: jieba.Tokenizer) -> None:
    """Titles and scene text (both wrap with `_wrap`) break a Chinese run between words too."""
    from reelterm.media.assets import font_for
    from reelterm.media.text_images import _font, _wrap

    for text in SENTENCES:
        font = _font(font_for(text), 56, 700, True)
        for width in WIDTHS:
            lines = _wrap(text, font, width).split("\n")
            _assert_no_word_split(reference, text, lines, width, font)
            assert not [ln for ln in lines if ln[0] in "」』）》，。、！？；："], (width, lines)
            assert not [ln for ln in lines if ln[-1] in "「『（《"], (width, lines)


def test_segmenter_is_silent_and_writes_no_file(tmp_path: Path) -> None:
    """First use prints nothing and leaves no file behind (jieba's own cache goes to the temp dir)."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "REELTERM_HOME": str(home), "TMPDIR": str(tmp)}
    code = "from reelterm.media.words import word_joins; print(sorted(word_joins('还会提醒你按时喝水')))"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    assert run.stdout.strip() == "[1, 3, 6, 8]" and run.stderr == "", (run.stdout, run.stderr)  # 还会 提醒 按时 喝水
    assert list(tmp.iterdir()) == [] and not home.exists()


def test_japanese_is_not_cut_by_a_chinese_dictionary() -> None:
    """Text with kana keeps breaking between any characters, as before."""
    assert word_joins("東京で新しい時計を買いました") == frozenset()
    assert word_joins("东京的新手表") != frozenset()
