"""Questions answered from the draft: "how long is it?", "which song is this?", "多长?"."""

from __future__ import annotations

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.intents import RuleMatch, has
from reelterm.engine.agent.studio.replies import MOOD_ZH, say, seconds
from reelterm.engine.agent.studio.status import describe
from reelterm.engine.agent.studio.tools import Outcome, ask
from reelterm.engine.planner.moods import mood_of


def leave(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """"Don't change the music" / "keep the title": nothing to do, said so."""
    return ask(say("left_as_is", zh))


def answer(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Answer a question about the length, music, canvas, scenes or title of the current draft."""
    draft = ctx.draft
    if not draft.ready:
        return ask(say("status_empty", zh))
    low = match.bare.lower()
    data = E.to_wire(draft)
    if has(r"song|music|track|tune|bgm|歌|音乐|配乐", low):
        track = E.music_track(data)
        segs = (track or {}).get("sg", [])
        if not segs:
            return ask(say("music_none", zh))
        seg = segs[0]
        src = str(seg.get("src", ""))
        mood = mood_of(src)
        name = src.split("/", 1)[1] if mood else seg.get("m", {}).get("name") or src
        volume = round((seg.get("m", {}).get("volume") if seg.get("m", {}).get("volume") is not None else 1) * 100)
        return ask(say("answer_music", zh, track=name, mood=mood or "—", mood_zh=MOOD_ZH.get(mood or "", mood or "—"),
                       volume=volume))
    if has(r"how many scenes|scenes|几个场景|场景", low):
        body = E.scene_segments(data)
        return ask(say("answer_scenes", zh, count=len(body)))
    if has(r"size|resolution|aspect|format|dimension|big|尺寸|分辨率|多大|比例", low):
        return ask(say("answer_size", zh, width=draft.m.width, height=draft.m.height))
    if has(r"title|name|标题|名字", low):
        return ask(say("answer_title", zh, title=draft.m.title))
    if has(r"long|length|duration|多长|多久|几秒|时长", low):
        return ask(say("answer_length", zh, seconds=seconds(draft.duration_ms),
                       scenes=len(E.scene_segments(data))))
    return ask(describe(draft, zh))
