"""The exact requests the app's timeline keys send (common brief, "Timeline keys"), applied to the draft.

INTERIM (issue #15): a minimal handler until the agent engineer's intent rules and corpus cover these
phrases; the lead reconciles the two at merge. Only the exact machine phrasings are parsed here
(`delete segment ID`, `move segment ID later by 0.1s`, `split segment ID at 12.4s`, …); anything
else returns None and goes to the agent's own rules. Replies are English or Chinese.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.tools import Outcome, ask
from reelterm.protocol import DraftError

_ID = r"(?P<id>[A-Za-z0-9_-]{1,64})"
_SECONDS = r"(?P<sec>\d{1,5}(?:\.\d{1,3})?)\s?s"
MIN_MS = 100
"""The shortest a segment may become by trimming or splitting."""
_MEDIA_PREFIXES = ("upload:", "asset:", "music:")
"""Sources with an in-point: trimming or extending the start moves it."""

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("delete", re.compile(rf"delete segment {_ID}")),
    ("move", re.compile(rf"move segment {_ID} (?P<dir>later|earlier) by {_SECONDS}")),
    ("trim", re.compile(rf"trim the (?P<edge>start|end) of segment {_ID} by {_SECONDS}")),
    ("extend", re.compile(rf"extend the (?P<edge>start|end) of segment {_ID} by {_SECONDS}")),
    ("split", re.compile(rf"split segment {_ID} at {_SECONDS}")),
    ("text", re.compile(rf"set the text of segment {_ID} to: (?P<text>.*)", re.DOTALL)),
    ("volume", re.compile(rf"set the volume of segment {_ID} to (?P<pct>\d{{1,3}}(?:\.\d+)?)%")),
    ("scene", re.compile(r"move scene (?P<n>\d{1,4}) (?P<dir>earlier|later)")),
]

_SAY: dict[str, tuple[str, str]] = {
    "no_segment": ("There is no segment {id} on the timeline (it may have changed); nothing was edited.",
                   "时间线上没有片段 {id}（可能已经变了），没有做任何修改。"),
    "deleted": ("Deleted {label}.", "已删除{label}。"),
    "moved": ("Moved {label} {dir} by {sec} s; it now starts at {start} s.",
              "已把{label}{dir_zh}移动{sec}秒，现在从{start}秒开始。"),
    "at_start": ("{label} already starts at 0 s, so it cannot move earlier.",
                 "{label}已经从0秒开始，不能再提前了。"),
    "too_short": ("{label} is {length} s long; trimming {sec} s would leave less than 0.1 s.",
                  "{label}只有{length}秒，再剪掉{sec}秒就不足0.1秒了。"),
    "trimmed": ("Trimmed the {edge} of {label} by {sec} s; it is now {length} s long.",
                "已把{label}的{edge_zh}剪短{sec}秒，现在长{length}秒。"),
    "no_room": ("{label} starts at 0 s, so its start cannot be extended.",
                "{label}从0秒开始，开头不能再延长了。"),
    "no_footage": ("{label} has no earlier footage in its source ({have} s), so its start cannot be "
                   "extended by {sec} s.", "{label}的素材前面只剩{have}秒，开头不能延长{sec}秒。"),
    "extended": ("Extended the {edge} of {label} by {sec} s; it is now {length} s long.",
                 "已把{label}的{edge_zh}延长{sec}秒，现在长{length}秒。"),
    "split_outside": ("{at} s is not inside {label} ({start}–{end} s), so it was not split; move the "
                      "playhead into it first.", "{at}秒不在{label}（{start}–{end}秒）之内，没有拆分；先把播放头移进去。"),
    "split": ("Split {label} at {at} s into two segments.", "已在{at}秒处把{label}拆成两段。"),
    "not_text": ("{label} is not a text segment, so it has no words to change.",
                 "{label}不是文字片段，没有可改的文字。"),
    "empty_text": ("The new text is empty; to remove the words, delete the segment instead.",
                   "新文字是空的；要去掉文字，请删除这个片段。"),
    "text_set": ("Changed the text of {label} to “{text}”.", "已把{label}的文字改为“{text}”。"),
    "no_sound": ("{label} has no sound, so its volume cannot change.", "{label}没有声音，不能调音量。"),
    "volume_range": ("The volume must be between 0% and 200%.", "音量必须在0%到200%之间。"),
    "volume_set": ("Set the volume of {label} to {pct}%.", "已把{label}的音量设为{pct}%。"),
    "no_scene": ("There is no scene {n}; the video has {count} scene(s).", "没有第{n}个场景；视频共有{count}个场景。"),
    "scene_edge": ("Scene {n} is already the {edge} scene.", "第{n}个场景已经是{edge_zh}一个了。"),
    "scene_moved": ("Moved scene {n} {dir}; it is now scene {m}.", "已把第{n}个场景{dir_zh}，现在是第{m}个。"),
    "invalid": ("That edit would make the timeline invalid ({problem}), so nothing was changed.",
                "这个修改会让时间线无效（{problem}），所以没有改动。"),
}


def _say(key: str, zh: bool, **params: Any) -> str:
    return _SAY[key][1 if zh else 0].format(**params)


def _sec(ms: float) -> str:
    """Milliseconds as seconds for a sentence: `1.5`, `12`."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


