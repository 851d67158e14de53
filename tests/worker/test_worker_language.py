"""The worker's own chat lines follow the session's language: Chinese for a Chinese turn, English otherwise."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from reelterm.worker import events as ev
from reelterm.worker.errors import localize
from reelterm.worker.gui_translate import _NOTICES
from reelterm.worker.lang import ZH_LINES, say, to_chinese, tool_name, turn_language
from reelterm.worker.turns import tool_finished_summary, tool_started_summary
from support.scripted_server import ADK_FRAMES, json_reply, ok, sse_reply

STATE = {"draft": {"m": {"title": "Urban Dreams"},
                   "t": [{"tt": 0, "sg": [{"id": "v", "s": 0, "d": 10000, "src": "upload:a",
                                           "m": {"name": "city timelapse"}}]}]}}
STATE_ROUTE = "/api/state/nemo_agent/me/*/latest"
ZH_MESSAGE = "帮我生成一段冲浪的猫的视频"
WORKER_SRC = Path(__file__).resolve().parents[2] / "src" / "reelterm" / "worker"


def frames(*raw: str) -> str:
    return "".join(f"data: {f}\n\n" for f in raw)


def text_event(text: str) -> str:
    return json.dumps({"content": {"parts": [{"text": text}], "role": "model"}, "turnComplete": True})


def tool_failed_event() -> str:
    return json.dumps({"content": {"parts": [{"functionResponse": {
        "id": "adk-1", "name": "generate_video", "response": {"status": "error", "error": "no frames in m_42"}}}],
        "role": "user"}})


ERROR_FRAME = json.dumps({"error": "model overloaded", "error_details": {}})


def chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


async def test_a_chinese_message_gets_chinese_tool_lines(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ADK_FRAMES[0], ADK_FRAMES[1], text_event("好了，视频在时间线上。"))))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send(ZH_MESSAGE)
    assert [e.summary for e in rec.of(ev.ToolStarted)] == ["正在生成视频（cat surfing）…"]
    assert [(e.summary, e.ok) for e in rec.of(ev.ToolFinished)] == [("生成视频完成。", True)]
    assert rec.of(ev.TurnFinished)[-1].ok


async def test_chinese_tool_failure_and_agent_error_frame(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ADK_FRAMES[0], tool_failed_event(),
                                                     text_event("抱歉，视频没有生成成功。"), ERROR_FRAME)))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send(ZH_MESSAGE)
    assert [(e.summary, e.ok) for e in rec.of(ev.ToolFinished)] == [("生成视频失败：no frames in m_42", False)]
    assert "智能体报告了一个问题：model overloaded" in [n.text for n in rec.of(ev.Notice)]


async def test_chinese_agent_error_without_reply(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ERROR_FRAME)))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send(ZH_MESSAGE)
    error = rec.of(ev.ErrorRaised)[-1]
    assert (error.sentence, error.action) == ("智能体没能完成：model overloaded", "请重试，或换一种说法提出请求。")


async def test_an_english_message_keeps_english_lines(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ADK_FRAMES[0], tool_failed_event(),
                                                     text_event("Sorry, that did not work."), ERROR_FRAME)))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("make a video of a cat surfing")
    assert [e.summary for e in rec.of(ev.ToolStarted)] == ["Working: generate video (cat surfing)…"]
    assert [e.summary for e in rec.of(ev.ToolFinished)] == ["Generate video failed: no frames in m_42"]
    assert "The agent reported a problem: model overloaded" in [n.text for n in rec.of(ev.Notice)]


async def test_a_dropped_connection_in_a_chinese_turn(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": STATE})))
    scripted.on("POST", "/run_sse", sse_reply(frames(ADK_FRAMES[0]), abort=True))
    worker, rec = make_worker(scripted_backend, state_poll_s=0.02)
    await worker.start()
    await worker.send("加一段轻松的音乐")
    assert scripted.count("POST", "/run_sse") == 1
    assert rec.of(ev.Notice)[0] == ev.Notice(
        "智能体工作时连接断开了。reelterm 不会重发这条消息，而是在观察时间线的变化。", warning=True)
    error = rec.of(ev.ErrorRaised)[-1]
    assert error.detail["kind"] == "StreamBroken"
    assert error.sentence == "智能体工作时连接断开了，时间线也没有变化。"
    assert error.action == "没有重复发送任何内容；如果仍需要，请再发一次请求。"


async def test_the_language_stays_for_lines_after_the_turn(scripted, scripted_backend, make_worker):
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": {"draft": None}})))
    scripted.on("POST", "/run_sse", sse_reply(frames(text_event("好的。"))))
    worker, rec = make_worker(scripted_backend)
    await worker.start()
    await worker.send("你好")
    await worker.export()  # a command after a Chinese turn: the empty-timeline error is Chinese too
    error = rec.of(ev.ErrorRaised)[-1]
    assert (error.sentence, error.action) == ("还没有可导出的内容：时间线是空的。", "请先上传素材，或让智能体先做一个视频。")


def test_the_turn_language_comes_from_the_message_or_the_reply():
    assert turn_language("把音乐换成轻松一点的") == "zh-CN"
    assert turn_language("make it calmer", "好的，已经换成轻松的音乐。") == "zh-CN"
    assert turn_language("make it calmer", "Done.") == "en"
    assert turn_language("make it calmer", "Done.", default="zh") == "zh"
    assert turn_language("把背景音乐换成 lofi_2") == "zh-CN"  # mostly Chinese with a name in it


def test_tool_lines_in_chinese_keep_ids_and_hints():
    assert tool_name("generate_video", "zh-CN") == "生成视频"
    assert tool_name("add_background_music", "zh") == "添加背景音乐"
    assert tool_started_summary("merge_media", {"video": "upload:u_1"}, "zh") == "正在合并素材…"
    assert tool_finished_summary("set_volume", {"summary": "music at 35% (m_9f3a)"}, "zh") == (
        "调整音量完成：music at 35% (m_9f3a)", True)
    assert tool_started_summary("add_sparkles", {}, "zh") == "正在运行 add sparkles …"
    assert tool_started_summary("merge_media", {}) == "Working: merge media…"


# --- every English line the worker writes has a Chinese form -------------------------------------

_LINE_CALLS = {"Notice", "ErrorRaised", "PreviewFailed", "RenderFailed", "SessionReplaced", "ReelError", "_fail"}
_LINE_NAMES = {"sentence", "action", "SILENT_UNCHANGED"}


def _templates(node: ast.AST) -> list[str]:
    """The string expressions in `node` as templates (`{}` for each f-string field)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.IfExp):
        return _templates(node.body) + _templates(node.orelse)
    return []


