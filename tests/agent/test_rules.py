"""The rule table, the clause splitter and the tool specs, each checked by what it does to a draft."""

from __future__ import annotations

import pytest

from reelterm.engine.agent.studio.clauses import split
from reelterm.engine.agent.studio.ops import TOOLS, to_message, tool_specs
from reelterm.engine.agent.studio.rules import RULES, rule_for
from reelterm.engine.agent.studio.source import split_source

from .corpus import _session
from .helpers import AGENT

EXAMPLES = [(rule.name, ex) for rule in RULES for ex in rule.examples]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[f"{n}:{e[:30]}" for n, e in EXAMPLES])
def test_every_rule_example_reaches_its_rule(name: str, example: str) -> None:
    from reelterm.engine.agent.studio.rules import rules_after

    chains = [rules_after(example, r, has_draft=d) for d in (True, False)
              if (r := rule_for(example, has_draft=d)) is not None]
    assert name in [r.name for chain in chains for r in chain], (example, [[r.name for r in c] for c in chains])


def test_every_rule_names_a_handler_that_exists() -> None:
    from reelterm.engine.agent.studio.rules import handlers_of

    for rule in RULES:  # every module a rule names ships with reelterm: a broken import fails here
        assert len(handlers_of(rule)) == len([h for h in (rule.handler or "").split("+") if h]), rule.name


def test_a_rule_whose_module_is_missing_is_passed_over() -> None:
    from reelterm.engine.agent.studio.rules import Rule, handlers_of

    assert handlers_of(Rule("x", "no_such_module:go", ())) == []
    assert rule_for("plain captions", has_draft=True).name in ("caption_style", "speech")


def test_a_rule_added_from_another_module_is_one_entry(monkeypatch) -> None:
    from reelterm.engine.agent.studio import rules
    from reelterm.engine.agent.studio.rules import Rule

    monkeypatch.setattr(rules, "RULES", [Rule("sparkle", "questions:answer", ("add sparkles",),
                                               any_of=(r"\bsparkles?\b",)), *rules.RULES])
    assert rules.rule_for("add sparkles to scene 2", has_draft=True).name == "sparkle"


@pytest.mark.parametrize(("message", "parts"), [
    ("cut it to 20 seconds and drop the music", ["cut it to 20 seconds", "drop the music"]),
    ("make it black and white", ["make it black and white"]),
    ("add rock and roll music", ["add rock and roll music"]),
    ("swap scenes 1 and 2", ["swap scenes 1 and 2"]),
    ("cut between 2 and 5 seconds", ["cut between 2 and 5 seconds"]),
    ("add a fade in and fade out", ["add a fade in and fade out"]),
    ("remove the music and the narration", ["remove the music", "remove the narration"]),
    ("add a caption 'Sale, today and tomorrow' and make it square",
     ["add a caption 'Sale, today and tomorrow'", "make it square"]),
    ("改成竖屏，然后把音乐换成轻松的", ["改成竖屏", "把音乐换成轻松的"]),
    ("改成竖屏再导出mp4", ["改成竖屏", "导出mp4"]),
    ("音乐再大声很多", ["音乐再大声很多"]),
    ("scene 2 is boring, cut it", ["scene 2 is boring, cut it"]),
    ("set the text of segment k2 to: and then, also: scene 2", ["set the text of segment k2 to: and then, also: scene 2"]),
])
def test_clauses(message: str, parts: list[str]) -> None:
    assert [c.text for c in split(message, has_draft=True)] == parts


@pytest.mark.parametrize(("message", "text", "not_in"), [
    ("convert a two-sentence product description into a 1080p MP4: Meet Aurora, the lamp. It glows.",
     "Meet Aurora, the lamp. It glows.", "1080p"),
    ("Meet Aurora, the lamp. It glows at night.\n\nturn this into a 20 second video for tiktok",
     "Meet Aurora, the lamp. It glows at night.", "tiktok"),
    ("Script: Meet Aurora, the lamp. It glows. Length: 20 seconds. Platform: Instagram Reels",
     "Meet Aurora, the lamp. It glows.", "Length"),
    ("以下是文案，帮我生成一个30秒的视频\n「青柠」气泡水，零糖零卡。", "「青柠」气泡水，零糖零卡。", "30秒"),
])
def test_source_text_and_instruction_are_apart(message: str, text: str, not_in: str) -> None:
    source = split_source(message)
    assert source is not None and source.text == text and not_in not in source.text and source.asks()


