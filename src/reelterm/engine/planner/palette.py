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
