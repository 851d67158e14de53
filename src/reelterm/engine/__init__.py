"""The local backend: server, store, agent, planner, render queue.

`start_embedded()` runs it in-process; `reelterm serve` runs it as a server.
"""


def __getattr__(name: str):  # noqa: ANN202 - lazy re-exports keep `import reelterm.engine` cheap
    if name in ("start_embedded", "EmbeddedEngine"):
        from reelterm.engine import embedded

        return getattr(embedded, name)
    if name == "EngineConfig":
        from reelterm.engine.config import EngineConfig

        return EngineConfig
    raise AttributeError(name)


__all__ = ["EmbeddedEngine", "EngineConfig", "start_embedded"]
