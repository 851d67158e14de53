"""Words of a laid-out scene as small RGBA PNGs, one per word (or per line), so they can appear in turn.

The text is wrapped and shrunk to fit its layout box; each piece is drawn with a soft shadow
and placed by integer coordinates. User text only ever becomes pixels (cached PNGs).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media.assets import font_for, needs_cjk
from reelterm.media.layouts import Box
from reelterm.media.text_images import _font, _wrap, clean_text

_VERSION = "4"


@dataclass(frozen=True)
class Piece:
    """One word or line: its PNG, top-left corner on the canvas, size, and its turn (0, 1, ...)."""

    path: Path
    x: int
    y: int
    w: int
    h: int
    order: int


_SPACES = re.compile(r"[ \t\r\n\f\v]+")
"""Runs of ordinary whitespace (a no-break space is not one: it glues two words)."""

def draw_pieces(text: str, box: Box, size: int, *, align: str = "center", weight: int = 760,
                colour: tuple[int, int, int] = (255, 255, 255), split: str = "words",
                cache_dir: Path, max_lines: int = 4) -> list[Piece]:
    """`text` fitted into `box` (starting at `size` px, shrunk as needed), cut into pieces.

    `split`: `words` (one piece a word; CJK text goes by line), `lines`, or `block` (one piece).
    """
    # collapse spaces, tabs and line breaks, but keep no-break spaces: they hold "for" to its word
    text = " ".join(_SPACES.split(clean_text(text).strip())) or " "
    key = hashlib.sha256(json.dumps([_VERSION, text, box.x, box.y, box.w, box.h, size, align, weight,
                                     colour, split, max_lines], ensure_ascii=False).encode()).hexdigest()[:32]
    cache_dir = Path(cache_dir)
    meta = cache_dir / f"words-{key}.json"
    if meta.is_file():
        try:
            return [Piece(Path(p), x, y, w, h, o) for p, x, y, w, h, o in json.loads(meta.read_text())]
        except (ValueError, TypeError):
            pass
    try:
        pieces = _draw(text, box, size, align, weight, colour, split, cache_dir, key, max_lines, basic=False)
    except (RuntimeError, OSError, ValueError):
        pieces = _draw(text, box, size, align, weight, colour, split, cache_dir, key, max_lines, basic=True)
    data = json.dumps([[str(p.path), p.x, p.y, p.w, p.h, p.order] for p in pieces])
    write_cached(meta, lambda tmp: tmp.write_text(data))
    return pieces


def _draw(text: str, box: Box, size: int, align: str, weight: int, colour: tuple[int, int, int],
          split: str, cache_dir: Path, key: str, max_lines: int, basic: bool) -> list[Piece]:
    from PIL import Image, ImageDraw, ImageFilter

    cjk = needs_cjk(text)
    size = max(10, size)
    while True:
        font = _font(font_for(text), size, weight, cjk, basic)
        pad = max(2, size // 10)
        room_w = box.w - 2 * pad
        lines = _wrap(text, font, room_w).split("\n")
        ascent, descent = font.getmetrics()
        line_h = int((ascent + descent) * 1.08)
        block_h = line_h * len(lines) + 2 * pad
        widest = max(font.getlength(line) for line in lines)
        if (block_h <= box.h and widest <= room_w and len(lines) <= max_lines) or size <= 10:
            break
        size = max(10, int(size * 0.9))
    top = box.y + (box.h - block_h) // 2 + pad
    pieces: list[Piece] = []
    order = 0
    for li, line in enumerate(lines):
        lw = font.getlength(line)
        x0 = box.x + pad if align == "left" else box.x + pad + (room_w - lw) / 2
        base = top + li * line_h + ascent
        if split == "words" and not cjk and " " in line:
            words, cursor = [], 0
            for word in line.split(" "):
                at = line.index(word, cursor)
                words.append((word, x0 + font.getlength(line[:at])))
                cursor = at + len(word)
        else:
            words = [(line, x0)]
        for word, wx in words:
            if not word:
                continue
            ww = int(font.getlength(word)) + 2 * pad
            wh = ascent + descent + 2 * pad
            img = Image.new("RGBA", (ww, wh), (0, 0, 0, 0))
            shadow = Image.new("L", (ww, wh), 0)
            ImageDraw.Draw(shadow).text((pad, pad + ascent + max(1, size // 28)), word, font=font,
                                        fill=150, anchor="ls")
            shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, size / 20)))
            img.putalpha(shadow)
            bold = max(1, size // 36) if cjk and weight >= 700 else 0  # Noto Sans SC has one weight
            ImageDraw.Draw(img).text((pad, pad + ascent), word, font=font, fill=(*colour, 255), anchor="ls",
                                     stroke_width=bold, stroke_fill=(*colour, 255))
            path = cache_dir / f"word-{key}-{len(pieces)}.png"
            write_cached(path, partial(img.save, format="PNG", compress_level=1))
            x = max(box.x, min(box.x + box.w - ww, round(wx - pad)))
            y = max(box.y, min(box.y + box.h - wh, base - ascent - pad))
            pieces.append(Piece(path, x, y, ww, wh, order if split != "block" else 0))
            if split == "words":
                order += 1
        if split == "lines":
            order += 1
    return pieces
