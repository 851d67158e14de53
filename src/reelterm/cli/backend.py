"""Choosing the backend: the embedded local engine (started here) or a remote base URL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reelterm.config import HOSTED_API, AppPaths, Settings, resolve_api, resolve_llm

if TYPE_CHECKING:
    from reelterm.engine.agent.llm import LlmSettings
    from reelterm.worker.options import Backend  # imported in open_backend: no httpx before the app

__all__ = ["BackendUnavailable", "BadBackendChoice", "BadLlmChoice", "llm_ignored", "llm_settings",
           "open_backend"]


class BadBackendChoice(ValueError):
    """`--api`/`REELTERM_API`/config names something that is not `local`, `nemo` or an http(s) URL."""

    def __init__(self, value: str) -> None:
        self.sentence = (f"{value!r} is not a backend: use 'local', 'nemo' or an http(s) address "
                         "such as http://127.0.0.1:8765.")
        super().__init__(self.sentence)


class BadLlmChoice(BadBackendChoice):
    """`--llm`/`REELTERM_LLM`/config names something that is not an http(s) URL."""

    def __init__(self, value: str) -> None:
        self.sentence = (f"{value[:80]!r} is not a model endpoint: give --llm an http(s) address such as "
                         "http://127.0.0.1:11434 (Ollama), or 'off'.")
        ValueError.__init__(self, self.sentence)


def llm_settings(llm_flag: str | None, settings: Settings | None = None,
                 model_flag: str | None = None) -> LlmSettings | None:
    """The model the local agent plans with (`--llm`, `REELTERM_LLM`, config), or None; raises `BadLlmChoice`."""
    url = resolve_llm(llm_flag, settings)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadLlmChoice(url)
    from reelterm.engine.agent.llm import DEFAULT_KEY_ENV, DEFAULT_TIMEOUT_S, LlmSettings

    return LlmSettings(url=url, model=(model_flag or (settings.llm_model if settings else "")).strip(),
                       api_key_env=(settings.llm_api_key_env if settings else "") or DEFAULT_KEY_ENV,
                       timeout_s=settings.llm_timeout_s if settings else DEFAULT_TIMEOUT_S,
                       stream=settings.llm_stream if settings else True)


def llm_ignored(api_flag: str | None, llm_flag: str | None, settings: Settings | None = None) -> str | None:
    """A warning when `--llm` is given for a backend that is not the local engine, else None."""
    if not llm_flag or resolve_llm(llm_flag, settings) is None or resolve_api(api_flag, settings) == "local":
        return None
    return "--llm applies to the local engine only; this backend plans with its own agent."


class BackendUnavailable(RuntimeError):
    """The embedded engine could not be started."""

    def __init__(self, reason: str) -> None:
        self.sentence = f"The local engine could not start ({reason})."
        super().__init__(self.sentence)


def _label(url: str) -> str:
    return "hosted" if url.rstrip("/") == HOSTED_API else url


@contextlib.contextmanager
def open_backend(api_flag: str | None, paths: AppPaths, settings: Settings | None = None, *,
                 llm_flag: str | None = None, llm_model: str | None = None,
                 **engine_options: Any) -> Iterator[Backend]:
    """Yield the `Backend` to hand to `BackendWorker`; for `local`, run the embedded engine meanwhile.

    `api_flag` is the `--api` value (None: `REELTERM_API`, then config, then `local`).
    `llm_flag`/`llm_model` are `--llm`/`--llm-model` (the model the local agent plans with; see
    `llm_settings`). `engine_options` go to `start_embedded` (tests pass `agent=`, `heartbeat_s=`, …).
    Raises `BadBackendChoice` (or its `BadLlmChoice`) or `BackendUnavailable` with a `.sentence`.
    """
    from reelterm.worker.options import Backend

    target = resolve_api(api_flag, settings)
    if target != "local":
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadBackendChoice(target)
        yield Backend(base_url=target, token=None, is_local=False, label=_label(target))
        return
    if "llm" not in engine_options:
        engine_options["llm"] = llm_settings(llm_flag, settings, llm_model)
    try:
        from reelterm.engine.embedded import start_embedded

        engine = start_embedded(paths.ensure(), **engine_options)
    except (OSError, RuntimeError, ImportError) as exc:
        raise BackendUnavailable(str(exc) or type(exc).__name__) from None
    try:
        llm = engine_options.get("llm")
        label = "local engine" + (f" + {urlsplit(llm.url).hostname}" if llm is not None else "")
        yield Backend(base_url=engine.base_url, token=engine.token, is_local=True, label=label)
    finally:
        engine.stop()
