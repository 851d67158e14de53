"""The studio agent: offline, deterministic text-to-video and chat editing in English and Chinese."""

from reelterm.engine.agent.studio.agent import StudioAgent

__all__ = ["StudioAgent"]
