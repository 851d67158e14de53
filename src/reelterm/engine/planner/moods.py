"""Mood words (EN/ZH) -> the bundled music library's moods, and a deterministic track choice."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

MOODS = ("calm", "energetic", "happy", "nostalgic", "tender")
"""The moods of the bundled music (`immich-memories-music`)."""

DEFAULT_MOOD = "happy"
"""A promo's default: upbeat."""

_WORDS: dict[str, tuple[str, ...]] = {
    "calm": ("calm", "calmer", "chiller", "gentle piano", "lo-fi", "lofi", "lo fi", "chill", "relax", "relaxed", "relaxing", "peaceful",
             "ambient", "soft", "mellow", "serene", "soothing", "slow", "minimal",
             "轻松", "轻音乐", "舒缓", "平静", "安静", "放松", "悠闲", "宁静", "柔和", "慢"),
    "energetic": ("energetic", "cinematic", "dramatic", "orchestral", "more energy", "livelier", "faster", "punchier", "energy", "dynamic", "epic", "intense", "powerful", "driving",
                  "fast", "action", "sport", "sporty", "hype", "exciting", "bold", "rock",
                  "electronic", "edm", "动感", "激昂", "燃", "劲爆", "活力", "激情", "热血",
                  "快节奏", "震撼"),
    "happy": ("happy", "happier", "more upbeat", "lively", "upbeat", "cheerful", "fun", "joyful", "bright", "playful", "positive",
              "uplifting", "sunny", "festive", "欢快", "快乐", "开心", "愉快", "明快", "轻快",
              "活泼", "喜庆", "阳光"),
    "nostalgic": ("nostalgic", "nostalgia", "sadder", "wistful", "retro", "vintage", "memories", "memory", "old",
                  "throwback", "melancholic", "sad", "怀旧", "复古", "回忆", "伤感", "老"),
    "tender": ("tender", "gentle", "gentler", "warmer", "softly", "romantic", "warm", "emotional", "love", "sweet", "heartfelt",
               "touching", "sentimental", "温柔", "温馨", "浪漫", "感人", "温暖", "甜蜜", "深情"),
}


def mood_from_text(text: str) -> str | None:
    """The first mood named in the text ("lo-fi" -> calm, "欢快" -> happy), or None."""
    low = text.lower()
    best: tuple[int, str] | None = None
    for mood, words in _WORDS.items():
        for word in words:
            if word.isascii():
                m = re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low)
            else:
                m = re.search(re.escape(word), low)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), mood)
    return best[1] if best else None


GENRES = ("lo-fi", "lofi", "lo fi", "jazz", "jazzy", "classical", "hip hop", "hip-hop", "rap", "country",
          "metal", "reggae", "techno", "house", "orchestral", "cinematic", "piano", "guitar", "edm", "rock",
          "ambient", "blues", "funk", "disco", "synthwave", "爵士", "古典", "嘻哈", "摇滚", "钢琴", "电音")
"""Styles people ask for that the bundled library has no tracks of (it has moods, acoustic and electronic)."""


_MUSIC_NOUN = r"(?:music|tracks?|songs?|soundtrack|bgm|beats?|tunes?|vibes?)"


_PLAIN_GENRES = frozenset(("lo-fi", "lofi", "lo fi", "jazz", "jazzy", "hip hop", "hip-hop", "edm", "techno",
                           "synthwave", "reggae", "blues", "disco", "orchestral", "cinematic", "piano",
                           "classical", "ambient"))
"""Styles that mean music even without a music word next to them ("use lo-fi")."""


def genre_named(text: str, about_music: bool = False) -> str | None:
    """The first music style asked for in `text` that the bundled library lacks ("lo-fi music", "爵士音乐").

    A style counts right before a music word ("rock climbing" or "house cleaning" is no request);
    when the message is about music already (`about_music`), an unmistakable style counts alone.
    """
    low = " ".join(text.lower().split())
    found = []
    for g in GENRES:
        if g.isascii():
            near = "" if about_music and g in _PLAIN_GENRES else rf"(?: [a-z-]+){{0,2}} {_MUSIC_NOUN}"
            m = re.search(rf"(?<![a-z]){re.escape(g)}{near}(?![a-z])", low)
        else:
            m = re.search(re.escape(g) + r"(?:风格|风)?的?(?:音乐|配乐|曲|歌)", low)
        if m:
            found.append((m.start(), g))
    return min(found)[1] if found else None


@cache
def _tracks_dir() -> Path | None:
    try:
        import immich_memories_music
    except ImportError:
        return None
    return Path(immich_memories_music.tracks_dir())


@cache
def music_stems(mood: str) -> tuple[str, ...]:
    """The sorted file stems of one mood's tracks (empty when the library is missing)."""
    root = _tracks_dir()
    if root is None or mood not in MOODS:
        return ()
    return tuple(sorted(p.stem for p in (root / mood).glob("*.opus")))


def stable_hash(text: str) -> int:
    """A process-independent hash of text (sha256), for deterministic choices."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def choose_music(mood: str, key: str, avoid: str | None = None) -> str | None:
    """`music:<mood>/<stem>` picked by a hash of `key`; `avoid` skips the current track if it can."""
    stems = music_stems(mood if mood in MOODS else DEFAULT_MOOD)
    if not stems:
        return None
    mood = mood if mood in MOODS else DEFAULT_MOOD
    index = stable_hash(key) % len(stems)
    ref = f"music:{mood}/{stems[index]}"
    if ref == avoid and len(stems) > 1:
        ref = f"music:{mood}/{stems[(index + 1) % len(stems)]}"
    return ref


def mood_of(ref: str | None) -> str | None:
    """The mood of a `music:` reference."""
    if not ref or not ref.startswith("music:"):
        return None
    return ref[len("music:"):].split("/", 1)[0]
