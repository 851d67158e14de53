"""The engine's shared state and how it is built: settings, store, render queue, agent."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reelterm.engine.agent.base import Agent
from reelterm.engine.config import EngineConfig
from reelterm.engine.renders.queue import RenderQueue
from reelterm.engine.storage import DataDirError, prepare_data_dir, sweep_stale_temp
from reelterm.engine.store import Store


@dataclass
class EngineState:
    """Everything the routes share: settings, store, render queue, agent."""

    config: EngineConfig
    store: Store
    queue: RenderQueue
    agent: Agent
    dirs: dict[str, Path] = field(default_factory=dict)
    url_fetches: int = 0
    """URL downloads running now (changed only on the event loop's thread)."""

    def resolver_for(self, session_id: str) -> Callable[[str], Path]:
        """`resolve(src) -> Path` for a session's drafts: uploads, assets, bundled music."""
        return make_resolver(self.store, session_id)


def make_resolver(store: Store, session_id: str) -> Callable[[str], Path]:
    """Map `upload:ID`/`asset:ID` of `session_id` to files, and `music:…` via reelterm.media."""

    def resolve(src: str) -> Path:
        if src.startswith("music:"):
            from reelterm.media.assets import resolve_music

            return resolve_music(src)
        path = store.source_path(session_id, src)
        if path is None:
            raise FileNotFoundError(f"{src[:80]} is not available any more.")
        return path

    return resolve


def build_state(config: EngineConfig, agent: Agent | None = None) -> EngineState:
    """Open the store and make the queue (not started yet)."""
    prepare_data_dir(config.data_dir)
    dirs = config.dirs()
    sweep_stale_temp(dirs["tmp"])
    try:
        store = Store(config.db_path)
    except sqlite3.Error as exc:
        raise DataDirError(f"The database {config.db_path} cannot be opened ({exc}). Fix its permissions "
                           "or free some space, or choose another data directory (--data-dir).") from None
    render, workers = None, config.render_workers
    if config.hub:  # renders go to Celery workers; each queue thread only waits for its render
        from reelterm.engine.renders.hub import hub_renderer

        render, workers = hub_renderer(config), max(workers, 4)
    queue = RenderQueue(store.db, dirs["renders"], lambda sid: make_resolver(store, sid),
                        workers=workers, lease_s=config.lease_s,
                        poll_s=config.render_poll_s, render=render)
    if agent is None:
        from reelterm.engine.agent import default_agent

        agent = default_agent(llm=config.llm)
    return EngineState(config, store, queue, agent, dirs)
