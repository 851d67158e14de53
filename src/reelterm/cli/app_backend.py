"""The app's backend opener: starts the engine (if local) and the worker inside the app's loop."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any


class BackendOpener:
    """Opens the backend and the worker inside the app's event loop; closes them at the end."""

    def __init__(self, api_flag: str | None, paths: Any, settings: Any, logs: Any = None, llm: Any = None) -> None:
        self.api_flag = api_flag
        self.llm = llm
        """The `LlmSettings` the local engine's agent plans with (None: the rule parser only)."""
        self.paths = paths
        self.settings = settings
        self.logs = logs
        self._sync = contextlib.ExitStack()
        self._async = contextlib.AsyncExitStack()
        self._lock = threading.Lock()
        self._closed = False

    async def __call__(self, emit: Any) -> Any:
        """Open the backend (imports and an embedded engine start in a thread) and build the worker."""
        cm, worker_class = await asyncio.to_thread(self._prepare)
        if hasattr(cm, "__aenter__"):
            backend = await self._async.enter_async_context(cm)
        else:
            backend = await asyncio.to_thread(self._enter, cm)
        if self.logs is not None:  # the engine's uvicorn adds its own stderr handlers on start
            self.logs.redact.add(backend.token)
            self.logs.quiet_terminal()
        return worker_class(backend, paths=self.paths, settings=self.settings, emit=emit)

    def _prepare(self) -> tuple[Any, Any]:
        """Import the backend side (httpx, the engine) off the UI thread."""
        from reelterm.cli.backend import open_backend
        from reelterm.worker import BackendWorker

        return open_backend(self.api_flag, self.paths, self.settings, llm=self.llm), BackendWorker

    def _enter(self, cm: Any) -> Any:
        """Enter a sync context (in a thread); if the app closed meanwhile, close it again."""
        backend = self._sync.enter_context(cm)
        with self._lock:
            if self._closed:
                self._sync.close()
                raise RuntimeError("The app closed while the backend was starting.")
        return backend

    async def aclose(self) -> None:
        """Close what was opened (in the app's loop, before it ends)."""
        with self._lock:
            self._closed = True
        await self._async.aclose()
        await asyncio.to_thread(self._sync.close)
