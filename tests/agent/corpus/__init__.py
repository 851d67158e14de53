"""The agent corpus: messages people type, each with its expected effect on the real draft.

`load()` reads every `*.txt` file here (one category each, see README.md); `run(case)` sends the
message to the real `StudioAgent` in a fresh session and returns the failures (empty when it passed).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reelterm.engine.agent.studio import StudioAgent
from reelterm.engine.agent.studio.replies import say
from reelterm.media.visuals import library
from reelterm.protocol import Draft, validate_local_draft

from ..context import Session, audio_upload, text_upload, video_upload

HERE = Path(__file__).parent
AGENT = StudioAgent()

TEXT_EN = ("Meet the Acme AirBottle, the smart water bottle that keeps drinks ice-cold for 24 hours. "
           "It tracks every sip and reminds you to stay hydrated.")
TEXT_ZH = "智能保温杯「小暖」全新上市。它能让饮品保温二十四小时，还会提醒你按时喝水。立即扫码购买！"
TEXT_LONG = ("Brewlab is a smart coffee scale that guides every pour. It times your bloom to the second. "
             "It weighs every gram with care. It learns your favourite recipe over time. Order yours today.")
TEXT_PASTED = " ".join(f"Feature {n}: the Acme bottle keeps your water cold for a long day of {place}." for n, place in
                       enumerate(("hiking", "cycling", "office work", "school runs", "travel", "yoga", "gardening",
                                  "fishing", "camping", "running", "climbing", "sailing"), 1))
TEXT_ZPASTED = "".join(f"第{n}点，{what}。" for n, what in enumerate(
    ("小暖保温杯能让热茶保持温暖一整天", "它的杯盖可以单手打开", "杯身轻巧适合放进背包", "内胆不锈钢容易清洗",
     "它会提醒你按时喝水", "夜里杯底会发出柔和的光", "充一次电可以用一个星期", "它有六种好看的颜色",
     "办公室和户外都适合使用", "送给家人朋友也很合适", "现在购买还有限时优惠", "快来门店亲自体验吧"), 1))
_CJK = re.compile(r"[\u3400-\u9fff]")
_CAUGHT = [re.escape(side) for zh in (False, True) for side in say("failed_part", zh, part="\0").split("\0")]
# What the studio agent's catch-all says after a crash (replies.py "failed_part", built from the table so a
# reworded sentence still counts), older wordings, and any named exception or traceback.
_CRASH = re.compile(rf"{_CAUGHT[0]}.*?{_CAUGHT[1]}|{_CAUGHT[2]}.*?{_CAUGHT[3]}|"
                    r"couldn't apply that \(|没能完成（|Traceback|\b[A-Z][A-Za-z]+(?:Error|Exception)\b", re.DOTALL)


@dataclass(frozen=True)
class Case:
    """One corpus line."""

    category: str
    line: int
    start: str
    message: str
    expect: tuple[str, ...]

    @property
    def id(self) -> str:
        """`category:line`."""
        return f"{self.category}:{self.line}"


def load() -> list[Case]:
    """Every case of every category file, in file order."""
    cases = []
    for path in sorted(HERE.glob("*.txt")):
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            start, message, expect = (part.strip() for part in raw.split(" :: "))
            message = message.replace("\\n", "\n")
            cases.append(Case(path.stem, n, start, message, tuple(shlex.split(expect))))
    return cases


def _session(start: str) -> Session:
    if start == "empty":
        return Session()
    if start == "text":
        return Session(uploads=[text_upload("t1", TEXT_EN)])
    if start == "ztext":
        return Session(uploads=[text_upload("t1", TEXT_ZH)], language="zh-CN")
    if start == "hist":
        return Session(history=[TEXT_EN])
    if start == "av":
        return Session(uploads=[video_upload("vid1", 60_000), audio_upload("aud1", 72_000)])
    if start == "clip":
        return Session(uploads=[video_upload("vid1", 8_000)])
    if start == "promo":
        s = Session(uploads=[text_upload("t1", TEXT_EN)])
        s.send(AGENT, "turn this text into a 30-second promotional video with visuals and music")
    elif start == "zpromo":
        s = Session(uploads=[text_upload("t1", TEXT_ZH)], language="zh-CN")
        s.send(AGENT, "把这段文字做成30秒的宣传视频，要有画面和音乐")
    elif start == "long":
        s = Session(uploads=[text_upload("t1", TEXT_LONG)])
        s.send(AGENT, "turn this text into a 40-second video with music")
    elif start == "pasted":
        s = Session()
        s.send(AGENT, "make a 30 second video from this: " + TEXT_PASTED)
    elif start == "zpasted":
        s = Session(language="zh-CN")
        s.send(AGENT, "把这段文字做成30秒的视频：" + TEXT_ZPASTED)
    else:
        raise ValueError(f"unknown start {start!r}")
    assert s.draft.ready, start
    return s


def _music(d: Draft):
    for t in d.t:
        if t.id == "music" and t.sg:
            return t.sg[0]
    return None


def _texts(d: Draft) -> list[str]:
    return [(s.m.text or "").replace("\xa0", " ") for t in d.t if t.tt == 7 for s in t.sg]


def _scene_texts(d: Draft) -> list[str]:
    video = next((t for t in d.t if t.tt == 0 and t.id == "video"), None)
    if video is None:
        return []
    out = []
    for seg in sorted(video.sg, key=lambda s: s.s):
        if seg.m.name in ("Title card", "End card"):
            continue
        words = [(s.m.text or "").replace("\xa0", " ") for t in d.t if t.tt == 7 for s in sorted(t.sg, key=lambda x: x.s)
                 if seg.s <= s.s < seg.end]
        out.append(" ".join(words))
    return out


def _scene_pictures(d: Draft, n: int) -> list:
    video = sorted(next((t for t in d.t if t.tt == 0 and t.id == "video"), None).sg, key=lambda s: s.s)
    if n >= len(video) - 1:
        return []
    scene = video[n]  # index 0 is the title card
    return [s for t in d.t if t.id == "pictures" for s in t.sg if (s.m.model_extra or {}).get("scene") == scene.id]


def _picture_words(src: str) -> str:
    pic = library().get(src) if src.startswith("icon:") else None
    return "" if pic is None else (pic.name_en + " " + " ".join(pic.tags_en)).lower()


def _seg(d: Draft, sid: str):
    return next((s for t in d.t for s in t.sg if s.id == sid), None)


def _num(a: float, op: str, b: float, tol: float) -> bool:
    return {"=": abs(a - b) <= tol, "<": a < b - 1e-9, ">": a > b + 1e-9,
            "<=": a <= b + tol, ">=": a >= b - tol}[op]


_SCENE_VOL = re.compile(r"^svol(\d+)(<=|>=|=|<|>)([\d.]+)$")


def _scene_music_level(d: Draft, n: int) -> float | None:
    video = sorted(next((t for t in d.t if t.tt == 0 and t.id == "video"), None).sg, key=lambda s: s.s)
    if n >= len(video) - 1:
        return None
    mid = video[n].s + video[n].d // 2  # index 0 is the title card
    for t in d.t:
        if t.id == "music":
            for seg in t.sg:
                if seg.s <= mid < seg.end:
                    return seg.m.volume if seg.m.volume is not None else 0.35
    return None


_NUMERIC = re.compile(r"^(dur|vol|vvol|speed|steps)(<=|>=|=|<|>)(-?[\d.]+)$")


def check(token: str, before: Draft, after: Draft, steps: list, reply: str, undo: Callable[[], Draft]) -> bool:
    """One expectation token against the turn's result."""
    sv = _SCENE_VOL.match(token)
    if sv:  # the music's level in the middle of scene N
        level = _scene_music_level(after, int(sv.group(1)))
        return level is not None and _num(level, sv.group(2), float(sv.group(3)), 0.011)
    m = _NUMERIC.match(token)
    if m:
        key, op, value = m.group(1), m.group(2), float(m.group(3))
        if key == "dur":
            return _num(after.duration_ms / 1000, op, value, 0.6)
        if key == "vol":
            mus = _music(after)
            return mus is not None and _num(mus.m.volume if mus.m.volume is not None else 0.35, op, value, 0.011)
        if key == "vvol":
            segs = [s for t in after.t if t.tt == 0 for s in t.sg if (s.src or "").startswith("upload:")]
            return bool(segs) and _num(segs[0].m.volume if segs[0].m.volume is not None else 1.0, op, value, 0.011)
        if key == "speed":
            speed = after.m.model_extra.get("voice_speed", 1.0) if after.m.model_extra else 1.0
            return _num(float(speed), op, value, 0.011)
        return _num(len(steps), op, value, 0)
    key, _, value = token.partition("=")
    if token == "same":
        return after.wire() == before.wire()
    if token == "noexport":
        return not any(s.state_delta.get("export_requested") for s in steps)
    if token == "empty":
        return not after.ready
    if token == "undo1":
        return undo().wire() == before.wire()
    if token in ("fadein", "fadeout"):
        video = sorted(next(t for t in after.t if t.tt == 0).sg, key=lambda s: s.s)
        seg = video[0] if token == "fadein" else video[-1]
        return bool(seg.m.fade_in if token == "fadein" else seg.m.fade_out)
    if token == "samesrc":
        return _music(after) is not None and _music(before) is not None and _music(after).src == _music(before).src
    if token.startswith("reply~"):
        return re.search(token[6:], reply, re.IGNORECASE) is not None
    if token.startswith("noreply~"):
        return re.search(token[8:], reply, re.IGNORECASE) is None
    if re.fullmatch(r"pic\d+~.*", token):  # scene N shows a library picture named or tagged so
        n, word = token[3:].split("~", 1)
        pics = _scene_pictures(after, int(n))
        return bool(pics) and all(word.lower() in _picture_words(p.src or "") for p in pics)
    if key == "tool":
        return any(s.name == value for s in steps)
    if re.fullmatch(r"scene\d+~.*", token):
        n, words = token[5:].split("~", 1)
        scenes = _scene_texts(after)
        return len(scenes) >= int(n) and words.lower() in scenes[int(n) - 1].lower()
    if key == "size":
        return f"{after.m.width}x{after.m.height}" == value
    if key == "music":
        return (_music(after) is None) == (value == "none")
    if key == "mood":
        mus = _music(after)
        return mus is not None and (mus.src or "").startswith(f"music:{value}/")
    if key == "has":
        return any(value.lower() in t.lower() for t in _texts(after))
    if key == "not":
        return not any(value.lower() in t.lower() for t in _texts(after))
    if key == "title":
        return after.m.title == value
    if key in ("export", "quality"):
        asked = [s.state_delta.get("export_requested") for s in steps if s.state_delta.get("export_requested")]
        return bool(asked) and asked[-1].get("format" if key == "export" else "quality") == value
    if key == "scenes":
        return len(_scene_texts(after)) == int(value)
    if key == "trans":
        video = sorted(next(t for t in after.t if t.tt == 0).sg, key=lambda s: s.s)[1:]
        return all((s.m.transition or "none") == value for s in video) and bool(video)
    if key == "captions":
        return (after.m.model_extra or {}).get("captions") == value
    if key == "voice":
        return any(t.id == "voice" for t in after.t) == (value == "yes")
    rel = re.fullmatch(r"seg:([^.=]+)\.([sd])([+-])=(\d+)", token)
    if rel:  # relative to the segment before the turn: "seg:c1.s+=100"
        old, new = _seg(before, rel.group(1)), _seg(after, rel.group(1))
        delta = int(rel.group(4)) * (1 if rel.group(3) == "+" else -1)
        return old is not None and new is not None and abs(getattr(new, rel.group(2)) - getattr(old, rel.group(2)) - delta) <= 1
    if token.startswith("seg:"):
        ref, _, value = token[4:].partition("=")
        sid, _, field = ref.partition(".")
        seg = _seg(after, sid)
        if not field:
            return value == "gone" and seg is None
        if seg is None:
            return False
        if field == "text":
            return seg.m.text == value
        if field == "vol":
            return abs((seg.m.volume or 0) - float(value)) < 0.011
        return abs(getattr(seg, field) - float(value)) <= 1
    raise ValueError(f"unknown expectation {token!r}")


