"""libass karaoke for the captions bench: the draft's word captions as an `.ass` file.

The measured alternative to reelterm's per-word PNG states (`reelterm.media.karaoke`): one
`Dialogue` per word while it is said (that word in the accent colour), burnt in by ffmpeg's
`ass` filter with the bundled Noto fonts through `fontsdir`. Bench code only.
"""

from __future__ import annotations

import hashlib
import os
import struct
from functools import cache
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media.assets import cjk_font, latin_font, needs_cjk
from reelterm.media.karaoke import Page, _font, _joined, em_size, pages
from reelterm.media.text_images import SAFE_X, SAFE_Y, clean_text
from reelterm.media.words import times_for
from reelterm.protocol.draft import Segment

_ASS_VERSION = "1"


@cache
def _metrics(font: Path) -> float:
    """libass's font size per em of `font`: (usWinAscent + usWinDescent) / unitsPerEm."""
    try:
        data = font.read_bytes()
        (tables,) = struct.unpack_from(">H", data, 4)
        found = {}
        for i in range(tables):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            found[tag] = offset
        (upem,) = struct.unpack_from(">H", data, found[b"head"] + 18)
        asc, desc = struct.unpack_from(">HH", data, found[b"OS/2"] + 74)
        return (asc + desc) / upem if upem and asc + desc else 1.2
    except (OSError, struct.error, KeyError):
        return 1.2


def escape(text: str) -> str:
    """User text for an ASS event: braces and backslashes can never start a tag or a break."""
    out = []
    for ch in text:
        if ch in "{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\\u2060")  # a word joiner keeps `\N`, `\h`... literal
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _colour(hex_rgb: str) -> str:
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"&H{b}{g}{r}&".upper()


def _time(ms: int) -> str:
    cs = max(0, round(ms / 10))
    h, rest = divmod(cs, 360_000)
    m, rest = divmod(rest, 6000)
    s, cs = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{cs:02d}"


def _page_text(text: str, page: Page, lit: int | None, acc: str) -> str:
    parts = []
    for k, w in enumerate(page.words):
        if k:
            parts.append("\\N" if k in page.breaks else ("" if _joined(page.words[k - 1], w) else " "))
        body = escape(w.text)
        parts.append(f"{{\\c{acc}}}{body}{{\\c&HFFFFFF&}}" if k == lit else body)
    return "".join(parts)


def events_for(seg: Segment, fps: int, total: int, font_for_text, max_w: float, acc: str) -> list[str]:
    """The `Dialogue` lines of one caption: one per word while it is said, plain between."""
    text = clean_text(seg.m.text or "")
    start = round(round(seg.s * fps / 1000) * 1000 / fps)
    end = min(round(min(total, round(seg.end * fps / 1000)) * 1000 / fps), seg.end)
    if end <= start:
        return []
    words = times_for(text, seg.m.model_extra.get("words") if seg.m.model_extra else None, seg.end - seg.s)
    if not words:
        return []
    style = "C" if needs_cjk(text) else "L"
    font = font_for_text(style == "C")
    lines: list[tuple[int, int, str]] = []
    for page in pages(text, words, start, end, max_w, font):
        n = len(page.words)
        starts = [min(max(page.start, start + w.start), page.end) for w in page.words]
        t = page.start
        for k, w in enumerate(page.words):
            a = max(starts[k], t)
            b = starts[k + 1] if k + 1 < n else min(page.end, max(a, start + w.end))
            if a > t:
                lines.append((t, a, _page_text(text, page, None, acc)))
            if b > a:
                lines.append((a, b, _page_text(text, page, k, acc)))
                t = b
            t = max(t, a)
        if page.end > t:
            lines.append((t, page.end, _page_text(text, page, None, acc)))
    dur = end - start
    default = min(150, dur // 4)
    fi = min(seg.m.fade_in if seg.m.fade_in is not None else default, dur)
    fo = min(seg.m.fade_out if seg.m.fade_out is not None else default, dur)
    pos = seg.m.position if seg.m.position in ("top", "center", "bottom") else "bottom"
    out = []
    for j, (a, b, body) in enumerate(lines):
        fade = f"{{\\fad({fi if j == 0 else 0},{fo if j == len(lines) - 1 else 0})}}" if (
            (j == 0 and fi) or (j == len(lines) - 1 and fo)) else ""
        out.append(f"Dialogue: 0,{_time(a)},{_time(b)},{style}{pos[0].upper()},,0,0,0,,{fade}{body}")
    return out


def write_ass(segs: list[Segment], width: int, height: int, fps: int, total: int, acc_hex: str,
              cache_dir: Path) -> Path:
    """Write (cached by content) the `.ass` file for word-timed captions; return its path."""
    em = em_size(width, height)
    safe_w = width * (1 - 2 * SAFE_X)
    max_w = safe_w * 0.94  # libass's synthetic bold is a little wider than Pillow's 700 weight
    fonts: dict[bool, object] = {}

    def font_for_text(cjk: bool):
        if cjk not in fonts:
            fonts[cjk] = _font(cjk, em)
        return fonts[cjk]

    acc = _colour(acc_hex)
    events = [e for seg in sorted(segs, key=lambda s: (s.s, s.id or "")) for e in
              events_for(seg, fps, total, font_for_text, max_w, acc)]
    mx = round(width * SAFE_X)
    low = round(height * (0.17 if height > width * 1.2 else SAFE_Y))  # clear of a phone's buttons
    top = round(height * SAFE_Y)
    outline, shadow = max(2, round(em * 0.07)), max(1, round(em * 0.03))
    styles = []
    for name, font, size in (("L", "Noto Sans", round(em * _metrics(latin_font()))),
                             ("C", "Noto Sans SC", round(em * _metrics(cjk_font())))):
        for pos, align, margin in (("B", 2, low), ("C", 5, 0), ("T", 8, top)):
            styles.append(f"Style: {name}{pos},{font},{size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H96000000,"
                          f"-1,0,0,0,100,100,0,0,1,{outline},{shadow},{align},{mx},{mx},{margin},1")
    script = "\n".join([
        "[Script Info]", "; reelterm word-timed captions", "ScriptType: v4.00+",
        f"PlayResX: {width}", f"PlayResY: {height}", "WrapStyle: 2", "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: TV.709", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
        "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        *styles, "",
        "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        *events, ""])
    data = script.encode("utf-8", "surrogatepass")
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"words-{_ASS_VERSION}-{hashlib.sha256(data).hexdigest()[:32]}.ass"
    if not path.is_file():
        write_cached(path, lambda tmp: tmp.write_bytes(data))
    return path


def fonts_dir(cache_dir: Path) -> Path:
    """A folder holding (links to) the two bundled fonts, for libass's `fontsdir`."""
    sources = (latin_font(), cjk_font())
    key = hashlib.sha256("\0".join(str(p) for p in sources).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    folder = cache_dir / f"fonts-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    for src in sources:
        link = folder / src.name
        if not link.exists():
            try:
                os.symlink(src, link)
            except FileExistsError:
                pass
            except OSError:
                write_cached(link, lambda tmp, src=src: tmp.write_bytes(src.read_bytes()))
    return folder


def filter_path(path: Path) -> str:
    """A file path as a filter option value inside a filtergraph (escaped at both levels)."""
    inner = "".join("\\" + ch if ch in "\\':" else ch for ch in str(path))
    return "".join("\\" + ch if ch in "\\'[],;" else ch for ch in inner)
