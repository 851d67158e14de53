"""The wire models read every shape protocol.md lists."""

from __future__ import annotations

import json

import pytest

from reelterm.protocol import (
    AdkEvent,
    BadFrame,
    Draft,
    DraftError,
    ErrorCode,
    Heartbeat,
    RenderStatus,
    RunError,
    SessionState,
    draft_json_schema,
    parse_frame,
    turn_items,
    unwrap,
    validate_local_draft,
)
from support.scripted_server import ADK_FRAMES, ADK_TURN_ITEMS

RAW_FRAMES = ADK_FRAMES  # the raw frames of protocol.md, verbatim


def test_genuine_adk_frames_become_turn_items_in_order() -> None:
    items = []
    for raw in RAW_FRAMES:
        frame = parse_frame(raw)
        assert isinstance(frame, AdkEvent)
        items.extend(turn_items(frame))
    assert items == ADK_TURN_ITEMS


def test_event_round_trips_in_camel_case() -> None:
    frame = parse_frame(RAW_FRAMES[0])
    assert isinstance(frame, AdkEvent)
    wire = frame.wire()
    assert wire["invocationId"] == "e-2d19" and "finishReason" in wire
    assert wire == json.loads(RAW_FRAMES[0])


@pytest.mark.parametrize(
    ("data", "event"),
    [("", "message"), ("   ", "message"), ('{"type": "heartbeat"}', "message"), ("{}", "heartbeat")],
)
def test_every_heartbeat_form_is_a_heartbeat(data: str, event: str) -> None:
    assert parse_frame(data, event) == Heartbeat()


def test_invalid_json_exception_frame_is_a_run_error_not_a_crash() -> None:
    frame = parse_frame("{\"error\": \"Traceback: 'NoneType' object\", \"error_details\": {oops}")
    assert isinstance(frame, RunError)
    assert "Traceback" not in frame.message


def test_json_exception_frame_keeps_its_message() -> None:
    frame = parse_frame('{"error": "model quota exceeded", "error_details": {"kind": "quota"}}')
    assert frame == RunError("model quota exceeded", None, {"kind": "quota"})


def test_an_exception_frame_with_a_protocol_code_keeps_the_code() -> None:
    frame = parse_frame('{"error": "You are out of credits.", "error_details": {"code": 2001, "detail": "x"}}')
    assert frame == RunError("You are out of credits.", "2001", {"code": 2001, "detail": "x"})
    assert parse_frame('{"error": "e", "error_details": {"code": true}}').code is None


def test_garbage_frame_is_a_bad_frame() -> None:
    assert isinstance(parse_frame("<html>502</html>"), BadFrame)
    assert isinstance(parse_frame("[1, 2]"), BadFrame)
    assert isinstance(parse_frame('{"content": 5}'), BadFrame)


def test_error_code_event_becomes_run_error() -> None:
    frame = parse_frame('{"errorCode": "SAFETY", "errorMessage": "blocked by safety filter"}')
    assert frame == RunError("blocked by safety filter", "SAFETY")


def test_both_envelopes_unwrap() -> None:
    assert unwrap({"code": 0, "message": "ok", "data": {"a": 1}}).data == {"a": 1}
    bad = unwrap({"code": 2001, "message": "no credits", "data": None})
    assert not bad.ok and bad.code == 2001
    assert unwrap({"success": True, "data": {"id": "r"}}).data == {"id": "r"}
    failed = unwrap({"success": False, "error": "render node lost"})
    assert not failed.ok and failed.message == "render node lost"


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_a_sentence_and_an_action(code: ErrorCode) -> None:
    assert code.sentence.endswith(".")
    if code is not ErrorCode.OK:
        assert code.action


@pytest.mark.parametrize(
    "body",
    [
        {"status": "completed", "output": {"url": "https://cdn/x.mp4"}},
        {"status": "completed", "outputUrl": "https://cdn/x.mp4"},
        {"data": {"status": "completed", "output": {"url": "https://cdn/x.mp4"}}},
        {"data": {"status": "completed", "outputUrl": "https://cdn/x.mp4"}},
    ],
)
def test_render_status_finds_the_url_wherever_it_is(body: dict) -> None:
    status = RenderStatus.model_validate(body)
    assert status.url == "https://cdn/x.mp4" and status.finished


def test_hosted_draft_parses_leniently_and_keeps_unknowns() -> None:
    raw = {
        "t": [
            {"tt": 0, "sg": [{"s": "0", "d": 10000.0, "m": {"name": "city timelapse"}, "fx": [1]}]},
            {"tt": 1, "sg": [{"d": 10000, "m": {"name": "Lo-fi", "volume": "0.35"}}]},
            {"tt": 7, "sg": [{"d": 3000, "m": {"text": "Urban Dreams"}}]},
            {"tt": 42, "sg": "not a list", "weird": True},
            "garbage",
        ],
        "m": {"title": None, "width": "1080"},
        "extra_top": {"x": 1},
    }
    draft = Draft.model_validate(raw)
    assert [t.kind for t in draft.t] == ["video", "audio", "text", "type 42", "type -1"]
    assert draft.duration_ms == 10000 and draft.ready
    assert draft.t[1].sg[0].m.volume == 0.35
    wire = draft.wire()
    assert wire["extra_top"] == {"x": 1} and wire["t"][0]["sg"][0]["fx"] == [1]
    assert wire["t"][3]["weird"] is True


def test_state_keeps_a_draft_given_as_a_model() -> None:
    draft = Draft.model_validate({"t": [{"tt": 7, "sg": [{"d": 3000, "m": {"text": "Hi"}}]}]})
    assert SessionState(draft=draft).draft == draft


def test_state_tolerates_missing_and_odd_fields() -> None:
    state = SessionState.model_validate({"draft": "nope", "video_infos": None, "generated_media": {"a": 1}})
    assert state.draft is None and state.video_infos == [] and state.generated_media == [1]


def test_local_draft_validation_names_every_problem() -> None:
    with pytest.raises(DraftError) as err:
        validate_local_draft(
            {
                "m": {"width": 1921, "height": 1080, "fps": 500},
                "t": [
                    {"tt": 0, "sg": [{"s": -1, "d": 0, "src": "../../etc/passwd"}]},
                    {"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": " ", "style": "comic"}}]},
                    {"tt": 1, "sg": [{"s": 0, "d": 1000, "src": "upload:missing"}]},
                    {"tt": 3, "sg": []},
                ],
            },
            known_source=lambda src: False,
        )
    text = " ".join(err.value.problems)
    for needle in ("even", "frame rate", "negative", "no duration", "no valid media reference",
                   "no text", "unknown style", "does not exist", "unknown type 3"):
        assert needle in text


def test_valid_local_draft_passes_and_schema_exports() -> None:
    draft = validate_local_draft(
        {"m": {"title": "Urban Dreams"}, "t": [
            {"tt": 0, "sg": [{"id": "v1", "s": 0, "d": 10000, "src": "gradient:#112233,#445566"}]},
            {"tt": 1, "sg": [{"id": "a1", "s": 0, "d": 10000, "src": "music:calm/calm_acoustic_1",
                              "m": {"volume": 0.35}}]},
            {"tt": 7, "sg": [{"id": "x1", "s": 0, "d": 3000, "m": {"text": "Urban Dreams", "style": "title"}}]},
        ]},
    )
    assert draft.duration_ms == 10000
    schema = draft_json_schema()
    assert "Segment" in json.dumps(schema)
