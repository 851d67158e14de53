"""The engine's FastAPI app: lifespan, middleware, routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from reelterm import __version__
from reelterm.engine.agent.base import Agent
from reelterm.engine.config import EngineConfig
from reelterm.engine.server import (
    routes_auth,
    routes_history,
    routes_render,
    routes_sse,
    routes_state,
    routes_upload,
)
from reelterm.engine.server.errors import install_handlers
from reelterm.engine.server.limits import BodyLimit, CatchAll, DrainUnread
from reelterm.engine.server.state import build_state

ROUTERS = (routes_auth, routes_upload, routes_state, routes_render, routes_sse, routes_history)
"""Route modules in the order their routers are mounted."""


def create_app(config: EngineConfig, agent: Agent | None = None) -> FastAPI:
    """The engine app; its lifespan starts and stops the render queue."""
    state = build_state(config, agent)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.queue.start()
        try:
            yield
        finally:
            state.queue.stop()

    app = FastAPI(title="reelterm local engine", version=__version__, lifespan=lifespan,
                  description="The NemoVideo protocol served on loopback by reelterm.")
    app.state.engine = state
    install_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(DrainUnread)
    app.add_middleware(CatchAll)
    for module in ROUTERS:
        app.include_router(module.router)
    return app
