"""Human summaries of a timeline and of what changed between two session states."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from reelterm.protocol import Draft, Segment, SessionState, Track, TrackType

_KIND_TITLE: dict[int, str] = {TrackType.VIDEO: "Video", TrackType.AUDIO: "Audio", TrackType.TEXT: "Text"}
_ZH: dict[str, str] = {
    "Video": "视频", "Audio": "音频", "Text": "文字", "texts": "条文字", "clips": "个片段", "empty": "空",
    "volume": "音量", "track": "轨道", "a color background": "纯色背景", "a gradient background": "渐变背景",
    "an uploaded file": "上传的文件", "another clip": "另一段素材",
    "nothing": "无", "The timeline is empty.": "时间线是空的。", "No session state yet.": "还没有会话状态。",
    "upload(s)": "个上传文件", "generated item(s)": "个生成的素材", "Media": "素材",
    "The timeline was cleared.": "时间线已清空。", "The timeline now has {n} track(s): {tracks}.": "时间线现在有{n}条轨道：{tracks}。",
    'Title changed from "{a}" to "{b}".': "标题从“{a}”改为“{b}”。",
    "Canvas changed from {a} to {b}.": "画面从{a}改为{b}。", "Added {track}: {what}.": "新增{track}：{what}。",
    "Removed {track}.": "删除了{track}。", "{track}: added {what}.": "{track}：新增{what}。",
    "{track}: removed {what}.": "{track}：删除了{what}。", "{track}: {what} — {changes}.": "{track}：{what}——{changes}。",
    "The video is now {a} long (was {b}).": "视频现在时长{a}（原来{b}）。",
    "{n} new upload(s) in the session.": "会话里新增了{n}个上传文件。", "{n} new generated item(s).": "新增了{n}个生成的素材。",
    'text "{a}" → "{b}"': "文字“{a}”→“{b}”", "now uses {a}": "改用{a}", "source {a} → {b}": "素材{a}→{b}",
    "moved from {a} to {b}": "从{a}移到{b}", "duration {a} → {b}": "时长{a}→{b}", "volume {a} → {b}": "音量{a}→{b}",
    "fade-in {a} → {b}": "淡入{a}→{b}", "fade-out {a} → {b}": "淡出{a}→{b}", "style {a}": "样式{a}",
    "{track}: added {n} {unit}.": "{track}：新增{n}{unit}。", "{track}: removed {n} {unit}.": "{track}：删除了{n}{unit}。",
    "{track}: {n} {unit} changed.": "{track}：{n}{unit}有改动。", "The timeline changed.": "时间线有改动。",
    "Titles": "标题", "Captions": "字幕", "Music": "音乐", "Narration": "配音", "Pictures": "图片",
    "Subtitles": "字幕文件",
    "position {a}": "位置{a}", "fit {a}": "适配{a}", "transition {a}": "转场{a}", "{kind} track {n}": "{kind}轨道{n}",
}
"""The summaries in Chinese, keyed by their English template."""
MANY = 3
"""More segments than this added (removed, changed) in one track are summed up in one line."""


def _t(template: str, lang: str, **params: object) -> str:
    """`template` in the session's language (Chinese for `zh*`), filled with `params`."""
    text = _ZH.get(template, template) if lang.lower().startswith("zh") else template
    return text.format(**params) if params else text


def fmt_time(ms: int) -> str:
    """A time for people: `3s`, `2.5s`, `1:05`."""
    ms = max(0, int(ms))
    if ms >= 60_000:
        total = round(ms / 1000)
        return f"{total // 60}:{total % 60:02d}"
    secs = ms / 1000
    return f"{secs:.0f}s" if abs(secs - round(secs)) < 0.05 else f"{secs:.1f}s"


def _span(seg: Segment) -> str:
    return f"{fmt_time(seg.s)}–{fmt_time(seg.end)}"


def _volume(seg: Segment) -> str | None:
    return None if seg.m.volume is None else f"{round(seg.m.volume * 100)}%"


