"""A new length for a video made from text plans it again from the same text (studio/relength.py)."""

from __future__ import annotations

from reelterm.protocol import Draft

from .context import Session
from .helpers import AGENT, music, texts, video

LONG_EN = " ".join(
    f"Feature {n}: the Acme bottle keeps your water cold for a long day of {place}."
    for n, place in enumerate(("hiking", "cycling", "office work", "school runs", "travel", "yoga",
                               "gardening", "fishing", "camping", "running", "climbing", "sailing"), 1))
LONG_ZH = "".join(f"第{n}点，{what}。" for n, what in enumerate(
    ("小暖保温杯能让热茶保持温暖一整天", "它的杯盖可以单手打开", "杯身轻巧适合放进背包", "内胆不锈钢容易清洗",
     "它会提醒你按时喝水", "夜里杯底会发出柔和的光", "充一次电可以用一个星期", "它有六种好看的颜色",
     "办公室和户外都适合使用", "送给家人朋友也很合适", "现在购买还有限时优惠", "快来门店亲自体验吧"), 1))
SIX = ("Brewlab is a smart coffee scale for people who care about every cup of coffee they make. "
       "It weighs every gram of your beans with the precision of a laboratory balance. "
       "It times your bloom to the second so that every pour starts at exactly the right moment. "
       "It learns your favourite recipe and repeats it perfectly every single morning of the week. "
       "It syncs with your phone so you can share your best recipes with your friends and family. "
       "It charges over USB-C and lasts for a whole month of daily brewing on a single charge. "
       "Order yours today at brewlab.io and get free shipping.")


def _scenes(d: Draft) -> int:
    return sum(1 for s in video(d) if s.m.name not in ("Title card", "End card"))


def _on_screen(d: Draft) -> str:
    return " ".join((s.m.text or "").replace("\xa0", " ") for t in d.t if t.tt == 7 for s in t.sg)


def _pasted(text: str, message: str, language: str = "en") -> tuple[Session, str]:
    s = Session(language=language)
    _, reply = s.send(AGENT, message + text)
    return s, reply


def test_longer_brings_back_the_left_out_sentences_in_one_undo() -> None:
    s, first = _pasted(LONG_EN, "turn this into a 30 second video, vertical, calm music at 20%: ")
    assert "left out" in first
    before, shown = s.draft, _scenes(s.draft)
    assert "sailing" not in _on_screen(before)
    _, reply = s.send(AGENT, "make it 90 seconds")
    after = s.draft
    assert abs(after.duration_ms - 90_000) <= 50
    assert _scenes(after) >= shown + 4, reply
    assert "more sentences are back" in reply and reply.startswith("Now 90 s")
    assert "sailing" in _on_screen(after)
    assert (after.m.width, after.m.height) == (1080, 1920)  # the canvas, music and its level are kept
    assert music(after) is not None and music(after).src == music(before).src and music(after).m.volume == 0.2
    s.send(AGENT, "undo")
    assert s.draft.wire() == before.wire()  # one undo step


def test_zh_longer_brings_back_sentences() -> None:
    s, first = _pasted(LONG_ZH, "把这段文字做成30秒的视频：", "zh-CN")
    shown = _scenes(s.draft)
    _, reply = s.send(AGENT, "做成90秒")
    assert _scenes(s.draft) > shown and "回来了" in reply and reply.startswith("现在是90秒")
    assert "快来门店" in _on_screen(s.draft) or "限时优惠" in _on_screen(s.draft)


def test_shorter_drops_scenes_instead_of_squeezing_captions() -> None:
    s, _ = _pasted(SIX, "make a 45 second video from this: ")
    assert _scenes(s.draft) >= 6
    _, reply = s.send(AGENT, "make it 15 seconds")
    d = s.draft
    assert abs(d.duration_ms - 15_000) <= 50 and _scenes(d) < 6, reply
    assert "left out the last" in reply
    for cap in texts(d, "caption"):  # ≥ 1.2 s, about 15 characters (2.5 words) a second; squeezed: 45 a second
        assert cap.d >= 1200 and len(cap.m.text or "") / (cap.d / 1000) <= 17, (cap.m.text, cap.d)


def test_zh_shorter_keeps_captions_readable() -> None:
    s, _ = _pasted(LONG_ZH, "把这段文字做成60秒的视频：", "zh-CN")
    shown = _scenes(s.draft)
    _, reply = s.send(AGENT, "改成15秒")
    assert _scenes(s.draft) < shown and "去掉了最后" in reply
    for cap in texts(s.draft, "caption"):  # about 6 characters a second; squeezed it was 18 a second
        assert cap.d >= 1200 and len(cap.m.text or "") / (cap.d / 1000) <= 7.5, (cap.m.text, cap.d)


