"""Starting sessions and draft accessors shared by the agent tests."""

from __future__ import annotations

from reelterm.engine.agent.studio import StudioAgent
from reelterm.protocol import Draft, Segment

from .context import Session, audio_upload, image_upload, text_upload, video_upload

TEXT_EN = ("Meet the Acme AirBottle, the smart water bottle that keeps drinks ice-cold for 24 hours. "
           "It tracks every sip and reminds you to stay hydrated.")
TEXT_ZH = "智能保温杯「小暖」全新上市。它能让饮品保温二十四小时，还会提醒你按时喝水。立即扫码购买！"
SEED_EN = "turn this text into a 30-second promotional video with visuals and music"
SEED_ZH = "把这段文字做成30秒的宣传视频，要有画面和音乐"

AGENT = StudioAgent()


def empty() -> Session:
    """A new session with nothing in it."""
    return Session()


def with_text() -> Session:
    """A session with an uploaded English TXT and an empty timeline."""
    return Session(uploads=[text_upload("t1", TEXT_EN)])


def with_zh_text() -> Session:
    """A Chinese session with an uploaded Chinese TXT."""
    return Session(uploads=[text_upload("t1", TEXT_ZH)], language="zh-CN")


def with_history() -> Session:
    """A session whose previous message is the product description."""
    return Session(history=[TEXT_EN])


def with_image() -> Session:
    """A session with the English text and one uploaded picture."""
    return Session(uploads=[text_upload("t1", TEXT_EN), image_upload("img1")])


def promo() -> Session:
    """A session holding the generated 30-second English promo."""
    s = with_text()
    s.send(AGENT, SEED_EN)
    return s


def promo_zh() -> Session:
    """A Chinese session holding the generated 30-second Chinese promo."""
    s = with_zh_text()
    s.send(AGENT, SEED_ZH)
    return s


def av_uploads(video_ms: int = 60_000, audio_ms: int = 72_000) -> Session:
    """A session with an uploaded video and an uploaded audio file, nothing on the timeline."""
    return Session(uploads=[video_upload("vid1", video_ms), audio_upload("aud1", audio_ms)])


def music(d: Draft) -> Segment | None:
    """The background music segment."""
    for t in d.t:
        if t.id == "music":
            return t.sg[0] if t.sg else None
    return None


def texts(d: Draft, style: str) -> list[Segment]:
    """Text segments of a style, in time order."""
    return sorted([s for t in d.t if t.tt == 7 for s in t.sg if s.m.style == style], key=lambda s: s.s)


def video(d: Draft) -> list[Segment]:
    """Main video segments in time order."""
    return sorted(next(t for t in d.t if t.tt == 0).sg, key=lambda s: s.s)


def scene_texts(d: Draft) -> list[str]:
    """The first caption of each body scene (its big words when it has none), in order."""
    out = []
    for seg in video(d):
        if seg.m.name in ("Title card", "End card"):
            continue
        caps = [c for c in texts(d, "caption") + texts(d, "title") if seg.s <= c.s < seg.end]
        out.append(caps[0].m.text if caps else "")
    return out


def track(d: Draft, tid: str):
    """The track with this id, or None."""
    return next((t for t in d.t if t.id == tid), None)
