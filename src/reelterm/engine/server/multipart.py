"""Multipart uploads streamed to disk with a size guard: an oversized file is cut off at once."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from starlette.requests import Request

from reelterm.engine.storage import StorageError, open_private, storage_error

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_NAME_CHARS = 255
"""The longest file name kept (a longer one is cut in the middle, its extension kept)."""
MAX_PART_HEADER_BYTES = 64 * 1024
"""The longest header line of one part (its `Content-Disposition`, with the file name)."""


class BodyTooLarge(Exception):
    """A file in the body is over the limit."""


class BodyMalformed(Exception):
    """The body is not valid multipart form data; the message is a sentence."""


_DRAINED = (BodyTooLarge, StorageError)
"""Errors after which parsing stops; `limits.DrainUnread` reads and drops the rest before the answer."""


@dataclass
class ReceivedFile:
    """One file part, written to a temporary path."""

    filename: str
    path: Path
    size: int = 0
    sha: Any = field(default_factory=hashlib.sha256)
    digest: str | None = None
    """Set when the content was hashed elsewhere (URL downloads)."""

    @property
    def sha256(self) -> str:
        """Hex digest of the content."""
        return self.digest or self.sha.hexdigest()


_FORM_ESCAPE = re.compile(r"%(0[0-9A-Fa-f]|1[0-9A-Fa-f]|22|7[Ff])")
"""The escapes HTML5 forms, httpx and reelterm's client use in `filename="…"`: `"` and controls."""
_TERMINAL_SEQ = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]")
"""CSI escape sequences (colours, cursor moves, screen clears), removed whole."""
_INVISIBLE = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
"""Bidirectional controls that can disguise a name's extension."""


def decode_form_filename(raw: bytes | str | None) -> str | None:
    """A multipart `filename` parameter with the client's percent-escapes undone (bytes read as UTF-8)."""
    if raw is None:
        return None
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return _FORM_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clean_filename(text: str | None) -> str:
    """A name harmless to store and show (never a path): no controls, CSI sequences or bidi overrides."""
    if not text:
        return "upload"
    text = _TERMINAL_SEQ.sub("", text)
    out = []
    for char in text:
        cat = unicodedata.category(char)
        if char.isspace():
            out.append(" ")
        elif cat == "Cc" or ord(char) in _INVISIBLE:
            continue
        else:
            out.append("\ufffd" if cat == "Cs" else char)
    text = " ".join("".join(out).split())
    if len(text) > MAX_NAME_CHARS:  # cut the middle of the name, keep its extension
        stem, dot, ext = text.rpartition(".")
        keep = f".{ext}" if dot and stem and len(ext) <= 16 else ""
        text = text[: MAX_NAME_CHARS - len(keep) - 1].rstrip() + "…" + keep
    return text or "upload"


async def receive_files(request: Request, tmp_dir: Path, max_file_bytes: int,
                        field_names: tuple[str, ...] = ("files", "file"),
                        max_files: int = 32) -> list[ReceivedFile]:
    """Stream the request's multipart body into temp files; nothing stays on disk on error."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise BodyMalformed("The upload is not multipart form data with a boundary.")
    files: list[ReceivedFile] = []
    state = _Part()
    error: list[Exception] = []

    def on_part_begin() -> None:
        state.headers, state.current, state.fh = {}, None, None

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state.hname += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state.hval += data[start:end]

    def on_header_end() -> None:
        state.headers[state.hname.lower()] = state.hval
        state.hname, state.hval = b"", b""

    def on_headers_finished() -> None:
        disp, opts = parse_options_header(state.headers.get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("latin-1")
        if b"filename" not in opts or name not in field_names:
            return
        if len(files) >= max_files:
            error.append(BodyMalformed(f"At most {max_files} files can be sent at once."))
            return
        path = tmp_dir / f"in_{secrets.token_hex(8)}.part"
        rec = ReceivedFile(clean_filename(decode_form_filename(opts.get(b"filename"))), path)
        try:
            state.fh = open_private(path)  # closed in on_part_end / cleanup
        except OSError as exc:
            error.append(storage_error(exc, "the upload"))
            return
        files.append(rec)
        state.current = rec

    def on_part_data(data: bytes, start: int, end: int) -> None:
        rec, fh = state.current, state.fh
        if rec is None or fh is None or error:
            return
        chunk = data[start:end]
        rec.size += len(chunk)
        if rec.size > max_file_bytes:
            error.append(BodyTooLarge())
            return
        rec.sha.update(chunk)
        try:
            fh.write(chunk)
        except OSError as exc:  # disk full or gone: the part is dropped, the request refused
            error.append(storage_error(exc, "the upload"))

    def on_part_end() -> None:
        if state.fh is not None:
            try:
                state.fh.close()
            except OSError as exc:
                error.append(storage_error(exc, "the upload"))
        state.fh, state.current = None, None

    callbacks: MultipartCallbacks = {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
        "on_part_end": on_part_end}
    try:  # long file names are metadata, kept (cut to 255 characters), not a broken body
        parser = MultipartParser(boundary, callbacks, max_header_size=MAX_PART_HEADER_BYTES)
    except TypeError:  # python-multipart before 0.0.18 has no header size limit
        parser = MultipartParser(boundary, callbacks)
    try:
        async for chunk in request.stream():
            if error and isinstance(error[0], _DRAINED):
                break  # nothing more is parsed or written; the rest is drained before the answer
            parser.write(chunk)
            if error and not isinstance(error[0], _DRAINED):
                raise error[0]
            if error:
                _cleanup(files, state)
        if error:
            raise error[0]
        parser.finalize()
        if error:
            raise error[0]
    except (BodyTooLarge, BodyMalformed, StorageError):
        _cleanup(files, state)
        raise
    except Exception as exc:  # noqa: BLE001 - parser errors and client disconnects
        _cleanup(files, state)
        if "header size" in str(exc).lower():
            raise BodyMalformed(f"A file name (or another part header) in the upload is longer than "
                                f"{MAX_PART_HEADER_BYTES // 1024} KB. Rename the file to something "
                                "shorter and upload it again.") from exc
        raise BodyMalformed("The upload body could not be read as multipart form data.") from exc
    if state.fh is not None:
        _cleanup(files, state)
        raise BodyMalformed("The upload body ended in the middle of a file.")
    return files


@dataclass
class _Part:
    """The parser's place in the body: the part header being read, the part's headers, its file."""

    hname: bytes = b""
    hval: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    current: ReceivedFile | None = None
    fh: BinaryIO | None = None


def _cleanup(files: list[ReceivedFile], state: _Part) -> None:
    if state.fh is not None:
        with contextlib.suppress(OSError):  # a full disk can fail the final flush too
            state.fh.close()
        state.fh = None
    discard(files)


def discard(files: list[ReceivedFile]) -> None:
    """Delete the temp files of received parts."""
    for rec in files:
        try:
            os.unlink(rec.path)
        except FileNotFoundError:
            pass
