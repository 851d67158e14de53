"""Word-timed captions: the word being said in the accent colour, the rest of its lines in white.

Each caption is cut into pages of at most two lines that fit the title-safe width. Every state
of a page (no word lit, or word k lit) is one small RGBA PNG drawn by Pillow (cached by
content); all states of all captions follow each other in time, so they form one lane of the
concat demuxer (`captions.overlay_lane`): one input, one decoded picture at a time, one
`overlay`. User text stays inside the PNGs' pixels.

Measured against libass karaoke (an `.ass` file burnt in with the `ass` filter) on the 30 s
vertical promo: the filter work was 0.9 s here against 3.0 s for libass (bench/README.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.media._cache import write_cached
from reelterm.media._graph import Graph
from reelterm.media.assets import cjk_font, latin_font, needs_cjk
from reelterm.media.captions import Caption, overlay_lane, overlay_texts
from reelterm.media.text_images import SAFE_X, SAFE_Y, TextImage, clean_text, undrawable
from reelterm.media.words import Word, is_cjk_word, times_for, word_joins
from reelterm.protocol.draft import Draft, Segment

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

MODES = ("words", "plain")
"""Caption styles a draft's top-level `m.captions` may name."""
DEFAULT_ACCENT = "#FFD23F"
"""The colour of the word being said, unless the draft's `m.accent` names another."""
EM_SHARE_PORTRAIT = 0.052
"""Letter size (em) as a share of the frame height on tall canvases: readable on a phone."""
EM_SHARE_LANDSCAPE = 0.058
"""Letter size (em) as a share of the frame height on wide and square canvases."""
LOW_MARGIN_PORTRAIT = 0.17
"""Bottom captions on tall canvases sit this far up: inside the safe area, clear of a phone's buttons."""
_VERSION = "1"


def caption_mode(draft: Draft) -> str:
    """`words` or `plain`: the draft's `m.captions`, else words for tall (9:16) canvases."""
    mode = (draft.m.model_extra or {}).get("captions")
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
    """Draw every text segment over `video`: word-timed captions as one lane, the rest as before."""
    words = [s for s in segs if is_word_caption(s)] if caption_mode(draft) == "words" else []
    if not words or any(ch in str(g.cache_dir) for ch in "\n\r"):
        return overlay_texts(g, segs, video, total)
    video = overlay_texts(g, [s for s in segs if not is_word_caption(s)], video, total)
    states: list[Caption] = []
    colour = accent(draft)
    for seg in sorted(words, key=lambda s: (s.s, s.id or "")):
        missing = undrawable(seg.m.text or "")
        if missing:
            g.warn(f"The bundled fonts have no letters for {missing[:12]} (in text segment "
                   f"{seg.id or '?'}); they show as empty boxes.")
        states += caption_states(g, seg, total, colour)
    lanes: list[list[Caption]] = []
    for c in states:  # one lane per position; captions that overlap in time go to a lane of their own
        lane = next((lane for lane in lanes if lane[-1].end <= c.start and lane[-1].group == c.group), None)
        if lane is None:
            lanes.append([c])
        else:
            lane.append(c)
    for lane in lanes:
        for c in lane:
            g.note_text(c.img.path)
        video = overlay_lane(g, lane, video)
    return video


# ---- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """Up to two lines of a caption: its words (timed, ms relative to the caption) and the line break."""

    words: tuple[Word, ...]
    breaks: frozenset[int]  # indexes of words that start a new line
    start: int  # ms on the timeline
    end: int


@lru_cache(maxsize=8)
def _font(cjk: bool, em: int) -> FreeTypeFont:
    """The bold caption font at `em` pixels (kept: loading a variable font is slow)."""
    from PIL import ImageFont, features

    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    font = ImageFont.truetype(str(cjk_font() if cjk else latin_font()), size=em, layout_engine=layout)
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


def _joined(a: Word, b: Word) -> bool:
    """True when nothing separates two words in the text (CJK characters)."""
    return a.at + len(a.text) == b.at


def _line(words: tuple[Word, ...] | list[Word]) -> str:
    return "".join(("" if i == 0 or _joined(words[i - 1], w) else " ") + w.text for i, w in enumerate(words))


def _glued_tail(text: str, words: list[Word], line: list[int], first: int) -> list[int]:
    """The words at the end of `line` bound to word `first` by no-break spaces, taken off `line`
    (never all of it): a line never ends on "for" or "the" when the text glued it to the next word."""
    carry: list[int] = []
    head = first
    while len(line) > 1 and "\u00a0" in text[words[head - 1].at + len(words[head - 1].text):words[head].at]:
        head = line.pop()
        carry.insert(0, head)
    return carry


