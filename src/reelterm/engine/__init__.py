"""The local backend: server, store, agent, planner, render queue.

`start_embedded()` runs it in-process; `reelterm serve` runs it as a server.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what the lazy `__getattr__` below hands out, for the type checker
    from reelterm.engine.config import EngineConfig
    from reelterm.engine.embedded import EmbeddedEngine, start_embedded


def __getattr__(name: str) -> object:  # lazy re-exports keep `import reelterm.engine` cheap
    if name in ("start_embedded", "EmbeddedEngine"):
        from reelterm.engine import embedded

        return getattr(embedded, name)
    if name == "EngineConfig":
        from reelterm.engine.config import EngineConfig

        return EngineConfig
    raise AttributeError(name)


__all__ = ["EmbeddedEngine", "EngineConfig", "start_embedded"]
