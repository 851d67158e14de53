"""The optional LLM: the studio agent against a scripted OpenAI-compatible server on 127.0.0.1.

Every answer a model server can give (a good tool call, streamed or not, and every way it can go
wrong) is replayed; each failure must leave the rule parser's own result plus a one-line notice.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest

from reelterm.engine.agent import default_agent
from reelterm.engine.agent.llm import LlmSettings
from reelterm.engine.planner.moods import mood_of
from support.scripted_server import body_of, json_reply, raw_reply, sse_reply

from .context import Session, text_upload
from .helpers import TEXT_EN, promo
from .llm_replies import KEY, answer, streamed

CHAT = "/v1/chat/completions"



def requests(server):
    """The JSON bodies of the chat requests the model server received."""
    return [body_of(r) for r in server.seen("POST", CHAT)]


def music_of(session: Session):
    tracks = [t for t in session.draft.t if t.tt == 1 and any(s.src.startswith("music:") for s in t.sg)]
    return tracks[0].sg[0] if tracks else None


def test_two_tool_calls_edit_the_draft_as_one_undoable_step(llm, caplog):
    caplog.set_level(logging.DEBUG)
    s = promo()
    versions = len(s.versions)
    llm.on("POST", CHAT, answer(("set_length", {"seconds": 20}), ("remove_music", {})))
    steps, reply = s.send(llm.agent, "it drags and the song is annoying")
    assert [t.name for t in steps] == ["set_length", "remove_music"]
    assert s.draft.duration_ms == 20_000 and music_of(s) is None
    assert "built-in parser" not in reply and "20" in reply
    assert len(s.versions) == versions + 1  # one commit for both edits
    s.send(llm.agent, "undo")  # handled by the rules, never sent to the model
    assert s.draft.duration_ms == 30_000 and music_of(s) is not None
    assert llm.count("POST", CHAT) == 1
    sent = requests(llm)[0]
    names = [t["function"]["name"] for t in sent["tools"]]
    assert {"set_length", "remove_music", "generate_video", "set_format", "set_music", "export"} <= set(names)
    spec = next(t["function"] for t in sent["tools"] if t["function"]["name"] == "set_length")
    assert spec["parameters"]["properties"]["seconds"]["maximum"] == 1800 and spec["description"]
    assert sent["tool_choice"] == "auto" and sent["model"] == "qwen2.5:7b-instruct"
    system = sent["messages"][0]["content"]
    assert "Acme AirBottle — 1920x1080, 30 s" in system and "Music: Background music (0–30s 35%)" in system
    assert sent["messages"][-1] == {"role": "user", "content": "it drags and the song is annoying"}
    seen = llm.seen("POST", CHAT)[0]
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in seen.body.decode() and KEY not in reply and KEY not in caplog.text


def test_a_streamed_tool_call_in_pieces_is_assembled(llm):
    s = promo()
    llm.on("POST", CHAT, streamed("set_format", {"aspect": "9:16"}))
    steps, reply = s.send(llm.agent, "I want this on TikTok")
    assert [t.name for t in steps] == ["set_format"]
    assert (s.draft.m.width, s.draft.m.height) == (1080, 1920)
    assert requests(llm)[0]["stream"] is True


def test_the_model_makes_a_video_from_the_uploaded_text(llm):
    s = Session(uploads=[text_upload("t1", TEXT_EN)])
    llm.on("POST", CHAT, answer(("generate_video", {"duration_s": 15, "aspect": "1:1", "mood": "calm"}),
                                ("export", {"format": "m4a"})))
    steps, reply = s.send(llm.agent, "pls turn my doc into a chill square clip, 15s, and gimme the audio as m4a")
    assert [t.name for t in steps] == ["generate_video", "export"]
    assert s.draft.duration_ms == 15_000 and (s.draft.m.width, s.draft.m.height) == (1080, 1080)
    assert mood_of(music_of(s).src) == "calm"
    assert steps[-1].state_delta["export_requested"] == {"format": "m4a", "quality": "high"}
    assert "Acme AirBottle" in s.draft.m.title


def test_text_from_the_model_reaches_the_screen_verbatim(llm):
    s = promo()
    words = 'Say "hi" to 「Aurora」 — 50% off'
    llm.on("POST", CHAT, answer(("add_text", {"text": words, "style": "caption", "start_s": 2, "end_s": 5})))
    steps, _ = s.send(llm.agent, "put the discount line from 2 to 5 s")
    assert steps[0].name == "add_text"
    shown = [seg for t in s.draft.t if t.tt == 7 for seg in t.sg if seg.m.text == words]
    assert len(shown) == 1 and (shown[0].s, shown[0].end) == (2000, 5000)


@pytest.mark.parametrize(("reply", "says"), [
    (answer(("set_length", '{"seconds": 15')), "set_length: arguments are not JSON"),
    (answer(("add_sparkles", {"amount": 3})), "unknown tool add_sparkles"),
    (answer(("set_length", {"seconds": 99999})), "seconds must be at most 1800"),
    (answer(("set_length", {"seconds": 15, "fps": 60})), "fps is not an argument"),
    (answer(("set_length", {})), "seconds is missing"),
    (answer(("add_text", {"text": "x" * 50_000, "style": "title"})), "arguments too long"),
    (answer(*[("set_length", {"seconds": 15})] * 9), "9 edits at once"),
    (answer(content="I'm sorry, but I can't help with editing videos."), "declined the request"),
    (answer(content=None, finish="content_filter"), "declined the request"),
    (answer(content="Sure thing!"), "answered without an edit"),
    (answer(content=""), "gave an empty answer"),
    (json_reply({"error": {"message": "model 'x' not found"}}, status=500), "answered with HTTP 500"),
    (json_reply({"error": "bad key"}, status=401), "answered with HTTP 401"),
    (raw_reply(b"<html><body>502 Bad Gateway</body></html>"), "sent an answer I could not read"),
    (sse_reply('data: {"choices": [{"delta": {"tool_calls": [{"index": 0, "function": {"name": "set_length", '
               '"arguments": "{\\"seconds\\""}}]}}]}\n\ndata: {"error": {"message": "out of memory"}}\n\n'),
     "reported an error"),
], ids=["bad-json", "unknown-tool", "above-maximum", "extra-argument", "missing-argument", "huge-string",
        "too-many-calls", "refusal", "content-filter", "text-only", "empty", "http-500", "http-401", "html",
        "error-frame"])
def test_every_bad_answer_falls_back_to_the_rule_parser_with_a_notice(llm, reply, says, caplog):
    caplog.set_level(logging.DEBUG)
    s = promo()
    llm.on("POST", CHAT, reply)
    steps, text = s.send(llm.agent, "make it 15 seconds")
    assert [t.name for t in steps] == ["set_length"] and s.draft.duration_ms == 15_000
    first = text.split(". ")[0] if "built-in parser." not in text else text.split("built-in parser.")[0]
    assert text.startswith("The model at http://127.0.0.1:") and says in first
    assert "I used the built-in parser." in text and "15" in text.split("built-in parser.")[1]
    assert "Traceback" not in text and KEY not in text and KEY not in caplog.text


def test_a_slow_stream_is_cut_at_the_deadline(llm):
    s = promo()
    agent = default_agent(llm=LlmSettings(url=llm.base_url, model="m", timeout_s=1.0))
    llm.on("POST", CHAT, streamed("set_length", {"seconds": 20}, delay=1.5))  # ~12 s in all
    start = time.monotonic()
    steps, text = s.send(agent, "make it 15 seconds")
    elapsed = time.monotonic() - start
    assert elapsed < 6.0, elapsed  # cut near the 1 s deadline, long before the stream ends
    assert text.startswith(f"The model at {llm.base_url} did not answer in 1 s; I used the built-in parser.")
    assert s.draft.duration_ms == 15_000


def test_a_refused_connection_falls_back_at_once():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the request: nothing listens
    s = promo()
    agent = default_agent(llm=LlmSettings(url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=30.0))
    start = time.monotonic()
    steps, text = s.send(agent, "remove the music")
    assert time.monotonic() - start < 10.0  # did not wait for the 30 s timeout
    assert text.startswith(f"I could not reach the model at http://127.0.0.1:{port}/v1; I used the built-in parser.")
    assert [t.name for t in steps] == ["remove_music"] and music_of(s) is None


def test_a_redirect_is_not_followed_so_the_key_stays_home(llm):
    s = promo()
    llm.on("POST", CHAT, json_reply({}, status=307, headers={"Location": "/elsewhere/v1/chat/completions"}))
    _, text = s.send(llm.agent, "make it 15 seconds")
    assert "redirected elsewhere (HTTP 307)" in text and s.draft.duration_ms == 15_000
    assert llm.count("POST", "/elsewhere/*") == 0


def test_a_key_in_the_url_is_never_shown(llm):
    s = promo()
    agent = default_agent(llm=LlmSettings(url=f"http://user:{KEY}@127.0.0.1:9/v1?key={KEY}", model="m",
                                        timeout_s=2.0))
    _, text = s.send(agent, "make it 15 seconds")
    assert KEY not in text and "http://127.0.0.1:9/v1" in text


def test_a_chinese_session_gets_the_notice_in_chinese(llm):
    s = promo()
    s.language = "zh-CN"
    llm.on("POST", CHAT, json_reply({}, status=503))
    _, text = s.send(llm.agent, "改成15秒")
    assert "返回了 HTTP 503" in text and "改用内置解析器" in text and s.draft.duration_ms == 15_000


def test_a_valid_call_that_cannot_be_applied_says_why_without_changing_anything(llm):
    s = Session()
    llm.on("POST", CHAT, answer(("set_length", {"seconds": 20})))
    steps, text = s.send(llm.agent, "make it 20 seconds")
    assert steps == [] and not s.draft.ready
    assert "built-in parser" not in text and text


def test_the_model_is_found_from_the_server_list_and_only_asked_once(llm):
    agent = default_agent(llm=LlmSettings(url=llm.base_url + "/listed/v1", timeout_s=5.0))
    llm.on("GET", "/listed/v1/models", json_reply({"object": "list", "data": [
        {"id": "llama3.1:8b", "object": "model", "owned_by": "library"}]}))
    llm.on("POST", "/listed/v1/chat/completions", answer(("set_length", {"seconds": 12})))
    s = promo()
    s.send(agent, "12 s please")
    s.send(agent, "now 10 s")
    assert s.draft.duration_ms == 12_000
    assert llm.count("GET", "/listed/v1/models") == 1
    assert [body_of(r)["model"] for r in llm.seen("POST", "/listed/v1/chat/completions")] == ["llama3.1:8b"] * 2


def test_a_huge_message_skips_the_model(llm):
    s = promo()
    llm.on("POST", CHAT, answer(("set_length", {"seconds": 12})))
    s.send(llm.agent, "make it 12 seconds")
    _, text = s.send(llm.agent, "make it 10 seconds " + "x" * 15_000)
    assert llm.count("POST", CHAT) == 1 and text.startswith("The message is too long for the model")



def test_a_question_the_model_answers_in_words_is_answered_from_the_draft_without_a_notice(llm):
    s = promo()
    llm.on("POST", CHAT, answer(content="The video is 30 seconds long."))
    steps, text = s.send(llm.agent, "how long is it?")
    assert steps == [] and "built-in parser" not in text and "30" in text
    assert llm.count("POST", CHAT) == 1


def test_a_timeline_key_request_goes_to_the_rules_alone(llm):
    s = promo()
    caption = next(seg for t in s.draft.t if t.tt == 7 for seg in t.sg)
    steps, _ = s.send(llm.agent, f"delete segment {caption.id}")
    assert steps and all(seg.id != caption.id for t in s.draft.t for seg in t.sg)
    assert llm.count("POST", CHAT) == 0


@pytest.mark.parametrize(("reply", "says"), [
    (answer(("set_length", "[" * 30_000 + "]" * 1000)), "set_length"),
    (answer(("set_length", {"seconds": 15, "\x1b[31mred\n": 1})), "red is not an argument"),
    (answer(("set_\x1b]0;pwned\x07length", {"seconds": 15})), "unknown tool set_0pwnedlength"),
], ids=["deep-nesting", "escape-in-key", "escape-in-name"])
def test_hostile_answers_fall_back_and_never_put_control_characters_in_the_reply(llm, reply, says):
    s = promo()
    llm.on("POST", CHAT, reply)
    _, text = s.send(llm.agent, "make it 15 seconds")
    assert "built-in parser" in text and says in text and s.draft.duration_ms == 15_000
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def test_a_chinese_session_gets_a_chinese_notice_for_an_english_message(llm):
    s = promo()
    s.language = "zh-CN"
    llm.on("POST", CHAT, json_reply({}, status=500))
    _, text = s.send(llm.agent, "make it 15 seconds")
    assert text.startswith(f"{llm.base_url} 上的模型返回了 HTTP 500，改用内置解析器。") and s.draft.duration_ms == 15_000
