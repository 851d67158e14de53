"""Render jobs: the persisted queue and the renderer it calls."""

from reelterm.engine.renders.queue import FORMATS, QUALITIES, RenderQueue, pick_renderer

__all__ = ["FORMATS", "QUALITIES", "RenderQueue", "pick_renderer"]
