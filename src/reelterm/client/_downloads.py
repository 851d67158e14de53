"""Downloads streamed to a temporary file beside the destination, renamed into place when complete."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from reelterm.client._errors import ConnectionFailed, ReelError
from reelterm.client._responses import interpret, read_error_body

DownloadProgress = Callable[[int, int | None], None]
"""Called as `(bytes received, total bytes or None when unknown)`."""


def resolve_url(base_url: str, url: str) -> str:
    """`url` made absolute against the base URL; only http and https are allowed."""
    absolute = urljoin(base_url.rstrip("/") + "/", url) if not urlsplit(url).scheme else url
    if urlsplit(absolute).scheme not in ("http", "https"):
        raise ReelError("The render's download link is not a web address reelterm can fetch.",
                        "Download the file from the backend's website instead.")
    return absolute


def same_origin(a: str, b: str) -> bool:
    """True when two URLs share scheme, host and port."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\/:*?\"<>|]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_NAME_CHARS = 120
"""Longest file name a download gets (well under the 255-byte limit of common file systems)."""


def safe_file_name(name: str) -> str | None:
    """`name` with separators and controls replaced and length bounded, or None when it has no
    `stem.ext` shape or would be hidden or reserved on Windows."""
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(" ._") or not suffix.isalnum() or stem.split(".")[0].upper() in _RESERVED:
        return None
    return f"{stem[:MAX_NAME_CHARS - len(suffix) - 1]}.{suffix}" if len(name) > MAX_NAME_CHARS else name


def name_from_url(url: str, fallback: str) -> str:
    """The safe file name at the end of `url`, else the safe form of `fallback`, else `render.mp4`."""
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    return safe_file_name(name) or safe_file_name(fallback) or "render.mp4"


def target_path(dest: Path, url: str, fallback: str) -> Path:
    """`dest` itself, or a file named after the URL inside `dest` when it is a directory."""
    return dest / name_from_url(url, fallback) if dest.is_dir() else dest


async def stream_to_file(
    client: httpx.AsyncClient,
    url: str,
    dest: Path,
    *,
    headers: dict[str, str],
    on_progress: DownloadProgress | None = None,
) -> Path:
    """GET `url` into `dest` through a `.part` file that is fsynced and renamed when complete."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{secrets.token_hex(4)}.part"
    done = False
    try:
        async with client.stream("GET", url, headers=headers, follow_redirects=True) as response:
            if not 200 <= response.status_code < 300:
                body = await read_error_body(response)
                interpret(response.status_code, response.headers.get("content-type", ""), body)
                raise ReelError(f"The download failed (HTTP {response.status_code}).")
            total = _length(response)
            got = 0
            fh = await asyncio.to_thread(open, tmp, "wb")
            try:
                if on_progress:
                    on_progress(0, total)
                async for chunk in response.aiter_bytes():
                    await asyncio.to_thread(fh.write, chunk)
                    got += len(chunk)
                    if on_progress:
                        on_progress(got, total)
                await asyncio.to_thread(fh.flush)
                await asyncio.to_thread(os.fsync, fh.fileno())
            finally:
                fh.close()
            if total is not None and got != total:
                raise ConnectionFailed("The download stopped before the whole file arrived.",
                                       "Nothing was saved; try the download again.")
        os.replace(tmp, dest)
        done = True
        return dest
    except (httpx.TransportError, httpx.StreamError):
        raise ConnectionFailed("The connection dropped during the download.",
                               "Nothing was saved; try the download again.") from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or "content-encoding" in response.headers:
        return None
    try:
        return int(value)
    except ValueError:
        return None

