"""Upload checks and a streamed multipart body: a file is read chunk by chunk, never whole."""

from __future__ import annotations

import asyncio
import mimetypes
import os
import secrets
import stat
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from reelterm.client._errors import FileTooLarge, ReelError, UnsupportedFile
from reelterm.protocol import MAX_UPLOAD_BYTES, SUPPORTED_TEXT, SUPPORTED_UPLOADS, ErrorCode

CHUNK = 256 * 1024
"""Bytes read from a file per step of an upload."""

ProgressCallback = Callable[[int, int], None]
"""Called as `(bytes sent, total bytes)` while files upload."""


def accepted_action(accepted: Sequence[str]) -> str:
    """`Use one of: …; text: …` for an upload list (the hosted API's 13 or the local engine's more)."""
    if tuple(accepted) == SUPPORTED_UPLOADS:
        return ErrorCode.UNSUPPORTED_FILE.action
    media = [e for e in accepted if e not in SUPPORTED_TEXT and e != "jpeg"]
    return f"Use one of: {', '.join(media)}; text: {', '.join(SUPPORTED_TEXT)}."


def check_upload(path: str | os.PathLike[str], accepted: Sequence[str] = SUPPORTED_UPLOADS) -> None:
    """Raise `UnsupportedFile`/`FileTooLarge`/`ReelError` unless `path` may be uploaded; sends nothing.

    `accepted` is the backend's list of extensions: `SUPPORTED_UPLOADS` (the hosted API's 13 formats
    and text) by default, `LOCAL_UPLOADS` for reelterm's own engine.
    """
    p = Path(path)
    ext = p.suffix.lower().lstrip(".")
    if ext not in accepted:
        reason = f".{ext} files are not supported" if ext else "the name has no extension, so its type is unknown"
        raise UnsupportedFile(
            f"{p.name}: {reason}.",
            accepted_action(accepted),
            code=ErrorCode.UNSUPPORTED_FILE,
        )
    try:
        info = p.stat()
    except FileNotFoundError:
        raise ReelError(f"{p.name}: no such file.", "Check the path and try again.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ReelError(f"{p.name}: the file cannot be read ({type(exc).__name__}).",
                        "Check the file's permissions.") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReelError(f"{p.name} is a folder, not a regular file.", "Name the files inside it instead.")
    if not stat.S_ISREG(info.st_mode):
        raise ReelError(f"{p.name} is not a regular file.", "Choose a file, not a folder or device.")
    if info.st_size == 0:
        raise ReelError(f"{p.name} is empty (0 bytes).", "Choose the file again once it has been written.")
    if info.st_size > MAX_UPLOAD_BYTES:
        raise FileTooLarge(
            f"{p.name} is {info.st_size / 1e6:.0f} MB, over the 500 MB limit.",
            ErrorCode.FILE_TOO_LARGE.action,
            code=ErrorCode.FILE_TOO_LARGE,
        )


def _quote(name: str) -> str:
    """A filename safe inside `filename="..."` (as browsers and httpx escape it); bytes of a name
    that is not UTF-8 become U+FFFD."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    out = name.replace("\\", "\\\\").replace('"', "%22")
    return "".join(f"%{ord(c):02X}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in out)


class MultipartUpload:
    """A `multipart/form-data` body with one `files` field per file, streamed from disk."""

    def __init__(self, paths: Sequence[Path], on_progress: ProgressCallback | None = None) -> None:
        self.paths = [Path(p) for p in paths]
        self.on_progress = on_progress
        self.boundary = secrets.token_hex(16)
        self.sizes = [p.stat().st_size for p in self.paths]
        self.heads = [self._head(p) for p in self.paths]
        self.tail = f"--{self.boundary}--\r\n".encode()

    def _head(self, path: Path) -> bytes:
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return (f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="files"; filename="{_quote(path.name)}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n").encode()

    @property
    def content_type(self) -> str:
        """The request's Content-Type header."""
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def total(self) -> int:
        """Bytes of file content to send."""
        return sum(self.sizes)

    @property
    def content_length(self) -> int:
        """Bytes of the whole body."""
        return sum(len(h) + s + 2 for h, s in zip(self.heads, self.sizes, strict=True)) + len(self.tail)

    def headers(self) -> dict[str, str]:
        """Content-Type and Content-Length for this body."""
        return {"Content-Type": self.content_type, "Content-Length": str(self.content_length)}

    async def stream(self) -> AsyncIterator[bytes]:
        """The body, chunk by chunk; a fresh call starts over (for a retry)."""
        sent = 0
        total = self.total
        if self.on_progress:
            self.on_progress(0, total)
        for path, head, size in zip(self.paths, self.heads, self.sizes, strict=True):
            yield head
            left = size
            fh = await asyncio.to_thread(open, path, "rb")
            try:
                while left > 0:
                    chunk = await asyncio.to_thread(fh.read, min(CHUNK, left))
                    if not chunk:
                        raise ReelError(f"{path.name} got shorter while it was being uploaded.",
                                        "Upload it again once it is no longer being written.")
                    left -= len(chunk)
                    sent += len(chunk)
                    yield chunk
                    if self.on_progress:
                        self.on_progress(sent, total)
            finally:
                fh.close()
            yield b"\r\n"
        yield self.tail