_OPENING = set("「『（《〈【〔〖〘〚([{“‘")
_CLOSING = set("」』）》〉】〕〗〙〛，。、！？；：…)]}”’,.!?;:")
_BREAK_AFTER = set("，。、！？；：」』）》…")
_SENTENCE_END = set("。！？")


def _word_start(words: list[Word], line: list[int], first: int, cut: int, joins: frozenset[int]) -> int:
    """`cut` (a line break before `line[cut]`, or before word `first` at the end) moved back until it
    falls between Chinese words and not after an opening bracket (0: the word started the line)."""
    k = cut
    while k > 0 and ((words[line[k]] if k < len(line) else words[first]).at in joins
                     or words[line[k - 1]].text[-1] in _OPENING):
        k -= 1
    return k


def _carry(text: str, words: list[Word], line: list[int], first: int,
           joins: frozenset[int] = frozenset()) -> list[int]:
    """The words at the end of `line` that go down to the next line with word `first` (taken off
    `line`, never all of it): words glued by no-break spaces stay together; closing punctuation never
    starts a line and an opening bracket never ends one; a CJK line breaks after a sentence's end,
    or after its last punctuation mark when that is in its second half ("…小时，" / "还会提醒你…"),
    and never inside a Chinese word (`joins`, from `word_joins`): "按时喝" / "水。" becomes "按时" / "喝水。"."""
    glued = _glued_tail(text, words, line, first)
    if glued or len(line) < 2:
        return glued
    cjk = is_cjk_word(words[first].text)
    ends = [k + 1 for k in range(len(line) - 1) if words[line[k]].text[-1] in _SENTENCE_END]
    marks = [k + 1 for k in range(len(line) // 2, len(line) - 1) if words[line[k]].text[-1] in _BREAK_AFTER]
    best = max(ends + marks, default=0) if cjk and len(line) >= 4 else 0
    if words[first].text[0] in _CLOSING:
        opener = next((k for k in range(len(line) - 1, 0, -1) if words[line[k]].text[0] in _OPENING), 0)
        anywhere = [k + 1 for k in range(len(line) - 1) if words[line[k]].text[-1] in _BREAK_AFTER]
        cut = opener or max(anywhere, default=0) or len(line) - 1
    elif words[line[-1]].text[-1] in _OPENING:
        cut = len(line) - 1
    elif best:
        cut = best
    else:
        cut = _word_start(words, line, first, len(line), joins)
        if cut in (0, len(line)):
            return []
    cut = _word_start(words, line, first, cut, joins) or cut  # "按时喝" / "水。": "按时" / "喝水。"
    carry = line[cut:]
    del line[cut:]
    return carry


def pages(text: str, words: list[Word], seg_start: int, seg_end: int, max_w: float,
          font: FreeTypeFont) -> list[Page]:
    """Cut a caption's words into pages of at most two lines no wider than `max_w` pixels."""
    groups: list[list[list[int]]] = []
    lines: list[list[int]] = []
    joins = word_joins(text) if any(is_cjk_word(w.text) for w in words) else frozenset()
    for i, w in enumerate(words):
        fits = lines and font.getlength(_line([words[j] for j in lines[-1]] + [w])) <= max_w
        if fits and "\n" not in text[words[i - 1].at:w.at]:
            lines[-1].append(i)
            continue
        carry = _carry(text, words, lines[-1], i, joins) if lines else []
        if len(lines) == 2:
            groups.append(lines)
            lines = []
        lines.append([*carry, i])
    if lines:
        groups.append(lines)
    out = []
    for k, group in enumerate(groups):
        idx = [i for line in group for i in line]
        start = seg_start if k == 0 else seg_start + words[idx[0]].start
        end = seg_start + words[groups[k + 1][0][0]].start if k + 1 < len(groups) else seg_end
        out.append(Page(tuple(words[i] for i in idx), frozenset({len(group[0])}) if len(group) > 1 else frozenset(),
                        start, max(end, start + 1)))
    return out


def _split(page: Page) -> list[tuple[Word, ...]]:
    cut = min(page.breaks) if page.breaks else len(page.words)
    return [page.words[:cut], page.words[cut:]] if page.breaks else [page.words]


# ---- drawing -------------------------------------------------------------------------------


def _stroke_pad(em: int) -> tuple[int, int]:
    """The outline width and the margin around the text, in pixels."""
    stroke = max(2, round(em * 0.075))
    return stroke, stroke + 2


def draw_state(page: Page, lit: int | None, em: int, width: int, height: int, position: str,
               colour: str, cache_dir: Path) -> TextImage:
    """The page with word `lit` (None: no word) in `colour`, the rest white, black outline (cached)."""
    cjk = any(needs_cjk(w.text) for w in page.words)
    lines = _split(page)
    key = hashlib.sha256("\x1f".join([_VERSION, "\x1e".join(_line(x) for x in lines), str(lit), str(em),
                                      str(width), str(height), position, colour, str(cjk)])
                         .encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = cache_dir / f"word-{key}.png"
    font = _font(cjk, em)
    stroke, pad = _stroke_pad(em)
    line_h = round(em * 1.28)
    widths = [font.getlength(_line(x)) for x in lines]
    # every state has the same box (the safe width, two lines), so all share one lane unpadded
    w = round(width * (1 - 2 * SAFE_X))
    h = 2 * line_h + 2 * pad
    w, h = w - w % 2, h + h % 2
    top = {"top": 0, "center": (2 - len(lines)) * line_h // 2}.get(position, (2 - len(lines)) * line_h)
    if not path.is_file():
        from PIL import Image, ImageDraw

        img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        ascent, descent = font.getmetrics()
        placed: list[tuple[float, float, str, bool]] = []
        k = 0
        for li, (line, lw) in enumerate(zip(lines, widths, strict=True)):
            x = (w - lw) / 2
            y = pad + top + li * line_h + (line_h - ascent - descent) / 2
            for j, word in enumerate(line):
                if j and not _joined(line[j - 1], word):
                    x += font.getlength(" ")
                placed.append((x, y, word.text, k == lit))
                x += font.getlength(word.text)
                k += 1
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        for x, y, text, _ in placed:  # outlines first, so no outline covers a neighbour's letters
            draw.text((x, y), text, font=font, fill=(0, 0, 0, 235), stroke_width=stroke, stroke_fill=(0, 0, 0, 235))
        for x, y, text, on in placed:
            draw.text((x, y), text, font=font, fill=(*rgb, 255) if on else (255, 255, 255, 255))
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_cached(path, lambda tmp: img.save(tmp, format="PNG", compress_level=1))
    x0 = (width - w) // 2
    if position == "top":
        y0 = round(height * SAFE_Y)
    elif position == "center":
        y0 = (height - h) // 2
    else:
        low = LOW_MARGIN_PORTRAIT if height > width * 1.2 else SAFE_Y
        y0 = height - round(height * low) - h
    return TextImage(path, max(0, x0), max(0, y0), w, h)


def caption_states(g: Graph, seg: Segment, total: int, colour: str) -> list[Caption]:
    """One caption's page states in time order: plain before its first word, word k while it is said."""
    fps = g.fps
    start_f, end_f = round(seg.s * fps / 1000), min(total, round(seg.end * fps / 1000))
    if end_f <= start_f:
        return []
    text = clean_text(seg.m.text or "")
    words = times_for(text, (seg.m.model_extra or {}).get("words"), seg.d)
    if not words:
        return []
    em = em_size(g.W, g.H)
    font = _font(any(needs_cjk(w.text) for w in words), em)
    max_w = g.W * (1 - 2 * SAFE_X) - 2 * _stroke_pad(em)[1] - 2
    position = seg.m.position if seg.m.position in ("top", "center", "bottom") else "bottom"
    spans: list[tuple[int, int, Page, int | None]] = []  # ms on the timeline
    for page in pages(text, words, seg.s, seg.end, max_w, font):
        starts = [min(max(page.start, seg.s + w.start), page.end) for w in page.words]
        t = page.start
        for k, w in enumerate(page.words):
            a = max(starts[k], t)
            b = starts[k + 1] if k + 1 < len(page.words) else min(page.end, max(a, seg.s + w.end))
            if a > t:
                spans.append((t, a, page, None))
            if b > a:
                spans.append((a, b, page, k))
                t = b
        if page.end > t:
            spans.append((t, page.end, page, None))
    dur = (end_f - start_f) / fps
    default = min(0.15, dur / 4)
    fi = seg.m.fade_in / 1000 if seg.m.fade_in is not None else default
    fo = seg.m.fade_out / 1000 if seg.m.fade_out is not None else default
    out: list[Caption] = []
    for a, b, page, lit in spans:
        fa, fb = max(start_f, round(a * fps / 1000)), min(end_f, round(b * fps / 1000))
        if fb <= fa:
            continue
        img = draw_state(page, lit, em, g.W, g.H, position, colour, g.cache_dir)
        out.append(Caption(fa, fb, img, 0.0, 0.0, ("words", position)))
    if out:
        first, last = out[0], out[-1]
        out[0] = Caption(first.start, first.end, first.img, min(fi, (first.end - first.start) / fps), 0.0, first.group)
        out[-1] = Caption(last.start, last.end, last.img, out[-1].fade_in,
                          min(fo, (last.end - last.start) / fps), last.group)
    return out