def test_tool_specs_are_json_schemas_with_unique_names() -> None:
    specs = tool_specs()
    assert len({s["name"] for s in specs}) == len(specs) >= 25
    for spec in specs:
        params = spec["parameters"]
        assert spec["description"] and params["type"] == "object" and params["additionalProperties"] is False
        assert set(params["required"]) <= set(params["properties"])
        for prop in params["properties"].values():
            assert prop["type"] in ("string", "integer", "number", "boolean") and prop["description"]


CALLS = [
    ("set_music", {"mood": "calm", "volume_percent": 20}, "set_music"),
    ("remove_music", {}, "remove_music"),
    ("set_volume", {"track": "music", "percent": 20}, "set_volume"),
    ("change_volume", {"track": "music", "direction": "quieter", "amount": "a bit"}, "set_volume"),
    ("set_length", {"seconds": 15}, "set_length"),
    ("cut_range", {"start_s": 2, "end_s": 5}, "cut_range"),
    ("keep_range", {"start_s": 0, "end_s": 10}, "keep_range"),
    ("add_text", {"style": "caption", "text": "Sale, “today” and 'tomorrow'", "start_s": 2, "end_s": 5}, "add_text"),
    ("edit_text", {"style": "title", "text": "Cold Brew"}, "edit_text"),
    ("remove_text", {"style": "caption"}, "remove_text"),
    ("swap_scenes", {"a": 1, "b": 2}, "reorder_scenes"),
    ("move_scene", {"scene": 2, "to": "start"}, "reorder_scenes"),
    ("move_scene", {"scene": 1, "to": "later"}, "move_scene"),
    ("remove_scene", {"scene": 1}, "remove_scene"),
    ("reverse_scenes", {}, "reorder_scenes"),
    ("set_format", {"aspect": "9:16", "resolution": "720p"}, "set_format"),
    ("set_fades", {"fade_in": True, "fade_out": False, "seconds": 2}, "set_fades"),
    ("set_transitions", {"transition": "dissolve", "seconds": 1}, "set_transitions"),
    ("set_transitions", {"transition": "none"}, "set_transitions"),
    ("set_caption_style", {"style": "words"}, "set_caption_style"),
    ("set_voice_speed", {"speed": 0.8}, "set_voice_speed"),
    ("export", {"format": "m4a", "quality": "draft"}, "export"),
    ("delete_segment", {"segment": "k1"}, "delete_segment"),
    ("move_segment", {"segment": "c1", "seconds": -1}, "move_segment"),
    ("trim_segment", {"segment": "c1", "edge": "end", "seconds": 1}, "trim_segment"),
    ("split_segment", {"segment": "c1", "at_s": 10}, "split_segment"),
    ("set_segment_text", {"segment": "c1", "text": "Hi: and then, also"}, "set_segment_text"),
    ("set_segment_volume", {"segment": "music1", "percent": 45}, "set_segment_volume"),
]


