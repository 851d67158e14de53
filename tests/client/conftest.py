"""Fixtures of the client tests: one scripted backend on a real socket, reset for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from reelterm.client import NemoClient
from support.scripted_server import SECRET, ScriptedServer, start_scripted_server


@pytest.fixture(scope="session")
def _scripted() -> Iterator[ScriptedServer]:
    script, thread = start_scripted_server()
    yield script
    thread.stop()


@pytest.fixture
def nemo_server(_scripted: ScriptedServer) -> Iterator[ScriptedServer]:
    """The scripted backend, with no script and no recorded requests."""
    _scripted.reset()
    yield _scripted
    _scripted.reset()


@pytest.fixture
async def client(nemo_server: ScriptedServer) -> AsyncIterator[NemoClient]:
    """A client on the scripted backend with an explicit token and a 50 ms rate-limit wait."""
    async with NemoClient(nemo_server.base_url, token=SECRET, rate_limit_wait_s=0.05) as c:
        yield c
