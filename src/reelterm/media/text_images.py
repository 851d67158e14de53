"""Text as tight RGBA PNGs drawn by Pillow, cached by a hash of text, style and canvas.

User text goes into pixels only: ffmpeg sees just the PNG's path and integer positions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.media._cache import write_cached
from reelterm.media.assets import font_for, needs_cjk
from reelterm.media.words import word_joins

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

_VERSION = "4"
SAFE_X = 0.10
"""Horizontal title-safe margin, as a share of the canvas width (each side)."""
SAFE_Y = 0.10
"""Vertical title-safe margin, as a share of the canvas height (each side)."""

# style: (size as share of min(W,H)... of H for landscape, weight, align, default position, box alpha)
_STYLES = {
    "title": (0.11, 760, "center", "center", 0),
    "caption": (0.055, 560, "center", "bottom", 150),
    "lower_third": (0.05, 640, "left", "bottom", 190),
}


@dataclass(frozen=True)
class TextImage:
    """A rendered text PNG and where its top-left corner goes on the canvas (pixels)."""

    path: Path
    x: int
    y: int
    width: int
    height: int


def clean_text(text: str) -> str:
    """Line breaks of every kind become `\\n`, tabs spaces; other control characters go."""
    import unicodedata

    text = "\n".join(text.splitlines()).replace("\t", "    ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))


def undrawable(text: str) -> str:
    """The characters of `text` its font has no glyph for (each once, in order): shown as boxes."""
    import unicodedata

    from reelterm.media._cmap import covered

    points = covered(font_for(text))
    missing: list[str] = []
    for ch in clean_text(text):
        # spaces, combining marks and format characters (ZWJ, variation selectors) draw nothing
        if ch.isspace() or unicodedata.category(ch) in ("Mn", "Me", "Cf") or ord(ch) in points:
            continue
        if ch not in missing:
            missing.append(ch)
    return "".join(missing) if points else ""


def _font(path: Path, size: int, weight: int, cjk: bool, basic: bool = False) -> FreeTypeFont:
    from PIL import ImageFont, features

    raqm = features.check("raqm") and not basic
    layout = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    font = ImageFont.truetype(str(path), size=size, layout_engine=layout)
    if not cjk:
        try:
            axes = [a["name"] for a in font.get_variation_axes()]
            font.set_variation_by_axes([weight if n in (b"Weight", "Weight") else 100 for n in axes])
        except (OSError, AttributeError):
            pass
    return font


_NO_LINE_START = "。，、！？；：」』）》,.!?;:)"
_NO_LINE_END = "「『（《〈【〔(“‘"


def type_base(width: int, height: int) -> float:
    """The length type sizes are shares of: the height for 16:9; for vertical and square canvases,
    which are watched on phones, 3/4 of the height (a caption is ~4 % of a 9:16 frame's height)."""
    if width * 5 > height * 6:  # landscape: as before, sized by the 16:9 box inside the canvas
        return min(width, height * 16 / 9) * 9 / 16
    return height * (0.75 if height * 5 > width * 6 else 0.72)


def _wrap(text: str, font: FreeTypeFont, max_w: float) -> str:
    """Greedy word wrap; words wider than the line break between characters, CJK runs between words."""
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = para.split(" ")
        line = ""
        while words:
            word = words.pop(0)
            cand = f"{line} {word}" if line else word
            if font.getlength(cand) <= max_w:
                line = cand
                continue
            if line:
                lines.append(line)
                line = ""
            if "\u00a0" in word and font.getlength(word) > max_w:
                # a glued group wider than the line: break it at its no-break spaces, not in a word
                words[:0] = word.split("\u00a0")
                continue
            # the word alone is too wide (a CJK run): split it between Chinese words, else characters
            joins = word_joins(word)
            begin = 0  # where `line` starts in `word`
            for j, ch in enumerate(word):
                # closing punctuation never starts a line: it may overhang by itself
                if font.getlength(line + ch) <= max_w or not line or ch in _NO_LINE_START:
                    line += ch
                    continue
                cut = j
                while cut > begin and (cut in joins or word[cut - 1] in _NO_LINE_END):
                    cut -= 1
                cut = cut if cut > begin else j  # a Chinese word wider than the line: cut it anywhere
                lines.append(word[begin:cut])
                line, begin = word[cut:j + 1], cut
        lines.append(line)
    return "\n".join(lines)


def render_text(
    text: str,
    style: str | None,
    position: str | None,
    width: int,
    height: int,
    cache_dir: Path,
) -> TextImage:
    """Draw `text` in `style` for a `width`x`height` canvas; return the cached PNG and its place."""
    style = style if style in _STYLES else "caption"
    align, default_pos = _STYLES[style][2], _STYLES[style][3]
    position = position if position in ("top", "center", "bottom") else default_pos
    text = clean_text(text)
    key = hashlib.sha256(
        "\x1f".join([_VERSION, text, style, position, str(width), str(height)]).encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"text-{key}.png"
    meta = cache_dir / f"text-{key}.pos"
    if path.is_file() and meta.is_file():
        try:
            w, h = (int(v) for v in meta.read_text().split())
            return _place(path, w, h, width, height, align, position)
        except ValueError:
            pass

    try:
        return _draw(text, style, position, width, height, path, meta, basic=False)
    except (RuntimeError, OSError, ValueError):  # a shaping failure: retry without raqm
        return _draw(text, style, position, width, height, path, meta, basic=True)


def _draw(text: str, style: str, position: str, width: int, height: int, path: Path, meta: Path,
          basic: bool) -> TextImage:
    from PIL import Image, ImageDraw

    share, weight, align, _, box_alpha = _STYLES[style]
    safe_w = int(width * (1 - 2 * SAFE_X))
    safe_h = int(height * (1 - 2 * SAFE_Y))
    cjk = needs_cjk(text)
    size = max(8, int(type_base(width, height) * share))
    pad = 0
    while True:
        font = _font(font_for(text), size, weight, cjk, basic)
        stroke = max(1, size // 18) if box_alpha == 0 else 0
        pad = int(size * 0.35) if box_alpha else stroke + 2
        wrapped = _wrap(text.strip() or " ", font, safe_w - 2 * pad)
        measure = ImageDraw.Draw(Image.new("L", (1, 1)))
        spacing = int(size * 0.25)
        left, top, right, bottom = measure.multiline_textbbox((0, 0), wrapped, font=font, spacing=spacing,
                                              align=align, stroke_width=stroke)
        w, h = int(right - left) + 2 * pad, int(bottom - top) + 2 * pad
        if (h <= safe_h and w <= safe_w) or size <= 8:
            break
        size = max(8, int(size * 0.85))
    w, h = min(max(w, 2), safe_w), min(max(h, 2), safe_h)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if box_alpha:
        draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=max(2, size // 4),
                               fill=(0, 0, 0, box_alpha))
    draw.multiline_text((pad - left, pad - top), wrapped, font=font, fill=(255, 255, 255, 255),
                        spacing=spacing, align=align, stroke_width=stroke,
                        stroke_fill=(0, 0, 0, 200))
    write_cached(path, lambda tmp: img.save(tmp, format="PNG", compress_level=1))
    write_cached(meta, lambda tmp: tmp.write_text(f"{w} {h}"))
    return _place(path, w, h, width, height, align, position)


def _place(path: Path, w: int, h: int, width: int, height: int, align: str, position: str) -> TextImage:
    mx, my = int(width * SAFE_X), int(height * SAFE_Y)
    x = mx if align == "left" else (width - w) // 2
    if position == "top":
        y = my
    elif position == "center":
        y = (height - h) // 2
    else:
        y = height - my - h
    return TextImage(path, max(0, x), max(0, y), w, h)
