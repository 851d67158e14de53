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
    llm: str = ""
    """An OpenAI-compatible chat-completions endpoint with tool calling (Ollama, llama.cpp's server,
    vLLM, LM Studio, a hosted one) that plans the local agent's edits, e.g. `http://127.0.0.1:11434`;
    empty or `off`: the built-in rule parser only. `--llm` and `REELTERM_LLM` override it."""
    llm_model: str = ""
    """The model name sent to `llm`; empty: the first model the server lists under `/models`."""
    llm_api_key_env: str = "REELTERM_LLM_API_KEY"
    """The name of the environment variable that holds the API key for `llm` (sent only as an
    `Authorization` header). The key itself is never read from this file."""
    llm_timeout_s: float = Field(default=10.0, gt=0, le=600)
    """The whole time one model request may take; after it the rule parser answers instead."""
    llm_stream: bool = True
    """Ask `llm` for a streamed answer; set false for a server that cannot stream tool calls."""
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
        settings = Settings.model_validate(data)
        if any(k in data for k in ("llm_api_key", "api_key")):
            return settings, (f"{file} holds an API key, which reelterm never reads from it: put the key in "
                              f"the environment variable {settings.llm_api_key_env} and delete that line.")
        return settings, None
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


def resolve_llm(cli_value: str | None, settings: Settings | None = None) -> str | None:
    """The model endpoint to use: `--llm`, else `REELTERM_LLM`, else `llm` in config; None when off."""
    for value in (cli_value, os.environ.get("REELTERM_LLM"), settings.llm if settings else None):
        if value is not None and value.strip():
            value = value.strip()
            return None if value.lower() in ("off", "none", "no", "false") else value
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
