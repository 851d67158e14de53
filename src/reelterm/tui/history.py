"""The messages the user sent, kept between runs (a private JSON file in the state dir)."""

from __future__ import annotations

import json
from pathlib import Path

from reelterm.config.files import write_private

HISTORY_LIMIT = 200
"""How many sent messages are remembered."""
MAX_MESSAGE_CHARS = 20_000
"""Longer messages (big pastes) are kept in the session but not written to the file."""


def load_history(file: Path | None) -> list[str]:
    """The remembered messages, oldest first ([] when there are none or the file is unreadable)."""
    if file is None:
        return []
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = data.get("messages", []) if isinstance(data, dict) else []
    return [item for item in items if isinstance(item, str) and item][-HISTORY_LIMIT:]


def save_history(file: Path | None, messages: list[str]) -> bool:
    """Write the last `HISTORY_LIMIT` messages (mode 0600, atomically); False when it failed."""
    if file is None:
        return False
    kept = [m for m in messages if len(m) <= MAX_MESSAGE_CHARS][-HISTORY_LIMIT:]
    data = json.dumps({"version": 1, "messages": kept}, ensure_ascii=False, indent=0)
    try:
        write_private(file, data.encode("utf-8"))
    except OSError:
        return False
    return True
