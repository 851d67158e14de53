"""Where a scene's pictures and texts go, per layout and canvas shape (pure geometry, no drawing).

Boxes are fractions of the canvas, all inside the title-safe area (10 % margins); the band at
the bottom of the safe area is left to captions. Landscape, vertical and square canvases each
have their own arrangement: pictures beside the words in 16:9, above them in 9:16.
"""

from __future__ import annotations

from dataclasses import dataclass

Frac = tuple[float, float, float, float]


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Arrangement:
    """A scene's layout on one canvas: picture boxes (by slot) and text boxes (by role)."""

    pictures: tuple[Box, ...]
    texts: dict[str, Box]
    qr: Box | None
    align: str  # how the words sit in their boxes: "center" or "left"


def shape(width: int, height: int) -> str:
    """`land` (wider than 6:5), `port` (taller than 5:6) or `square`."""
    r = width / max(1, height)
    return "land" if r > 1.2 else "port" if r < 0.83 else "square"


# per shape and layout: picture boxes for 1, 2 and 3 pictures come from one region; texts by role
_L: dict[str, dict[str, dict[str, Frac | str]]] = {
    "land": {
        "title": {"pics": (0.36, 0.10, 0.64, 0.46), "headline": (0.10, 0.48, 0.90, 0.68),
                  "sub": (0.14, 0.69, 0.86, 0.80)},
        "feature": {"pics": (0.10, 0.12, 0.40, 0.70), "headline": (0.45, 0.12, 0.90, 0.70), "align": "left"},
        "list": {"pics": (0.12, 0.11, 0.88, 0.46), "headline": (0.10, 0.49, 0.90, 0.70)},
        "number": {"pics": (0.10, 0.14, 0.34, 0.68), "headline": (0.38, 0.10, 0.90, 0.50),
                   "sub": (0.38, 0.52, 0.90, 0.70)},
        "number0": {"headline": (0.10, 0.10, 0.90, 0.50), "sub": (0.12, 0.52, 0.88, 0.70)},
        "quote": {"pics": (0.42, 0.10, 0.58, 0.32), "headline": (0.12, 0.33, 0.88, 0.64),
                  "sub": (0.14, 0.65, 0.86, 0.72)},
        "end": {"qr": (0.68, 0.16, 0.90, 0.62), "headline": (0.10, 0.14, 0.64, 0.48),
                "url": (0.10, 0.50, 0.64, 0.60), "sub": (0.10, 0.62, 0.64, 0.72), "align": "left"},
        "end0": {"pics": (0.42, 0.10, 0.58, 0.36), "headline": (0.10, 0.38, 0.90, 0.62),
                 "url": (0.14, 0.63, 0.86, 0.71), "sub": (0.14, 0.70, 0.86, 0.80)},
        "media": {"headline": (0.10, 0.40, 0.90, 0.70), "sub": (0.10, 0.56, 0.90, 0.70)},
    },
    "port": {
        "title": {"pics": (0.20, 0.18, 0.80, 0.44), "headline": (0.10, 0.46, 0.90, 0.60),
                  "sub": (0.10, 0.61, 0.90, 0.71)},
        "feature": {"pics": (0.16, 0.11, 0.84, 0.39), "headline": (0.10, 0.41, 0.90, 0.64)},
        "list": {"pics": (0.10, 0.14, 0.90, 0.38), "headline": (0.10, 0.41, 0.90, 0.64)},
        "number": {"pics": (0.30, 0.11, 0.70, 0.30), "headline": (0.10, 0.32, 0.90, 0.50),
                   "sub": (0.10, 0.51, 0.90, 0.64)},
        "number0": {"headline": (0.10, 0.18, 0.90, 0.44), "sub": (0.10, 0.46, 0.90, 0.64)},
        "quote": {"pics": (0.34, 0.11, 0.66, 0.26), "headline": (0.10, 0.28, 0.90, 0.58),
                  "sub": (0.10, 0.58, 0.90, 0.65)},
        "end": {"headline": (0.10, 0.12, 0.90, 0.34), "url": (0.10, 0.35, 0.90, 0.42),
                "qr": (0.28, 0.44, 0.72, 0.70), "sub": (0.10, 0.76, 0.90, 0.88)},
        "end0": {"pics": (0.30, 0.20, 0.70, 0.40), "headline": (0.10, 0.42, 0.90, 0.60),
                 "url": (0.10, 0.61, 0.90, 0.68), "sub": (0.10, 0.68, 0.90, 0.78)},
        "media": {"headline": (0.10, 0.40, 0.90, 0.64), "sub": (0.10, 0.56, 0.90, 0.64)},
    },
    "square": {
        "title": {"pics": (0.30, 0.10, 0.70, 0.42), "headline": (0.10, 0.44, 0.90, 0.62),
                  "sub": (0.10, 0.63, 0.90, 0.75)},
        "feature": {"pics": (0.22, 0.10, 0.78, 0.44), "headline": (0.10, 0.46, 0.90, 0.68)},
        "list": {"pics": (0.10, 0.12, 0.90, 0.42), "headline": (0.10, 0.45, 0.90, 0.68)},
        "number": {"pics": (0.36, 0.10, 0.64, 0.30), "headline": (0.10, 0.32, 0.90, 0.54),
                   "sub": (0.10, 0.55, 0.90, 0.68)},
        "number0": {"headline": (0.10, 0.14, 0.90, 0.46), "sub": (0.10, 0.48, 0.90, 0.68)},
        "quote": {"pics": (0.38, 0.10, 0.62, 0.30), "headline": (0.10, 0.31, 0.90, 0.62),
                  "sub": (0.10, 0.63, 0.90, 0.71)},
        "end": {"headline": (0.10, 0.10, 0.90, 0.32), "url": (0.10, 0.33, 0.90, 0.41),
                "qr": (0.34, 0.43, 0.66, 0.75), "sub": (0.10, 0.78, 0.90, 0.88)},
        "end0": {"pics": (0.38, 0.10, 0.62, 0.36), "headline": (0.10, 0.38, 0.90, 0.60),
                 "url": (0.10, 0.61, 0.90, 0.69), "sub": (0.10, 0.69, 0.90, 0.78)},
        "media": {"headline": (0.10, 0.42, 0.90, 0.68), "sub": (0.10, 0.58, 0.90, 0.68)},
    },
}