_ZH_NAMES = {"title card": "片头", "end card": "片尾", "background music": "背景音乐", "narration": "旁白",
             "voice": "配音", "captions": "字幕", "music": "音乐"}
_SCENE = re.compile(r"scene (\d+)", re.I)
_PICTURE = re.compile(r"picture (\d+) of (.+)", re.I)


def zh_name(name: str) -> str:
    """The engine's English segment names in Chinese ("Picture 1 of scene 2" -> 场景2的第1张图)."""
    if m := _PICTURE.fullmatch(name.strip()):
        return f"{zh_name(m.group(2))}的第{m.group(1)}张图"
    if m := _SCENE.fullmatch(name.strip()):
        return f"场景{m.group(1)}"
    return _ZH_NAMES.get(name.strip().lower(), name)


def _label(seg: Segment, lang: str = "en") -> str:
    named = seg.m.text or (zh_name(seg.m.name) if seg.m.name and lang.lower().startswith("zh") else seg.m.name)
    text = (named or (_source(seg, lang) if seg.src else seg.label)).replace("\n", " ").strip()
    return text if len(text) <= 40 else text[:39] + "…"


_ID_LIKE = re.compile(r"[a-z]{1,5}_[0-9a-f]{8,}|[0-9a-f]{12,}")
"""Media ids (`u_527e828590c6ea10`): never shown."""


def _source(seg: Segment, lang: str = "en") -> str:
    """A short name for a segment's media: the music file, the upload, or the kind of picture."""
    src = seg.src or ""
    kind, _, rest = src.partition(":")
    if kind == "music":
        return rest.rsplit("/", 1)[-1]
    if kind in ("color", "gradient"):
        return _t(f"a {kind} background", lang)
    if kind == "upload" or _ID_LIKE.fullmatch(rest or src):  # an id means nothing to the user
        return _t("an uploaded file" if kind == "upload" else "another clip", lang)
    return rest or src or _t("nothing", lang)


def _track_title(track: Track, index: int, lang: str = "en") -> str:
    name = track.m.get("name") if isinstance(track.m, dict) else None
    kind = _KIND_TITLE.get(track.tt, track.kind)
    if track.tt == TrackType.AUDIO and not name:
        kind = "Audio"
    return (_t("{kind} track {n}", lang, kind=_t(kind, lang), n=index + 1)
            + (f" ({_t(name, lang)})" if isinstance(name, str) and name else ""))


def describe_segment(seg: Segment, tt: int, lang: str = "en") -> str:
    """One segment in a few words: `"Urban Dreams" (0s–3s)` or `Lo-fi (0s–10s, volume 35%)`."""
    label = f'"{_label(seg, lang)}"' if tt == TrackType.TEXT else _label(seg, lang)
    extra = [_span(seg)]
    vol = _volume(seg)
    if vol is not None and tt != TrackType.TEXT:
        extra.append(f"{_t('volume', lang)} {vol}")
    return f"{label} ({', '.join(extra)})"


def describe_track(track: Track, lang: str = "en") -> str:
    """One track on one line: its name (else its kind) and its segments."""
    name = track.m.get("name") if isinstance(track.m, dict) else None
    kind = (_t(name.strip(), lang) if isinstance(name, str) and name.strip()
            else _t(_KIND_TITLE.get(track.tt, track.kind), lang))
    if not track.sg:
        return f"{kind}: {_t('empty', lang)}"
    if len(track.sg) <= 3:
        return f"{kind}: " + "; ".join(describe_segment(s, track.tt, lang) for s in track.sg)
    start = min(s.s for s in track.sg)
    end = max(s.end for s in track.sg)
    unit = _t("texts" if track.tt == TrackType.TEXT else "clips", lang)
    sep = "" if lang.lower().startswith("zh") else " "
    return f"{kind}: {len(track.sg)}{sep}{unit} ({fmt_time(start)}–{fmt_time(end)})"


