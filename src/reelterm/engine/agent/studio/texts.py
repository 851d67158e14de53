"""The text tool: add, edit or remove a title, caption or lower third, optionally in a time range."""

from __future__ import annotations

import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.intents import RuleMatch, after_colon, has
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.agent.studio.tools import CHANGE, REMOVE, Outcome, ask, need_content
from reelterm.engine.planner.numbers import parse_ordinals, parse_time_span


def _new_text(match: RuleMatch, message: str) -> str | None:
    if match.quoted:
        return match.quoted
    colon = after_colon(message)
    if colon:
        return colon
    m = re.search(r"(?<!\d)[:：]\s*(\S.*)$", message, re.DOTALL)
    if m and not re.fullmatch(r"\d.*", m.group(1)):
        return m.group(1).strip()
    m = re.search(r"\b(?:saying|that says|says|reading|that reads|to say|to read|should (?:say|read)|to)\s+(.+?)\s*"
                  r"(?:\b(?:from|at|between|for the)\b|$)", message, re.I)
    if m and len(m.group(1)) > 1 and not re.search(r"\d\s*(s|sec|秒)", m.group(1)):
        return m.group(1).strip(" .")
    return None


def text(ctx: TurnContext, match: RuleMatch, message: str, zh: bool, style: str) -> Outcome:
    """Add, edit or remove a title or caption, optionally within a time range."""
    data = E.to_wire(ctx.draft)
    need_content(data)
    if style == "caption" and has(r"lower[- ]third|角标", match.bare):
        style = "lower_third"
    total = E.total_ms(data)
    tid = "titles" if style == "title" else "captions"
    span = parse_time_span(match.bare)
    rng = span.resolve(total) if span else None
    texts = [(t, s) for t in data["t"] if t.get("tt") == 7 for s in t.get("sg", [])
             if (s.get("m", {}).get("style") or "caption") in ((style,) if style == "title" else ("caption", "lower_third"))]
    if rng:
        hits = [(t, s) for t, s in texts if s["s"] < rng[1] and s["s"] + s["d"] > rng[0]]
    else:
        hits = texts
    nums = [n for n in parse_ordinals(match.bare) if n != 0]
    if nums and not rng and style != "title":
        ordered = sorted(texts, key=lambda p: p[1]["s"])
        idx = [n - 1 if n > 0 else len(ordered) - 1 for n in nums]
        hits = [ordered[i] for i in idx if 0 <= i < len(ordered)]
    words = _new_text(match, message)
    if style == "title" and not rng and hits and not has(r"\ball\b|所有|全部", match.bare):
        hits = sorted(hits, key=lambda p: p[1]["s"])[:1]
    if has(REMOVE, match.bare) and not has(CHANGE, match.bare):
        if not hits:
            return ask(say("text_none", zh, style=style))
        for t, s in hits:
            t["sg"].remove(s)
        return Outcome("remove_text", {"style": style, "count": len(hits)}, E.finish(data),
                       say("text_removed", zh, count=len(hits), style=style), f"Removed {style}")
    editing = has(CHANGE, match.bare) and hits
    if editing and words and style != "title" and not (nums or rng) and len(hits) > 1:
        listing = ", ".join(f"{i + 1} “{s['m'].get('text', '')[:20]}”"
                            for i, (_, s) in enumerate(sorted(hits, key=lambda p: p[1]["s"])))
        return ask(say("text_pick", zh, style=style, count=len(hits), names=listing))
    if editing and (words or rng) and (style == "title" or nums or rng or len(hits) == 1):
        t, s = hits[0] if (nums or style != "title") else sorted(hits, key=lambda p: p[1]["s"])[0]
        if words:
            s["m"]["text"] = words
            reply = say("text_edited", zh, style=style, text=words)
        else:
            assert rng is not None  # no words, so the condition above needed a range
            s["s"], s["d"] = rng[0], rng[1] - rng[0]
            reply = say("text_moved", zh, style=style, start=seconds(rng[0]), end=seconds(rng[1]))
        return Outcome("edit_text", {"style": style, "text": s["m"]["text"], "start_ms": s["s"], "end_ms": s["s"] + s["d"]},
                       E.finish(data), reply, f"Edited {style}")
    if not words:
        if style == "caption" and texts and not rng and not nums and has(r"\b(?:add|put|turn on|show|want|need)\b|加|要", match.bare):
            return ask(say("captions_there", zh, count=len(texts)))  # "add captions" to a video that has them
        return ask(say("text_which", zh, style=style))
    if style == "title" and rng and hits and rng[0] < rng[1]:
        return _replace_titles(data, hits, words, rng, total, zh)
    if rng:
        start, end = max(0, rng[0]), min(total, rng[1])
    else:
        start, end = E.text_defaults(words, 0 if style == "title" else 0, total, style)
    if end <= start:
        return ask(say("range_bad", zh, start=seconds(rng[0] if rng else 0), end=seconds(rng[1] if rng else 0), seconds=seconds(total)))
    track = E.ensure_track(data, tid, 7, "Titles" if style == "title" else "Captions")
    n = sum(len(t.get("sg", [])) for t in data["t"]) + 1
    fade = min(300, (end - start) // 4)
    track["sg"].append({"id": f"{'t' if style == 'title' else 'c'}x{n}", "s": start, "d": end - start, "m": {
        "name": style.replace("_", " ").title(), "text": words, "style": style,
        "position": "center" if style == "title" else "bottom", "fade_in": fade, "fade_out": fade}})
    return Outcome("add_text", {"style": style, "text": words, "start_ms": start, "end_ms": end}, E.finish(data),
                   say("text_added", zh, style=style, text=words, start=seconds(start), end=seconds(end)),
                   f"Added {style}")


def _replace_titles(data: E.Wire, hits: list[tuple[E.Wire, E.Wire]], words: str, rng: tuple[int, int], total: int,
                    zh: bool) -> Outcome:
    """A new title where one already shows would stack two texts on one spot: it replaces them."""
    (_, first), *others = sorted(hits, key=lambda p: p[1]["s"])
    for track, seg in others:
        track["sg"].remove(seg)
    start, end = max(0, rng[0]), min(total, rng[1])
    first["s"], first["d"] = start, end - start
    first["m"]["text"] = words
    return Outcome("edit_text", {"style": "title", "text": words, "start_ms": start, "end_ms": end},
                   E.finish(data), say("text_edited", zh, style="title", text=words), "Replaced title")


def title(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Add, edit or remove a title."""
    return text(ctx, match, message, zh, "title")


def caption(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Add, edit or remove a caption or lower third."""
    return text(ctx, match, message, zh, "caption")


def size(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Text size: not a setting yet, said plainly with what does help."""
    need_content(E.to_wire(ctx.draft))
    return ask(say("text_size", zh))
