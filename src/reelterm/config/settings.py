"""User settings from `config.toml`, one documented field each."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
