"""Music ducked only while the voice speaks: volume keyframes from the narration's spoken spans.

An audio segment with `m.duck` (dB, 1-40) is lowered by that much while any segment of the
`voice` track speaks, with short linear ramps, and comes back up in the gaps. The spans come
from the voice segments' `m.words` (pauses longer than `GAP_MS` open a gap) or, without word
timings, from the segments themselves. Only numbers reach the filter string.
"""

from __future__ import annotations

from reelterm.media._graph import Graph, num
from reelterm.media.words import check_words, split_words
from reelterm.protocol.draft import Draft, Segment, TrackType

RAMP_MS = 200
"""How long the music takes to go down before speech and to come back after it."""
GAP_MS = 700
"""A pause in the speech at least this long lets the music come back up."""
VOICE_TRACK = "voice"
"""The id of the audio track whose segments are the narration."""


def voice_spans(draft: Draft) -> list[tuple[int, int]]:
    """The merged (start, end) ms spans in which the narration speaks."""
    raw: list[tuple[int, int]] = []
    for track in draft.tracks_of(TrackType.AUDIO):
        if track.id != VOICE_TRACK:
            continue
        for seg in track.sg:
            raw += _seg_spans(seg)
    raw.sort()
    merged: list[tuple[int, int]] = []
    for a, b in raw:
        if merged and a - merged[-1][1] < max(GAP_MS, 2 * RAMP_MS + 100):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _seg_spans(seg: Segment) -> list[tuple[int, int]]:
    if seg.d <= 0 or (seg.m.volume is not None and seg.m.volume <= 0):
        return []
    extra = seg.m.model_extra or {}
    text = seg.m.text
    pairs = check_words(extra.get("words"), len(split_words(text)), seg.d) if isinstance(text, str) else None
    if not pairs:
        return [(seg.s, seg.end)]
    spans: list[tuple[int, int]] = []
    for a, b in ((seg.s + x, seg.s + y) for x, y in pairs):
        if spans and a - spans[-1][1] < GAP_MS:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return [(a, min(b, seg.end)) for a, b in spans if b > a]


def duck_db(seg: Segment) -> float:
    """The segment's `m.duck` in dB (0 when absent or not a number in 1-40)."""
    value = (seg.m.model_extra or {}).get("duck")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    return float(value) if 1 <= value <= 40 else 0.0


def gain_expr(spans: list[tuple[int, int]], db: float) -> str:
    """A `volume` expression of `t`: 1 in the gaps, 10^(-db/20) under speech, linear ramps."""
    low = 10 ** (-db / 20)
    r = RAMP_MS / 1000
    terms = [f"clip((t-{num(a / 1000 - r)})/{num(r)},0,1)*clip(({num(b / 1000 + r)}-t)/{num(r)},0,1)"
             for a, b in spans]
    return f"1-{num(1 - low)}*min(1,{_sum(terms)})"


def _sum(terms: list[str]) -> str:
    if len(terms) == 1:
        return terms[0]
    mid = len(terms) // 2
    return f"({_sum(terms[:mid])}+{_sum(terms[mid:])})"


def duck(g: Graph, draft: Draft, seg: Segment, first: int) -> None:
    """Lower the sound(s) `seg` added to the mix (`g.sounds[first:]`) while the voice speaks."""
    db = duck_db(seg)
    if not db or first >= len(g.sounds):
        return
    spans = [(a, b) for a, b in voice_spans(draft) if b > seg.s and a < seg.end]
    if not spans:
        return
    expr = gain_expr(spans, db)
    for i in range(first, len(g.sounds)):
        out = g.label("duck")
        g.add_audio_chain(f"[{g.sounds[i]}]volume=volume='{expr}':eval=frame[{out}]")
        g.replace_sound(i, out)