def _find(data: E.Wire, seg_id: str) -> tuple[E.Wire, E.Wire] | None:
    for track in data.get("t", []):
        for seg in track.get("sg", []):
            if seg.get("id") == seg_id:
                return track, seg
    return None


def _label(track: E.Wire, seg: E.Wire, zh: bool) -> str:
    m = seg.get("m") or {}
    name = m.get("text") if track.get("tt") == 7 else m.get("name")
    name = " ".join(str(name or "").split())
    if len(name) > 30:
        name = name[:29] + "…"
    if zh:
        return f"片段“{name}”" if name else f"片段 {seg.get('id')}"
    return f"“{name}”" if name else f"segment {seg.get('id')}"


def handle(ctx: TurnContext, message: str, zh: bool) -> Outcome | None:
    """The outcome of one timeline-key request, or None when `message` is not one of them."""
    text = message.strip()
    for kind, pattern in _RULES:
        found = pattern.fullmatch(text.rstrip(".") if kind != "text" else text)
        if found is None:
            continue
        data = E.to_wire(ctx.draft)
        if kind == "scene":
            return _scene(data, int(found["n"]), found["dir"], zh)
        hit = _find(data, found["id"])
        if hit is None:
            return ask(_say("no_segment", zh, id=found["id"]))
        return _EDITS[kind](data, hit[0], hit[1], found, zh)
    return None


def _commit(data: E.Wire, tool: str, args: dict[str, Any], reply: str, zh: bool) -> Outcome:
    try:
        draft = E.finish(data)
    except DraftError as exc:
        problem = exc.problems[0] if exc.problems else str(exc)
        return ask(_say("invalid", zh, problem=problem))
    return Outcome(tool, args, draft, reply, reply)


