"""Local paths as the user typed them (`~` expanded), and web addresses told apart from files."""

from __future__ import annotations

from pathlib import Path


def local_path(text: str | Path) -> Path:
    """`text` as a path with `~` expanded (left as typed when there is no such user or home)."""
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:
        return path


def is_url(item: str | Path) -> bool:
    """True for an http(s) address."""
    return str(item).lower().startswith(("http://", "https://"))
