"""Bundled assets from pip packages: music by mood, Latin and CJK fonts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reelterm.media.errors import MediaError

MOODS = ("calm", "energetic", "happy", "nostalgic", "tender")
"""The moods of the bundled music."""


@dataclass(frozen=True)
class MusicTrack:
    """One bundled track: id `music:<mood>/<stem>`, mood, style (acoustic/electronic), file, length."""

    id: str
    mood: str
    style: str
    path: Path
    duration_ms: int


def _tracks_dir() -> Path:
    import immich_memories_music

    return Path(immich_memories_music.tracks_dir())


@cache
def music_library() -> tuple[MusicTrack, ...]:
    """Every bundled track, sorted by id (durations probed once per process)."""
    from reelterm.media.probe import probe

    root = _tracks_dir()
    tracks = []
    for path in sorted(root.glob("*/*.opus")):
        mood = path.parent.name
        style = "electronic" if "electronic" in path.stem else "acoustic"
        try:
            duration = probe(path).duration_ms
        except MediaError:
            continue
        tracks.append(MusicTrack(f"music:{mood}/{path.stem}", mood, style, path, duration))
    return tuple(tracks)


def resolve_music(src: str) -> Path:
    """The file behind `music:MOOD/NAME`; `MediaError` when there is no such track."""
    if not src.startswith("music:") or "/" not in src:
        raise MediaError(f"{src[:80]!r} is not a music reference (music:MOOD/NAME).")
    mood, _, name = src[len("music:"):].partition("/")
    if mood not in MOODS or not name or "/" in name or name.startswith("."):
        raise MediaError(f"There is no bundled music called {src[:80]}.")
    path = _tracks_dir() / mood / f"{name}.opus"
    if not path.is_file():
        raise MediaError(f"There is no bundled music called {src[:80]}.")
    return path


@cache
def latin_font() -> Path:
    """Noto Sans (variable weight/width), from `fontpkg-noto-sans`."""
    import fontpkg_noto_sans

    return Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"


@cache
def cjk_font() -> Path:
    """Noto Sans SC, from `pylopdf-fonts-zh-cn`; also covers Japanese kana (not Korean hangul)."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def needs_cjk(text: str) -> bool:
    """True when the text holds CJK ideographs, kana, hangul or full-width forms."""
    for ch in text:
        o = ord(ch)
        if (0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
                or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF or 0x3000 <= o <= 0x303F):
            return True
    return False


def font_for(text: str) -> Path:
    """The font file to draw `text` with: Noto Sans SC when it needs CJK, else Noto Sans."""
    return cjk_font() if needs_cjk(text) else latin_font()
