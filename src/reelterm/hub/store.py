"""The shared store: inputs addressed by content hash, render outputs under deterministic keys.

A shared folder (a local path, NFS, SMB, sshfs...: `file:///srv/reelterm-store` or a plain path)
or an S3 bucket (`s3://bucket/prefix`, see `s3store`). Keys are checked against a fixed pattern,
so no key can reach outside the folder or the prefix.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from reelterm.hub.config import HubError

_OBJECT = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,8}")
"""An input: `<sha256>.<suffix>`."""
_KEY = re.compile(r"(objects/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{1,8}"
                  r"|renders/[A-Za-z0-9_-]{1,64}/[0-9a-f]{24}/[a-z0-9-]{1,40}\.[a-z0-9]{1,4})")
_RENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_object_name(name: str) -> bool:
    """True for an input's name in the store (`<sha256>.<suffix>`)."""
    return bool(_OBJECT.fullmatch(name))


def object_key(name: str) -> str:
    """The key of an input called `name` (`<sha256>.<suffix>`)."""
    if not is_object_name(name):
        raise HubError("That is not the name of a stored input.")
    return f"objects/{name[:2]}/{name}"


def output_key(render_id: str, sig: str, name: str) -> str:
    """The deterministic key of one output of a render (a re-run overwrites the same object)."""
    key = f"renders/{render_id}/{sig}/{name}"
    if not _KEY.fullmatch(key):
        raise HubError("That is not a valid key for a render's output.")
    return key


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def object_name(path: Path, sha: str | None = None) -> str:
    """`<sha256>.<suffix>` for a file (the suffix keeps probing by name working)."""
    suffix = re.sub(r"[^a-z0-9]", "", path.suffix.lower())[:8] or "bin"
    return f"{sha or file_sha256(path)}.{suffix}"


class Store(Protocol):
    """What the engine and the workers need of a store (`FolderStore`, `S3Store`)."""

    @property
    def url(self) -> str: ...

    def has(self, key: str) -> bool: ...
    def put(self, src: Path, key: str) -> None: ...

    def put_input(self, src: Path, name: str) -> str:
        """Store an input under its content name unless it is there; returns its key."""
        key = object_key(name)
        if not self.has(key):
            self.put(src, key)
        return key

    def fetch(self, key: str, dest_dir: Path) -> Path: ...
    def copy_out(self, key: str, dest: Path) -> None: ...
    def delete_render(self, render_id: str) -> None: ...
    def check(self, create: bool = True) -> None: ...


class FolderStore(Store):
    """A store in a folder every machine mounts at the same or another path."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser().resolve()

    @property
    def url(self) -> str:
        """`file://` URL of the folder."""
        return self.root.as_uri()

    def path(self, key: str) -> Path:
        """Where `key` lives (read it in place; never write to it directly)."""
        if not _KEY.fullmatch(key):
            raise HubError("That is not a valid key in the store.")
        return self.root / key

    def has(self, key: str) -> bool:
        """True when the object exists (and is not empty)."""
        try:
            return self.path(key).stat().st_size > 0
        except OSError:
            return False

    def put(self, src: Path, key: str) -> None:
        """Copy `src` to `key` atomically (a temp name beside it, then a rename)."""
        dest = self.path(key)
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = dest.parent / f".{dest.name}.{os.urandom(6).hex()}.tmp"
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def fetch(self, key: str, dest_dir: Path) -> Path:
        """A local file with the object's bytes: here, the object itself (read it, never write it)."""
        del dest_dir
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path

    def copy_out(self, key: str, dest: Path) -> None:
        """Copy the object at `key` to `dest` (a hard link when on the same file system)."""
        src = self.path(key)
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)

    def delete_render(self, render_id: str) -> None:
        """Remove every output of a render."""
        if not _RENDER.fullmatch(render_id):
            return
        shutil.rmtree(self.root / "renders" / render_id, ignore_errors=True)

    def check(self, create: bool = True) -> None:
        """`HubError` unless the folder exists (made when `create`) and can be written."""
        if not create and not self.root.is_dir():
            raise HubError(f"The store folder {self.root} does not exist on this machine: mount the "
                           "shared folder there first (or give its path here with --store).")
        try:
            (self.root / "objects").mkdir(parents=True, exist_ok=True, mode=0o700)
            probe = self.root / f".probe-{os.urandom(4).hex()}"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise HubError(f"The store folder {self.root} cannot be written ({exc.strerror or exc}).") from None


def check_key(key: str) -> str:
    """`key` if it matches the store's fixed key pattern, else `HubError`."""
    if not _KEY.fullmatch(key):
        raise HubError("That is not a valid key in the store.")
    return key


def open_store(url: str) -> Store:
    """The store at `url`: `s3://bucket[/prefix]` (an S3 API: AWS, MinIO, SeaweedFS…),
    `file:///path` or a plain path (a shared folder)."""
    url = url.strip()
    if not url:
        raise HubError("No store was given: pass --store with a shared folder or an s3:// bucket.")
    parts = urlsplit(url)
    if parts.scheme == "s3":
        from reelterm.hub.s3store import S3Store

        return S3Store.from_url(url)
    if parts.scheme in ("http", "https", "minio"):
        raise HubError("Give an S3 store as s3://BUCKET/PREFIX and its address in AWS_ENDPOINT_URL.")
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise HubError("A file:// store must be on this machine's file system (file:///path).")
        return FolderStore(Path(unquote(parts.path)))
    if parts.scheme and len(parts.scheme) > 1:
        raise HubError(f"The store must be a folder (file:///path) or s3://, not a {parts.scheme}:// URL.")
    return FolderStore(Path(url))
