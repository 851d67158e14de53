"""Subtitle files: SRT/VTT export and import round trips, bad files, soft subtitles in MP4/MKV."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from reelterm.media import render_draft
from reelterm.media.subtitles import (
    Cue,
    SubtitleError,
    caption_segments,
    draft_cues,
    parse_subtitles,
    to_srt,
    to_vtt,
)
from reelterm.protocol import Draft, validate_local_draft

TRICKY = [
    "Plain words.",
    "中文字幕，还有 English 混排。",
    'She said "hi" and \'bye\' — then left.',
    "An arrow --> inside the text",
    "Two lines\nsecond line <3 & more",
    "Numbers 1 --> 2 at 00:00:01,000 --> 00:00:02,000",
]


def _draft(texts: list[str], step: int = 1234) -> Draft:
    segs = [{"id": f"c{i}", "s": 17 + i * step, "d": step - 1, "m": {"text": t, "style": "caption"}}
            for i, t in enumerate(texts)]
    segs.append({"id": "title", "s": 0, "d": 900, "m": {"text": "A title is not a subtitle", "style": "title"}})
    return Draft.model_validate({"m": {"width": 64, "height": 64, "fps": 10}, "t": [
        {"tt": 0, "sg": [{"id": "v", "s": 0, "d": step * len(texts) + 100, "src": "color:#102030"}]},
        {"tt": 7, "id": "captions", "sg": segs}]})


@pytest.mark.parametrize("suffix", ["srt", "vtt"])
def test_export_then_import_gives_the_same_cues(tmp_path: Path, suffix: str) -> None:
    draft = _draft(TRICKY)
    out = render_draft(draft, tmp_path / f"subs.{suffix}")
    assert out.is_file()
    cues = parse_subtitles(out.read_bytes(), out.name)
    want = draft_cues(draft)
    assert [c.text for c in cues] == TRICKY  # exact text: CJK, quotes, arrows, a second line
    assert len(cues) == len(want)
    for got, exp in zip(cues, want, strict=True):
        assert abs(got.start - exp.start) <= 1 and abs(got.end - exp.end) <= 1
    # and back into a draft: a caption track that validates
    data = draft.wire()
    data["t"].append({"tt": 7, "id": "subtitles", "sg": caption_segments(cues)})
    validate_local_draft(data)


def test_vtt_escapes_arrows_and_markup() -> None:
    text = to_vtt([Cue(0, 1000, "a --> b <i>c</i> & d")])
    assert "a --&gt; b &lt;i&gt;c&lt;/i&gt; &amp; d" in text
    assert parse_subtitles(text.encode(), "x.vtt")[0].text == "a --> b <i>c</i> & d"  # tags in VTT survive
    assert text.startswith("WEBVTT")
    srt = to_srt([Cue(3_723_004, 3_724_005, "x")])
    assert "01:02:03,004 --> 01:02:04,005" in srt


def test_reads_files_made_elsewhere() -> None:
    vtt = (b"WEBVTT - made by a tool\nKind: captions\n\nNOTE a comment\n\nintro\n00:01.500 --> 00:03.000 align:start\n"
           b"<v Anna>Hello <b>there</b></v>\n\n00:00:04.000 --> 00:00:05.250\nSecond\n")
    cues = parse_subtitles(vtt, "a.vtt")
    assert cues == [Cue(1500, 3000, "Hello there"), Cue(4000, 5250, "Second")]
    srt = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Tilted</i>\r\n\r\n2\r\n00:00:02,5 --> 00:00:03,000\r\nok\r\n"
    assert parse_subtitles(srt.encode("utf-8"), "b.srt") == [Cue(1000, 2000, "Tilted"), Cue(2500, 3000, "ok")]
    gbk = "1\n00:00:01,000 --> 00:00:02,000\n你好，世界\n".encode("gb18030")
    assert parse_subtitles(gbk, "c.srt")[0].text == "你好，世界"


@pytest.mark.parametrize(("data", "words"), [
    (b"1\n00:00:01,000 --> 00:00:03,000\nA\n\n2\n00:00:02,000 --> 00:00:04,000\nB\n",
     ["line 6", "overlap", "line 2"]),
    (b"1\n-00:00:01,000 --> 00:00:03,000\nA\n", ["line 2", "negative"]),
    (b"1\n00:00:03,000 --> 00:00:01,000\nA\n", ["line 2", "ends before it starts"]),
    (b"1\n00:00:01,000 -> 00:00:03,000\nA\n", ["line 2", "time line"]),
    (bytes(range(256)) * 40, ["not a subtitle file"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not a subtitle file"]),
    (b"", ["no cues"]),
    (b"WEBVTT\n\n00:01.000 --> 00:00.500\nx\n", ["line 3", "ends before"]),
    (b"1\n00:00:01,000 --> 00:99:03,000\nA\n", ["line 2", "not a time"]),
])
def test_bad_files_get_a_sentence(data: bytes, words: list[str]) -> None:
    with pytest.raises(SubtitleError) as err:
        parse_subtitles(data, "bad.srt")
    msg = str(err.value)
    assert msg.startswith("bad.srt") and msg.endswith(".") and "\n" not in msg
    for w in words:
        assert w in msg


def test_fifty_thousand_cues_are_refused_quickly() -> None:
    import time

    body = "".join(f"{i + 1}\n{_t(i * 100)} --> {_t(i * 100 + 90)}\nc{i}\n\n" for i in range(50_000))
    t0 = time.perf_counter()
    with pytest.raises(SubtitleError, match="more than 2000 cues"):
        parse_subtitles(body.encode(), "huge.srt")
    assert time.perf_counter() - t0 < 2.0


def _t(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def test_a_draft_without_captions_says_so(tmp_path: Path) -> None:
    from reelterm.media import MediaError

    draft = _draft([])
    with pytest.raises(MediaError, match="no captions"):
        render_draft(draft, tmp_path / "none.srt")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("suffix", "codec"), [("mp4", ("mov_text",)), ("mkv", ("subrip", "srt"))])
def test_soft_subtitles_are_a_stream_pyav_reads(tmp_path: Path, suffix: str, codec: tuple[str, ...]) -> None:
    draft = _draft(["first words", "第二句字幕"], step=400)
    data = draft.wire()
    data["m"]["soft_subtitles"] = True
    data["m"]["captions"] = "plain"
    out = render_draft(data, tmp_path / f"soft.{suffix}", quality="draft")
    with av.open(str(out)) as c:
        subs = [s for s in c.streams if s.type == "subtitle"]
        assert len(subs) == 1 and subs[0].codec_context.name in codec
        texts = []
        for packet in c.demux(subs[0]):
            if packet.size:
                texts.append(bytes(packet).decode("utf-8", "replace"))
    assert any("first words" in t for t in texts) and any("第二句字幕" in t for t in texts)
    # without the flag there is no subtitle stream
    plain = render_draft(draft, tmp_path / f"plain.{suffix}", quality="draft")
    with av.open(str(plain)) as c:
        assert not [s for s in c.streams if s.type == "subtitle"]
