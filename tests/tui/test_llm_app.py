"""The app with `--llm`: the opener hands the model to the embedded engine's agent."""

from __future__ import annotations

import json

import pytest

from reelterm.config import Settings, app_paths
from reelterm.engine.agent.llm import LlmSettings
from reelterm.tui.app import ReelApp
from reelterm.tui.widgets.chat import Reply
from support.demo import screen_text
from support.scripted_server import body_of, json_reply

from .test_engine import until

pytestmark = pytest.mark.slow

TEXT = "Meet Aurora, the smart desk lamp that follows the sun. It wakes you gently at dawn."


async def test_the_app_plans_with_the_model_then_falls_back(scripted_server) -> None:
    from reelterm.cli.app_backend import BackendOpener

    call = {"id": "c1", "type": "function", "function": {"name": "generate_video",
                                                          "arguments": json.dumps({"text": TEXT, "duration_s": 10})}}
    scripted_server.on("POST", "/v1/chat/completions", json_reply({"choices": [{"index": 0, "message": {
        "role": "assistant", "content": "", "tool_calls": [call]}, "finish_reason": "tool_calls"}]}),
        json_reply({"error": "down"}, status=502))
    opener = BackendOpener(None, app_paths().ensure(), Settings(),
                           llm=LlmSettings(url=scripted_server.base_url, model="m", timeout_s=5))
    app = ReelApp(opener, on_shutdown=opener.aclose)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.status.connection == "connected")
        assert app.status.backend == "local engine + 127.0.0.1"
        await pilot.press(*"a ten second clip about my lamp", "enter")
        await until(pilot, lambda: app.query(Reply) and not app.status.activity)
        assert "Aurora" in app.query(Reply).last().source
        await pilot.press(*"make it 6 seconds", "enter")
        await until(pilot, lambda: len(app.query(Reply)) == 2 and not app.status.activity)
        reply = app.query(Reply).last().source
        assert reply.startswith(f"The model at {scripted_server.base_url} answered with HTTP 502")
        assert "6s" in screen_text(app)  # the rules' edit reached the timeline
    sent = scripted_server.seen("POST", "/v1/chat/completions")
    assert [body_of(r)["messages"][-1]["content"] for r in sent] == ["a ten second clip about my lamp",
                                                                       "make it 6 seconds"]
