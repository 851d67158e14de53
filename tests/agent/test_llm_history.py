"""The optional LLM sees the session's recent turns (bounded), so "make that 15 instead" has a referent."""

from __future__ import annotations

from reelterm.engine.agent.llm.plan import MAX_HISTORY, MAX_HISTORY_CHARS, MAX_TURN_CHARS
from reelterm.engine.agent.studio import StudioAgent
from support.scripted_server import body_of

from .context import Session
from .helpers import TEXT_EN, promo
from .llm_replies import answer

CHAT = "/v1/chat/completions"



def _system(server, n: int) -> str:
    return body_of(server.seen("POST", CHAT)[n])["messages"][0]["content"]


def test_the_second_request_carries_the_first_message_and_its_reply(llm) -> None:
    s = promo()
    llm.on("POST", CHAT, answer(("set_length", {"seconds": 20})), answer(("set_length", {"seconds": 15})))
    _, first = s.send(llm.agent, "cut it to 20 seconds")
    steps, _ = s.send(llm.agent, "hmm, make that 15 instead")
    assert [t.name for t in steps] == ["set_length"] and s.draft.duration_ms == 15_000
    system = _system(llm, 1)
    assert "User: cut it to 20 seconds" in system
    assert f"You: {' '.join(first.split())[:MAX_TURN_CHARS - 1]}" in system, "the agent's own reply goes along"
    assert "20" in first
    last = body_of(llm.seen("POST", CHAT)[1])["messages"][-1]
    assert last == {"role": "user", "content": "hmm, make that 15 instead"}
    assert "User: hmm, make that 15" not in system, "the current message is not repeated as history"


def test_the_history_is_bounded_to_the_newest_turns(llm) -> None:
    pasted = "Acme " + "word " * 2000
    s = Session(history=[f"request number {i}" for i in range(20)] + [pasted])
    llm.on("POST", CHAT, answer(("generate_video", {"text": TEXT_EN})))
    s.send(llm.agent, "make a video of my last message")
    system = _system(llm, 0)
    shown = [line for line in system.splitlines() if line.startswith("User: ")]
    assert len(shown) == MAX_HISTORY
    assert shown[0] == "User: request number 15" and "request number 14" not in system
    assert shown[-1].startswith("User: Acme word") and len(shown[-1]) <= len("User: ") + MAX_TURN_CHARS
    earlier = system.split("Earlier in this session", 1)[1]
    assert len(earlier) < MAX_HISTORY_CHARS + 200


def test_a_session_without_history_sends_no_history_block(llm) -> None:
    s = promo()  # made by the rules before the model was asked, so its history has one message
    s.history.clear()
    llm.on("POST", CHAT, answer(("remove_music", {})))
    s.send(llm.agent, "drop the music")
    assert "Earlier in this session" not in _system(llm, 0)


def test_replies_are_kept_per_session_and_never_leak_across_sessions() -> None:
    seen: list[list[tuple[str, str]]] = []

    def model(message, summary, tools, turns):
        seen.append(list(turns))
        return None  # the rules answer

    agent = StudioAgent(model)
    a, b = promo(), promo()
    b_ctx_id = "s2"
    _, reply = a.send(agent, "make it 12 seconds")
    ctx = b.context()
    ctx.session_id = b_ctx_id
    list(agent.respond(ctx, "make it square"))
    a.send(agent, "and vertical")
    assert seen[-1][-1] == ("make it 12 seconds", reply)
    assert all(r == "" for _, r in seen[1]), "session s2 never sees s1's replies"
