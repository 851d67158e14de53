"""Choosing the backend: the embedded local engine (started here) or a remote base URL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from reelterm.config import HOSTED_API, AppPaths, Settings, resolve_api
from reelterm.worker.options import Backend

__all__ = ["Backend", "BackendUnavailable", "BadBackendChoice", "open_backend"]


class BadBackendChoice(ValueError):
    """`--api`/`REELTERM_API`/config names something that is not `local`, `nemo` or an http(s) URL."""

    def __init__(self, value: str) -> None:
        self.sentence = (f"{value!r} is not a backend: use 'local', 'nemo' or an http(s) address "
                         "such as http://127.0.0.1:8765.")
        super().__init__(self.sentence)


class BackendUnavailable(RuntimeError):
    """The embedded engine could not be started."""

    def __init__(self, reason: str) -> None:
        self.sentence = f"The local engine could not start ({reason})."
        super().__init__(self.sentence)


def _label(url: str) -> str:
    return "hosted" if url.rstrip("/") == HOSTED_API else url


@contextlib.contextmanager
def open_backend(api_flag: str | None, paths: AppPaths, settings: Settings | None = None,
                 **engine_options: Any) -> Iterator[Backend]:
    """Yield the `Backend` to hand to `BackendWorker`; for `local`, run the embedded engine meanwhile.

    `api_flag` is the `--api` value (None: `REELTERM_API`, then config, then `local`).
    `engine_options` go to `start_embedded` (tests pass `agent=`, `heartbeat_s=`, …).
    Raises `BadBackendChoice` or `BackendUnavailable` with a `.sentence`.
    """
    target = resolve_api(api_flag, settings)
    if target != "local":
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadBackendChoice(target)
        yield Backend(base_url=target, token=None, is_local=False, label=_label(target))
        return
    try:
        from reelterm.engine.embedded import start_embedded

        engine = start_embedded(paths.ensure(), **engine_options)
    except (OSError, RuntimeError, ImportError) as exc:
        raise BackendUnavailable(str(exc) or type(exc).__name__) from None
    try:
        yield Backend(base_url=engine.base_url, token=engine.token, is_local=True, label="local engine")
    finally:
        engine.stop()
