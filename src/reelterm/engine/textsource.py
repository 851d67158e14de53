"""Text sources (TXT, DOCX, PDF) recognised by content, their text extracted."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_TEXT_CHARS = 200_000
"""Extracted text beyond this is cut."""


class TextSourceError(Exception):
    """A document that claims to be text but cannot be read; the message is a sentence."""


def sniff_text_kind(path: Path, filename: str) -> str | None:
    """`pdf`, `docx` or `txt` when the content is such a document, else None."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError):
            return None
        return None
    if filename.lower().rsplit(".", 1)[-1] in ("txt", "text", "md") and _looks_like_text(path):
        return "txt"
    return None


def _looks_like_text(path: Path) -> bool:
    data = path.read_bytes()[:65536]
    if not data or b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4:  # a cut multi-byte character at the end is fine
            return False
    return True


def extract_text(path: Path, kind: str) -> str:
    """The document's text; raises `TextSourceError` when it cannot be read or is empty."""
    try:
        if kind == "txt":
            text = path.read_bytes().decode("utf-8", errors="replace")
        elif kind == "docx":
            import docx  # lazy

            doc = docx.Document(str(path))
            text = "\n".join(p.text for p in doc.paragraphs)
        elif kind == "pdf":
            import pypdf  # lazy

            reader = pypdf.PdfReader(str(path))
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:200])
        else:
            raise TextSourceError("That document type is not supported.")
    except TextSourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - parsers raise many types on damaged files
        raise TextSourceError(f"The {kind.upper()} document could not be read.") from exc
    text = text.replace("\x00", "").strip()
    if not text:
        raise TextSourceError(f"The {kind.upper()} document has no text in it.")
    return text[:MAX_TEXT_CHARS]
