"""The LLM as the studio agent's optional model (`StudioAgent(model=...)`).

`tool_model(settings)` is the callable the agent asks with `(message, draft summary, tool specs)`:
it sends them to the OpenAI-compatible endpoint and returns the schema-checked tool calls, which
the agent applies through `respond_calls` (the same rules as typed requests, one commit); or a
one-line notice, after which the rule parser answers; or None, when the rules answer quietly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reelterm.engine.agent.llm import Fallback, LlmSettings, ToolSpec, plan_with_llm
from reelterm.engine.agent.llm.plan import Turn
from reelterm.engine.agent.studio.rules import rule_for
from reelterm.engine.planner.sentences import cjk_share

EXACT = frozenset(("empty", "keys", "undo", "redo"))
"""Rules for exact commands (the app's timeline keys, undo): never sent to the model."""
ANSWERS = frozenset(("help", "status", "credits", "question"))
"""Rules that answer from the draft: a model answering these without a tool call needs no notice."""

Planned = list[tuple[str, Any]] | str | None
_ZH_SUMMARY = re.compile(r"——\d+x\d+，[\d.]+秒\s*$")
"""The head line `status.describe` writes for a Chinese session."""


def skip_model(message: str) -> bool:
    """True for messages the rule parser handles exactly: empty, undo/redo, the app's key requests."""
    rule = rule_for(message, has_draft=True)
    return rule is not None and rule.name in EXACT


def chinese(message: str, summary: str) -> bool:
    """True when the notice should be Chinese: a Chinese message, or a summary written for a Chinese session."""
    head = summary.strip().split("\n", 1)[0]
    return cjk_share(message[:2000]) > 0.3 or bool(_ZH_SUMMARY.search(head)) or (
        "\n" not in summary.strip() and cjk_share(summary) > 0.3)


def tool_model(settings: LlmSettings) -> Callable[[str, str, list[dict[str, Any]], Sequence[Turn]], Planned]:
    """The agent's model callable for an OpenAI-compatible endpoint (never raises)."""

    def model(message: str, summary: str, specs: list[dict[str, Any]], history: Sequence[Turn] = ()) -> Planned:
        if skip_model(message):
            return None
        tools = [ToolSpec(s["name"], s.get("description", ""), s.get("parameters", {})) for s in specs]
        plan = plan_with_llm(settings, message, summary, tools, history)
        if not isinstance(plan, Fallback):
            return [(c.name, c.arguments) for c in plan.calls]
        rule = rule_for(message, has_draft=True)
        if plan.reason == "no_calls" and rule is not None and rule.name in ANSWERS:
            return None
        return plan.notice_zh if chinese(message, summary) else plan.notice

    return model
