"""`StudioAgent`: the local engine's offline, deterministic agent for text-to-video and edits.

A message is split into clauses (`clauses.split`), each clause goes to the handler its rule names
(`rules.RULES`), the handlers run in order on the draft each one leaves, and the result is stored
as ONE new draft version, so one undo reverts the whole message. The reply names every change and
every part that was not understood.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from reelterm.engine.agent.base import OutOfCredits, Reply, Step, ToolStep, TurnContext
from reelterm.engine.agent.studio import files, scene_volume, speech_tools, tools
from reelterm.engine.agent.studio.clauses import Clause, split
from reelterm.engine.agent.studio.edits import EditError
from reelterm.engine.agent.studio.hant import simplify_instruction
from reelterm.engine.agent.studio.intents import QUOTES
from reelterm.engine.agent.studio.offers import NO, YES, Offers, asked
from reelterm.engine.agent.studio.ops import to_message, tool_specs
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.agent.studio.rules import classify, handlers_of, rule_for, rules_after
from reelterm.engine.agent.studio.source import split_source
from reelterm.engine.agent.studio.status import describe, suggestion
from reelterm.engine.agent.studio.zh_words import normalize_chinese
from reelterm.engine.planner.ranges import out_of_range
from reelterm.engine.planner.sentences import cjk_share
from reelterm.media.text_images import undrawable
from reelterm.protocol import Draft, DraftError

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 20_000
"""A longer message is refused with a sentence (the engine's route refuses it too)."""
MAX_INSTRUCTION_CHARS = 2_000
"""A longer message must be an instruction plus a text to film ("make a video: …"), its instruction shorter."""
_DIGIT_RUN = re.compile(r"\d{40,}")
"""No number people write is this long; cut such runs so number patterns stay linear."""
_TYPOS = {"verticle": "vertical", "vertial": "vertical", "veritcal": "vertical", "horizonal": "horizontal",
          "sqaure": "square", "sqare": "square", "musci": "music", "muisc": "music", "msuic": "music", "remvoe": "remove",
          "remoev": "remove", "rmeove": "remove", "delte": "delete", "deleet": "delete", "mak": "make", "mkae": "make",
          "vidoe": "video", "vedio": "video", "viedo": "video", "vidio": "video", "caption": "caption",
          "captoins": "captions", "captins": "captions", "subtitels": "subtitles", "transtions": "transitions",
          "transitons": "transitions", "secons": "seconds", "seconsd": "seconds", "sceond": "second", "scnee": "scene",
          "senes": "scenes", "quiter": "quieter", "quieeter": "quieter", "louder": "louder", "lowder": "louder",
          "loudr": "louder", "exprot": "export", "exort": "export", "volumn": "volume", "volum": "volume",
          "shoter": "shorter", "shorer": "shorter", "longr": "longer", "titel": "title", "tittle": "title"}
"""Common misspellings of the words the rules look for, fixed outside quoted text."""
_TYPO = re.compile(r"\b(" + "|".join(k for k, v in _TYPOS.items() if k != v) + r")\b", re.IGNORECASE)


def _fix_typos(message: str) -> str:
    """`message` with common misspellings fixed, except inside quotes (the user's own words)."""
    if not _TYPO.search(message):
        return message
    out, last = [], 0
    for m in QUOTES.finditer(message):
        out.append(_TYPO.sub(lambda t: _TYPOS[t.group(1).lower()], message[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_TYPO.sub(lambda t: _TYPOS[t.group(1).lower()], message[last:]))
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
ANSWERS = frozenset(("help", "status", "credits", "vague", "empty", "unknown", "undo", "redo"))
PLACE_FIRST = frozenset(("time", "format", "volume", "fades", "transitions", "music", "scenes", "caption", "title"))
"""Edits that, on an empty timeline, first put the uploaded video and audio on it ("trim my clip")."""
_KEEP_PIECES = frozenset(("set_volume", "delete_segment", "move_segment", "trim_segment", "split_segment",
                          "set_segment_volume", "set_segment_text"))
"""Edits after which the music's pieces stay as they are (the rest re-lay a scene's own music level)."""
EXACT = frozenset(("keys", "undo", "redo", "empty"))
"""Requests the rules apply exactly, without asking a model (the app's timeline keys, undo, redo)."""


def _label(out: tools.Outcome, zh: bool) -> str:
    """A change's one-line summary in the session's language (in Chinese: the reply's first sentence)."""
    if zh and out.reply and cjk_share(out.reply) > 0:
        return out.reply.split("。")[0][:120]
    return out.summary or out.tool or ""


def wants_chinese(ctx: TurnContext, message: str) -> bool:
    """Reply in Chinese when the session's language is zh* or the message is mostly Chinese."""
    return (ctx.language or "").lower().startswith("zh") or cjk_share(message) > 0.3


def _texts(draft: Draft) -> set[str]:
    """Every text segment's words in `draft`."""
    return {seg.m.text for track in draft.t if track.tt == 7 for seg in track.sg if seg.m.text}


def message_of(clauses: list[Clause]) -> str:
    """The words of all the clauses (what a merge reads its policy from: "…, use the shortest")."""
    return " and ".join(c.text for c in clauses)


def _short(text: str, most: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


ToolModel = Callable[[str, str, list[dict[str, Any]], list[tuple[str, str]]], "list[tuple[str, Any]] | str | None"]
"""An optional model: `(message, draft summary, tool specs, earlier turns)` -> tool calls, or a notice (a
str) to fall back to the rules with, or None to use the rules quietly. The earlier turns are the
session's last `TURNS_SHOWN` messages, oldest first, each with the reply it got ("" when not known)."""
TURNS_SHOWN = 6
"""How many earlier turns a model sees."""
SESSIONS_REMEMBERED = 256
"""Sessions whose recent replies the agent keeps in memory (the least recently used are forgotten)."""


class StudioAgent:
    """Turns chat messages (English and Chinese) into named, validated edits of the draft."""

    def __init__(self, model: ToolModel | None = None) -> None:
        self.model = model
        self._replies: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._offers = Offers()

    def turns(self, ctx: TurnContext) -> list[tuple[str, str]]:
        """The session's last few messages (from the engine's store), each with the reply this agent gave
        it while it ran ("" after a restart): what a model sees of the conversation."""
        with self._lock:
            said = dict(self._replies.get(ctx.session_id, {}))
        return [(msg, said.get(msg[:2000], "")) for msg in ctx.history[-TURNS_SHOWN:]]

    def _remember(self, ctx: TurnContext, message: str, reply: str) -> None:
        with self._lock:
            said = self._replies.pop(ctx.session_id, {})
            said.pop(message[:2000], None)
            said[message[:2000]] = reply[:600]
            while len(said) > 2 * TURNS_SHOWN:
                said.pop(next(iter(said)))
            self._replies[ctx.session_id] = said
            while len(self._replies) > SESSIONS_REMEMBERED:
                self._replies.popitem(last=False)

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """Handle one message: its operations as one committed step, then one reply. A "yes" to the question
        the last reply asked ("Do you want to add fade transitions…?") does it; a "no" drops it."""
        zh = wants_chinese(ctx, message[:2000])
        offer = self._offers.take(ctx)
        if offer is not None and NO.fullmatch(message):
            yield Reply(say("offer_dropped", zh))
            return
        run = offer.request if offer is not None and YES.fullmatch(message) else message
        offered = suggestion(ctx, zh)
        for step in self._respond(ctx, run):
            if isinstance(step, Reply):
                if self.model is not None:
                    self._remember(ctx, message, step.text)
                if asked(step.text, offered):
                    self._offers.remember(ctx, message, offered)
            yield step

    def _respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        zh = wants_chinese(ctx, message[:2000])
        if len(message) > MAX_MESSAGE_CHARS:
            yield Reply(say("too_long", zh, limit=MAX_MESSAGE_CHARS))
            return
        refusal = out_of_range(message, zh)  # 900%, -5 s, 1e308 s: said, never silently replaced
        if refusal:
            yield Reply(refusal)
            return
        notice = None
        exact = rule_for(message[:MAX_INSTRUCTION_CHARS], has_draft=ctx.draft.ready)
        if self.model is not None and not (exact is not None and exact.name in EXACT):
            try:
                planned = self.model(message, describe(ctx.draft, zh), tool_specs(), self.turns(ctx))
            except Exception as exc:  # noqa: BLE001 - a model's failure falls back to the rules
                log.warning("the model failed (%s); using the rules", type(exc).__name__)
                planned = say("model_failed", zh)
            if isinstance(planned, list) and planned:
                yield from self.respond_calls(ctx, planned, zh=zh)
                return
            notice = planned if isinstance(planned, str) and planned.strip() else None
        for step in self._respond_rules(ctx, message, zh):
            if notice and isinstance(step, Reply):
                step = Reply(f"{notice} {step.text}")
            yield step

    def _respond_rules(self, ctx: TurnContext, message: str, zh: bool) -> Iterator[Step]:
        """The rule parser's answer to a message."""
        message = _fix_typos(_DIGIT_RUN.sub(lambda m: m.group(0)[:39], _CONTROL.sub(" ", message)))
        message = simplify_instruction(message)  # "直式影片" reads as "竖屏视频"; the words to film stay
        message = normalize_chinese(message)  # "１：１", "竖平", "mute掉" read as "1:1", "竖屏", "静音"
        if len(message) > MAX_INSTRUCTION_CHARS:
            source = split_source(message)
            if source is None or not source.asks(ctx.draft.ready) or len(source.instruction) > MAX_INSTRUCTION_CHARS:
                yield Reply(say("no_instruction", zh, limit=MAX_INSTRUCTION_CHARS))
                return
        try:
            clauses = split(message, has_draft=ctx.draft.ready)
        except Exception:  # noqa: BLE001 - a parser bug must not end the turn
            log.exception("studio agent could not split a message")
            clauses = [Clause(message, None)]
        yield from self.run(ctx, clauses, zh)

    def respond_calls(self, ctx: TurnContext, calls: list[tuple[str, Any]], *, zh: bool = False) -> Iterator[Step]:
        """Apply tool calls (name, arguments) from a model as one step, exactly as the same request typed
        by a user: each call becomes its canonical words (`ops.to_message`) and goes through the rules.
        A bad call is said in the reply and changes nothing."""
        clauses: list[Clause] = []
        notes: list[str] = []
        for name, arguments in calls:
            message, problem = to_message(name, arguments)
            if message is None:
                notes.append(say("bad_call", zh, problem=problem or name))
                continue
            clauses.append(Clause(message, rule_for(message, has_draft=ctx.draft.ready)))
        if not clauses:
            yield Reply(" ".join(notes) or say("unclear", zh, suggestion=suggestion(ctx, zh),
                                               suggestion_zh=suggestion(ctx, True)))
            return
        yield from self.run(ctx, clauses, zh, notes)

    def run(self, ctx: TurnContext, clauses: list[Clause], zh: bool, notes: list[str] | None = None) -> Iterator[Step]:
        """Apply clauses in order on one rolling draft, commit once, and reply naming each change."""
        notes = list(notes or [])
        if len(clauses) == 1 and not notes and (clauses[0].rule is None or clauses[0].rule.name in ANSWERS):
            yield from self._answer(ctx, clauses[0], zh)
            return
        if len(clauses) == 1 and clauses[0].rule is not None and clauses[0].rule.name in ("undo", "redo"):
            yield from self._answer(ctx, clauses[0], zh)
            return
        draft = ctx.draft
        outcomes: list[tools.Outcome] = []
        for clause in clauses:
            if not clause.understood or clause.rule is None or clause.rule.name in ANSWERS:
                if clause.rule is not None and clause.rule.name in ("undo", "redo"):
                    notes.append(say("history_alone", zh))
                else:
                    notes.append(say("not_understood", zh, part=_short(clause.text)))
                continue
            notes += [say("not_understood", zh, part=_short(part)) for part in clause.ignored]
            sub = dataclasses.replace(ctx, draft=draft)
            if not draft.ready and clause.rule.name in PLACE_FIRST:
                placed = files.place_uploads(sub, classify(clause.text, has_draft=False), message_of(clauses), zh)
                if placed is not None and placed.draft is not None:
                    outcomes.append(placed)
                    draft = placed.draft
                    sub = dataclasses.replace(ctx, draft=draft)
            try:
                applied = self._apply(sub, clause, zh)
                if clause.rule.name == "generate":  # "… with karaoke captions"
                    speech_tools.apply_generate_style(applied, clause.text)
                for out in applied:
                    if out.draft is not None and out.tool not in _KEEP_PIECES:  # scenes moved: music levels follow
                        out = dataclasses.replace(out, draft=scene_volume.reflow(out.draft))
                    outcomes.append(out)
                    if out.draft is not None:
                        draft = out.draft
            except OutOfCredits:
                raise
            except EditError as exc:
                notes.append(say(exc.key, zh, **exc.params))
            except DraftError as exc:
                notes.append(say("failed", zh, error=exc.problems[0] if exc.problems else str(exc)))
            except Exception:  # noqa: BLE001 - never crash a turn on bad input
                log.exception("studio agent failed on %r", clause.text[:200])
                notes.append(say("failed_part", zh, part=_short(clause.text)))
        yield from self._commit(ctx, outcomes, draft, notes, zh)

    def _apply(self, ctx: TurnContext, clause: Clause, zh: bool) -> list[tools.Outcome]:
        """Run the clause's handlers in order, each on the draft the one before it left. A handler that
        returns None declines the clause, which then goes to the next rule that matches it."""
        assert clause.rule is not None
        match = classify(clause.text, has_draft=ctx.draft.ready)
        for rule in rules_after(clause.text, clause.rule, has_draft=ctx.draft.ready):
            out: list[tools.Outcome] = []
            step_ctx = ctx
            funcs = handlers_of(rule)
            if not funcs:
                continue  # a rule whose module is not installed
            for func in funcs:
                result = func(step_ctx, dataclasses.replace(match, name=rule.name), clause.text, zh)
                if result is None:
                    break
                for item in result if isinstance(result, list) else [result]:
                    out.append(item)
                    if item.draft is not None:
                        step_ctx = dataclasses.replace(step_ctx, draft=item.draft)
            else:
                return out
            if out:
                return out
        return [tools.ask(say("unclear_part", zh, part=_short(clause.text), suggestion=suggestion(ctx, zh),
                              suggestion_zh=suggestion(ctx, True)))]

    def _commit(self, ctx: TurnContext, outcomes: list[tools.Outcome], draft: Draft, notes: list[str],
                zh: bool) -> Iterator[Step]:
        changed = [o for o in outcomes if o.draft is not None]
        version = None
        if changed and draft.wire() != ctx.draft.wire():
            summary = ("；" if zh else "; ").join(_label(o, zh) for o in changed)[:300]
            version = ctx.commit(draft, summary)
        last = changed[-1] if changed else None
        texts = []
        for out in outcomes:
            if out.tool is not None:
                delta = dict(out.delta)
                if out is last and version is not None:
                    delta["draft_version"] = version
                label = _label(out, zh) if out.summary or zh else ""
                response: dict[str, Any] = {"status": "ok", **({"summary": label} if label else {})}
                if out.draft is not None:
                    response["duration_ms"] = out.draft.duration_ms
                yield ToolStep(out.tool, out.args, response, delta)
            if out.reply:
                texts.append(out.reply)
        if version is not None:
            missing = "".join(undrawable(t) for t in _texts(draft) - _texts(ctx.draft))
            if missing:
                texts.append(say("text_undrawable", zh, chars="".join(dict.fromkeys(missing))[:12]))
        texts = list(dict.fromkeys(texts + notes))  # two clauses with the same answer: said once
        yield Reply(("" if zh else " ").join(texts) or say(
            "unclear", zh, suggestion=suggestion(ctx, zh), suggestion_zh=suggestion(ctx, True)))

    def _answer(self, ctx: TurnContext, clause: Clause, zh: bool) -> Iterator[Step]:
        """A message that changes nothing, or undo/redo."""
        name = clause.rule.name if clause.rule is not None else "unknown"
        if name in ("undo", "redo"):
            draft = ctx.undo() if name == "undo" else ctx.redo()
            if draft is None:
                yield Reply(say("undo_none" if name == "undo" else "redo_none", zh))
                return
            yield ToolStep(name, {}, {"status": "ok"}, {})
            yield Reply(say("undone" if name == "undo" else "redone", zh) + " " + describe(draft, zh).split("\n")[0])
            return
        if name == "help":
            text = say("help", zh)
            if ctx.draft.ready:  # about this video: what it is now, and one next step for it
                s = suggestion(ctx, zh)
                text = say("help_now", zh, title=ctx.draft.m.title, seconds=seconds(ctx.draft.duration_ms),
                           width=ctx.draft.m.width, height=ctx.draft.m.height, suggestion=s,
                           suggestion_zh=s) + " " + text
            yield Reply(text)
        elif name == "status":
            yield Reply(describe(ctx.draft, zh))
        elif name == "credits":
            left = ctx.credits_left
            yield Reply(say("credits_unlimited", zh) if left is None else say("credits", zh, credits=left))
        elif name == "vague":
            s = suggestion(ctx, zh)
            yield Reply(say("vague", zh, suggestion=s, suggestion_zh=s))
        else:
            s = suggestion(ctx, zh)
            yield Reply(say("unclear_part", zh, part=_short(clause.text), suggestion=s, suggestion_zh=s))
