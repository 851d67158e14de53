"""The engine in-process: uvicorn in a background thread on 127.0.0.1, a random port and token."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from pathlib import Path
from typing import Any

from reelterm.config import AppPaths, app_paths
from reelterm.engine.agent.base import Agent
from reelterm.engine.config import EngineConfig
from reelterm.engine.storage import prepare_data_dir

EMBEDDED_CLIENT = "reelterm-embedded"
EMBEDDED_USER = "local_owner"
"""Every embedded run acts as this user, so sessions carry over from one run to the next."""


class EmbeddedEngine:
    """A running in-process engine: `base_url`, `token`, `stop()`; also a context manager."""

    def __init__(self, config: EngineConfig, agent: Agent | None = None) -> None:
        import uvicorn

        from reelterm.engine.server.app import create_app

        self.config = config
        self.app = create_app(config, agent)
        self.state = self.app.state.engine
        self.token = "nmv_local_" + secrets.token_urlsafe(32)
        self.state.store.register_token(self.token, client_id=EMBEDDED_CLIENT,
                                        lifetime_s=30 * 24 * 3600, budget=config.credits,
                                        user_id=EMBEDDED_USER)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        cfg = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on",
                             timeout_graceful_shutdown=3)
        self._server = uvicorn.Server(cfg)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="reelterm-engine", daemon=True)
        self._stopped = False

    def start(self, timeout: float = 10.0) -> EmbeddedEngine:
        """Start serving; returns when the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("The local engine did not start.")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving, cancel running renders and wait for them, then close the store (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(10)
        try:
            self._sock.close()
        except OSError:
            pass
        # the app's shutdown stops the queue; this covers a server that never got that far (a
        # failed start, a shutdown that timed out), so no render outlives the store it writes to
        self.state.queue.stop()
        try:
            self.state.store.expire_token(self.token)  # this run's token dies with it
        finally:
            self.state.store.close()

    @property
    def headers(self) -> dict[str, str]:
        """Headers a caller of this engine sends (token, client id, attribution)."""
        return {"Authorization": f"Bearer {self.token}", "X-Client-Id": EMBEDDED_CLIENT,
                "X-Skill-Source": "reelterm", "X-Skill-Version": "embedded", "X-Skill-Platform": "unknown"}

    def __enter__(self) -> EmbeddedEngine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def start_embedded(paths: AppPaths | None = None, *, credits: float | None = None,
                   data_dir: Path | None = None, agent: Agent | None = None,
                   **options: Any) -> EmbeddedEngine:
    """Start the engine on `paths.engine_dir` (or `data_dir`); `options` set `EngineConfig` fields."""
    root = data_dir or (paths or app_paths()).engine_dir
    prepare_data_dir(root)  # raises DataDirError (a RuntimeError) with a sentence
    config = EngineConfig(data_dir=root, credits=credits, **options)
    return EmbeddedEngine(config, agent).start()
