"""Broker URLs (a password is required and never shown) and the Celery app's settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from reelterm.hub import QUEUE

VISIBILITY_S = 600.0
"""A task not acknowledged this long after delivery is given to another worker (a worker
killed whole). Chunks are planned to finish well inside it (see `plan.max_chunk_seconds`)."""
RESTORE_S = 1
"""How often each worker looks for such tasks (kombu's `unacked_restore_interval`)."""


class HubError(RuntimeError):
    """A hub setting is unusable; the text is the sentence to show."""


def password_file(state_dir: Path) -> Path:
    """Where `reelterm hub` keeps the broker's password (mode 0600)."""
    return state_dir / "hub" / "password"


def broker_url(url: str, *, password_files: tuple[Path, ...] = ()) -> str:
    """`url` with its password: from the URL, else `REELTERM_HUB_PASSWORD`, else the first readable file.

    Raises `HubError` for a URL that is not redis:// or rediss://, or when no password is found.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "valkey", "valkeys") or not parts.hostname:
        raise HubError(f"The hub must be a redis:// URL such as redis://127.0.0.1:6379/0, not {mask(url)!r}.")
    scheme = {"valkey": "redis", "valkeys": "rediss"}.get(parts.scheme, parts.scheme)
    password = unquote(parts.password) if parts.password else ""
    if not password:
        password = os.environ.get("REELTERM_HUB_PASSWORD", "")
    for path in password_files:
        if password:
            break
        try:
            password = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            continue
    if not password:
        raise HubError("The hub needs a password: put it in the URL (redis://:PASSWORD@host:port/0) "
                       "or in REELTERM_HUB_PASSWORD.")
    user = quote(unquote(parts.username), safe="") if parts.username else ""
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{user}:{quote(password, safe='')}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((scheme, netloc, parts.path or "/0", parts.query, ""))


def mask(url: str) -> str:
    """`url` with its password replaced by `****` (for logs and messages)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        user = parts.username or ""
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit((parts.scheme, f"{user}:****@{host}", parts.path, parts.query, ""))
    except ValueError:
        return "(a hub URL)"


def celery_settings(url: str, *, visibility_s: float = VISIBILITY_S) -> dict[str, Any]:
    """The settings every reelterm Celery app uses (engine and workers): JSON only, late acks."""
    transport = {"visibility_timeout": visibility_s, "unacked_restore_interval": RESTORE_S,
                 "unacked_restore_throttle": 1, "socket_timeout": 10, "socket_connect_timeout": 5}
    return {
        "broker_url": url,
        "result_backend": url,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": QUEUE,
        "task_track_started": True,
        "broker_transport_options": transport,
        "result_backend_transport_options": {"socket_timeout": 10, "socket_connect_timeout": 5},
        "result_expires": 24 * 3600,
        "broker_connection_retry_on_startup": True,
        "worker_send_task_events": False,
        "worker_hijack_root_logger": False,
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "task_store_errors_even_if_ignored": True,
    }


def make_app(url: str, *, visibility_s: float = VISIBILITY_S, name: str = "reelterm") -> Any:
    """A Celery app for `url` (with its password) and reelterm's settings."""
    from celery import Celery

    app = Celery(name)
    app.conf.update(celery_settings(url, visibility_s=visibility_s))
    return app


def visibility_from_env() -> float:
    """`REELTERM_HUB_VISIBILITY` seconds (at least 2), else `VISIBILITY_S`."""
    try:
        return max(2.0, float(os.environ.get("REELTERM_HUB_VISIBILITY", VISIBILITY_S)))
    except ValueError:
        return VISIBILITY_S