def _worker_lines() -> set[str]:
    """Every sentence the worker modules hand to an event (or to a helper that makes one)."""
    found: set[str] = set(_NOTICES.values())
    for path in WORKER_SRC.glob("*.py"):
        if path.name in ("lang.py", "state_diff.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in _LINE_CALLS:
                    for arg in [*node.args, *(k.value for k in node.keywords if k.arg != "detail")]:
                        found.update(_templates(arg))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id in _LINE_NAMES for t in targets) and node.value:
                    found.update(_templates(node.value))
    # A line made only of fields is someone else's text (the client's sentence, a render id).
    return {t for t in found if re.sub(r"\{\}|[\s:.]", "", t)}


_KEYS = {re.sub(r"\{\w+\}", "{}", key) for key in ZH_LINES}
WORKER_LINES = sorted(_worker_lines())


def test_the_scan_finds_the_worker_lines():
    assert len(WORKER_LINES) >= 40
    assert "The connection dropped while the agent was working, and the timeline did not change." in WORKER_LINES
    assert "The agent reported a problem: {}" in WORKER_LINES


@pytest.mark.parametrize("line", WORKER_LINES)
def test_every_worker_line_has_a_chinese_form(line: str):
    assert line in _KEYS, f"no Chinese form in reelterm.worker.lang.ZH_LINES for {line!r}"


_SAMPLE = {"path": "/tmp/My Clips/intro.mp4", "id": "render_7f3a9c", "n": "3", "kind": "KeyError",
           "error": "HTTP 503 from m_42", "value": "'../x'", "folder": "/home/me/Videos",
           "problem": "/mnt/full (No space left on device)", "problems": "/mnt/full (Disk full)",
           "reason": "Permission denied", "warning": "audio clipped at 12.5s", "tool": "生成视频",
           "hint": "cat surfing", "detail": "5s clip m_1"}
_ALLOWED = {"reelterm", "upload", "PATH", "file", "webm", "draft", "standard", "high", "renders"}


@pytest.mark.parametrize("english", sorted(ZH_LINES))
def test_each_chinese_form_is_chinese_and_keeps_the_values(english: str):
    zh = ZH_LINES[english]
    fields = set(re.findall(r"\{(\w+)\}", english))
    assert set(re.findall(r"\{(\w+)\}", zh)) == fields
    values = {f: _SAMPLE[f] for f in fields}
    assert say(english, "zh-CN", **values) == zh.format(**values)
    if "{tool}" not in english:  # the other lines are written in English and put in Chinese on the way out
        assert to_chinese(english.format(**values)) == zh.format(**values)  # paths, ids, numbers unchanged
    bare = re.sub(r"`[^`]*`|\{\w+\}", "", zh)
    assert chinese(bare) and set(re.findall(r"[A-Za-z]{4,}", bare)) <= _ALLOWED


def test_english_events_are_left_alone_and_unknown_lines_kept():
    notice = ev.Notice("The agent reported a problem: quota", warning=True)
    assert localize(notice, "en") is notice
    assert localize(notice, "zh-CN") == ev.Notice("智能体报告了一个问题：quota", warning=True)
    assert localize(ev.ReplyFinal("The render failed."), "zh") == ev.ReplyFinal("The render failed.")
    assert to_chinese("Some line reelterm does not write.") == "Some line reelterm does not write."
    assert to_chinese("Upload done: intro.mp4") == "Upload done: intro.mp4"  # not mistaken for a tool line


def test_segment_names_read_in_chinese_in_a_chinese_summary() -> None:
    """片头/场景2/背景音乐, not "Title card"/"Scene 2"/"Background music", in a Chinese session."""
    from reelterm.protocol import Draft
    from reelterm.worker.state_diff import describe_draft

    draft = Draft.model_validate({"t": [
        {"tt": 0, "id": "video", "sg": [{"id": "a", "s": 0, "d": 2000, "src": "color:#101010", "m": {"name": "Title card"}},
                                        {"id": "b", "s": 2000, "d": 2000, "src": "color:#101010", "m": {"name": "Scene 2"}}]},
        {"tt": 0, "id": "pictures", "sg": [{"id": "p", "s": 0, "d": 2000, "src": "icon:fluent/rocket",
                                            "m": {"name": "Picture 1 of scene 2"}}]},
        {"tt": 2, "id": "music", "sg": [{"id": "m", "s": 0, "d": 4000, "src": "music:calm/x", "m": {"name": "Background music"}}]}]})
    zh = describe_draft(draft, "zh")
    assert "片头" in zh and "场景2" in zh and "场景2的第1张图" in zh and "背景音乐" in zh, zh
    assert "Title card" not in zh and "Scene 2" not in zh and "Background music" not in zh, zh
    en = describe_draft(draft, "en")
    assert "Title card" in en and "Picture 1 of scene 2" in en, en
