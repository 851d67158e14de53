"""The timeline keys' requests (issue 15), applied precisely to the segment id they name.

`delete segment ID` · `move segment ID later|earlier by 0.1s` · `trim|extend the start|end of segment ID
by 1s` · `split segment ID at 12.4s` · `set the text of segment ID to: WORDS` (verbatim) · `set the
volume of segment ID to 45%` · `move scene 3 earlier|later`.
"""

from __future__ import annotations

import copy
import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.intents import RuleMatch
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.agent.studio.tools import Outcome, ask

MIN_SEGMENT_MS = 100
"""The shortest segment a trim or split leaves."""
MAX_SEGMENT_VOLUME = 2.0
"""The loudest a segment may be set (200%)."""
_ID = r"(?P<id>[A-Za-z0-9_.:-]{1,64})"
_SECS = r"(?P<secs>\d{1,5}(?:\.\d{1,3})?) ?s"
_PATTERNS = {
    "delete": re.compile(rf"delete segment {_ID}"),
    "move": re.compile(rf"move segment {_ID} (?P<dir>later|earlier) by {_SECS}"),
    "trim": re.compile(rf"(?P<how>trim|extend) the (?P<edge>start|end) of segment {_ID} by {_SECS}"),
    "split": re.compile(rf"split segment {_ID} at {_SECS}"),
    "text": re.compile(rf"set the text of segment {_ID} to: ?(?P<text>.*)", re.DOTALL),
    "volume": re.compile(rf"set the volume of segment {_ID} to (?P<pct>\d{{1,5}}(?:\.\d+)?) ?%"),
    "scene": re.compile(r"move scene (?P<n>\d{1,3}) (?P<dir>earlier|later)"),
}


def _find(data: E.Wire, sid: str) -> tuple[E.Wire, E.Wire] | None:
    for track in data.get("t", []):
        for seg in track.get("sg", []):
            if seg.get("id") == sid:
                return track, seg
    return None


def _ms(value: str) -> int:
    return round(float(value) * 1000)


def _is_media(seg: E.Wire) -> bool:
    return str(seg.get("src", "")).split(":", 1)[0] in ("upload", "asset", "music")


