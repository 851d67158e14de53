"""Fixtures shared by the agent tests."""

from __future__ import annotations

import pytest

from reelterm.engine.agent import default_agent
from reelterm.engine.agent.llm import LlmSettings

from .llm_replies import KEY


@pytest.fixture
def llm(scripted_server, monkeypatch):
    """The scripted model server, the key in the environment, and the engine's agent pointed at it."""
    monkeypatch.setenv("REELTERM_LLM_API_KEY", KEY)
    settings = LlmSettings(url=scripted_server.base_url, model="qwen2.5:7b-instruct", timeout_s=5.0)
    scripted_server.agent = default_agent(llm=settings)
    return scripted_server