# type size per role as a share of the canvas height, per shape (shrunk to fit the box)
TYPE = {
    "land": {"name": 0.15, "headline": 0.085, "number": 0.21, "quote": 0.066, "sub": 0.05, "url": 0.05},
    "port": {"name": 0.078, "headline": 0.054, "number": 0.115, "quote": 0.042, "sub": 0.033, "url": 0.032},
    "square": {"name": 0.12, "headline": 0.078, "number": 0.18, "quote": 0.06, "sub": 0.047, "url": 0.045},
}


def _frac(spec: dict[str, Frac | str], key: str) -> Frac | None:
    """The box fractions `spec` gives `key`, if any (`align` is the one value that is a word)."""
    value = spec.get(key)
    return None if value is None or isinstance(value, str) else value


def _box(f: Frac, W: int, H: int) -> Box:
    x0, y0, x1, y1 = round(f[0] * W), round(f[1] * H), round(f[2] * W), round(f[3] * H)
    return Box(x0, y0, max(2, x1 - x0), max(2, y1 - y0))


def arrange(layout: str, width: int, height: int, pictures: int, qr: bool = False) -> Arrangement:
    """The boxes for `layout` on a `width`x`height` canvas with `pictures` pictures (0-3)."""
    sh = shape(width, height)
    table = _L[sh]
    key = layout if layout in table else "feature"
    if key == "number" and pictures == 0:
        key = "number0"
    if key == "end" and not qr:
        key = "end0"
    spec = table[key]
    texts = {role: _box(f, width, height) for role, f in spec.items()
             if role not in ("pics", "qr", "align") and not isinstance(f, str)}
    pics: tuple[Box, ...] = ()
    region = _frac(spec, "pics")
    if region and pictures > 0:
        r = _box(region, width, height)
        n = min(3, pictures)
        gap = round(r.w * 0.06) if n > 1 else 0
        w = (r.w - gap * (n - 1)) // n
        side = min(w, r.h)
        pics = tuple(Box(r.x + i * (w + gap) + (w - side) // 2, r.y + (r.h - side) // 2, side, side)
                     for i in range(n))
    elif layout == "feature" and pictures == 0:  # no picture: the words take the whole stage
        texts["headline"] = _box((0.10, 0.14, 0.90, 0.70), width, height)
    qbox = None
    qr_region = _frac(spec, "qr")
    if qr_region and qr:
        q = _box(qr_region, width, height)
        side = min(q.w, q.h)
        qbox = Box(q.x + (q.w - side) // 2, q.y + (q.h - side) // 2, side, side)
    align = str(spec.get("align", "center")) if (pictures or qbox) else "center"
    return Arrangement(pics, texts, qbox, align)


def type_px(role: str, layout: str, width: int, height: int) -> int:
    """The starting type size (pixels) of a text role in a layout on this canvas."""
    sh = shape(width, height)
    kind = "name" if (layout == "title" and role == "headline") else \
        "number" if (layout == "number" and role == "headline") else \
        "quote" if (layout == "quote" and role == "headline") else role
    return max(10, round(TYPE[sh].get(kind, TYPE[sh]["sub"]) * height))