def test_a_hand_edit_is_kept_and_the_reply_says_how_to_replan() -> None:
    s, _ = _pasted(LONG_EN, "make a 30 second video from this: ")
    key = next(seg.id for seg in texts(s.draft, "title") if seg.id.startswith("k"))
    s.send(AGENT, f"set the text of segment {key} to: Our own words")
    shown = _scenes(s.draft)
    _, reply = s.send(AGENT, "make it 90 seconds")
    assert "Our own words" in _on_screen(s.draft) and _scenes(s.draft) == shown
    assert abs(s.draft.duration_ms - 90_000) <= 50
    assert "kept your edits" in reply and "re-plan it to 90 seconds" in reply and "brought back" in reply
    _, reply = s.send(AGENT, "re-plan it to 90 seconds")
    assert _scenes(s.draft) > shown and "more sentences are back" in reply


def test_zh_hand_edit_is_kept() -> None:
    s, _ = _pasted(LONG_ZH, "把这段文字做成30秒的视频：", "zh-CN")
    key = next(seg.id for seg in texts(s.draft, "title") if seg.id.startswith("k"))
    s.send(AGENT, f"set the text of segment {key} to: 我们自己的话")
    shown = _scenes(s.draft)
    _, reply = s.send(AGENT, "改成90秒")
    assert "我们自己的话" in _on_screen(s.draft) and _scenes(s.draft) == shown and "按原文改成90秒" in reply
    s.send(AGENT, "按原文改成90秒")
    assert _scenes(s.draft) > shown and "我们自己的话" not in _on_screen(s.draft)


def test_picture_edit_survives_a_replan() -> None:
    s, _ = _pasted(LONG_EN, "make a 30 second video from this: ")
    _, reply = s.send(AGENT, "use a rocket picture in scene 1")
    first = video(s.draft)[1].id
    mine = sorted(p.src or "" for t in s.draft.t if t.id == "pictures" for p in t.sg if p.m.model_extra.get("scene") == first)
    assert mine, reply
    s.send(AGENT, "make it 90 seconds")
    first = video(s.draft)[1].id
    now = sorted(p.src or "" for t in s.draft.t if t.id == "pictures" for p in t.sg if p.m.model_extra.get("scene") == first)
    assert now == mine and _scenes(s.draft) > 3


def test_same_sentences_still_stretch() -> None:
    s, _ = _pasted(SIX, "make a 45 second video from this: ")
    before = [seg.m.text for seg in texts(s.draft, "caption")]
    _, reply = s.send(AGENT, "make it 60 seconds")
    assert [seg.m.text for seg in texts(s.draft, "caption")] == before and "Now" not in reply


def test_shorter_after_a_hand_edit_keeps_it_and_drops_scenes_not_readability() -> None:
    for text, make, edit, shorter, mine in (
            (SIX, "make a 45 second video from this: ", "change the title to 'Brewlab Pro'", "make it 15 seconds",
             "Brewlab Pro"),
            (LONG_ZH, "把这段文字做成60秒的视频：", "把标题改成“小暖Pro”", "改成15秒", "小暖Pro")):
        s, _ = _pasted(text, make, "zh-CN" if make.startswith("把") else "en")
        shown = _scenes(s.draft)
        s.send(AGENT, edit)
        _, reply = s.send(AGENT, shorter)
        d = s.draft
        assert mine in _on_screen(d) and abs(d.duration_ms - 15_000) <= 50, reply
        assert _scenes(d) < shown and ("left out the last" in reply or "去掉了最后" in reply), reply
        for cap in texts(d, "caption"):  # squeezed in place, these were 0.8 s at 17-45 characters a second
            assert cap.d >= 1200 and len(cap.m.text or "") / (cap.d / 1000) <= (20 if mine == "Brewlab Pro" else 9)


def test_a_narrated_video_is_narrated_again_at_the_new_length() -> None:
    from reelterm.engine.agent.studio import voice

    if not voice.available():
        return  # tests/agent/test_no_voice.py covers the path without the [voice] extra
    s, first = _pasted(LONG_EN, "make a 30 second video with a voiceover from this: ")
    shown = _scenes(s.draft)
    assert "dropped" in first and shown < 12
    _, reply = s.send(AGENT, "make it 90 seconds")
    d = s.draft
    narration = [seg for t in d.t if t.id == "voice" for seg in t.sg]
    assert _scenes(d) > shown and len(narration) == _scenes(d), reply
    assert all(seg.m.model_extra.get("words") for seg in narration)  # said again, word timings and all
    assert d.m.model_extra.get("voice_speed") == 1.0  # the 1.2x speed-up to fit 30 s is not needed at 90 s
