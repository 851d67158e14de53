"""Subtitle files: a draft's captions as SRT or WebVTT, and SRT/VTT files read back into cues.

Reading never raises anything but `SubtitleError`, whose message is one sentence naming the
line at fault. Times are integer milliseconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelterm.media._cache import write_cached
from reelterm.media._graph import Graph
from reelterm.media.assets import needs_cjk
from reelterm.media.errors import MediaError
from reelterm.protocol.draft import MAX_TEXT_CHARS, Draft, TrackType

MAX_BYTES = 5 * 1024 * 1024
"""The largest subtitle file read."""
MAX_CUES = 2000
"""The most cues one file may bring into a draft (a draft holds at most 5000 segments)."""
MAX_MS = 4 * 3600 * 1000
"""The latest time a cue may end: the draft's 4-hour limit."""
SUFFIXES = ("srt", "vtt")
"""The subtitle formats reelterm reads and writes."""

_SRT_TIME = r"(-?)(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_VTT_TIME = r"(-?)(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})"
_SRT_LINE = re.compile(rf"^\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:\s.*)?$")
_VTT_LINE = re.compile(rf"^\s*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?$")
_SRT_TAGS = re.compile(r"</?(?:i|b|u|s)>|<font\b[^>]*>|</font>|\{\\an?\d\}", re.IGNORECASE)
_VTT_TAGS = re.compile(r"<[^>\n]*>")


class SubtitleError(MediaError):
    """A subtitle file that cannot be read; the message is one sentence naming the line."""


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from `start` to `end` (ms) with its text (lines joined by `\\n`)."""

    start: int
    end: int
    text: str


def draft_cues(draft: Draft) -> list[Cue]:
    """The draft's captions (text segments in the caption style), in time order."""
    out = []
    for track in draft.tracks_of(TrackType.TEXT):
        for seg in track.sg:
            text = (seg.m.text or "").strip()
            if text and (seg.m.style or "caption") == "caption" and seg.d > 0:
                out.append(Cue(seg.s, seg.end, _one_block(text)))
    return sorted(out, key=lambda c: (c.start, c.end))


def _one_block(text: str) -> str:
    """Text without blank lines (a blank line would end the cue), line breaks unified."""
    return "\n".join(line for line in "\n".join(text.splitlines()).split("\n") if line.strip())


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(max(0, ms), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: list[Cue]) -> str:
    """SubRip text for `cues`."""
    blocks = [f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
              for i, c in enumerate(cues, start=1)]
    return "\n".join(blocks)


def to_vtt(cues: list[Cue]) -> str:
    """WebVTT text for `cues` (`&`, `<`, `>` escaped, so `-->` can sit inside a cue)."""
    blocks = ["WEBVTT\n"]
    for c in cues:
        text = c.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{text}\n")
    return "\n".join(blocks)


def write_subtitles(draft: Draft, out: Path | str) -> Path:
    """Write the draft's captions to `out` (`.srt` or `.vtt`); `MediaError` when it has none."""
    out = Path(out)
    suffix = out.suffix.lower().lstrip(".")
    cues = draft_cues(draft)
    if not cues:
        raise MediaError("The timeline has no captions to write as subtitles.")
    text = to_vtt(cues) if suffix == "vtt" else to_srt(cues)
    from reelterm.media._ffmpeg import temp_output

    tmp = temp_output(out)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise SubtitleError(f"{name} is {len(data) // (1024 * 1024)} MB; subtitle files up to "
                            f"{MAX_BYTES // (1024 * 1024)} MB are read.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        text = None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text or sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t\f") > 2:
        raise SubtitleError(f"{name} is not a subtitle file: it is not text.")
    return text


def _ms(parts: tuple[str | None, ...], line: int, name: str) -> int:
    sign, h, m, s, frac = parts
    if sign:
        raise SubtitleError(f"{name}, line {line}: a cue has a negative time.")
    minutes, seconds = int(m or 0), int(s or 0)
    if minutes > 59 or seconds > 59:
        raise SubtitleError(f"{name}, line {line}: {minutes:02d}:{seconds:02d} is not a time.")
    return ((int(h or 0) * 60 + minutes) * 60 + seconds) * 1000 + int((frac or "0").ljust(3, "0")[:3])