def segment_key(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Apply one timeline-key request to the segment it names."""
    text = message.strip()
    for kind, pattern in _PATTERNS.items():
        m = pattern.fullmatch(text) if kind != "text" else pattern.match(text)
        if m:
            break
    else:
        return ask(say("unclear", zh, suggestion="delete segment c1", suggestion_zh="delete segment c1"))
    data = E.to_wire(ctx.draft)
    if kind == "scene":
        return _move_scene(data, int(m.group("n")), m.group("dir"), zh)
    sid = m.group("id")
    found = _find(data, sid)
    if found is None:
        return ask(say("seg_missing", zh, id=sid))
    track, seg = found
    name = seg.get("m", {}).get("text") or seg.get("m", {}).get("name") or sid
    label = name if len(name) <= 30 else name[:29] + "…"
    if kind == "delete":
        main = E.main_video(data)
        if track is main and len(track["sg"]) > 1:
            blocks = E.scene_blocks(data)
            index = next(i for i, (s, _) in enumerate(blocks) if s is seg)
            E.rearrange(data, list(range(len(blocks))), {index})
        else:
            track["sg"].remove(seg)
        return Outcome("delete_segment", {"segment": sid}, E.finish(data),
                       say("seg_deleted", zh, label=label), f"Deleted {sid}")
    if kind == "move":
        shift = _ms(m.group("secs")) * (1 if m.group("dir") == "later" else -1)
        if seg["s"] + shift < 0:
            return ask(say("seg_before_start", zh, label=label, start=seconds(seg["s"])))
        seg["s"] += shift
        return Outcome("move_segment", {"segment": sid, "by_ms": shift}, E.finish(data),
                       say("seg_moved", zh, label=label, start=seconds(seg["s"]), end=seconds(seg["s"] + seg["d"])),
                       f"Moved {sid}")
    if kind == "trim":
        amount = _ms(m.group("secs"))
        grow = m.group("how") == "extend"
        if m.group("edge") == "start":
            delta = -amount if grow else amount
            if seg["s"] + delta < 0 or (_is_media(seg) and seg.get("in", 0) + delta < 0 and not seg.get("m", {}).get("loop")):
                return ask(say("seg_before_start", zh, label=label, start=seconds(seg["s"])))
            if seg["d"] - delta < MIN_SEGMENT_MS:
                return ask(say("seg_too_short", zh, label=label, seconds=seconds(seg["d"])))
            seg["s"] += delta
            seg["d"] -= delta
            if _is_media(seg) and track.get("tt") != 7:
                seg["in"] = max(0, seg.get("in", 0) + delta)
        else:
            delta = amount if grow else -amount
            if seg["d"] + delta < MIN_SEGMENT_MS:
                return ask(say("seg_too_short", zh, label=label, seconds=seconds(seg["d"])))
            seg["d"] += delta
        return Outcome("trim_segment", {"segment": sid, "edge": m.group("edge"), "by_ms": amount if grow else -amount},
                       E.finish(data), say("seg_moved", zh, label=label, start=seconds(seg["s"]),
                                           end=seconds(seg["s"] + seg["d"])), f"Trimmed {sid}")
    if kind == "split":
        at = _ms(m.group("secs"))
        if not seg["s"] + MIN_SEGMENT_MS <= at <= seg["s"] + seg["d"] - MIN_SEGMENT_MS:
            return ask(say("seg_split_outside", zh, label=label, start=seconds(seg["s"]),
                           end=seconds(seg["s"] + seg["d"]), at=seconds(at)))
        tail = copy.deepcopy(seg)
        ids = {x.get("id") for t in data["t"] for x in t.get("sg", [])}
        n = 2
        while f"{sid}-{n}" in ids:
            n += 1
        tail.update({"id": f"{sid}-{n}", "s": at, "d": seg["s"] + seg["d"] - at})
        if _is_media(seg) and track.get("tt") != 7:
            tail["in"] = seg.get("in", 0) + (at - seg["s"])
        for key in ("transition", "transition_ms", "fade_in"):  # the cut between the halves is seamless
            tail.setdefault("m", {}).pop(key, None)
        seg.setdefault("m", {}).pop("fade_out", None)
        seg["d"] = at - seg["s"]
        track["sg"].append(tail)
        return Outcome("split_segment", {"segment": sid, "at_ms": at, "new": tail["id"]}, E.finish(data),
                       say("seg_split", zh, label=label, at=f"{at / 1000:.3f}".rstrip("0").rstrip(".")),
                       f"Split {sid}")  # the exact time asked (a frame: 5.033), not rounded
    if kind == "text":
        if track.get("tt") != 7:
            return ask(say("seg_not_text", zh, label=label))
        words = m.group("text")
        if not words.strip():
            return ask(say("text_which", zh, style=seg.get("m", {}).get("style") or "caption"))
        seg.setdefault("m", {})["text"] = words
        return Outcome("set_segment_text", {"segment": sid, "text": words}, E.finish(data),
                       say("seg_text", zh, text=words if len(words) <= 60 else words[:59] + "…"), f"Text of {sid}")
    value = float(m.group("pct")) / 100
    if track.get("tt") == 7:
        return ask(say("seg_no_sound", zh, label=label))
    if value > MAX_SEGMENT_VOLUME:
        return ask(say("volume_range", zh, asked=m.group("pct"), most=round(MAX_SEGMENT_VOLUME * 100)))
    seg.setdefault("m", {})["volume"] = round(value, 3)
    return Outcome("set_segment_volume", {"segment": sid, "volume": round(value, 3)}, E.finish(data),
                   say("seg_volume", zh, label=label, volume=round(value * 100)), f"Volume of {sid}")


def _move_scene(data: E.Wire, n: int, direction: str, zh: bool) -> Outcome:
    body = E.scene_segments(data)
    count = len(body)
    if not 1 <= n <= count:
        return ask(say("scene_which", zh, count=count, names=", ".join(str(i + 1) for i in range(count)) or "—"))
    other = n - 1 if direction == "earlier" else n + 1
    if not 1 <= other <= count:
        return ask(say("scene_at_edge", zh, index=n, edge="first" if direction == "earlier" else "last"))
    imap = E.scene_index_map(data)
    order = list(range(len(E.scene_blocks(data))))
    order[imap[n - 1]], order[imap[other - 1]] = order[imap[other - 1]], order[imap[n - 1]]
    E.rearrange(data, order)
    return Outcome("move_scene", {"scene": n, "to": other}, E.finish(data),
                   say("scene_moved", zh, index=n, to=other), f"Moved scene {n} to {other}")
