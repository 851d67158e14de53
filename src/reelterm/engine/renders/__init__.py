"""Render jobs: the persisted queue and the renderer it calls."""

from reelterm.engine.renders.queue import FORMATS, RenderQueue, pick_renderer
from reelterm.media.formats import QUALITIES

__all__ = ["FORMATS", "QUALITIES", "RenderQueue", "pick_renderer"]
