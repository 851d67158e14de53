"""Word-timed captions: the draft's captions as one `.ass` file burnt in by libass, in the one graph.

Each caption is cut into pages of at most two lines (measured with the font libass will use);
while a word is said, its page is shown with that word in the accent colour and the rest in
white. User text reaches ffmpeg only inside the `.ass` file (escaped so that it can never start
an override tag); the filter string holds just that file's path and the fonts folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media._graph import Graph
from reelterm.media.assets import cjk_font, latin_font, needs_cjk
from reelterm.media.text_images import SAFE_X, SAFE_Y, clean_text, undrawable
from reelterm.media.words import Word, times_for
from reelterm.protocol.draft import Draft, Segment

MODES = ("words", "plain")
"""Caption styles a draft's top-level `m.captions` may name."""
DEFAULT_ACCENT = "#FFD23F"
"""The colour of the word being said, unless the draft's `m.accent` names another."""
EM_SHARE_PORTRAIT = 0.052
"""Letter size (em) as a share of the frame height on tall canvases: readable on a phone."""
EM_SHARE_LANDSCAPE = 0.058
"""Letter size (em) as a share of the frame height on wide and square canvases."""
_ASS_VERSION = "1"


def caption_mode(draft: Draft) -> str:
    """`words` or `plain`: the draft's `m.captions`, else words for tall (9:16) canvases."""
    extra = draft.m.model_extra or {}
    mode = extra.get("captions")
    if mode in MODES:
        return str(mode)
    return "words" if draft.m.height > draft.m.width * 1.2 else "plain"


def accent(draft: Draft) -> str:
    """The accent colour as `#RRGGBB`."""
    value = (draft.m.model_extra or {}).get("accent")
    return value if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else DEFAULT_ACCENT


def is_word_caption(seg: Segment) -> bool:
    """True for the text segments that become word-timed captions (the caption style)."""
    return (seg.m.style or "caption") == "caption" and bool((seg.m.text or "").strip())


def caption_layer(g: Graph, draft: Draft, segs: list[Segment], video: str, total: int) -> str:
    """Draw every text segment over `video`: word-timed captions with libass, the rest as PNGs."""
    from reelterm.media.captions import overlay_texts

    words = [s for s in segs if is_word_caption(s)] if caption_mode(draft) == "words" else []
    if not words or any(ch in str(g.cache_dir) for ch in "\n\r"):
        return overlay_texts(g, segs, video, total)
    video = overlay_texts(g, [s for s in segs if not is_word_caption(s)], video, total)
    for seg in words:
        missing = undrawable(seg.m.text or "")
        if missing:
            g.warnings.append(f"The bundled fonts have no letters for {missing[:12]} (in text segment "
                              f"{seg.id or '?'}); they show as empty boxes.")
    path = write_ass(words, g.W, g.H, g.fps, total, accent(draft), g.cache_dir)
    fonts = fonts_dir(g.cache_dir)
    g.texts.append(path)
    out = g.label("v")
    g.chains.append(f"[{video}]ass=filename={filter_path(path)}:fontsdir={filter_path(fonts)}[{out}]")
    return out


# ---- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """Up to two lines of a caption: its words (timed, ms on the timeline) and the line breaks."""

    words: tuple[Word, ...]
    breaks: frozenset[int]  # indexes of words that start a new line
    start: int
    end: int


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


def _font(cjk: bool, em: int):
    from PIL import ImageFont

    font = ImageFont.truetype(str(cjk_font() if cjk else latin_font()), size=em)
    if not cjk:
        try:
            axes = [a["name"] for a in font.get_variation_axes()]
            font.set_variation_by_axes([700 if n in (b"Weight", "Weight") else 100 for n in axes])
        except (OSError, AttributeError):
            pass
    return font


def em_size(width: int, height: int) -> int:
    """The caption letter size in pixels for a canvas."""
    share = EM_SHARE_PORTRAIT if height > width * 1.2 else EM_SHARE_LANDSCAPE
    return max(8, round(min(height, width * 16 / 9) * share))


def pages(text: str, words: list[Word], seg_start: int, seg_end: int, max_w: float, font) -> list[Page]:
    """Cut a caption's words into pages of at most two lines no wider than `max_w` pixels."""
    out: list[Page] = []
    lines: list[list[int]] = []
    for i, w in enumerate(words):
        gap = "" if i == 0 or _joined(text, words[i - 1], w) else " "
        if lines and font.getlength(_line_text(text, words, lines[-1]) + gap + w.text) <= max_w \
                and "\n" not in text[words[i - 1].at:w.at]:
            lines[-1].append(i)
            continue
        if len(lines) == 2:
            out.append(_page(words, lines, seg_start))
            lines = []
        lines.append([i])
    if lines:
        out.append(_page(words, lines, seg_start))
    # a page lasts from its first word (the first page: the caption's start) to the next page
    fixed = []
    for k, p in enumerate(out):
        start = seg_start if k == 0 else p.start
        end = out[k + 1].start if k + 1 < len(out) else seg_end
        fixed.append(Page(p.words, p.breaks, start, max(end, start + 1)))
    return fixed


def _joined(text: str, a: Word, b: Word) -> bool:
    """True when nothing separates two words in the text (CJK characters)."""
    return a.at + len(a.text) == b.at


def _line_text(text: str, words: list[Word], idx: list[int]) -> str:
    return text[words[idx[0]].at: words[idx[-1]].at + len(words[idx[-1]].text)].replace("\n", " ")


def _page(words: list[Word], lines: list[list[int]], seg_start: int) -> Page:
    idx = [i for line in lines for i in line]
    timed = tuple(words[i] for i in idx)
    return Page(timed, frozenset({len(lines[0])}) if len(lines) > 1 else frozenset(),
                seg_start + timed[0].start, 0)


# ---- the .ass file ---------------------------------------------------------------------------


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
            parts.append("\\N" if k in page.breaks else ("" if _joined(text, page.words[k - 1], w) else " "))
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
