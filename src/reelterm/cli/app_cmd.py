"""Opening the terminal app: the first screen comes up at once, the backend connects after."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    """Add `reelterm app`."""
    p = sub.add_parser("app", help="open the terminal app (the default)")
    p.add_argument("--session", metavar="ID", default=None, help="continue this session")
    p.add_argument("--new", action="store_true", help="start a new session")
    p.set_defaults(func=run_app)


class BackendOpener:
    """Opens the backend and the worker inside the app's event loop; closes them at the end."""

    def __init__(self, api_flag: str | None, paths: Any, settings: Any, logs: Any = None) -> None:
        self.api_flag = api_flag
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
            self.logs.redact.add(getattr(backend, "token", None))
            self.logs.quiet_terminal()
        return worker_class(backend, paths=self.paths, settings=self.settings, emit=emit)

    def _prepare(self) -> tuple[Any, Any]:
        """Import the backend side (httpx, the engine) off the UI thread."""
        from reelterm.cli.backend import open_backend
        from reelterm.worker import BackendWorker

        return open_backend(self.api_flag, self.paths, self.settings), BackendWorker

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


def backend_label(api: str) -> str:
    """`local engine`, `hosted` or the URL."""
    from reelterm.config import HOSTED_API

    if api == "local":
        return "local engine"
    return "hosted" if api.rstrip("/") == HOSTED_API else api


def run_app(args: argparse.Namespace) -> int:
    """Open the terminal app."""
    from reelterm.config import app_paths, load_settings, resolve_api
    from reelterm.tui.app import ReelApp
    from reelterm.tui.applog import AppLogging
    from reelterm.tui.preview import prepare_terminal_images

    paths = app_paths().ensure()
    settings, warning = load_settings(paths)
    api_flag = getattr(args, "api", None)
    logs = AppLogging(paths.state_dir).install()
    opener = BackendOpener(api_flag, paths, settings, logs)
    app = ReelApp(
        opener,
        backend_label=backend_label(resolve_api(api_flag, settings)),
        keys=settings.keys,
        theme=settings.theme,
        export_format=settings.export_format,
        export_quality=settings.export_quality,
        session_id=getattr(args, "session", None),
        new_session=bool(getattr(args, "new", False)),
        notices=[warning] if warning else [],
        on_shutdown=opener.aclose,
        history_file=paths.state_dir / "prompt-history.json",
        log_file=logs.file,
    )
    prepare_terminal_images()
    try:
        app.run()
    finally:
        logs.close()
    return int(app.return_code or 0)
