"""The optional LLM through the real engine: embedded, `reelterm serve --llm`, and `reelterm chat --llm`."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from reelterm.config import app_paths
from reelterm.engine.agent.llm import LlmSettings
from reelterm.engine.embedded import start_embedded
from support.scripted_server import body_of, json_reply

from .helpers import new_session, sse_frames
from .test_serve import ATTR, _serve, _stop

KEY = "sk-engine-SECRET-9876543210"


@pytest.fixture(autouse=True)
def _keep_logging():
    """`main()` run in-process sends reelterm's logs to a file; put the logger back afterwards."""
    logger = logging.getLogger("reelterm")
    handlers, propagate = list(logger.handlers), logger.propagate
    yield
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.propagate = propagate
CHAT = "/v1/chat/completions"
TEXT = ("Meet Aurora, the smart desk lamp that follows the sun. It warms up at dusk and wakes you "
        "gently at dawn.")


def _completion(name: str, args: dict) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": "m", "choices": [{
        "index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]}}]}


def _events(frames: list[str]) -> list[dict]:
    return [json.loads(f[len("data: "):]) for f in frames if f.startswith("data: ")]


def _final_text(events: list[dict]) -> str:
    return events[-1]["content"]["parts"][0]["text"]


def test_the_embedded_engine_plans_with_the_model_and_falls_back(tmp_path, scripted_server, monkeypatch):
    monkeypatch.setenv("REELTERM_LLM_API_KEY", KEY)
    scripted_server.on("POST", CHAT, json_reply(_completion("generate_video", {"text": TEXT, "duration_s": 12,
                                                                           "aspect": "9:16"})),
                       json_reply({"error": "overloaded"}, status=500))
    llm = LlmSettings(url=scripted_server.base_url, model="m", timeout_s=5)
    eng = start_embedded(data_dir=tmp_path / "engine", llm=llm, heartbeat_s=0.2)
    try:
        with httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
            sid = new_session(api)
            first = _events(sse_frames(api, sid, "a 12 second vertical promo of my lamp text pls"))
            calls = [p["functionCall"] for e in first for p in e["content"]["parts"] if "functionCall" in p]
            assert [c["name"] for c in calls] == ["generate_video"]
            assert "Aurora" in _final_text(first)
            draft = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
            assert draft["d"] == 12_000 and (draft["m"]["width"], draft["m"]["height"]) == (1080, 1920)
            second = _events(sse_frames(api, sid, "make it 8 seconds"))
            text = _final_text(second)
            assert text.startswith(f"The model at {scripted_server.base_url} answered with HTTP 500; "
                                   "I used the built-in parser.")
            draft = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
            assert draft["d"] == 8_000
            assert KEY not in json.dumps(first + second)
        sent = scripted_server.seen("POST", CHAT)
        assert len(sent) == 2 and all(r.headers["authorization"] == f"Bearer {KEY}" for r in sent)
        assert "1080x1920, 12 s" in body_of(sent[1])["messages"][0]["content"]
    finally:
        eng.stop()


def test_serve_takes_llm_and_its_model(tmp_path, scripted_server, monkeypatch):
    scripted_server.on("POST", CHAT, json_reply(_completion("generate_video", {"text": TEXT, "duration_s": 10})))
    monkeypatch.setenv("REELTERM_LLM_API_KEY", KEY)  # the serve process inherits it
    proc, url, _ = _serve(tmp_path / "d", "--llm", scripted_server.base_url + "/v1", "--llm-model", "qwen3:4b")
    try:
        tok = httpx.post(f"{url}/api/auth/anonymous-token", headers={"X-Client-Id": "k"}).json()["data"]["token"]
        h = {"Authorization": f"Bearer {tok}", "X-Client-Id": "k", **ATTR}
        with httpx.Client(base_url=url, headers=h, timeout=30) as api:
            sid = new_session(api)
            text = _final_text(_events(sse_frames(api, sid, "video of this lamp, 10s")))
            assert "Aurora" in text and "built-in parser" not in text
    finally:
        _stop(proc)
        out, err = proc.communicate()
    sent = scripted_server.seen("POST", CHAT)
    assert len(sent) == 1 and body_of(sent[0])["model"] == "qwen3:4b"
    assert sent[0].headers["authorization"] == f"Bearer {KEY}" and KEY not in out + err


def _reelterm(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "REELTERM_HOME": str(home), **(env or {})}
    for name in ("NEMO_TOKEN", "REELTERM_API", "REELTERM_LLM"):
        full.pop(name, None) if name not in (env or {}) else None
    proc = subprocess.run([sys.executable, "-m", "reelterm", *args], capture_output=True, text=True, env=full,
                          timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.mark.slow
def test_chat_with_llm_from_the_flag_and_from_config(reelterm_home, scripted_server):
    scripted_server.on("POST", CHAT, json_reply(_completion("generate_video", {"text": TEXT, "duration_s": 10})))
    proc = _reelterm(reelterm_home, "--llm", scripted_server.base_url, "--llm-model", "flag-model", "chat", "--new",
                     "turn the lamp blurb into a 10 second video", env={"REELTERM_LLM_API_KEY": KEY})
    assert proc.returncode == 0, proc.stderr
    assert "Aurora" in proc.stdout and KEY not in proc.stdout + proc.stderr
    paths = app_paths().ensure()
    log = paths.state_dir / "headless-errors.log"
    assert not log.exists() or KEY not in log.read_text()
    paths.config_file.write_text(f'llm = "{scripted_server.base_url}/v1"\nllm_model = "cfg-model"\n'
                                 'llm_api_key_env = "MY_LLM_KEY"\nllm_timeout_s = 4\n')
    scripted_server.on("POST", CHAT, json_reply({}, status=503))
    proc = _reelterm(reelterm_home, "chat", "make it 6 seconds", env={"MY_LLM_KEY": KEY})
    assert proc.returncode == 0, proc.stderr
    assert f"The model at {scripted_server.base_url}/v1 answered with HTTP 503" in proc.stdout
    assert "6" in proc.stdout.split("built-in parser.")[1]
    sent = scripted_server.seen("POST", CHAT)
    assert [body_of(r)["model"] for r in sent] == ["flag-model", "cfg-model"]
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in sent)
    off = _reelterm(reelterm_home, "chat", "--llm", "off", "make it 5 seconds")
    assert off.returncode == 0 and "built-in parser" not in off.stdout and len(scripted_server.seen("POST", CHAT)) == 2


@pytest.mark.parametrize("args", [["chat", "--llm", "ftp://x", "hi"], ["--llm", "localhost:11434", "chat", "hi"],
                                  ["serve", "--port", "0", "--llm", "nope"], ["--llm", "nope"],
                                  ["app", "--llm", "file:///x"]])
def test_a_bad_llm_value_is_a_usage_error(reelterm_home, capsys, args):
    from reelterm.cli.main import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert "is not a model endpoint" in err and "http://127.0.0.1:11434" in err and "Traceback" not in err


def test_llm_with_a_remote_api_warns_that_it_is_ignored(reelterm_home, capsys):
    from reelterm.cli.main import main

    code = main(["--api", "http://127.0.0.1:9", "--llm", "http://127.0.0.1:11434", "chat", "hi"])
    err = capsys.readouterr().err
    assert code == 3 and "Warning: --llm applies to the local engine only" in err and "Traceback" not in err
