"""Fixtures of the client tests: one scripted backend on a real socket, reset for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from reelterm.client import NemoClient
from support.scripted_server import SECRET, ScriptedServer


@pytest.fixture
def nemo_server(scripted_server: ScriptedServer) -> ScriptedServer:
    """The scripted backend (tests/conftest.py), under the client tests' name."""
    return scripted_server


@pytest.fixture
async def client(nemo_server: ScriptedServer) -> AsyncIterator[NemoClient]:
    """A client on the scripted backend with an explicit token and a 50 ms rate-limit wait."""
    async with NemoClient(nemo_server.base_url, token=SECRET, rate_limit_wait_s=0.05) as c:
        yield c