def _delete(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label = _label(track, seg, zh)
    track["sg"].remove(seg)
    if track.get("id") == "video":  # the scene's pictures go with its background
        for other in data.get("t", []):
            other["sg"] = [x for x in other.get("sg", []) if (x.get("m") or {}).get("scene") != seg.get("id")]
    return _commit(data, "delete_segment", {"id": seg.get("id")}, _say("deleted", zh, label=label), zh)


def _move(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label, step = _label(track, seg, zh), round(float(found["sec"]) * 1000)
    later = found["dir"] == "later"
    if not later and seg["s"] <= 0:
        return ask(_say("at_start", zh, label=label))
    seg["s"] = max(0, seg["s"] + (step if later else -step))
    reply = _say("moved", zh, label=label, dir=found["dir"], dir_zh="往后" if later else "往前",
                 sec=_sec(step), start=_sec(seg["s"]))
    return _commit(data, "move_segment", {"id": seg.get("id"), "by_ms": step if later else -step}, reply, zh)


def _has_in_point(seg: E.Wire) -> bool:
    return str(seg.get("src", "")).startswith(_MEDIA_PREFIXES)


def _trim(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label, step, edge = _label(track, seg, zh), round(float(found["sec"]) * 1000), found["edge"]
    if seg["d"] - step < MIN_MS:
        return ask(_say("too_short", zh, label=label, length=_sec(seg["d"]), sec=_sec(step)))
    seg["d"] -= step
    if edge == "start":
        seg["s"] += step
        if _has_in_point(seg):
            seg["in"] = int(seg.get("in", 0)) + step
    reply = _say("trimmed", zh, edge=edge, edge_zh="开头" if edge == "start" else "结尾", label=label,
                 sec=_sec(step), length=_sec(seg["d"]))
    return _commit(data, "trim_segment", {"id": seg.get("id"), "edge": edge, "by_ms": step}, reply, zh)


def _extend(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label, step, edge = _label(track, seg, zh), round(float(found["sec"]) * 1000), found["edge"]
    if edge == "start":
        if seg["s"] <= 0:
            return ask(_say("no_room", zh, label=label))
        step = min(step, seg["s"])
        if _has_in_point(seg):
            have = int(seg.get("in", 0))
            if have <= 0:
                return ask(_say("no_footage", zh, label=label, have=_sec(have), sec=_sec(step)))
            step = min(step, have)
            seg["in"] = have - step
        seg["s"] -= step
    seg["d"] += step
    reply = _say("extended", zh, edge=edge, edge_zh="开头" if edge == "start" else "结尾", label=label,
                 sec=_sec(step), length=_sec(seg["d"]))
    return _commit(data, "extend_segment", {"id": seg.get("id"), "edge": edge, "by_ms": step}, reply, zh)


def _fresh_id(data: E.Wire, base: str) -> str:
    taken = {s.get("id") for t in data.get("t", []) for s in t.get("sg", [])}
    for n in range(2, 10_000):
        candidate = f"{base[:58]}-{n}"
        if candidate not in taken:
            return candidate
    return base  # pragma: no cover - ten thousand splits of one segment


def _split(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label, at = _label(track, seg, zh), round(float(found["sec"]) * 1000)
    start, end = seg["s"], seg["s"] + seg["d"]
    if not start + MIN_MS <= at <= end - MIN_MS:
        return ask(_say("split_outside", zh, label=label, at=_sec(at), start=_sec(start), end=_sec(end)))
    tail = copy.deepcopy(seg)
    seg["d"] = at - start
    tail.update({"id": _fresh_id(data, str(seg.get("id") or "seg")), "s": at, "d": end - at})
    if _has_in_point(seg):
        tail["in"] = int(seg.get("in", 0)) + (at - start)
    m = tail.setdefault("m", {})
    for key in ("transition", "transition_ms", "fade_in"):  # the cut between the halves is seamless
        m.pop(key, None)
    (seg.get("m") or {}).pop("fade_out", None)
    track["sg"].insert(track["sg"].index(seg) + 1, tail)
    return _commit(data, "split_segment", {"id": seg.get("id"), "at_ms": at},
                   _say("split", zh, label=label, at=_sec(at)), zh)


def _text(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label, words = _label(track, seg, zh), found["text"]
    if track.get("tt") != 7:
        return ask(_say("not_text", zh, label=label))
    if not words.strip():
        return ask(_say("empty_text", zh))
    seg.setdefault("m", {})["text"] = words
    shown = " ".join(words.split())
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return _commit(data, "set_text", {"id": seg.get("id"), "text": words},
                   _say("text_set", zh, label=label, text=shown), zh)


def _volume(data: E.Wire, track: E.Wire, seg: E.Wire, found: re.Match[str], zh: bool) -> Outcome:
    label, pct = _label(track, seg, zh), float(found["pct"])
    if track.get("tt") not in (0, 1) or str(seg.get("src", "")).startswith(("color:", "gradient:", "icon:",
                                                                            "motif:")):
        return ask(_say("no_sound", zh, label=label))
    if not 0 <= pct <= 200:
        return ask(_say("volume_range", zh))
    seg.setdefault("m", {})["volume"] = round(pct / 100, 3)
    return _commit(data, "set_volume", {"id": seg.get("id"), "volume": round(pct / 100, 3)},
                   _say("volume_set", zh, label=label, pct=f"{pct:g}"), zh)


def _scene(data: E.Wire, n: int, direction: str, zh: bool) -> Outcome:
    index = E.scene_index_map(data)
    if not 1 <= n <= len(index):
        return ask(_say("no_scene", zh, n=n, count=len(index)))
    later = direction == "later"
    other = n + 1 if later else n - 1
    if not 1 <= other <= len(index):
        return ask(_say("scene_edge", zh, n=n, edge="last" if later else "first",
                        edge_zh="最后" if later else "第"))
    order = list(range(len(E.scene_blocks(data))))
    a, b = index[n - 1], index[other - 1]
    order[a], order[b] = order[b], order[a]
    E.rearrange(data, order)
    reply = _say("scene_moved", zh, n=n, m=other, dir=direction, dir_zh="往后移" if later else "往前移")
    return _commit(data, "move_scene", {"scene": n, "to": other}, reply, zh)


_EDITS: dict[str, Callable[[E.Wire, E.Wire, E.Wire, re.Match[str], bool], Outcome]] = {
    "delete": _delete, "move": _move, "trim": _trim, "extend": _extend, "split": _split,
    "text": _text, "volume": _volume,
}
