"""Deterministic colour palettes derived from text, for gradient backgrounds."""

from __future__ import annotations

import colorsys

from reelterm.engine.planner.moods import stable_hash

# (saturation, lightness) of the darker and the lighter stop per mood; dark enough for white text
_MOOD_TONE = {
    "calm": (0.35, 0.20, 0.34),
    "energetic": (0.70, 0.20, 0.36),
    "happy": (0.60, 0.24, 0.38),
    "nostalgic": (0.30, 0.18, 0.32),
    "tender": (0.45, 0.22, 0.36),
}


def _hex(h: float, light: float, sat: float) -> str:
    r, g, b = colorsys.hls_to_rgb(h % 1.0, light, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def palette(text: str, count: int, mood: str | None = None) -> list[str]:
    """`count` gradient references (`gradient:#RRGGBB,#RRGGBB`) derived from the text and mood.

    A base hue comes from a hash of the text; scenes walk around it by small, alternating steps so
    the video looks like one piece. Lightness stays low so white text reads on every background.
    """
    sat, dark, light = _MOOD_TONE.get(mood or "", (0.55, 0.22, 0.36))
    seed = stable_hash(text)
    base = (seed % 360) / 360
    step = 0.06 + ((seed >> 12) % 5) / 100
    out = []
    for i in range(max(count, 0)):
        offset = step * ((i + 1) // 2) * (1 if i % 2 else -1)
        hue = base + offset
        out.append(f"gradient:{_hex(hue, dark, sat)},{_hex(hue + 0.08, light, sat)}")
    return out


def card_background(text: str, mood: str | None = None) -> str:
    """The title and end cards' background: a deeper gradient on the base hue."""
    sat, dark, light = _MOOD_TONE.get(mood or "", (0.55, 0.22, 0.36))
    base = (stable_hash(text) % 360) / 360
    return f"gradient:{_hex(base, dark * 0.5, sat)},{_hex(base + 0.04, dark, sat)}"
