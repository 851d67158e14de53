"""Worker events as plain JSON objects (the `--json` lines of the headless commands)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reelterm.worker.events import WorkerEvent


def event_name(event: WorkerEvent) -> str:
    """The snake_case name of an event's class: `ReplyDelta` -> `reply_delta`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def event_to_dict(event: WorkerEvent) -> dict[str, Any]:
    """`{"event": "<name>", ...fields}` with models, paths and nested data made JSON-ready."""
    body = {f.name: _plain(getattr(event, f.name)) for f in dataclasses.fields(event)}
    return {"event": event_name(event), **body}