def run(case: Case) -> list[str]:
    """Send the case's message in a fresh session; the expectations that failed (empty: passed)."""
    session = _session(case.start)
    before = session.draft.model_copy(deep=True)
    version = session.current
    try:
        steps, reply = session.send(AGENT, case.message)
    except Exception as exc:  # noqa: BLE001 - a crash is a failure to report, not to hide
        return [f"crashed: {type(exc).__name__}: {exc}"]
    after = session.draft
    problems = []
    try:
        validate_local_draft(after) if after.ready else None
    except Exception as exc:  # noqa: BLE001
        problems.append(f"invalid draft: {exc}")
    if _CRASH.search(reply):
        problems.append("the reply names a failure")
    if _CJK.search(case.message) and sum(1 for c in case.message if _CJK.match(c)) > 2 and not _CJK.search(reply):
        problems.append("a Chinese message got no Chinese reply")
    if session.current > version + 1:
        problems.append(f"{session.current - version} commits: not one undoable step")

    def undo() -> Draft:
        session.send(AGENT, "undo")
        return session.draft

    for token in sorted(case.expect, key=lambda t: t == "undo1"):
        try:
            ok = check(token, before, after, steps, reply, undo)
        except Exception as exc:  # noqa: BLE001
            ok = False
            token += f" ({type(exc).__name__}: {exc})"
        if not ok:
            problems.append(token)
    if problems:
        problems.append(f"reply: {reply[:300]!r}")
        problems.append(f"steps: {[s.name for s in steps]}")
    return problems
