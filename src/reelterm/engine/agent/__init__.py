"""Local agents: the interface, and the agent the engine uses."""

from reelterm.engine.agent.base import Agent
from reelterm.engine.agent.llm import LlmSettings


def default_agent(llm: LlmSettings | None = None) -> Agent:
    """The agent the engine runs: the studio agent (text-to-video and chat edits, EN/ZH), with `llm`
    planning its edits when given (the rule parser is its fallback)."""
    from reelterm.engine.agent.studio import StudioAgent

    return StudioAgent(llm=llm)


__all__ = ["Agent", "default_agent"]
