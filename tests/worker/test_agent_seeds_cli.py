"""The seeds' prompts through `reelterm chat` (a subprocess, the real embedded engine and agent)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_worker_cli import json_lines, reelterm

pytestmark = pytest.mark.slow

AURORA = ("Meet Aurora, the smart desk lamp that adjusts its light to the time of day. "
          "It wakes you gently and helps you focus at night.")
XIAONUAN = "智能保温杯「小暖」全新上市。它能让饮品保温二十四小时，还会提醒你按时喝水。立即扫码购买！"


def _state(home: Path, api: list[str]) -> str:
    proc = reelterm(home, *api, "state")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize(("text", "message", "expect"), [
    (AURORA, "turn this text into a 30-second promotional video with visuals and music", ["Aurora", "30s"]),
    (AURORA, "generating videos from written text or scripts for marketers", ["Aurora"]),
    (XIAONUAN, "把这段文字做成30秒的宣传视频，要有画面和音乐", ["小暖", "30s"]),
])
def test_text_seed_prompts(engine, reelterm_home, tmp_path, text: str, message: str, expect: list[str]):
    script = tmp_path / "script.txt"
    script.write_text(text, encoding="utf-8")
    api = ["--api", engine.base_url]
    proc = reelterm(reelterm_home, *api, "chat", "--new", "--json", "--file", str(script), message)
    assert proc.returncode == 0, proc.stderr
    events = json_lines(proc)
    final = [e for e in events if e["event"] == "reply_final"][-1]["text"]
    assert "Which text" not in final and "哪段文字" not in final and "credit" not in final and "积分" not in final
    assert [e for e in events if e["event"] == "tool_started"][0]["name"] == "generate_video"
    state = _state(reelterm_home, api)
    for word in expect:
        assert word in state, state


def test_first_seed_with_text_after_the_colon_asks_for_an_mp4(engine, reelterm_home):
    """The seed that used to answer "Which text…?": the reply names the video and an MP4 render starts."""
    env = {**os.environ, "REELTERM_HOME": str(reelterm_home)}
    env.pop("NEMO_TOKEN", None)
    env.pop("REELTERM_API", None)
    message = f"convert a two-sentence product description into a 1080p MP4: {AURORA}"
    proc = subprocess.Popen([sys.executable, "-m", "reelterm", "--api", engine.base_url, "chat", "--new", "--json",
                             message], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    seen: list[dict] = []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            seen.append(json.loads(line))
            if seen[-1]["event"] == "render_queued" or time.monotonic() > deadline:
                break
    finally:
        proc.send_signal(signal.SIGINT)  # the 30-second 1080p render itself is not this test's business
        proc.wait(timeout=30)
    final = [e for e in seen if e["event"] == "reply_final"][-1]["text"]
    assert "Aurora" in final and "1920x1080" in final and "Which text" not in final
    queued = [e for e in seen if e["event"] == "render_queued"]
    assert queued and queued[-1]["fmt"] == "mp4"
    engine.state.queue.cancel(queued[-1]["render_id"])
    state = _state(reelterm_home, ["--api", engine.base_url])
    assert "Aurora" in state and "1080p" not in state and "product description" not in state