def describe_draft(draft: Draft | None, lang: str = "en") -> str:
    """The timeline as numbered lines, like the seeds' example; says so when it is empty."""
    if draft is None or not draft.t:
        return _t("The timeline is empty.", lang)
    head = f'"{draft.m.title}", {fmt_time(draft.duration_ms)}, {draft.m.width}x{draft.m.height}'
    lines = [head] + [f"{i + 1}. {describe_track(t, lang)}" for i, t in enumerate(draft.t)]
    return "\n".join(lines)


def describe_state(state: SessionState | None, lang: str = "en") -> str:
    """The timeline plus the uploads and generated media a session holds (in the session's language)."""
    if state is None:
        return _t("No session state yet.", lang)
    text = describe_draft(state.draft, lang)
    extras = []
    sep = "" if lang.lower().startswith("zh") else " "
    if state.video_infos:
        extras.append(f"{len(state.video_infos)}{sep}{_t('upload(s)', lang)}")
    if state.generated_media:
        extras.append(f"{len(state.generated_media)}{sep}{_t('generated item(s)', lang)}")
    return text + (f"\n{_t('Media', lang)}: {', '.join(extras)}." if extras else "")


def _match(before: list[Any], after: list[Any],
           key: Callable[[Any], Any]) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pairs matched by key (when every item has one) else by position; then removed and added."""
    keys_b = [key(x) for x in before]
    keys_a = [key(x) for x in after]
    if all(keys_b) and all(keys_a) and len(set(keys_b)) == len(keys_b) and len(set(keys_a)) == len(keys_a):
        by_key = dict(zip(keys_b, before, strict=True))
        pairs = [(by_key[k], a) for k, a in zip(keys_a, after, strict=True) if k in by_key]
        removed = [b for k, b in zip(keys_b, before, strict=True) if k not in set(keys_a)]
        added = [a for k, a in zip(keys_a, after, strict=True) if k not in by_key]
        return pairs, removed, added
    n = min(len(before), len(after))
    return list(zip(before[:n], after[:n], strict=True)), before[n:], after[n:]


def _segment_changes(old: Segment, new: Segment, tt: int, lang: str = "en") -> list[str]:
    changes: list[str] = []
    if tt == TrackType.TEXT and (old.m.text or "") != (new.m.text or ""):
        changes.append(_t('text "{a}" → "{b}"', lang, a=_label(old, lang), b=_label(new, lang)))
    elif old.src != new.src and new.src:
        if _label(old) != _label(new):
            changes.append(_t("now uses {a}", lang, a=_label(new, lang)))
        else:
            a, b = _source(old, lang), _source(new, lang)
            changes.append(_t("source {a} → {b}", lang, a=a, b=b) if a != b else _t("now uses {a}", lang, a=b))
    if old.s != new.s:
        changes.append(_t("moved from {a} to {b}", lang, a=fmt_time(old.s), b=fmt_time(new.s)))
    if old.d != new.d:
        changes.append(_t("duration {a} → {b}", lang, a=fmt_time(old.d), b=fmt_time(new.d)))
    if old.m.volume != new.m.volume:
        changes.append(_t("volume {a} → {b}", lang, a=_volume(old) or "100%", b=_volume(new) or "100%"))
    for attr, word in (("fade_in", "fade-in"), ("fade_out", "fade-out")):
        if getattr(old.m, attr) != getattr(new.m, attr):
            changes.append(_t(word + " {a} → {b}", lang, a=fmt_time(getattr(old.m, attr) or 0),
                              b=fmt_time(getattr(new.m, attr) or 0)))
    for attr in ("style", "position", "fit", "transition"):
        if getattr(old.m, attr) != getattr(new.m, attr) and getattr(new.m, attr):
            changes.append(_t(attr + " {a}", lang, a=getattr(new.m, attr)))
    return changes


def diff_drafts(before: Draft | None, after: Draft | None, lang: str = "en") -> list[str]:
    """What changed between two drafts, one sentence per change (empty when nothing did)."""
    if after is None:
        return [_t("The timeline was cleared.", lang)] if before is not None and before.ready else []
    if before is None or not before.t:
        return [_t("The timeline now has {n} track(s): {tracks}.", lang, n=len(after.t),
                   tracks="; ".join(describe_track(t, lang) for t in after.t))] if after.t else []
    lines: list[str] = []
    if before.m.title != after.m.title:
        lines.append(_t('Title changed from "{a}" to "{b}".', lang, a=before.m.title, b=after.m.title))
    if (before.m.width, before.m.height) != (after.m.width, after.m.height):
        lines.append(_t("Canvas changed from {a} to {b}.", lang, a=f"{before.m.width}x{before.m.height}",
                        b=f"{after.m.width}x{after.m.height}"))
    pairs, removed, added = _match(before.t, after.t, lambda t: t.id)
    index = {id(t): i for i, t in enumerate(after.t)}
    old_index = {id(t): i for i, t in enumerate(before.t)}
    for track in added:
        lines.append(_t("Added {track}: {what}.", lang, track=_track_title(track, index[id(track)], lang),
                        what=describe_track(track, lang)))
    for track in removed:
        lines.append(_t("Removed {track}.", lang, track=_track_title(track, old_index[id(track)], lang)))
    for old_t, new_t in pairs:
        title = _track_title(new_t, index[id(new_t)], lang)
        seg_pairs, seg_removed, seg_added = _match(old_t.sg, new_t.sg, lambda s: s.id)
        unit = _t("texts" if new_t.tt == TrackType.TEXT else "clips", lang)
        if len(seg_added) > MANY:  # many similar changes: one line ("Captions: added 12 texts.")
            lines.append(_t("{track}: added {n} {unit}.", lang, track=title, n=len(seg_added), unit=unit))
            seg_added = []
        if len(seg_removed) > MANY:
            lines.append(_t("{track}: removed {n} {unit}.", lang, track=title, n=len(seg_removed), unit=unit))
            seg_removed = []
        for seg in seg_added:
            lines.append(_t("{track}: added {what}.", lang, track=title, what=describe_segment(seg, new_t.tt, lang)))
        for seg in seg_removed:
            lines.append(_t("{track}: removed {what}.", lang, track=title, what=describe_segment(seg, old_t.tt, lang)))
        changed = [(a, b, c) for a, b in seg_pairs if (c := _segment_changes(a, b, new_t.tt, lang))]
        if len(changed) > MANY:
            lines.append(_t("{track}: {n} {unit} changed.", lang, track=title, n=len(changed), unit=unit))
            changed = []
        for old_s, _new_s, changes in changed:
            lines.append(_t("{track}: {what} — {changes}.", lang, track=title, what=_label(old_s, lang),
                            changes=("，" if lang.lower().startswith("zh") else ", ").join(changes)))
    if before.duration_ms != after.duration_ms:
        lines.append(_t("The video is now {a} long (was {b}).", lang, a=fmt_time(after.duration_ms),
                        b=fmt_time(before.duration_ms)))
    return lines


def diff_states(before: SessionState | None, after: SessionState | None, lang: str = "en") -> list[str]:
    """What changed between two session states: the draft, then uploads and generated media."""
    lines = diff_drafts(before.draft if before else None, after.draft if after else None, lang)
    if before is not None and after is not None:
        new_uploads = len(after.video_infos) - len(before.video_infos)
        if new_uploads > 0:
            lines.append(_t("{n} new upload(s) in the session.", lang, n=new_uploads))
        new_media = len(after.generated_media) - len(before.generated_media)
        if new_media > 0:
            lines.append(_t("{n} new generated item(s).", lang, n=new_media))
    return lines


def summarize_change(before: SessionState | None, after: SessionState | None, lang: str = "en") -> str | None:
    """The change summary as one text in the session's language, or None when nothing changed."""
    lines = diff_states(before, after, lang)
    return "\n".join(lines) if lines else None


def fingerprint(state: SessionState | None) -> str:
    """A stable text form of a state, to tell whether anything changed at all."""
    if state is None:
        return ""
    return json.dumps(state.model_dump(mode="json"), sort_keys=True, default=str)
