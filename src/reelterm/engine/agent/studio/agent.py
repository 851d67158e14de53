"""`StudioAgent`: the local engine's offline, deterministic agent for text-to-video and edits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from reelterm.engine.agent.base import OutOfCredits, Reply, Step, ToolStep, TurnContext
from reelterm.engine.agent.studio import files, speech_tools, texts, tools
from reelterm.engine.agent.studio.edits import EditError
from reelterm.engine.agent.studio.generate import generate
from reelterm.engine.agent.studio.intents import Intent, classify
from reelterm.engine.agent.studio.narration import narration
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.planner.ranges import out_of_range
from reelterm.engine.planner.sentences import cjk_share
from reelterm.media.text_images import undrawable
from reelterm.protocol import Draft, DraftError

log = logging.getLogger(__name__)

Handler = Callable[[TurnContext, Intent, str, bool], "tools.Outcome | list[tools.Outcome]"]


def wants_chinese(ctx: TurnContext, message: str) -> bool:
    """Reply in Chinese when the session's language is zh* or the message is mostly Chinese."""
    return (ctx.language or "").lower().startswith("zh") or cjk_share(message) > 0.3


def describe(draft: Draft, zh: bool) -> str:
    """The tracks of a draft as short lines."""
    if not draft.ready:
        return say("status_empty", zh)
    kinds = {0: ("Video", "视频"), 1: ("Audio", "音频"), 7: ("Text", "文字")}
    head = (f"{draft.m.title} — {draft.m.width}x{draft.m.height}, {seconds(draft.duration_ms)} s"
            if not zh else f"{draft.m.title}——{draft.m.width}x{draft.m.height}，{seconds(draft.duration_ms)}秒")
    lines = [head]
    for i, track in enumerate(draft.t, 1):
        name = track.m.get("name") or kinds.get(track.tt, ("Track", "轨道"))[1 if zh else 0]
        items = []
        for seg in track.sg[:8]:
            label = seg.label if len(seg.label) <= 28 else seg.label[:27] + "…"
            vol = f" {round(seg.m.volume * 100)}%" if seg.m.volume is not None and track.tt != 7 else ""
            items.append(f"{label} ({seconds(seg.s)}–{seconds(seg.end)}s{vol})")
        more = f" +{len(track.sg) - 8}" if len(track.sg) > 8 else ""
        lines.append(f"{i}. {name}: " + "; ".join(items) + more)
    return "\n".join(lines)


def _suggestion(ctx: TurnContext, zh: bool) -> str:
    if not ctx.draft.ready:
        return ("把一段文字做成30秒视频" if zh else "turn some text into a 30-second video")
    if not any(t.tt == 1 for t in ctx.draft.t):
        return "加一段欢快的背景音乐" if zh else "add upbeat background music"
    if not any(s.m.transition for t in ctx.draft.t for s in t.sg):
        return "在场景之间加上淡入淡出转场" if zh else "add fade transitions between the scenes"
    return "换一段更轻松的音乐并把音量调到25%" if zh else "switch to calmer music at 25% volume"


def _texts(draft: Draft) -> set[str]:
    """Every text segment's words in `draft`."""
    return {seg.m.text for track in draft.t if track.tt == 7 for seg in track.sg if seg.m.text}


class StudioAgent:
    """Turns chat messages (English and Chinese) into named, validated edits of the draft."""

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """Handle one message: tool steps (each after its commit), then one reply."""
        zh = wants_chinese(ctx, message)
        refusal = out_of_range(message, zh)  # 900%, -5 s, 1e308 s: said, never silently replaced
        if refusal:
            yield Reply(refusal)
            return
        try:
            outcomes = self._plan(ctx, message, zh)
        except OutOfCredits:
            raise
        except EditError as exc:
            yield Reply(say(exc.key, zh, **exc.params))
            return
        except DraftError as exc:
            yield Reply(say("failed", zh, error=exc.problems[0] if exc.problems else str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - never crash a turn on bad input
            log.exception("studio agent failed on a message")
            yield Reply(say("failed", zh, error=type(exc).__name__))
            return
        texts = []
        before = _texts(ctx.draft)
        missing = ""
        for out in outcomes:
            if out.tool is not None:
                delta = dict(out.delta)
                if out.draft is not None:
                    delta["draft_version"] = ctx.commit(out.draft, out.summary or out.tool)
                response = {"status": "ok", **({"summary": out.summary} if out.summary else {})}
                if out.draft is not None:
                    response["duration_ms"] = out.draft.duration_ms
                yield ToolStep(out.tool, out.args, response, delta)
            if out.reply:
                texts.append(out.reply)
            if out.draft is not None:
                missing += "".join(undrawable(t) for t in _texts(out.draft) - before)
        if missing:
            texts.append(say("text_undrawable", zh, chars="".join(dict.fromkeys(missing))[:12]))
        yield Reply(" ".join(texts) or say("unclear", zh, suggestion=_suggestion(ctx, zh),
                                          suggestion_zh=_suggestion(ctx, True)))

    def _plan(self, ctx: TurnContext, message: str, zh: bool) -> list[tools.Outcome]:
        intent = classify(message, has_draft=ctx.draft.ready)
        name = intent.name
        if name in ("undo", "redo"):
            return [self._history(ctx, name, zh)]
        if name == "help":
            return [tools.ask(say("help", zh))]
        if name == "status":
            return [tools.ask(describe(ctx.draft, zh))]
        if name == "credits":
            left = ctx.credits_left
            return [tools.ask(say("credits_unlimited", zh) if left is None else say("credits", zh, credits=left))]
        if name == "vague":
            s = _suggestion(ctx, zh)
            return [tools.ask(say("vague", zh, suggestion=s, suggestion_zh=s))]
        spoken = speech_tools.route(ctx, intent, message, zh)  # captions, voice, subtitles
        if spoken is not None:
            return spoken
        handlers: dict[str, Handler] = {
            "generate": generate, "merge": files.merge, "narration": narration, "music": tools.music,
            "volume": tools.volume, "transitions": tools.transitions, "fades": tools.fades,
            "scenes": tools.scenes, "export": files.export, "format": tools.fmt, "time": tools.time,
            "title": lambda c, i, m, z: texts.text(c, i, m, z, "title"),
            "caption": lambda c, i, m, z: texts.text(c, i, m, z, "caption"),
        }
        handler = handlers.get(name)
        if handler is None:
            s = _suggestion(ctx, zh)
            return [tools.ask(say("unclear", zh, suggestion=s, suggestion_zh=s))]
        result = handler(ctx, intent, message, zh)
        result = result if isinstance(result, list) else [result]
        if name == "generate":
            speech_tools.apply_generate_style(result, intent.bare)
        return result

    def _history(self, ctx: TurnContext, name: str, zh: bool) -> tools.Outcome:
        draft = ctx.undo() if name == "undo" else ctx.redo()
        if draft is None:
            return tools.ask(say("undo_none" if name == "undo" else "redo_none", zh))
        reply = say("undone" if name == "undo" else "redone", zh) + " " + describe(draft, zh).split("\n")[0]
        return tools.Outcome(name, {}, None, reply, delta={})