def parse_subtitles(data: bytes, name: str = "the subtitle file") -> list[Cue]:
    """The cues of an SRT or WebVTT file (told apart by its `WEBVTT` header); `SubtitleError` if bad."""
    text = _decode(data, name)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    vtt = bool(lines) and lines[0].lstrip("\ufeff").startswith("WEBVTT")
    pattern = _VTT_LINE if vtt else _SRT_LINE
    cues: list[Cue] = []
    where: list[int] = []
    i = 1 if vtt else 0
    if vtt:
        while i < len(lines) and lines[i].strip():  # header lines after WEBVTT
            i += 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        block_start = i
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        if vtt and re.match(r"(NOTE|STYLE|REGION)(\s|$)", block[0]):
            continue
        timing = 0 if pattern.match(block[0]) else 1
        if timing >= len(block) or not pattern.match(block[timing]):
            bad = block_start + 1 + (0 if len(block) == 1 or "-->" in block[0] else 1)
            raise SubtitleError(f"{name}, line {bad}: expected a time line such as "
                                f"“00:00:01{'.' if vtt else ','}000 --> 00:00:03{'.' if vtt else ','}500”.")
        line_no = block_start + 1 + timing
        m = pattern.match(block[timing])
        assert m is not None
        groups = m.groups()
        start, end = _ms(groups[:5], line_no, name), _ms(groups[5:], line_no, name)
        if end <= start:
            raise SubtitleError(f"{name}, line {line_no}: the cue ends before it starts.")
        if end > MAX_MS:
            raise SubtitleError(f"{name}, line {line_no}: the cue ends after 4 hours, the longest a video may be.")
        body = "\n".join(block[timing + 1:])
        body = html.unescape(_VTT_TAGS.sub("", body)) if vtt else _SRT_TAGS.sub("", body)
        if len(body) > MAX_TEXT_CHARS:
            raise SubtitleError(f"{name}, line {line_no}: the cue's text is longer than {MAX_TEXT_CHARS} characters.")
        if cues and start < cues[-1].end:
            raise SubtitleError(f"{name}, line {line_no}: this cue starts before the cue on line "
                                f"{where[-1]} ends (cues must not overlap).")
        cues.append(Cue(start, end, body))
        where.append(line_no)
        if len(cues) > MAX_CUES:
            raise SubtitleError(f"{name} has more than {MAX_CUES} cues; reelterm reads up to {MAX_CUES}.")
    if not cues:
        raise SubtitleError(f"{name} has no cues: it is not an SRT or WebVTT file, or it is empty.")
    return cues


def caption_segments(cues: list[Cue], prefix: str = "s") -> list[dict[str, Any]]:
    """Caption segments (wire dicts) for a text track, one per cue."""
    kept = [c for c in cues if c.text.strip()]
    return [{"id": f"{prefix}{k}", "s": c.start, "d": c.end - c.start,
             "m": {"name": f"Subtitle {k}", "text": c.text, "style": "caption", "position": "bottom"}}
            for k, c in enumerate(kept, start=1)]


SOFT_CODECS = {"mp4": "mov_text", "mov": "mov_text", "mkv": "srt", "webm": "webvtt"}
"""The subtitle codec muxed into each container that can carry soft subtitles."""


def soft_subtitles(g: Graph, draft: Draft, suffix: str) -> list[str]:
    """Output options muxing the captions as a soft subtitle stream, when the draft's
    `m.soft_subtitles` asks and the container can carry one; adds the `.srt` input to `g`."""
    codec = SOFT_CODECS.get(suffix)
    if codec is None or not (draft.m.model_extra or {}).get("soft_subtitles"):
        return []
    cues = draft_cues(draft)
    if not cues:
        return []
    data = to_srt(cues).encode("utf-8")
    g.cache_dir.mkdir(parents=True, exist_ok=True)
    path = g.cache_dir / f"subs-{hashlib.sha256(data).hexdigest()[:32]}.srt"
    if not path.is_file():
        write_cached(path, lambda tmp: tmp.write_bytes(data))
    idx = g.add_input(path, "-f", "srt")
    cjk = sum(1 for c in cues for ch in c.text if needs_cjk(ch))
    lang = "chi" if cjk > sum(len(c.text) for c in cues) * 0.3 else "eng"
    return ["-map", f"{idx}:s", "-c:s", codec, "-metadata:s:s:0", f"language={lang}"]
