"""The LLM planner's parts on their own: the schema checker, endpoint addresses, stream assembly."""

from __future__ import annotations

import threading

import pytest

from reelterm.engine.agent.llm import ToolSpec
from reelterm.engine.agent.llm.schema import SchemaError, check
from reelterm.engine.agent.llm.transport import _read_stream, endpoint, shown
from reelterm.engine.agent.studio.llm_turn import chinese, skip_model
from reelterm.engine.agent.studio.ops import tool_specs

from .llm_replies import stream_chunks

TOOLS = [ToolSpec(t["name"], t["description"], t["parameters"]) for t in tool_specs()]

SCHEMA = {"type": "object", "additionalProperties": False, "required": ["n"], "properties": {
    "n": {"type": "integer", "minimum": 1, "maximum": 10},
    "x": {"type": "number", "exclusiveMinimum": 0},
    "s": {"type": "string", "maxLength": 4, "minLength": 1},
    "e": {"type": "string", "enum": ["a", "b"]},
    "b": {"type": "boolean"},
    "l": {"type": "array", "items": {"type": "integer"}, "maxItems": 2}}}


@pytest.mark.parametrize(("value", "problem"), [
    ({}, "n is missing"),
    ({"n": 0}, "n must be at least 1"),
    ({"n": 11}, "n must be at most 10"),
    ({"n": "five"}, "n must be integer, not string"),
    ({"n": 2.5}, "n must be integer, not number"),
    ({"n": True}, "n must be integer, not boolean"),
    ({"n": 1, "x": 0}, "x must be above 0"),
    ({"n": 1, "s": "hello"}, "s is longer than 4 characters"),
    ({"n": 1, "s": ""}, "s is too short"),
    ({"n": 1, "e": "c"}, "e must be one of a, b"),
    ({"n": 1, "b": "yes"}, "b must be boolean"),
    ({"n": 1, "l": [1, 2, 3]}, "l has the wrong number of items"),
    ({"n": 1, "l": ["a"]}, "l[0] must be integer"),
    ({"n": 1, "zz": 1}, "zz is not an argument"),
    ({"n": 1, "x": float("nan")}, "x must be a finite number"),
])
def test_schema_violations_are_named(value, problem):
    with pytest.raises(SchemaError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        check(value, SCHEMA)


def test_whole_floats_and_number_strings_are_read_as_numbers():
    assert check({"n": 3.0, "x": "2.5"}, SCHEMA) == {"n": 3, "x": 2.5}
    assert check({"n": "7"}, SCHEMA) == {"n": 7}


def test_every_tool_spec_is_a_closed_object_schema_with_a_description():
    names = [t.name for t in TOOLS]
    assert len(names) == len(set(names))
    for tool in TOOLS:
        assert tool.description and tool.parameters["type"] == "object"
        assert tool.parameters["additionalProperties"] is False
        for name in tool.parameters["required"]:
            assert name in tool.parameters["properties"]


@pytest.mark.parametrize(("url", "chat"), [
    ("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1/chat/completions"),
    ("http://127.0.0.1:11434/", "http://127.0.0.1:11434/v1/chat/completions"),
    ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions"),
    ("https://api.groq.com/openai/v1/", "https://api.groq.com/openai/v1/chat/completions"),
    ("https://generativelanguage.googleapis.com/v1beta/openai",
     "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"),
    ("http://h:1/v1/chat/completions", "http://h:1/v1/chat/completions"),
])
def test_a_base_url_with_or_without_v1_finds_the_endpoint(url, chat):
    assert endpoint(url) == chat


def test_a_shown_url_has_no_credentials_or_query():
    assert shown("https://me:pw@example.com:8443/v1?api_key=k#x") == "https://example.com:8443/v1"


def test_streamed_pieces_make_one_call_and_frames_after_done_are_ignored():
    lines = "".join(stream_chunks("set_length", {"seconds": 20}, pieces=5)).split("\n")
    lines += ["data: not json", ""]
    answer = _read_stream(iter(lines), threading.Event())
    assert [(c.name, c.arguments) for c in answer.calls] == [("set_length", '{"seconds": 20}')]
    assert answer.finish_reason == "tool_calls"


@pytest.mark.parametrize("message", ["undo", "撤销", "redo", "delete segment v1",
                                     "move segment c2 later by 0.1s", "set the text of segment t1 to: Hi"])
def test_exact_commands_never_go_to_the_model(message):
    assert skip_model(message)


@pytest.mark.parametrize("message", ["make the song louder and cut it to 20 s", "how long is it?",
                                     "how do I make the music quieter"])
def test_ordinary_requests_go_to_the_model(message):
    assert not skip_model(message)


def test_arguments_sent_as_an_object_or_a_stream_without_its_type_are_read(scripted_server):
    from reelterm.engine.agent.llm import Calls, LlmSettings, plan_with_llm
    from support.scripted_server import json_reply, raw_reply

    from .llm_replies import stream_chunks

    settings = LlmSettings(url=scripted_server.base_url, model="m", timeout_s=5)
    scripted_server.on("POST", "/v1/chat/completions", json_reply({"choices": [{"message": {"tool_calls": [
        {"function": {"name": "set_length", "arguments": {"seconds": "20"}}}]}}]}),
        raw_reply("".join(stream_chunks("remove_music", {})).encode(), content_type="application/json"))
    first = plan_with_llm(settings, "20 s", "", TOOLS)
    second = plan_with_llm(settings, "no music", "", TOOLS)
    assert isinstance(first, Calls) and [(c.name, c.arguments) for c in first.calls] == [("set_length", {"seconds": 20})]
    assert isinstance(second, Calls) and [c.name for c in second.calls] == ["remove_music"]


def test_without_streaming_the_request_says_so(scripted_server):
    from reelterm.engine.agent.llm import Calls, LlmSettings, plan_with_llm
    from support.scripted_server import body_of, json_reply

    from .llm_replies import completion

    scripted_server.on("POST", "/v1/chat/completions", json_reply(completion(("remove_music", {}))))
    plan = plan_with_llm(LlmSettings(url=scripted_server.base_url, model="m", stream=False), "no music", "", TOOLS)
    assert isinstance(plan, Calls)
    assert body_of(scripted_server.seen("POST", "/v1/chat/completions")[0])["stream"] is False


def test_the_notice_language_follows_the_message_or_the_chinese_summary():
    assert chinese("改成15秒", "Acme — 1920x1080, 30 s")
    assert chinese("make it 15 s", "Acme——1920x1080，30秒\n1. 视频: …")
    assert chinese("make it 15 s", "时间线是空的——先让我用文字生成视频，或者上传素材。")
    assert not chinese("make it 15 s", "小暖 — 1920x1080, 30 s\n1. Video: Title card (0–3s)")


def test_earlier_messages_go_along_in_the_system_prompt():
    from reelterm.engine.agent.llm.plan import build_request

    body = build_request("now 10 s", "Acme — 1920x1080, 30 s", TOOLS, ["make a promo: Acme is…", "", "add music"])
    system = body["messages"][0]["content"]
    assert "Acme — 1920x1080, 30 s" in system and "User: make a promo: Acme is…\nUser: add music" in system
    assert body["tool_choice"] == "auto" and len(body["tools"]) == len(TOOLS)
