"""Probing, rendering drafts, merge, convert, text images, audio assets; no HTTP and no UI.

`render_draft`/`compile_draft` load lazily (they need pydantic and Pillow), so `reelterm merge`
pays only for what it uses.
"""

from __future__ import annotations

from reelterm.media.convert import convert
from reelterm.media.errors import (
    FFmpegFailed,
    MediaError,
    NoStreamError,
    ProbeError,
    RenderCancelled,
    UnsupportedTarget,
)
from reelterm.media.formats import QUALITIES, SUPPORTED
from reelterm.media.merge import MergeResult, merge
from reelterm.media.probe import MediaInfo, probe

TYPE_CHECKING = False  # not `typing`'s: importing typing costs `reelterm merge` ~2 ms
if TYPE_CHECKING:
    from typing import Any

    from reelterm.media.compile import FFmpegJob, compile_draft
    from reelterm.media.render import render_draft

__all__ = [
    "QUALITIES", "SUPPORTED", "FFmpegFailed", "FFmpegJob", "MediaError", "MediaInfo", "MergeResult",
    "NoStreamError", "ProbeError", "RenderCancelled", "UnsupportedTarget", "compile_draft", "convert",
    "merge", "probe", "render_draft",
]
_LAZY = {"FFmpegJob": "compile", "compile_draft": "compile", "render_draft": "render"}


def __getattr__(name: str) -> Any:
    """Import `render_draft`, `compile_draft` and `FFmpegJob` on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reelterm.media' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"reelterm.media.{module}"), name)
    globals()[name] = value
    return value
