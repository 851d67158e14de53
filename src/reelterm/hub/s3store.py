"""The store in an S3 bucket (AWS, MinIO, SeaweedFS, Garage…) through boto3.

`s3://BUCKET/PREFIX`; the endpoint from `AWS_ENDPOINT_URL` (MinIO: `http://host:9000`), the
credentials from boto3's usual places (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `~/.aws`).
Keys are the folder store's keys under PREFIX; workers copy what they read into their work folder.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reelterm.hub.config import HubError
from reelterm.hub.store import Store, check_key

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX = re.compile(r"[A-Za-z0-9._/-]{0,200}")
_RENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")


class S3Store(Store):
    """A store in `bucket` under `prefix` (`""` or ending in `/`)."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None) -> None:
        self.bucket, self.prefix = bucket, prefix
        self._client = client

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        """The store named by `s3://bucket/prefix` (`HubError` for anything else)."""
        parts = urlsplit(url)
        bucket, prefix = parts.netloc, parts.path.strip("/")
        if not _BUCKET.fullmatch(bucket) or not _PREFIX.fullmatch(prefix) or ".." in prefix.split("/"):
            raise HubError("An S3 store is s3://BUCKET or s3://BUCKET/PREFIX (lower-case bucket name).")
        return cls(bucket, prefix + "/" if prefix else "")

    @property
    def url(self) -> str:
        """`s3://bucket/prefix`."""
        return f"s3://{self.bucket}/{self.prefix}"

    @property
    def client(self) -> Any:
        """The boto3 S3 client (made on first use)."""
        if self._client is None:
            try:
                import boto3
            except ImportError:
                raise HubError("An S3 store needs boto3: pip install 'reelterm[hub]'.") from None
            self._client = boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
                                        region_name=os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")
        return self._client

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def has(self, key: str) -> bool:
        """True when the object exists and is not empty."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except Exception as exc:  # noqa: BLE001 - botocore's ClientError 404 (or 403 without List)
            if _status(exc) in (403, 404):
                return False
            raise
        return int(head.get("ContentLength") or 0) > 0

    def put(self, src: Path, key: str) -> None:
        """Upload `src` to `key` (an S3 PUT is atomic: readers see the old object or the new one)."""
        self.client.upload_file(str(src), self.bucket, self._name(key))

    def fetch(self, key: str, dest_dir: Path) -> Path:
        """Download `key` into `dest_dir` (kept when already there: names are content hashes or fresh)."""
        dest = Path(dest_dir) / Path(check_key(key)).name
        if dest.is_file() and dest.stat().st_size > 0:
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = dest.parent / f".{dest.name}.{os.urandom(6).hex()}.tmp"
        try:
            try:
                self.client.download_file(self.bucket, self._name(key), str(tmp))
            except Exception as exc:  # noqa: BLE001
                if _status(exc) == 404:
                    raise FileNotFoundError(key) from None
                raise
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return dest

    def copy_out(self, key: str, dest: Path) -> None:
        """Download `key` to `dest`."""
        self.client.download_file(self.bucket, self._name(key), str(dest))

    def delete_render(self, render_id: str) -> None:
        """Delete every output of a render."""
        if not _RENDER.fullmatch(render_id):
            return
        with contextlib.suppress(Exception):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=f"{self.prefix}renders/{render_id}/")
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents") or []]
                if keys:
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})

    def check(self, create: bool = True) -> None:
        """`HubError` unless the bucket exists and can be written (a bucket is never created)."""
        del create
        probe = f"{self.prefix}.probe-{os.urandom(4).hex()}"
        try:
            self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"ok")
            self.client.delete_object(Bucket=self.bucket, Key=probe)
        except HubError:
            raise
        except Exception as exc:  # noqa: BLE001 - no bucket, no credentials, nothing listening
            detail = " ".join(str(exc).split())[:160] or type(exc).__name__
            raise HubError(f"The store {self.url} cannot be written ({detail}).") from None


def _status(exc: BaseException) -> int | None:
    """The HTTP status of a botocore error, if it has one."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        with contextlib.suppress(TypeError, ValueError):
            code = response.get("Error", {}).get("Code")
            if code in ("404", "NoSuchKey", "NotFound"):
                return 404
            return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0) or None
    return None
