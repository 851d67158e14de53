"""Local agents: the interface, and the agent the engine uses."""

from reelterm.engine.agent.base import Agent


def default_agent() -> Agent:
    """The agent the engine runs: the studio agent (text-to-video and chat edits, EN/ZH)."""
    from reelterm.engine.agent.studio import StudioAgent

    return StudioAgent()


__all__ = ["Agent", "default_agent"]
