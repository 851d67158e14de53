"""The studio agent's LLM turn: the model sees every operation as a tool spec (`ops.tool_specs`)
and the draft summary; its schema-checked calls are applied by `StudioAgent.respond_calls`, which
runs each as the same request typed (`ops.to_message`) through the same rules, committed as one
step. When the model cannot be used, the rule parser answers after a one-line notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reelterm.engine.agent.base import Reply, Step, TurnContext
from reelterm.engine.agent.llm import Fallback, LlmSettings, ToolSpec, plan_with_llm
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.ops import tool_specs
from reelterm.engine.agent.studio.replies import seconds
from reelterm.engine.agent.studio.rules import rule_for
from reelterm.engine.planner.moods import mood_of
from reelterm.protocol import Draft

if TYPE_CHECKING:
    from reelterm.engine.agent.studio.agent import StudioAgent

TOOLS: tuple[ToolSpec, ...] = tuple(ToolSpec(t["name"], t["description"], t["parameters"]) for t in tool_specs())
"""Every operation the rule parser knows, as the model sees it."""

EXACT = frozenset(("empty", "keys", "undo", "redo"))
"""Rules for exact commands (the app's timeline keys, undo): never sent to the model."""
ANSWERS = frozenset(("help", "status", "credits", "question"))
"""Rules that answer from the draft: a model answering these without a tool call needs no notice."""


def skip_model(message: str) -> bool:
    """True for messages the rule parser handles exactly: empty, undo/redo, the app's key requests."""
    rule = rule_for(message, has_draft=True)
    return rule is not None and rule.name in EXACT


def summary(draft: Draft) -> str:
    """The draft in a few lines for the model: size, length, scenes, music, texts with segment ids."""
    if not draft.ready:
        return "(empty: nothing on the timeline yet)"
    data = E.to_wire(draft)
    lines = [f"Title: {draft.m.title}", f"Canvas: {draft.m.width}x{draft.m.height}; "
             f"length {seconds(draft.duration_ms)} s"]
    scenes = E.scene_segments(data)
    if scenes:
        lines.append(f"Scenes ({len(scenes)}): " + "; ".join(
            f"{i + 1} {seconds(s['s'])}–{seconds(s['s'] + s['d'])} s" for i, s in enumerate(scenes[:20])))
    music = E.music_track(data)
    if music and music.get("sg"):
        seg = music["sg"][0]
        vol = seg.get("m", {}).get("volume")
        lines.append(f"Music: {mood_of(seg.get('src')) or 'a track'}"
                     + (f" at {round(vol * 100)}%" if vol is not None else ""))
    else:
        lines.append("Music: none")
    if E.find_track(data, "voice"):
        lines.append("Narration: yes")
    shown = [s for t in data["t"] if t.get("tt") == 7 for s in t.get("sg", [])]
    for seg in sorted(shown, key=lambda s: s["s"])[:24]:
        words = " ".join(str(seg.get("m", {}).get("text", "")).split())[:60]
        lines.append(f"{seg.get('m', {}).get('style') or 'caption'} {seg.get('id', '')} “{words}” "
                     f"{seconds(seg['s'])}–{seconds(seg['s'] + seg['d'])} s")
    return "\n".join(lines)[:4000]


def respond(agent: StudioAgent, settings: LlmSettings, ctx: TurnContext, message: str,
            zh: bool) -> Iterator[Step]:
    """The model's calls applied as one step; when it cannot be used, the rules' answer after a notice."""
    if skip_model(message):
        yield from agent.respond_rules(ctx, message, zh)
        return
    plan = plan_with_llm(settings, message, summary(ctx.draft), TOOLS, ctx.history)
    if not isinstance(plan, Fallback):
        yield from agent.respond_calls(ctx, [(c.name, c.arguments) for c in plan.calls], zh=zh)
        return
    rule = rule_for(message, has_draft=ctx.draft.ready)
    quiet = plan.reason == "no_calls" and rule is not None and rule.name in ANSWERS
    notice = "" if quiet else (plan.notice_zh if zh else plan.notice)
    for step in agent.respond_rules(ctx, message, zh):
        yield Reply(f"{notice}{'' if zh else ' '}{step.text}") if notice and isinstance(step, Reply) else step
