"""Local agents: the interface, and the agent the engine uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reelterm.engine.agent.base import Agent

if TYPE_CHECKING:
    from reelterm.engine.agent.llm import LlmSettings


def default_agent(llm: LlmSettings | None = None) -> Agent:
    """The agent the engine runs: the studio agent (text-to-video and chat edits, EN/ZH), with `llm`
    planning its edits when given (the rule parser is its fallback)."""
    from reelterm.engine.agent.studio import StudioAgent

    if llm is None:
        return StudioAgent()
    from reelterm.engine.agent.studio.llm_turn import tool_model

    return StudioAgent(model=tool_model(llm))


__all__ = ["Agent", "default_agent"]
