"""Words of a caption and when each one is said: splitting, reading pace, alignment to a voice.

A word is a run of non-space letters (punctuation stays on its word) or one CJK character.
Timings are integer milliseconds; `m.words` on a text segment holds one `[start, end]` pair per
word of its text, relative to the segment's start (see docs/draft.md). Chinese words (jieba) only
decide where a line may break (`word_joins`); they never change the words that are timed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af\U00020000-\U0003ffff"
_TOKEN = re.compile(rf"[{_CJK}][^\s{_CJK}\w]*|[^\s{_CJK}]+")
"""A CJK character (with the punctuation right after it) or a run of other non-space characters."""
_CJK_RE = re.compile(f"[{_CJK}]")
READ_WPM = 170
"""Reading pace for Latin words when nothing is spoken (words per minute)."""
READ_CPS_CJK = 5.0
"""Reading pace for CJK characters when nothing is spoken (characters per second)."""
MIN_WORD_MS = 120
"""No word is highlighted for less than this (unless the caption is shorter than its words)."""
PAUSE_MS = {",": 180, ";": 220, ":": 200, ".": 320, "!": 320, "?": 320, "，": 180, "。": 320,
            "、": 120, "；": 220, "：": 200, "！": 320, "？": 320}
"""How long a reading pauses after a word ending in this punctuation."""


@dataclass(frozen=True)
class Word:
    """One word of a text: where it sits in the text and, once timed, when it is said (ms)."""

    text: str
    at: int  # index of its first character in the text
    start: int = 0
    end: int = 0


def split_words(text: str) -> list[Word]:
    """The words of `text`, in order (CJK characters are words of their own)."""
    return [Word(m.group(0), m.start()) for m in _TOKEN.finditer(text)]


def is_cjk_word(word: str) -> bool:
    """True for a word that is a CJK character."""
    return bool(_CJK_RE.match(word))


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_KANA = re.compile(r"[\u3040-\u30ff]")
_JIEBA_LOCK = threading.Lock()


def word_joins(text: str) -> frozenset[int]:
    """Indexes `p` of `text` where no line may break between `text[p-1]` and `text[p]`: inside a
    Chinese word of two or more characters (jieba's segmentation; empty when it is missing, and for
    Japanese, which jieba's Chinese dictionary does not know)."""
    out: set[int] = set()
    if _KANA.search(text):
        return frozenset()
    for m in _HAN_RUN.finditer(text):
        at = m.start()
        for piece in _segment(m.group(0)):
            out.update(range(at + 1, at + len(piece)))
            at += len(piece)
    return frozenset(out)


@lru_cache(maxsize=4096)
def _segment(run: str) -> tuple[str, ...]:
    """The words of a run of Han characters (one per character when jieba is unavailable)."""
    tok = _tokenizer()
    pieces = tuple(tok.cut(run, HMM=True)) if tok is not None else ()
    return pieces if "".join(pieces) == run else tuple(run)


def _tokenizer() -> Any:
    """jieba's tokenizer, loaded once and silently (~0.85 s CPU: import 0.26 s, dictionary 0.58 s);
    None when jieba is missing or its dictionary is unreadable (then every break stays allowed)."""
    with _JIEBA_LOCK:
        return _load_jieba()


@lru_cache(maxsize=1)
def _load_jieba() -> Any:
    import logging
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba  # type: ignore[import-untyped]
    except ImportError:
        return None
    jieba.setLogLevel(logging.CRITICAL + 1)  # it logs "Building prefix dict…" to stderr
    tok = jieba.Tokenizer()
    # Build the prefix dictionary ourselves instead of `tok.initialize()`, which writes a 9 MB
    # marshal cache to the temp dir: loading that cache costs as much CPU as building (~0.56 s
    # against ~0.58 s here), so reelterm writes no file at all.
    try:
        tok.FREQ, tok.total = tok.gen_pfdict(tok.get_dict_file())
    except (AttributeError, OSError, ValueError):
        return None
    tok.initialized = True
    return tok


def _weight(word: str) -> float:
    """How long a word takes to read, in arbitrary units (~syllables)."""
    if is_cjk_word(word):
        return 1.0
    letters = sum(1 for ch in word if ch.isalnum())
    return 0.6 + 0.22 * max(1, letters)


def _pause(word: str) -> int:
    return PAUSE_MS.get(word[-1:], 0) if word else 0


def reading_times(words: Sequence[str], length_ms: int) -> list[tuple[int, int]]:
    """(start, end) per word for a caption of `length_ms` with nothing spoken: a reading pace.

    Words go at the pace of `READ_WPM` / `READ_CPS_CJK`, sped up when the caption is shorter than
    that; a caption longer than its words holds the last one.
    """
    if not words:
        return []
    unit = 60_000 / READ_WPM / 1.5  # one weight unit at the reading pace
    want = [(1000 / READ_CPS_CJK if is_cjk_word(w) else _weight(w) * unit) for w in words]
    pauses = [_pause(w) for w in words[:-1]] + [0]
    need = sum(want) + sum(pauses)
    scale = min(1.0, length_ms / need) if need > 0 else 1.0
    return _lay(want, pauses, scale, scale, length_ms)


def spread_times(weights: Sequence[float], pauses: Sequence[int], length_ms: int) -> list[tuple[int, int]]:
    """(start, end) per word sharing `length_ms` in proportion to `weights`, with `pauses` after words."""
    if not weights:
        return []
    pause_total = sum(pauses[:-1])
    if pause_total > length_ms // 3:
        pauses = [p * (length_ms // 3) // max(1, pause_total) for p in pauses]
        pause_total = sum(pauses[:-1])
    total_w = sum(weights) or 1.0
    scale = max(0, length_ms - pause_total) / total_w
    return _lay(list(weights), list(pauses[:-1]) + [0], scale, 1.0, length_ms)


def _lay(lengths: list[float], pauses: list[int], scale: float, pause_scale: float,
         limit: int) -> list[tuple[int, int]]:
    out = []
    t = 0.0
    for i, (w, p) in enumerate(zip(lengths, pauses, strict=True)):
        a = round(t)
        t += w * scale
        b = round(t) if i < len(lengths) - 1 else max(round(t), a + 1)
        out.append((min(a, limit), min(max(b, a + 1), max(limit, a + 1))))
        t += p * pause_scale
    return out


def phoneme_weights(words: Sequence[str], counts: Sequence[int] | None) -> list[float]:
    """Weights for `spread_times`: phoneme counts when the voice gave them, else letter weights."""
    if counts is not None and len(counts) == len(words) and sum(counts) > 0:
        return [max(1.0, float(c)) for c in counts]
    return [_weight(w) for w in words]


def word_pauses(words: Sequence[str]) -> list[int]:
    """The pause after each word (from its closing punctuation)."""
    return [_pause(w) for w in words]


def check_words(value: object, count: int, length_ms: int) -> list[tuple[int, int]] | None:
    """`m.words` as (start, end) pairs when it fits a text of `count` words and `length_ms`; else None."""
    if not isinstance(value, list) or len(value) != count or count == 0:
        return None
    out: list[tuple[int, int]] = []
    last = 0
    for pair in value:
        if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair)):
            return None
        a, b = int(pair[0]), int(pair[1])
        if a < last - 1 or b < a or a < 0:
            return None
        out.append((min(a, length_ms), min(max(b, a), length_ms)))
        last = a
    return out


def times_for(text: str, words_meta: object, length_ms: int) -> list[Word]:
    """The words of a caption with their times: `m.words` when it fits, else a reading pace."""
    words = split_words(text)
    pairs = check_words(words_meta, len(words), length_ms) or reading_times([w.text for w in words], length_ms)
    return [Word(w.text, w.at, a, b) for w, (a, b) in zip(words, pairs, strict=True)]
