"""Deterministic colour palettes derived from text, for gradient backgrounds."""

from __future__ import annotations

import colorsys

from reelterm.engine.planner.moods import stable_hash

# (saturation, lightness of the darker stop, of the lighter stop) per mood; dark enough for white text
_MOOD_TONE = {
    "calm": (0.38, 0.16, 0.34),
    "energetic": (0.72, 0.16, 0.38),
    "happy": (0.62, 0.18, 0.40),
    "nostalgic": (0.32, 0.15, 0.32),
    "tender": (0.48, 0.18, 0.38),
}
_DEFAULT_TONE = (0.55, 0.17, 0.37)
# per scene: (hue of the dark stop, hue of the light stop), as offsets from the text's base hue.
# A split-complementary walk: the base, its neighbours, and two accents across the wheel, so
# neighbouring scenes differ at a glance but the video still reads as one palette.
_SCHEME = ((0.00, 0.07), (0.50, 0.57), (0.09, 0.16), (-0.09, -0.02), (0.41, 0.48), (0.18, 0.25))
# base hues that make good brand colours (blues, teals, greens, violets, magentas, reds, oranges)
_BASES = (0.58, 0.52, 0.47, 0.37, 0.66, 0.72, 0.78, 0.85, 0.92, 0.98, 0.04, 0.62)


def _hex(h: float, light: float, sat: float) -> str:
    h %= 1.0
    if 0.10 < h < 0.24:  # olive and mustard look muddy behind white text: use amber or green instead
        h = 0.09 if h < 0.17 else 0.28
    r, g, b = colorsys.hls_to_rgb(h, light, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _base(text: str) -> tuple[float, int]:
    seed = stable_hash(text)
    return _BASES[seed % len(_BASES)] + ((seed >> 8) % 5 - 2) / 100, seed >> 12


def palette(text: str, count: int, mood: str | None = None) -> list[str]:
    """`count` gradient references (`gradient:#RRGGBB,#RRGGBB`) walking `_SCHEME` from the text's base hue."""
    sat, dark, light = _MOOD_TONE.get(mood or "", _DEFAULT_TONE)
    base, more = _base(text)
    start = more % len(_SCHEME)
    out = []
    for i in range(max(count, 0)):
        a, b = _SCHEME[(start + i) % len(_SCHEME)]
        lift = 0.04 * ((i // len(_SCHEME)) % 2)  # a second lap is a shade lighter
        c0, c1 = _hex(base + a, dark + lift, sat), _hex(base + b, light + lift, sat * 0.9)
        out.append(f"gradient:{c0},{c1}" if i % 2 == 0 else f"gradient:{c1},{c0}")
    return out


def card_background(text: str, mood: str | None = None) -> str:
    """The title and end cards' background: a deep, near-black gradient on the base hue."""
    sat, dark, _ = _MOOD_TONE.get(mood or "", _DEFAULT_TONE)
    base, _ = _base(text)
    return f"gradient:{_hex(base, dark * 0.45, sat)},{_hex(base + 0.05, dark * 1.15, sat)}"


# colours a user may name for the backgrounds: hue (0-1), or (hue, saturation) for greys and browns
COLOUR_NAMES: dict[str, tuple[float, float]] = {
    "blue": (0.60, 0.65), "navy": (0.62, 0.6), "sky blue": (0.56, 0.6), "light blue": (0.56, 0.55),
    "red": (0.99, 0.65), "crimson": (0.97, 0.65), "green": (0.36, 0.55), "teal": (0.49, 0.6),
    "cyan": (0.52, 0.65), "turquoise": (0.48, 0.6), "purple": (0.76, 0.55), "violet": (0.73, 0.55),
    "pink": (0.92, 0.6), "magenta": (0.87, 0.6), "orange": (0.07, 0.75), "yellow": (0.12, 0.75),
    "gold": (0.11, 0.7), "brown": (0.07, 0.4), "black": (0.62, 0.12), "dark": (0.62, 0.15),
    "grey": (0.6, 0.08), "gray": (0.6, 0.08), "white": (0.6, 0.05), "mint": (0.42, 0.5),
    "coral": (0.02, 0.7), "indigo": (0.68, 0.55), "lavender": (0.74, 0.4),
}
"""English colour names and (hue, saturation) of the backgrounds they give."""
COLOUR_NAMES_ZH: dict[str, str] = {
    "蓝": "blue", "深蓝": "navy", "天蓝": "sky blue", "浅蓝": "light blue", "红": "red", "绿": "green",
    "青": "teal", "紫": "purple", "粉": "pink", "粉红": "pink", "橙": "orange", "橘": "orange", "黄": "yellow",
    "金": "gold", "棕": "brown", "咖啡": "brown", "黑": "black", "灰": "grey", "白": "white",
}
"""Chinese colour names and the English name they stand for."""


def named_colour(message: str) -> tuple[str, tuple[float, float] | str] | None:
    """The colour a message names: (name, (hue, saturation)) or (hex, "#rrggbb"); None if none."""
    import re

    low = message.lower()
    m = re.search(r"#[0-9a-f]{6}\b", low)
    if m:
        return m.group(0), m.group(0)
    for zh in sorted(COLOUR_NAMES_ZH, key=len, reverse=True):
        if zh in message:
            name = COLOUR_NAMES_ZH[zh]
            return ("白" if name == "white" else zh), COLOUR_NAMES[name]
    for name in sorted(COLOUR_NAMES, key=len, reverse=True):
        if re.search(rf"\b{name}\b", low):
            return name, COLOUR_NAMES[name]
    return None


def hue_backgrounds(colour: tuple[float, float] | str, count: int) -> list[str]:
    """`count` gradient references in shades of one colour, dark enough for white words."""
    if isinstance(colour, str):
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        h, _, s = colorsys.rgb_to_hls(r, g, b)
    else:
        h, s = colour
    out = []
    for i in range(max(0, count)):
        shift = (0.0, 0.03, -0.03, 0.015)[i % 4]
        dark, light = (0.12, 0.34) if i % 2 == 0 else (0.16, 0.4)
        c0 = _raw_hex(h + shift, dark, s)
        c1 = _raw_hex(h + shift + 0.02, light, s * 0.95)
        out.append(f"gradient:{c0},{c1}" if i % 2 == 0 else f"gradient:{c1},{c0}")
    return out


def _raw_hex(h: float, light: float, sat: float) -> str:
    r, g, b = colorsys.hls_to_rgb(h % 1.0, light, max(0.0, min(1.0, sat)))
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
