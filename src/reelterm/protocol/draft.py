"""The draft (timeline): parsed leniently from any backend, validated strictly for the local engine.

Field names follow the hosted API's abbreviations: `t` tracks, `tt` track type, `sg` segments,
`d` duration ms, `m` metadata. The local engine adds per segment `id`, `s` start ms, `src`, `in`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class TrackType(IntEnum):
    """Known track types; any other integer is kept and shown as unknown."""

    VIDEO = 0
    AUDIO = 1
    TEXT = 7


def _ms(value: Any) -> int:
    """A time in ms from whatever a backend sent; anything unreadable is 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int | float):
        return int(value) if value == value and abs(value) < 1e15 else 0
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return 0
        return int(number) if number == number and abs(number) < 1e15 else 0
    return 0


class SegmentMeta(BaseModel):
    """A segment's `m`: name, volume 0-1, fades, text, style, position, fit and effects."""

    model_config = ConfigDict(extra="allow")
    name: str | None = None
    volume: float | None = None
    fade_in: int | None = None
    fade_out: int | None = None
    text: str | None = None
    style: str | None = None
    position: str | None = None
    fit: str | None = None
    zoom: bool | None = None
    transition: str | None = None
    transition_ms: int | None = None
    loop: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {}
        out = dict(value)
        for key in ("name", "text", "style", "position", "fit", "transition"):
            if key in out and out[key] is not None and not isinstance(out[key], str):
                out[key] = str(out[key])
        for key in ("fade_in", "fade_out", "transition_ms"):
            if key in out and out[key] is not None:
                out[key] = _ms(out[key])
        if "volume" in out and out["volume"] is not None:
            try:
                out["volume"] = float(out["volume"])
            except (TypeError, ValueError):
                out["volume"] = None
        for key in ("zoom", "loop"):
            if key in out and not isinstance(out[key], bool | None):
                out[key] = bool(out[key])
        return out


class Segment(BaseModel):
    """One clip on a track: `s` start and `d` duration in ms, `src` media reference, `in` in-point."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    id: str = ""
    s: int = 0
    d: int = 0
    src: str | None = None
    in_: int = Field(0, alias="in")
    m: SegmentMeta = Field(default_factory=SegmentMeta)

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {"m": {"name": str(value)}}
        out = dict(value)
        for key in ("s", "d", "in"):
            if key in out:
                out[key] = _ms(out[key])
        if "in_" in out:
            out["in"] = _ms(out.pop("in_"))
        if "id" in out and not isinstance(out["id"], str):
            out["id"] = str(out["id"])
        if "src" in out and out["src"] is not None and not isinstance(out["src"], str):
            out["src"] = str(out["src"])
        return out

    @property
    def end(self) -> int:
        """Where the segment ends on the timeline, in ms."""
        return self.s + self.d

    @property
    def label(self) -> str:
        """A short human label: the text, else the name, else the source."""
        return self.m.text or self.m.name or self.src or self.id or "segment"


class Track(BaseModel):
    """One track: `tt` type (0 video, 1 audio, 7 text) and `sg` segments."""

    model_config = ConfigDict(extra="allow")
    tt: int = 0
    id: str = ""
    m: dict[str, Any] = Field(default_factory=dict)
    sg: list[Segment] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {"tt": -1}
        out = dict(value)
        tt = out.get("tt", 0)
        out["tt"] = tt if isinstance(tt, int) and not isinstance(tt, bool) else _ms(tt) if tt else -1
        if not isinstance(out.get("m"), dict):
            out["m"] = {}
        if not isinstance(out.get("sg"), list):
            out["sg"] = []
        if "id" in out and not isinstance(out["id"], str):
            out["id"] = str(out["id"])
        return out

    @property
    def kind(self) -> str:
        """`video`, `audio`, `text`, or `type N` for a type reelterm does not know."""
        try:
            return TrackType(self.tt).name.lower()
        except ValueError:
            return f"type {self.tt}"


class DraftMeta(BaseModel):
    """The draft's `m`: title and canvas."""

    model_config = ConfigDict(extra="allow")
    title: str = "Untitled"
    width: int = 1920
    height: int = 1080
    fps: int = 30

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {}
        out = dict(value)
        if "title" in out and not isinstance(out["title"], str):
            out["title"] = "Untitled" if out["title"] is None else str(out["title"])
        for key, default in (("width", 1920), ("height", 1080), ("fps", 30)):
            if key in out:
                out[key] = _ms(out[key]) or default
        return out