@pytest.mark.parametrize(("name", "args", "step"), CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_a_tool_call_applies_like_the_typed_request(name: str, args: dict, step: str) -> None:
    session = _session("promo")
    steps = list(AGENT.respond_calls(session.context(), [(name, args)]))
    assert step in [s.name for s in steps if hasattr(s, "state_delta")], steps
    typed = _session("promo")
    message, problem = to_message(name, args)
    assert problem is None and message
    typed.send(AGENT, message)
    assert typed.draft.wire() == session.draft.wire()


def test_generate_video_call_keeps_the_instruction_off_screen() -> None:
    session = _session("empty")
    list(AGENT.respond_calls(session.context(), [("generate_video", {
        "text": "Brewlab is a smart coffee scale that guides every pour. Order yours today.",
        "duration_s": 20, "aspect": "9:16", "mood": "calm", "export_format": "webm"})]))
    draft = session.draft
    words = " ".join(s.m.text or "" for t in draft.t if t.tt == 7 for s in t.sg)
    assert draft.duration_ms == 20_000 and (draft.m.width, draft.m.height) == (1080, 1920)
    assert "Brewlab" in words and "second" not in words and "webm" not in words


@pytest.mark.parametrize(("name", "args", "says"), [
    ("fly_to_moon", {}, "no tool"),
    ("set_length", {"seconds": "ten"}, "must be a number"),
    ("set_length", {"seconds": 99999}, "between 1 and 1800"),
    ("set_length", {}, "needs seconds"),
    ("set_volume", {"track": "drums", "percent": 20}, "must be one of"),
    ("set_volume", {"track": "music", "percent": 20, "extra": 1}, "no argument"),
    ("swap_scenes", {"a": 1.5, "b": 2}, "whole number"),
    ("set_narration", {"on": "yes"}, "true or false"),
    ("export", [], "must be an object"),
    ("set_voice_speed", {"speed": float("nan")}, "between"),
])
def test_a_bad_call_is_a_sentence_and_changes_nothing(name: str, args, says: str) -> None:
    session = _session("promo")
    before = session.draft.wire()
    steps = list(AGENT.respond_calls(session.context(), [(name, args)]))
    assert session.draft.wire() == before and len(steps) == 1
    assert says in steps[0].text


def test_bad_and_good_calls_together_apply_the_good_ones_as_one_step() -> None:
    session = _session("promo")
    version = session.current
    steps = list(AGENT.respond_calls(session.context(), [
        ("set_format", {"aspect": "1:1"}), ("nope", {}), ("set_length", {"seconds": 12})]))
    assert session.current == version + 1 and session.draft.duration_ms == 12_000
    assert session.draft.m.width == session.draft.m.height and "no tool" in steps[-1].text
    assert all(len(t.sg) for t in session.draft.t)
    assert len(TOOLS) == len(tool_specs())


def test_an_optional_model_sees_the_tools_and_its_calls_apply_as_one_step() -> None:
    from reelterm.engine.agent.studio import StudioAgent

    seen = {}

    def model(message, summary, tools, turns):
        seen.update(message=message, summary=summary, names={t["name"] for t in tools})
        return [("set_format", {"aspect": "9:16"}), ("set_length", {"seconds": 12})]

    session = _session("promo")
    version = session.current
    steps, reply = session.send(StudioAgent(model), "make it a short vertical teaser")
    assert {"set_format", "set_length"} <= seen["names"] and "Acme AirBottle" in seen["summary"]
    assert session.current == version + 1 and session.draft.duration_ms == 12_000
    assert [s.name for s in steps] == ["set_format", "set_length"]


@pytest.mark.parametrize("answer", ["The model timed out; using the rules.", None, [], "boom"])
def test_a_model_that_fails_falls_back_to_the_rules_with_its_notice(answer) -> None:
    from reelterm.engine.agent.studio import StudioAgent

    def model(message, summary, tools, turns):
        if answer == "boom":
            raise TimeoutError("slow")
        return answer

    session = _session("promo")
    steps, reply = session.send(StudioAgent(model), "make it 15 seconds")
    assert session.draft.duration_ms == 15_000 and [s.name for s in steps] == ["set_length"]
    if isinstance(answer, str) and answer != "boom":
        assert reply.startswith(answer)
    if answer == "boom":
        assert "built-in rules" in reply


def test_a_handler_that_declines_hands_the_clause_to_the_next_rule(monkeypatch) -> None:
    from reelterm.engine.agent.studio import rules
    from reelterm.engine.agent.studio.rules import Rule

    seen = []
    monkeypatch.setitem(rules._HANDLERS, "test:decline", lambda ctx, intent, text, zh: seen.append(text))
    monkeypatch.setattr(rules, "RULES", [Rule("maybe", "test:decline", (), any_of=(r"vertical",)), *rules.RULES])
    session = _session("promo")
    steps, reply = session.send(AGENT, "make it vertical")
    assert seen == ["make it vertical"] and [s.name for s in steps] == ["set_format"]
    assert (session.draft.m.width, session.draft.m.height) == (1080, 1920)


def test_the_timeline_keys_and_undo_never_go_to_the_model() -> None:
    from reelterm.engine.agent.studio import StudioAgent

    asked = []
    session = _session("promo")
    agent = StudioAgent(lambda message, summary, tools: asked.append(message) or [("remove_music", {})])
    session.send(agent, "delete segment k1")
    session.send(agent, "undo")
    assert asked == [] and any(s.id == "k1" for t in session.draft.t for s in t.sg)
