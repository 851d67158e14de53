"""Which token to send: explicit, then `NEMO_TOKEN`, then the stored one, then a new anonymous one."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from reelterm.client._credentials import Credentials, StoredToken


class TokenKeeper:
    """Holds the token in use and the install's client id; the token never leaves except as a header."""

    def __init__(self, base_url: str, credentials_file: Path, explicit: str | None,
                 fetch_anonymous: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self.base_url = base_url
        self._creds = Credentials(credentials_file)
        self._explicit = explicit or None
        self._fetch_anonymous = fetch_anonymous
        self._token: str | None = None
        self._resolved = False
        self._lock = asyncio.Lock()
        self.source = ""
        self.user_id = ""
        self.refused_source = ""
        """Where the last token the backend refused (1001) came from (`env` for NEMO_TOKEN), or ''."""

    def __repr__(self) -> str:
        return f"TokenKeeper(base_url={self.base_url!r}, source={self.source!r})"

    @property
    def is_anonymous(self) -> bool:
        """True when the user is an anonymous one (the token came from the anonymous route)."""
        return self.source == "anonymous" or self.user_id.startswith("anon")

    def client_id(self) -> str:
        """The stored client id, created on first use."""
        return self._creds.ensure_client_id()

    def new_client_id(self) -> str:
        """Replace the client id (after the backend refused it)."""
        return self._creds.new_client_id()

    def _first_choice(self) -> str | None:
        if self._explicit:
            self.source = "explicit"
            return self._explicit
        env = os.environ.get("NEMO_TOKEN", "").strip()
        if env:
            self.source = "env"
            return env
        stored = self._creds.token_for(self.base_url)
        if stored is not None and not stored.expired:
            self.source = "stored"
            self.user_id = stored.user_id
            return stored.token
        return None

    async def token(self) -> str:
        """The token to send, fetching an anonymous one when there is none."""
        async with self._lock:
            if self._token:
                return self._token
            if not self._resolved:
                self._resolved = True
                self._token = self._first_choice()
                if self._token:
                    return self._token
            data = await self._fetch_anonymous()
            fresh = StoredToken(data["token"], str(data.get("user_id") or ""),
                                data.get("expires_at") if isinstance(data.get("expires_at"), str) else None)
            self._creds.store_token(self.base_url, fresh)
            self._token, self.source, self.user_id = fresh.token, "anonymous", fresh.user_id
            return self._token

    def invalidate(self, token: str | None) -> None:
        """Forget `token` after a 1001: the next request fetches an anonymous one (once per 1001)."""
        if token is None or token != self._token:
            return
        self.refused_source = self.source
        if self.source in ("stored", "anonymous"):
            self._creds.forget_token(self.base_url)
        self._token = None
        self._resolved = True
