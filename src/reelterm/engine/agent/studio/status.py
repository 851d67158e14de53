"""What the agent says about the draft without changing it: the track list and a next-step idea."""

from __future__ import annotations

import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.protocol import Draft

_ZH_NAMES = {"video": "视频", "audio": "音频", "pictures": "图片", "titles": "标题", "captions": "字幕", "music": "音乐",
             "narration": "配音", "subtitles": "字幕文件", "title card": "片头", "end card": "片尾",
             "background music": "背景音乐", "text": "文字", "track": "轨道"}
_ZH_PATTERNS = ((re.compile(r"^Scene (\d+)$"), "场景{0}"), (re.compile(r"^Picture (\d+) of scene (\d+)$"), "场景{1}的图{0}"),
                (re.compile(r"^Picture (\d+) of (title|end) card$"), "{1}的图{0}"), (re.compile(r"^Narration (\d+)$"), "配音{0}"))


def zh_label(name: str) -> str:
    """A track's or segment's name the generator gave in English ("Title card", "Scene 2"), in Chinese."""
    known = _ZH_NAMES.get(name.strip().lower())
    if known:
        return known
    for pattern, form in _ZH_PATTERNS:
        m = pattern.match(name.strip())
        if m:
            return form.format(*(_ZH_NAMES.get(g.lower() + " card", g) if g in ("title", "end") else g for g in m.groups()))
    return name


def describe(draft: Draft, zh: bool) -> str:
    """The tracks of a draft as short lines."""
    if not draft.ready:
        return say("status_empty", zh)
    kinds = {0: ("Video", "视频"), 1: ("Audio", "音频"), 7: ("Text", "文字")}
    head = (f"{draft.m.title} — {draft.m.width}x{draft.m.height}, {seconds(draft.duration_ms)} s"
            if not zh else f"{draft.m.title}——{draft.m.width}x{draft.m.height}，{seconds(draft.duration_ms)}秒")
    lines = [head]
    for i, track in enumerate(draft.t, 1):
        name = track.m.get("name") or kinds.get(track.tt, ("Track", "轨道"))[1 if zh else 0]
        name = zh_label(name) if zh else name
        items = []
        for seg in track.sg[:8]:
            label = zh_label(seg.label) if zh else seg.label
            label = label if len(label) <= 28 else label[:27] + "…"
            vol = f" {round(seg.m.volume * 100)}%" if seg.m.volume is not None and track.tt != 7 else ""
            items.append(f"{label}（{seconds(seg.s)}–{seconds(seg.end)}秒{vol}）" if zh else
                         f"{label} ({seconds(seg.s)}–{seconds(seg.end)}s{vol})")
        more = f" +{len(track.sg) - 8}" if len(track.sg) > 8 else ""
        lines.append(f"{i}. {name}：" + "；".join(items) + more if zh else f"{i}. {name}: " + "; ".join(items) + more)
    return "\n".join(lines)


def suggestion(ctx: TurnContext, zh: bool) -> str:
    """One concrete next step for this draft."""
    if not ctx.draft.ready:
        return "把一段文字做成30秒视频" if zh else "turn some text into a 30-second video"
    if not any(t.tt == 1 for t in ctx.draft.t):
        return "加一段欢快的背景音乐" if zh else "add upbeat background music"
    if not any(s.m.transition for t in ctx.draft.t for s in t.sg):
        return "在场景之间加上淡入淡出转场" if zh else "add fade transitions between the scenes"
    return "换一段更轻松的音乐并把音量调到25%" if zh else "switch to calmer music at 25% volume"
