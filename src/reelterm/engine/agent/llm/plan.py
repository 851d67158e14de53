"""`plan_with_llm`: ask an OpenAI-compatible model which tools to call; never raises."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from reelterm.engine.agent.llm.schema import SchemaError, check
from reelterm.engine.agent.llm.transport import Answer, LlmFailure, chat, shown, with_deadline
from reelterm.engine.agent.llm.types import (
    Calls,
    Fallback,
    LlmPlan,
    LlmSettings,
    ToolCall,
    ToolSpec,
)

log = logging.getLogger(__name__)

MAX_CALLS = 8
"""More tool calls than this in one answer is treated as a malformed answer."""
MAX_ARGUMENT_CHARS = 32_000
"""The longest arguments text one call may carry."""
MAX_MESSAGE_CHARS = 12_000
"""Longer messages go straight to the rule parser."""
MAX_HISTORY = 6
"""Earlier turns sent along, newest kept (each message and reply cut to `MAX_TURN_CHARS`)."""
MAX_TURN_CHARS = 300
MAX_HISTORY_CHARS = 2_400
"""The most characters of earlier turns one request carries (the oldest are dropped first)."""

Turn = str | tuple[str, str]
"""An earlier turn: the user's message, or (message, the reply it got)."""

SYSTEM = """You edit a short video in reelterm, a terminal video studio, by calling tools.
Call one or more of the given tools, in the order the user wants the changes made.
Put words the user wants on screen into the arguments exactly as the user wrote them.
Leave out optional arguments the user did not ask for. Do not invent tools.
If no tool fits the request, answer in one short sentence without calling a tool.
The user may write in English or Chinese; on-screen words stay in the language the user wrote them in.

The current video:
{summary}
"""

_REFUSAL = re.compile(
    r"\b(i|we)\s*(?:can ?not|can't|cannot|won't|will not|am unable|am not able|'m unable|'m not able)\b"
    r"|\bsorry\b|\bas an ai\b|\bunable to (?:help|assist|comply)\b|抱歉|对不起|无法|不能帮", re.IGNORECASE)


def _name(text: str) -> str:
    """A tool name from the model, made safe to quote in a reply."""
    clean = re.sub(r"[^A-Za-z0-9_.-]", "", text)[:40]
    return clean or "?"


def notice(reason: str, url: str, timeout_s: float, detail: dict[str, Any]) -> tuple[str, str]:
    """The one-line notice for a fallback, in English and Chinese."""
    where = shown(url)
    status = detail.get("status")
    why = "".join(ch for ch in str(detail.get("why", "")) if ch.isprintable())[:160]
    en, zh = {
        "connect": (f"I could not reach the model at {where}", f"无法连接 {where} 上的模型"),
        "timeout": (f"The model at {where} did not answer in {timeout_s:g} s",
                    f"{where} 上的模型在 {timeout_s:g} 秒内没有回答"),
        "http": (f"The model at {where} answered with HTTP {status}", f"{where} 上的模型返回了 HTTP {status}"),
        "redirect": (f"The model at {where} redirected elsewhere (HTTP {status}), which I do not follow",
                     f"{where} 上的模型要求跳转（HTTP {status}），我没有跟随"),
        "error": (f"The model at {where} reported an error", f"{where} 上的模型报告了错误"),
        "refused": (f"The model at {where} declined the request", f"{where} 上的模型拒绝了这个请求"),
        "no_calls": (f"The model at {where} answered without an edit", f"{where} 上的模型没有给出修改"),
        "bad_call": (f"The model at {where} asked for an edit I could not accept ({why})",
                     f"{where} 上的模型给出的修改无法接受（{why}）"),
        "empty": (f"The model at {where} gave an empty answer", f"{where} 上的模型的回答是空的"),
        "too_long": ("The message is too long for the model", "这条消息对模型来说太长"),
    }.get(reason, (f"The model at {where} sent an answer I could not read",
                   f"{where} 上的模型的回答无法读取"))
    return en + "; I used the built-in parser.", zh + "，改用内置解析器。"


def _fallback(settings: LlmSettings, reason: str, **detail: Any) -> Fallback:
    en, zh = notice(reason, settings.url, settings.timeout_s, detail)
    return Fallback(en, reason, zh, detail)


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_TURN_CHARS else flat[: MAX_TURN_CHARS - 1] + "…"


