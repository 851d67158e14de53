"""A small rule-based engine agent for tests: merge the last video with the last audio, show tracks, undo."""

from __future__ import annotations

import re
from collections.abc import Iterator

from reelterm.engine.agent.base import Reply, Step, ToolStep, TurnContext, UploadInfo
from reelterm.protocol import Draft, DraftMeta, Segment, SegmentMeta, Track, TrackType

MERGE_COST = 1.0
"""Credits a merge costs (so budgets can be tested with this agent)."""

_MERGE = re.compile(r"\b(merge|combine|mux|join)\b|合并|合成", re.I)
_EXPORT = re.compile(r"\b(export|download|render)\b|导出|下载", re.I)
_TRACKS = re.compile(r"\b(show tracks|tracks|status|timeline|state)\b|状态|轨道", re.I)
_UNDO = re.compile(r"\bundo\b|撤销", re.I)
_REDO = re.compile(r"\bredo\b|重做", re.I)

HELP = ("I can merge the last video you uploaded with the last audio file (say \"merge\"), "
        "show the tracks of the timeline (\"show tracks\"), undo or redo an edit, and export the "
        "result (\"export\"). Upload a video and an audio file to start.")


def _even(value: int | None, default: int) -> int:
    value = value or default
    value = max(16, min(4096, value))
    return value - value % 2


def summarize(draft: Draft) -> str:
    """A few lines describing the timeline's tracks."""
    if not draft.ready:
        return "The timeline is empty."
    lines = [f"Timeline {draft.m.width}x{draft.m.height} at {draft.m.fps} fps, "
             f"{draft.duration_ms / 1000:.1f} s:"]
    for i, track in enumerate(draft.t, 1):
        for seg in track.sg:
            vol = "" if seg.m.volume is None else f", volume {seg.m.volume * 100:.0f}%"
            lines.append(f"{i}. {track.kind.capitalize()}: {seg.label} "
                         f"({seg.s / 1000:.1f}-{seg.end / 1000:.1f} s{vol})")
    return "\n".join(lines)


class BasicAgent:
    """Handles merge, show tracks, undo/redo and export requests; anything else gets help."""

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """One turn."""
        if _MERGE.search(message):
            yield from self._merge(ctx)
        elif _EXPORT.search(message):
            if ctx.draft.ready:
                yield ToolStep("request_export", {}, {"status": "ok"}, {"export_requested": True})
                yield Reply("Exporting the timeline now.")
            else:
                yield Reply("The timeline is empty, so there is nothing to export yet. " + HELP)
        elif _UNDO.search(message):
            draft = ctx.undo()
            yield ToolStep("undo", {}, {"status": "ok" if draft else "nothing to undo"})
            yield Reply("Undone. " + summarize(draft) if draft else "There is nothing to undo.")
        elif _REDO.search(message):
            draft = ctx.redo()
            yield ToolStep("redo", {}, {"status": "ok" if draft else "nothing to redo"})
            yield Reply("Redone. " + summarize(draft) if draft else "There is nothing to redo.")
        elif _TRACKS.search(message):
            yield Reply(summarize(ctx.draft))
        else:
            yield Reply(HELP)

    def _merge(self, ctx: TurnContext) -> Iterator[Step]:
        video = _last(ctx.uploads, "video")
        audio = _last(ctx.uploads, "audio")
        if video is None or audio is None:
            missing = " and ".join(w for w, u in (("a video", video), ("an audio file", audio)) if u is None)
            yield Reply(f"To merge, upload {missing} first.")
            return
        if not video.duration_ms or not audio.duration_ms:
            yield Reply("I could not tell how long the files are, so I cannot merge them.")
            return
        ctx.charge(MERGE_COST)
        length = video.duration_ms
        draft = Draft(
            t=[Track(tt=TrackType.VIDEO, sg=[Segment(id="v1", s=0, d=length, src=video.src,
                                                     m=SegmentMeta(name=video.filename, volume=0.0))]),
               Track(tt=TrackType.AUDIO, sg=[Segment(id="a1", s=0, d=min(length, audio.duration_ms),
                                                     src=audio.src,
                                                     m=SegmentMeta(name=audio.filename, volume=1.0))])],
            m=DraftMeta(title=ctx.draft.m.title, width=_even(video.width, 1280),
                        height=_even(video.height, 720), fps=ctx.draft.m.fps))
        version = ctx.commit(draft, f"merged {video.filename} with {audio.filename}")
        yield ToolStep("merge_media", {"video": video.src, "audio": audio.src},
                       {"status": "ok", "duration_ms": length, "draft_version": version},
                       {"draft_version": version})
        note = ""
        if audio.duration_ms < length:
            note = f" The audio is {(length - audio.duration_ms) / 1000:.1f} s shorter than the video."
        elif audio.duration_ms > length:
            note = " The audio is longer, so it is cut at the end of the video."
        yield Reply(f"Merged {video.filename} with {audio.filename}: {length / 1000:.1f} s of video "
                    f"with the audio laid under it.{note} Say \"export\" to render it.")


def _last(uploads: list[UploadInfo], kind: str) -> UploadInfo | None:
    for upload in reversed(uploads):
        if upload.kind == kind:
            return upload
    return None
