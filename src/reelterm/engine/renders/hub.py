"""Hub mode: the render queue's renderer sends each render to Celery workers (`reelterm[hub]`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelterm.engine.config import EngineConfig
from reelterm.engine.storage import DataDirError


def hub_renderer(config: EngineConfig) -> Any:
    """A `reelterm.hub.dispatch.HubRenderer` for `config.hub`; `DataDirError` with a sentence if unusable."""
    try:
        from reelterm.hub.config import visibility_from_env
        from reelterm.hub.dispatch import HubRenderer
        from reelterm.hub.store import open_store
    except ImportError:
        raise DataDirError("The hub is not installed: pip install 'reelterm[hub]'.") from None
    try:
        store = open_store(config.hub_store or str(Path(config.data_dir) / "hub-store"))
        options = {"visibility_s": visibility_from_env(), **config.hub_options}  # as the workers'
        renderer = HubRenderer(str(config.hub), store, **options)
        renderer.check()
    except Exception as exc:  # noqa: BLE001 - HubError/HubRenderFailed: a sentence (no password in it)
        raise DataDirError(str(exc)) from None
    return renderer
