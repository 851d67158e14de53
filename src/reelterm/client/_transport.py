"""One request with the protocol's headers and retry-once rules, and opening a `/run_sse` turn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import stamina
from httpx_sse import EventSource, aconnect_sse

from reelterm import __version__
from reelterm.client._auth import TokenKeeper
from reelterm.client._errors import (
    BackendError,
    BadResponse,
    ConnectionFailed,
    OutOfCredits,
    RateLimited,
    ReelError,
    StreamBroken,
    TokenInvalid,
    TurnTimedOut,
)
from reelterm.client._responses import interpret
from reelterm.client._sse import check_stream_start
from reelterm.protocol import ErrorCode

log = logging.getLogger("reelterm.client")

RETRY_ATTEMPTS = 2
"""Total attempts for a retryable error: the first try and exactly one retry."""
ENV_TOKEN_REFUSED = ("The backend refused the token in NEMO_TOKEN (it is expired, revoked or mistyped).",
                     "Set NEMO_TOKEN to a valid token, or unset it so that reelterm uses a token of its own.")
"""What a refused `NEMO_TOKEN` is when no anonymous token can stand in for it (the protocol's one try)."""


def _log_retry(details: stamina.instrumentation.RetryDetails) -> None:
    """Retries go to reelterm's own log (a file in headless commands), never to the terminal."""
    log.info("retrying %s (attempt %d) in %.1f s: %s", details.name, details.retry_num,
             details.wait_for, type(details.caused_by).__name__)


stamina.instrumentation.set_on_retry_hooks([_log_retry])


def retry_hook(exc: Exception) -> bool | float:
    """Stamina's backoff hook: retry only errors the client marked, after the wait it set."""
    if isinstance(exc, ReelError) and exc._retry_after is not None:
        return float(exc._retry_after)
    return False


class Transport:
    """The `httpx.AsyncClient`, the token keeper, the headers and the retry policy of one client."""

    def __init__(self, base_url: str, credentials_file: Path, token: str | None, *,
                 rate_limit_wait_s: float, skill_source: str, skill_platform: str,
                 connect_timeout_s: float, request_timeout_s: float, read_timeout_s: float,
                 transport: httpx.AsyncBaseTransport | None) -> None:
        self.base_url = base_url
        self.rate_limit_wait_s = rate_limit_wait_s
        self.skill_source = skill_source
        self.skill_platform = skill_platform
        self.read_timeout_s = read_timeout_s
        self.keeper = TokenKeeper(base_url, credentials_file, token, self._anonymous)
        self.timeout = httpx.Timeout(request_timeout_s, connect=connect_timeout_s)
        self.long = httpx.Timeout(read_timeout_s, connect=connect_timeout_s, write=read_timeout_s)
        self.http = httpx.AsyncClient(
            base_url=base_url, timeout=self.timeout, transport=transport,
            headers={"User-Agent": f"reelterm/{__version__}"},
        )

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, token_source={self.keeper.source!r})"

    def headers(self, token: str | None) -> dict[str, str]:
        """The attribution headers and client id, plus `Authorization` when `token` is given."""
        headers = {
            "X-Client-Id": self.keeper.client_id(),
            "X-Skill-Source": self.skill_source,
            "X-Skill-Version": __version__,
            "X-Skill-Platform": self.skill_platform,
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def token(self) -> str:
        """The token to send (fetched anonymously when needed; that fetch is not retried twice)."""
        try:
            return await self.keeper.token()
        except ReelError as exc:
            exc._retry_after = None  # the token request had its own retry; do not nest another
            if self.keeper.refused_source == "env":  # the real problem is the user's token
                raise TokenInvalid(*ENV_TOKEN_REFUSED, code=ErrorCode.TOKEN_INVALID,
                                   detail=exc.sentence) from None
            raise

    async def _anonymous(self) -> dict[str, Any]:
        path = "/api/auth/anonymous-token"
        if self.keeper.refused_source == "env":  # one try: a wait would only delay the real answer
            data = await self._send_once("POST", path, json=None, body=None, headers=None, auth=False,
                                         timeout=None)
        else:
            data = await self.request("POST", path, auth=False)
        if not isinstance(data, dict) or not isinstance(data.get("token"), str) or not data["token"]:
            raise BadResponse("The backend did not hand out an access token.",
                              "Check that the backend is a NemoVideo backend.")
        return data

    # ---- one request, with the protocol's retry-once rules --------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        body: Callable[[], AsyncIterator[bytes]] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: httpx.Timeout | None = None,
    ) -> Any:
        """Send one request and return the envelope's `data`; 1001, 400 and 429 are retried once."""
        async for attempt in stamina.retry_context(on=retry_hook, attempts=RETRY_ATTEMPTS, timeout=None):
            with attempt:
                return await self._send_once(method, path, json=json, body=body, headers=headers,
                                             auth=auth, timeout=timeout)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(self, method: str, path: str, *, json: Any, body: Any,
                         headers: Mapping[str, str] | None, auth: bool,
                         timeout: httpx.Timeout | None) -> Any:
        token = await self.token() if auth else None
        all_headers = {**self.headers(token), **(headers or {})}
        try:
            response = await self.http.request(
                method, path, json=json, content=body() if body else None, headers=all_headers,
                timeout=timeout or self.timeout,
            )
        except httpx.TimeoutException:
            raise ConnectionFailed("The backend did not answer in time.") from None
        except httpx.TransportError as exc:
            raise self._connection_failed(exc) from None
        log.debug("%s %s -> HTTP %s", method, path, response.status_code)
        try:
            return interpret(response.status_code, response.headers.get("content-type", ""),
                             response.content)
        except ReelError as exc:
            self.prepare(exc, token, auth, retry=True)
            raise

    def _connection_failed(self, exc: Exception) -> ConnectionFailed:
        if isinstance(exc, httpx.ConnectError):
            return ConnectionFailed(f"reelterm could not reach the backend at {self.base_url}.")
        return ConnectionFailed("The connection to the backend failed.")

    def prepare(self, exc: ReelError, token: str | None, auth: bool, *, retry: bool) -> None:
        """Fill in what the client knows (bind link, hidden token) and mark retryable errors."""
        if token:
            exc.hide(token)
        if isinstance(exc, OutOfCredits) and not exc.bind_url and self.keeper.is_anonymous:
            exc.bind_url = f"{self.base_url}/register?bind={quote(self.keeper.user_id, safe='')}"
            exc.action = f"Register at {exc.bind_url} to get more credits."
        if isinstance(exc, TokenInvalid) and auth:
            self.keeper.invalidate(token)
            exc._retry_after = 0.0
        elif not retry:
            return
        elif isinstance(exc, RateLimited):
            exc._retry_after = self.rate_limit_wait_s
        elif (isinstance(exc, BackendError) and exc.status == 400
              and exc.code == ErrorCode.HTTP_BAD_REQUEST and _about_client_id(exc.detail)):
            self.keeper.new_client_id()
            exc._retry_after = 0.0

    async def open_turn(self, body: dict[str, Any], deadline: float
                        ) -> tuple[contextlib.AsyncExitStack, EventSource]:
        """POST `/run_sse` and check the answer; the caller streams the source inside the stack."""
        stack = contextlib.AsyncExitStack()
        token: str | None = None
        try:
            async with asyncio.timeout_at(deadline):
                token = await self.token()
                timeout = httpx.Timeout(self.read_timeout_s, connect=self.timeout.connect)
                source = await stack.enter_async_context(aconnect_sse(
                    self.http, "POST", "/run_sse", json=body, headers=self.headers(token),
                    timeout=timeout))
                log.debug("POST /run_sse -> HTTP %s", source.response.status_code)
                await check_stream_start(source.response)
            return stack, source
        except ReelError as exc:
            await stack.aclose()
            self.prepare(exc, token, True, retry=False)
            raise
        except BaseException as exc:
            await stack.aclose()
            if isinstance(exc, TimeoutError | httpx.TimeoutException) and not isinstance(
                    exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                raise TurnTimedOut() from None
            if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
                raise self._connection_failed(exc) from None
            if isinstance(exc, httpx.TransportError):
                raise StreamBroken() from None
            raise


def _about_client_id(detail: str) -> bool:
    """True when a 400's message blames the client id, or says nothing at all."""
    text = detail.lower().replace("-", "").replace("_", "").replace(" ", "")
    return not text or "clientid" in text