def history_lines(history: Sequence[Turn]) -> list[str]:
    """The newest earlier turns as "User: …" / "You: …" lines, oldest first, within the bounds."""
    turns = [(h, "") if isinstance(h, str) else (h[0], h[1]) for h in history]
    turns = [(_cut(m), _cut(r)) for m, r in turns if m.strip()][-MAX_HISTORY:]
    lines: list[str] = []
    used = 0
    for msg, reply in reversed(turns):
        block = [f"User: {msg}"] + ([f"You: {reply}"] if reply else [])
        size = sum(len(b) + 1 for b in block)
        if used + size > MAX_HISTORY_CHARS:
            break
        lines[:0] = block
        used += size
    return lines


def build_request(message: str, draft_summary: str, tools: Sequence[ToolSpec],
                  history: Sequence[Turn] = ()) -> dict[str, Any]:
    """The chat-completions body (without `model` and `stream`); `history` are the session's earlier
    turns, of which the newest few go along so "make that 15 instead" can be understood."""
    system = SYSTEM.format(summary=draft_summary.strip() or "(empty: nothing on the timeline yet)")
    earlier = history_lines(history)
    if earlier:
        system += ("\nEarlier in this session, oldest first (the video above already includes these "
                   "changes):\n" + "\n".join(earlier) + "\n")
    return {"messages": [{"role": "system", "content": system}, {"role": "user", "content": message}],
            "tools": [t.openai() for t in tools], "tool_choice": "auto", "temperature": 0}


def interpret(answer: Answer, tools: Sequence[ToolSpec], settings: LlmSettings) -> LlmPlan:
    """Turn the server's answer into validated calls, or a fallback saying what was wrong."""
    specs = {t.name: t for t in tools}
    text = answer.content.strip()
    if answer.refusal.strip() or answer.finish_reason == "content_filter":
        return _fallback(settings, "refused")
    if not answer.calls:
        if text and _REFUSAL.search(text[:400]):
            return _fallback(settings, "refused")
        return _fallback(settings, "no_calls" if text else "empty")
    if len(answer.calls) > MAX_CALLS:
        return _fallback(settings, "bad_call", why=f"{len(answer.calls)} edits at once")
    calls = []
    for raw in answer.calls:
        spec = specs.get(raw.name)
        if spec is None:
            return _fallback(settings, "bad_call", why=f"unknown tool {_name(raw.name)}", tool=raw.name[:80])
        args: Any = raw.arguments
        if isinstance(args, str):
            if len(args) > MAX_ARGUMENT_CHARS:
                return _fallback(settings, "bad_call", why=f"{spec.name}: arguments too long")
            try:
                args = json.loads(args) if args.strip() else {}
            except (ValueError, RecursionError):
                return _fallback(settings, "bad_call", why=f"{spec.name}: arguments are not JSON")
        if not isinstance(args, dict):
            return _fallback(settings, "bad_call", why=f"{spec.name}: arguments are not an object")
        try:
            args = check(args, spec.parameters)
        except SchemaError as exc:
            return _fallback(settings, "bad_call", why=f"{spec.name}: {exc}")
        calls.append(ToolCall(spec.name, args))
    return Calls(calls, text[:1000])


def plan_with_llm(settings: LlmSettings, message: str, draft_summary: str, tools: Sequence[ToolSpec],
                  history: Sequence[Turn] = ()) -> LlmPlan:
    """Ask the model for tool calls; any failure is a `Fallback` with a notice, never an exception."""
    try:
        if len(message) > MAX_MESSAGE_CHARS:
            return _fallback(settings, "too_long")
        body = build_request(message, draft_summary, tools, history)
        answer = with_deadline(lambda cancel: chat(settings, body, cancel), settings.timeout_s)
        return interpret(answer, tools, settings)
    except LlmFailure as exc:
        log.info("LLM fallback: %s %s", exc.reason, exc.detail)
        return _fallback(settings, exc.reason, **exc.detail)
    except Exception as exc:  # noqa: BLE001 - the rule parser always answers instead
        log.warning("LLM request failed unexpectedly: %s", type(exc).__name__)
        return _fallback(settings, "bad_response", error=type(exc).__name__)
