"""The credentials file: the install's client id and one token per backend, mode 0600."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reelterm.config.files import write_private

log = logging.getLogger("reelterm.client")


@dataclass
class StoredToken:
    """A token kept for one backend."""

    token: str
    user_id: str = ""
    expires_at: str | None = None

    def __repr__(self) -> str:
        return f"StoredToken(user_id={self.user_id!r}, token=<hidden>)"

    @property
    def expired(self) -> bool:
        """True when `expires_at` is a time in the past (unknown or unreadable means not expired)."""
        if not self.expires_at:
            return False
        try:
            when = datetime.fromisoformat(self.expires_at.replace("Z", "+00:00"))
        except ValueError:
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when <= datetime.now(UTC)


class Credentials:
    """Reads and writes `credentials.json`: `{"client_id": ..., "tokens": {base_url: {...}}}`."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._data: dict[str, Any] = self._read()

    def __repr__(self) -> str:
        return f"Credentials(file={str(self.file)!r})"

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("could not read %s (%s); starting without stored credentials",
                        self.file, type(exc).__name__)
            return {}
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            log.warning("%s is not valid JSON; starting without stored credentials", self.file)
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def client_id(self) -> str | None:
        """The stored client id, if any."""
        value = self._data.get("client_id")
        return value if isinstance(value, str) and value else None

    def ensure_client_id(self) -> str:
        """The stored client id, creating and saving a new UUID when there is none."""
        if self.client_id:
            return self.client_id
        self._data = self._read()  # another process may have created one meanwhile
        return self.client_id or self.new_client_id()

    def new_client_id(self) -> str:
        """Replace the client id with a fresh UUID and save it."""
        self._data = self._read() or self._data
        client_id = str(uuid.uuid4())
        self._data["client_id"] = client_id
        self.save()
        return client_id

    def token_for(self, base_url: str) -> StoredToken | None:
        """The token stored for `base_url`, if any."""
        tokens = self._data.get("tokens")
        entry = tokens.get(base_url) if isinstance(tokens, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("token"), str) or not entry["token"]:
            return None
        return StoredToken(entry["token"], str(entry.get("user_id") or ""), entry.get("expires_at"))

    def store_token(self, base_url: str, token: StoredToken) -> None:
        """Keep `token` for `base_url` and save."""
        self._data = self._read() or self._data
        tokens = self._data.get("tokens")
        if not isinstance(tokens, dict):
            tokens = self._data["tokens"] = {}
        tokens[base_url] = {"token": token.token, "user_id": token.user_id,
                            "expires_at": token.expires_at}
        self.save()

    def forget_token(self, base_url: str) -> None:
        """Drop the token stored for `base_url` and save."""
        self._data = self._read() or self._data
        tokens = self._data.get("tokens")
        if isinstance(tokens, dict) and tokens.pop(base_url, None) is not None:
            self.save()

    def save(self) -> None:
        """Write the file atomically with mode 0600 in a directory of mode 0700."""
        write_private(self.file, json.dumps(self._data, indent=2, sort_keys=True).encode("utf-8"))
