"""The hub with an S3 store: moto's S3 server on loopback, a worker process, the real engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.helpers import wait_render
from reelterm.engine.embedded import start_embedded
from reelterm.hub.broker import free_port
from reelterm.hub.s3store import S3Store
from support.basic_agent import BasicAgent

from . import avsync
from .cluster import Cluster
from .test_hub import ATTR, FPS, GOP, _download, _submit

pytestmark = pytest.mark.slow
AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """moto's S3 server + a bucket + valkey-server + one worker using the bucket as its store."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    saved = {k: os.environ.get(k) for k in [*AWS, "AWS_ENDPOINT_URL"]}
    os.environ.update(AWS, AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}")
    cluster = None
    try:
        boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).create_bucket(Bucket="reelterm-test")
        cluster = Cluster(tmp_path_factory.mktemp("hub-s3"), store=S3Store.from_url("s3://reelterm-test/team"))
        cluster.start_worker()
        cluster.wait_ready(1)
        yield cluster
    finally:
        if cluster is not None:
            cluster.close()
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_a_render_through_an_s3_store_joins_cleanly_and_leaves_only_its_input(s3_cluster, tmp_path):
    import httpx

    clip = avsync.make_clip(tmp_path / "bars.mp4", frames=150, fps=FPS)
    eng = start_embedded(data_dir=tmp_path / "engine", agent=BasicAgent(), render_poll_s=0.1,
                         hub=s3_cluster.url, hub_store=s3_cluster.store.url,
                         hub_options={"gop": GOP, "slots": 2, "per_slot": 3, "min_chunk_s": 0,
                                      "visibility_s": 30.0})
    try:
        with httpx.Client(base_url=eng.base_url, headers={**eng.headers, **ATTR}, timeout=60) as api:
            job = _submit(api, clip, 150)
            done = wait_render(api, job, timeout=60)
            assert done["status"] == "completed", (done, s3_cluster.logs())
            out = _download(api, done, tmp_path / "out.mp4")
    finally:
        eng.stop()
    avsync.check(avsync.read(out), 150, FPS, list(range(0, 150, 5 * GOP)))
    listed = s3_cluster.store.client.list_objects_v2(Bucket="reelterm-test", Prefix="team/")
    keys = [item["Key"] for item in listed.get("Contents") or []]
    assert keys and all(k.startswith("team/objects/") and k.endswith(".mp4") for k in keys), keys
    # the worker kept its copy of the input by content hash inside its own work folder
    cached = list(Path(s3_cluster.root / "work0" / "objects").glob("*.mp4"))
    assert [p.name for p in cached] == [k.rsplit("/", 1)[1] for k in keys]
