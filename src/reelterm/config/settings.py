"""User settings from `config.toml`, one documented field each."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reelterm.config.files import write_private
from reelterm.config.paths import AppPaths, app_paths

HOSTED_API = "https://mega-api-prod.nemovideo.ai"
"""The hosted NemoVideo API."""


class Settings(BaseModel):
    """Everything a user can set in `config.toml`."""

    model_config = ConfigDict(extra="ignore", use_attribute_docstrings=True)

    api: str = "local"
    """Backend: `local` (the embedded engine), `nemo` (the hosted API) or a base URL."""
    export_dir: Path | None = None
    """Where finished videos are saved; defaults to the Videos folder's `reelterm`."""
    language: str = "en"
    """The language new sessions are created with (`en`, `zh`, …)."""
    skill_platform: str = "unknown"
    """The `X-Skill-Platform` header sent to the hosted API."""
    theme: str = "textual-dark"
    """The Textual theme of the app (any built-in theme, including `ansi-dark` and `ansi-light`)."""
    keys: dict[str, str] = Field(default_factory=dict)
    """Key remaps: binding id to key list, e.g. `"reelterm.upload" = "ctrl+o,u"`."""
    export_quality: str = "high"
    """Default export quality: `draft`, `standard` or `high`."""
    export_format: str = "mp4"
    """Default export format."""
    rate_limit_wait_s: float = 30.0
    """How long to wait before retrying once after HTTP 429."""
    hub: str = ""
    """`reelterm serve` sends renders to Celery workers through this broker (redis://…); empty: in-process."""
    hub_store: str = ""
    """The store `reelterm serve` shares with the hub's workers: a folder or `s3://bucket/prefix`."""


def load_settings(paths: AppPaths | None = None) -> tuple[Settings, str | None]:
    """Read `config.toml`; on a broken file return defaults and a sentence saying why."""
    paths = paths or app_paths()
    file = paths.config_file
    if not file.exists():
        return Settings(), None
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        return Settings.model_validate(data), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as exc:
        return Settings(), f"{file} could not be read ({type(exc).__name__}); using defaults."


def save_setting(name: str, value: str, paths: AppPaths | None = None) -> str | None:
    """Set one top-level string setting in `config.toml`, keeping every other line as it was.

    Returns None when saved, else a sentence saying why not (the file is then left untouched).
    """
    paths = paths or app_paths()
    file = paths.config_file
    try:
        text = file.read_text(encoding="utf-8") if file.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        return f"{file} could not be read ({type(exc).__name__}), so the {name} was not saved."
    lines = text.splitlines(keepends=True)
    top = next((i for i, line in enumerate(lines) if re.match(r"\s*\[", line)), len(lines))
    entry = f"{name} = {json.dumps(value)}\n"  # a JSON string is a TOML basic string
    at = next((i for i in range(top) if re.match(rf"\s*{re.escape(name)}\s*=", lines[i])), None)
    if at is not None:
        lines[at] = entry
    else:
        if top and not lines[top - 1].endswith("\n"):
            lines[top - 1] += "\n"
        lines.insert(top, entry)
    new = "".join(lines)
    try:
        if tomllib.loads(new).get(name) != value:
            raise ValueError(name)
    except (tomllib.TOMLDecodeError, ValueError):
        return f"{file} has a {name} line reelterm cannot safely change; set {name} = {json.dumps(value)} there."
    try:
        write_private(file, new.encode("utf-8"))
    except OSError as exc:
        return f"{file} could not be written ({exc.strerror or type(exc).__name__}), so the {name} was not saved."
    return None


def resolve_api(cli_value: str | None, settings: Settings | None = None) -> str:
    """The backend to use: the `--api` flag, else `REELTERM_API`, else config, else `local`.

    Returns `local` or a base URL (`nemo` becomes the hosted API's URL).
    """
    value = cli_value or os.environ.get("REELTERM_API") or (settings.api if settings else "") or "local"
    value = value.strip()
    if value.lower() == "nemo":
        return HOSTED_API
    if value.lower() == "local":
        return "local"
    return value.rstrip("/")