class Draft(BaseModel):
    """A whole timeline. Unknown keys and track types are kept."""

    model_config = ConfigDict(extra="allow")
    t: list[Track] = Field(default_factory=list)
    d: int | None = None
    m: DraftMeta = Field(default_factory=DraftMeta)

    @field_validator("t", mode="before")
    @classmethod
    def _tracks(cls, value: Any) -> Any:
        return value if isinstance(value, list) else []

    @field_validator("d", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else _ms(value)

    @property
    def duration_ms(self) -> int:
        """The timeline's length: the latest segment end, or `d` when larger."""
        ends = [seg.end for track in self.t for seg in track.sg]
        return max([self.d or 0, *ends])

    @property
    def ready(self) -> bool:
        """True when some track has a segment, so the draft can be exported."""
        return any(track.sg for track in self.t)

    def tracks_of(self, kind: TrackType) -> list[Track]:
        """The tracks of one type."""
        return [track for track in self.t if track.tt == kind]

    def wire(self) -> dict[str, Any]:
        """The draft as JSON-ready data with the protocol's field names."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


# ---- strict validation for the local engine -------------------------------------------------

MAX_DURATION_MS = 4 * 60 * 60 * 1000
"""The longest timeline or segment the local engine accepts: 4 hours."""
MAX_TEXT_CHARS = 2000
"""The longest text a single text segment may carry."""
MAX_SEGMENTS = 5000
"""The most segments a local draft may hold."""
MAX_TRACKS = 100
"""The most tracks a local draft may hold."""
MAX_TITLE_CHARS = 300
"""The longest title a local draft may carry."""
_NUMBERS = {"draft": ("d",), "meta": ("width", "height", "fps"), "segment": ("s", "d", "in", "in_"),
            "segment meta": ("volume", "fade_in", "fade_out", "transition_ms")}
"""The numeric fields a raw draft is checked for before the lenient parse (which reads nonsense as 0)."""
STYLES = ("title", "caption", "lower_third")
"""Text styles the renderer knows."""
FITS = ("cover", "contain", "blur")
"""How a picture fills the canvas."""
POSITIONS = ("top", "center", "bottom")
"""Where text sits on the canvas."""
TRANSITIONS = ("fade", "fadeblack", "fadewhite", "wipeleft", "wiperight", "slideleft", "slideright",
               "circleopen", "dissolve", "smoothleft", "smoothright", "slideup", "wipeup", "zoomin",
               "circleclose", "radial")
"""Transitions into a segment (ffmpeg xfade names)."""

_HEX = r"#[0-9a-fA-F]{6}"
SOURCE_PATTERNS: dict[str, re.Pattern[str]] = {
    "upload": re.compile(r"upload:[A-Za-z0-9_-]{1,64}"),
    "asset": re.compile(r"asset:[A-Za-z0-9_-]{1,64}"),
    "music": re.compile(r"music:[a-z]{1,20}/[A-Za-z0-9_-]{1,64}"),
    "color": re.compile(rf"color:{_HEX}"),
    "gradient": re.compile(rf"gradient:{_HEX},{_HEX}"),
    "icon": re.compile(r"icon:[a-z0-9-]{1,32}/[A-Za-z0-9_-]{1,64}"),
    "motif": re.compile(r"motif:[a-z0-9-]{1,32}"),
}
"""The media references a local draft may use: `upload:ID`, `asset:ID`, `music:MOOD/NAME`,
`color:#RRGGBB`, `gradient:#RRGGBB,#RRGGBB`, `icon:SET/ID` (a bundled picture), `motif:NAME`
(an abstract shape in the palette's colours)."""
PICTURE_KINDS = ("color", "gradient", "icon", "motif")
"""References that are pictures only (refused on audio tracks)."""
LAYOUTS = ("title", "feature", "list", "number", "quote", "end", "media")
"""Scene layouts a background segment's `m.layout` may name."""
ENTRANCES = ("pop", "slide", "bounce")
"""How a picture enters its scene (`m.enter`)."""
MOVES = ("float", "kenburns", "none")
"""How a picture moves once in (`m.move`)."""


class DraftError(ValueError):
    """A draft the local engine refuses; `problems` lists every reason as a sentence."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = len(problems) - 5
        super().__init__(" ".join(problems[:5]) + (f" ({more} more.)" if more > 0 else ""))


def source_kind(src: str | None) -> str | None:
    """The kind of a media reference (`upload`, `music`, …), or None when it is not valid."""
    if not src:
        return None
    kind = src.split(":", 1)[0]
    pattern = SOURCE_PATTERNS.get(kind)
    return kind if pattern is not None and pattern.fullmatch(src) else None


def validate_local_draft(
    draft: Draft | dict[str, Any], known_source: Callable[[str], bool] | None = None
) -> Draft:
    """Parse and check a draft strictly; raise `DraftError` naming every problem.

    `known_source(src) -> bool` says whether an `upload:`/`asset:`/`icon:`/`motif:` reference exists.
    """
    problems: list[str] = []
    if isinstance(draft, dict):
        if not isinstance(draft.get("t", []), list):
            raise DraftError(["The draft's tracks (`t`) must be a list."])
        problems += _unreadable_numbers(draft)
        draft = Draft.model_validate(draft)
    if draft.d is not None and not 0 <= draft.d <= MAX_DURATION_MS:
        problems.append(f"The draft's length `d` ({draft.d} ms) is outside 0 ms to the 4-hour limit "
                        f"({MAX_DURATION_MS} ms).")
    if len(draft.m.title) > MAX_TITLE_CHARS:
        problems.append(f"The title has {len(draft.m.title)} characters; the limit is {MAX_TITLE_CHARS}.")
    if len(draft.t) > MAX_TRACKS:
        problems.append(f"The draft has {len(draft.t)} tracks; the limit is {MAX_TRACKS}.")
    meta = draft.m
    if not (16 <= meta.width <= 4096 and 16 <= meta.height <= 4096):
        problems.append(f"The canvas {meta.width}x{meta.height} is outside 16-4096 pixels.")
    if meta.width % 2 or meta.height % 2:
        problems.append("The canvas width and height must be even numbers.")
    if not 1 <= meta.fps <= 60:
        problems.append(f"The frame rate {meta.fps} is outside 1-60.")
    count = 0
    for ti, track in enumerate(draft.t):
        where_t = f"Track {ti + 1}"
        if track.tt not in (TrackType.VIDEO, TrackType.AUDIO, TrackType.TEXT):
            problems.append(f"{where_t} has an unknown type {track.tt}.")
            continue
        for si, seg in enumerate(track.sg):
            count += 1
            where = f"{where_t}, segment {si + 1}"
            if seg.s < 0 or seg.in_ < 0:
                problems.append(f"{where} starts at a negative time.")
            if seg.d <= 0:
                problems.append(f"{where} has no duration.")
            if seg.d > MAX_DURATION_MS or seg.end > MAX_DURATION_MS or seg.in_ > MAX_DURATION_MS:
                problems.append(f"{where} runs past the 4-hour limit.")
            _check_meta(seg, track.tt, where, problems)
            if track.tt == TrackType.TEXT:
                if not (seg.m.text or "").strip():
                    problems.append(f"{where} is a text segment with no text.")
                continue
            src = seg.src or ""
            kind = source_kind(src)
            if kind is None:
                problems.append(f"{where} has no valid media reference.")
            elif kind in ("upload", "asset", "icon", "motif") and known_source is not None \
                    and not known_source(src):
                problems.append(f"{where} refers to {seg.src}, which does not exist.")
            elif track.tt == TrackType.AUDIO and kind in PICTURE_KINDS:
                problems.append(f"{where} is audio but refers to a picture.")
    if count > MAX_SEGMENTS:
        problems.append(f"The draft has {count} segments; the limit is {MAX_SEGMENTS}.")
    if problems:
        raise DraftError(problems)
    return draft


def _bad_number(value: Any) -> bool:
    """True for a value the lenient parse would silently read as 0: infinite, NaN, ≥ 1e15, not a number."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return True
    if not isinstance(value, int | float):
        return True
    return not (value == value and abs(value) < 1e15)


def _unreadable_numbers(raw: dict[str, Any]) -> list[str]:
    """Sentences for numbers in a raw draft that are out of any range (1e308, NaN, "ten")."""
    problems: list[str] = []
    raw_meta = raw.get("m")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    for key in _NUMBERS["draft"]:
        if _bad_number(raw.get(key)):
            problems.append(f"The draft's `{key}` ({str(raw.get(key))[:24]}) is not a time reelterm can use.")
    for key in _NUMBERS["meta"]:
        if _bad_number(meta.get(key)):
            problems.append(f"The draft's `m.{key}` ({str(meta.get(key))[:24]}) is not a usable number.")
    for ti, track in enumerate(raw.get("t") or []):
        segments = track.get("sg") if isinstance(track, dict) else None
        for si, seg in enumerate(segments if isinstance(segments, list) else []):
            if not isinstance(seg, dict):
                continue
            seg_meta = seg.get("m")
            smeta: dict[str, Any] = seg_meta if isinstance(seg_meta, dict) else {}
            bad = [k for k in _NUMBERS["segment"] if _bad_number(seg.get(k))]
            bad += [f"m.{k}" for k in _NUMBERS["segment meta"] if _bad_number(smeta.get(k))]
            if bad:
                problems.append(f"Track {ti + 1}, segment {si + 1} has an out-of-range {', '.join(bad)}.")
    return problems


def _check_meta(seg: Segment, tt: int, where: str, problems: list[str]) -> None:
    m = seg.m
    if m.volume is not None and not 0 <= m.volume <= 2:
        problems.append(f"{where} has a volume outside 0-200%.")
    for name in ("fade_in", "fade_out", "transition_ms"):
        value = getattr(m, name)
        if value is not None and not 0 <= value <= max(seg.d, 0):
            problems.append(f"{where} has a {name.replace('_', ' ')} longer than the segment.")
    if m.text is not None and len(m.text) > MAX_TEXT_CHARS:
        problems.append(f"{where} has more than {MAX_TEXT_CHARS} characters of text.")
    if m.style is not None and m.style not in STYLES:
        problems.append(f"{where} has an unknown style {m.style[:20]!r}.")
    if m.fit is not None and m.fit not in FITS:
        problems.append(f"{where} has an unknown fit {m.fit[:20]!r}.")
    if m.position is not None and m.position not in POSITIONS:
        problems.append(f"{where} has an unknown position {m.position[:20]!r}.")
    if m.transition is not None and m.transition not in TRANSITIONS:
        problems.append(f"{where} has an unknown transition {m.transition[:20]!r}.")
    extra = m.model_extra or {}
    for key, allowed in (("layout", LAYOUTS), ("enter", ENTRANCES), ("move", MOVES)):
        value = extra.get(key)
        if value is not None and value not in allowed:
            problems.append(f"{where} has an unknown {key} {str(value)[:20]!r}.")


def draft_json_schema() -> dict[str, Any]:
    """The draft's JSON Schema (field names as on the wire)."""
    return Draft.model_json_schema(by_alias=True)
