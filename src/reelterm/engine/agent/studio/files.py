"""The file tools: merge the last uploaded video and audio, and ask the client to export."""

from __future__ import annotations

from reelterm.engine.agent.base import TurnContext, UploadInfo
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.intents import RuleMatch, has
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.agent.studio.tools import Outcome, ask
from reelterm.engine.planner.formats import (
    AUDIO_FORMATS,
    parse_export,
    parse_format,
    unsupported_format,
)
from reelterm.protocol import EXPORT_FORMATS


def _named(uploads: list[UploadInfo], kind: str, message: str) -> UploadInfo | None:
    """The upload of that kind the message names by file name, else the newest one."""
    low = message.lower()
    named = [u for u in uploads if u.kind == kind and u.filename and u.filename.lower() in low]
    return named[-1] if named else _last(uploads, kind)


def _last(uploads: list[UploadInfo], kind: str) -> UploadInfo | None:
    for up in reversed(uploads):
        if up.kind == kind:
            return up
    return None


def asks_for_file(text: str) -> bool:
    """True when the message asks for a file to be written ("into a 1080p MP4", "export", "导出")."""
    return has(r"\b(export|download|mp4|webm|mov|mkv|gif|mp3|wav|m4a|file|render it|send me)\b|导出|下载|文件|输出", text)


def merge(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Put the last uploaded video and audio on a new timeline, stating the length policy."""
    video, audio = _named(ctx.uploads, "video", message), _named(ctx.uploads, "audio", message)
    if video is None or audio is None:
        return ask(say("merge_need", zh))
    low = match.bare.lower()
    notes = []
    for used in (video, audio):  # two audio uploads: say which one was used and which were not
        others = [u.filename for u in ctx.uploads if u.kind == used.kind and u is not used]
        if others:
            notes.append(say("merge_left_out", zh, kind=used.kind, kind_zh="视频" if used.kind == "video" else "音频",
                             used=used.filename, others=", ".join(others), other=others[-1]))
    vms = video.duration_ms or audio.duration_ms or 10_000
    ams = audio.duration_ms or vms
    if has(r"\bshortest\b|whichever is shorter|the shorter (?:one|of the two)|最短|较短", low):
        total, policy = min(vms, ams), "shortest"
    elif has(r"\bloop\b|循环", low) and ams < vms:
        total, policy = vms, "loop"
    else:
        total, policy = vms, "video"
    diff = seconds(abs(ams - vms))
    if abs(ams - vms) >= 500:
        key = {"shortest": "merge_policy_shortest", "loop": "merge_policy_loop"}.get(
            policy, "merge_policy_trim" if ams > vms else "merge_policy_pad")
        notes.append(say(key, zh, diff=diff, seconds=seconds(total)))
    w, h = video.width or 1920, video.height or 1080
    scale = min(1.0, 4096 / max(w, h))
    w, h = max(16, int(w * scale) // 2 * 2), max(16, int(h * scale) // 2 * 2)
    keep_sound = has(r"\b(mix|keep (the )?original|keep (its|the video'?s) (sound|audio))\b|保留原声|混音", low)
    vd = min(vms, total)
    ad = total if policy == "loop" else min(ams, total)
    data = {"t": [
        {"tt": 0, "id": "video", "m": {"name": "Video"}, "sg": [{"id": "v1", "s": 0, "d": vd, "src": video.src,
         "m": {"name": video.filename[:80], "fit": "contain", "volume": 1.0 if keep_sound else 0.0}}]},
        {"tt": 1, "id": "audio", "m": {"name": "Audio"}, "sg": [{"id": "a1", "s": 0, "d": ad, "src": audio.src,
         "m": {"name": audio.filename[:80], "volume": 1.0, "loop": policy == "loop",
               "fade_out": min(1000, ad // 4) if ams > total else 0}}]},
    ], "m": {"title": video.filename[:120] or "Merged", "width": w, "height": h, "fps": 30}}
    draft = E.finish(data)
    if ctx.draft.ready:  # the merge starts a new timeline: say what it replaced and how to get it back
        notes.append(say("merge_replaced", zh, old=seconds(ctx.draft.duration_ms),
                         title=ctx.draft.m.title or ("视频" if zh else "video")))
    reply = say("merged", zh, video=video.filename, audio=audio.filename, vsec=seconds(vms), asec=seconds(ams),
                seconds=seconds(draft.duration_ms))
    delta = {}
    if asks_for_file(message):
        delta["export_requested"] = parse_export(message)
    return Outcome("merge_media", {"video": video.src, "audio": audio.src, "policy": policy,
                                   "duration_ms": draft.duration_ms}, draft,
                   " ".join([reply, *notes]), "Merged audio and video", delta)


def place_uploads(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome | None:
    """On an empty timeline, the last uploaded video and audio merged (or the one of them there is)
    placed on it, so "trim my clip" or "export a gif" works on what was uploaded; None without either."""
    video, audio = _last(ctx.uploads, "video"), _last(ctx.uploads, "audio")
    if video and audio:
        placed = merge(ctx, match, message, zh)
        placed.delta.pop("export_requested", None)
        return placed
    up = video or audio
    if up is None:
        return None
    d = up.duration_ms or 10_000
    tt = 0 if up is video else 1
    w, h = (up.width or 1920) // 2 * 2, (up.height or 1080) // 2 * 2
    data: E.Wire = {"t": [{"tt": tt, "id": "video" if tt == 0 else "audio",
                   "m": {"name": "Video" if tt == 0 else "Audio"}, "sg": [
        {"id": "u1", "s": 0, "d": d, "src": up.src, "m": {"name": up.filename[:80]}}]}],
            "m": {"title": up.filename[:120], "width": max(16, min(w, 4096)), "height": max(16, min(h, 4096))}}
    return Outcome("place_upload", {"upload": up.src}, E.finish(data),
                   say("convert_from_upload", zh, name=up.filename), "Placed upload")


def export(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> list[Outcome]:
    """Ask the client to export (after putting uploads on an empty timeline, or changing the canvas)."""
    out: list[Outcome] = []
    wanted = unsupported_format(message)
    if wanted:
        return [ask(say("format_unsupported", zh, asked=wanted, formats=", ".join(EXPORT_FORMATS)))]
    request = parse_export(message)
    draft = ctx.draft
    if not draft.ready:
        placed = place_uploads(ctx, match, message, zh)
        if placed is None:
            return [ask(say("convert_empty", zh))]
        out.append(placed)
        draft = placed.draft or draft
    size = parse_format(match.bare, (draft.m.width, draft.m.height))
    if size and size != (draft.m.width, draft.m.height) and request["format"] not in AUDIO_FORMATS:
        data = E.to_wire(draft)
        data["m"]["width"], data["m"]["height"] = size
        out.append(Outcome("set_format", {"width": size[0], "height": size[1]}, E.finish(data),
                           say("format_set", zh, width=size[0], height=size[1]), f"Canvas {size[0]}x{size[1]}"))
    reply = say("audio_only", zh, format=request["format"]) if request["format"] in AUDIO_FORMATS else ""
    reply = (reply + " " + say("export_started", zh, **request)).strip()
    out.append(Outcome("export", dict(request), None, reply, delta={"export_requested": dict(request)}))
    return out
