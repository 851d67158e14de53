"""Fetch an upload by URL without SSRF: http/https only, public addresses only, capped and timed."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from reelterm.engine.storage import StorageError, open_private, storage_error

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5


class UrlRefused(Exception):
    """The URL cannot be fetched; the message is a sentence, `status` the HTTP status to answer with:
    403 for a private address, else 422 (well formed, but it could not be fetched: no such host,
    an error from the remote server, too slow); never a 5xx, which would blame the engine."""

    def __init__(self, sentence: str, status: int = 422) -> None:
        super().__init__(sentence)
        self.status = status


class UrlTooLarge(Exception):
    """The remote file is over the size limit."""


@dataclass
class Fetched:
    """A downloaded file in a temp path."""

    path: Path
    filename: str
    size: int
    sha256: str


Resolver = Callable[[str, int], list[str]]


def system_resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(addr: str) -> bool:
    """True when the address is a global unicast one (not loopback, private, link-local, …)."""
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def _target(url: str, allow_private: bool, resolve: Resolver) -> tuple[str, str, str]:
    """(url with the checked IP as host, Host header, hostname for SNI)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UrlRefused("Only http and https links can be uploaded.", 422)
    host = parts.hostname
    if not host:
        raise UrlRefused("The link has no host name.", 422)
    if parts.username or parts.password:
        raise UrlRefused("Links with a user name or password are not accepted.", 422)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UrlRefused("The link's port is not valid.", 422) from exc
    try:
        addrs = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise UrlRefused(f"The host {host[:80]} could not be found.") from exc
    if not addrs:
        raise UrlRefused(f"The host {host[:80]} could not be found.")
    if not allow_private:
        for addr in addrs:
            if not is_public(addr):
                raise UrlRefused("Links to local or private network addresses are not allowed.", 403)
    addr = addrs[0]
    ip_host = f"[{addr}]" if ":" in addr else addr
    netloc = f"{ip_host}:{port}"
    pinned = parts._replace(netloc=netloc).geturl()
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    return pinned, host_header, host


def fetch_url(url: str, dest_dir: Path, *, max_bytes: int, timeout_s: float,
              allow_private: bool = False, resolve: Resolver = system_resolve) -> Fetched:
    """`fetch_url_async` for callers without an event loop."""
    return asyncio.run(fetch_url_async(url, dest_dir, max_bytes=max_bytes, timeout_s=timeout_s,
                                       allow_private=allow_private, resolve=resolve))


async def fetch_url_async(url: str, dest_dir: Path, *, max_bytes: int, timeout_s: float,
                          allow_private: bool = False, resolve: Resolver = system_resolve) -> Fetched:
    """Download `url` into `dest_dir`, following at most 5 redirects, each checked again.

    `timeout_s` bounds the whole transfer (name lookups, headers, every byte), however slowly
    the server sends: the fetch is cancelled when it runs out, and holds no thread meanwhile.
    """
    import httpx  # lazy

    path = dest_dir / f"url_{secrets.token_hex(8)}.part"
    try:
        async with asyncio.timeout(timeout_s):
            return await _fetch(url.strip(), path, max_bytes, timeout_s, allow_private, resolve)
    except (UrlRefused, UrlTooLarge, StorageError):
        _unlink(path)
        raise
    except (TimeoutError, httpx.TimeoutException) as exc:
        _unlink(path)
        raise UrlRefused(f"The link took longer than the {timeout_s:g}-second limit to download.") from exc
    except (httpx.HTTPError, OSError, ValueError) as exc:
        _unlink(path)
        raise UrlRefused("The link could not be downloaded.") from exc
    except BaseException:
        _unlink(path)
        raise


async def _fetch(current: str, path: Path, max_bytes: int, timeout_s: float, allow_private: bool,
                 resolve: Resolver) -> Fetched:
    import httpx

    async with httpx.AsyncClient(timeout=httpx.Timeout(min(timeout_s, 30.0)), follow_redirects=False,
                                 trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            pinned, host_header, sni = await asyncio.to_thread(_target, current, allow_private, resolve)
            ext = {"sni_hostname": sni} if urlsplit(current).scheme == "https" else {}
            req = client.build_request("GET", pinned, headers={"Host": host_header}, extensions=ext)
            resp = await client.send(req, stream=True)
            try:
                if resp.status_code in (301, 302, 303, 307, 308) and "location" in resp.headers:
                    current = urljoin(current, resp.headers["location"])
                    continue
                if resp.status_code != 200:
                    raise UrlRefused(f"The link answered HTTP {resp.status_code}.")
                length = resp.headers.get("content-length", "")
                if length.isdigit() and int(length) > max_bytes:
                    raise UrlTooLarge()
                return await _save(resp, path, current, max_bytes)
            finally:
                await resp.aclose()
        raise UrlRefused("The link redirects too many times.")


async def _save(resp: httpx.Response, path: Path, url: str, max_bytes: int) -> Fetched:
    sha, size = hashlib.sha256(), 0
    try:
        fh = open_private(path)
    except OSError as exc:
        raise storage_error(exc, "the download") from None
    try:
        async for chunk in resp.aiter_bytes():  # as the bytes arrive, whatever their size
            size += len(chunk)
            if size > max_bytes:
                raise UrlTooLarge()
            sha.update(chunk)
            try:
                fh.write(chunk)
            except OSError as exc:  # the disk, not the link: say so
                raise storage_error(exc, "the download") from None
        try:
            fh.close()
        except OSError as exc:
            raise storage_error(exc, "the download") from None
    finally:
        with contextlib.suppress(OSError):
            fh.close()
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "download"
    return Fetched(path, name, size, sha.hexdigest())


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
