"""The filter graph under construction: inputs, labels, the picture and sound chains, probed sources.

Only numbers, validated hex colours, fixed filter names and paths reach the graph text. Modules
add to a `Graph` through its methods; `compile` reads the result (`input_args`, `video_graph`,
`audio_graph`, `warnings`, `text_images`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reelterm.media.errors import MediaError
from reelterm.media.probe import MediaInfo
from reelterm.protocol.draft import TRANSITIONS, Draft, Segment, source_kind

Resolver = Callable[[str], Path | None]
ProbeFn = Callable[[Path], MediaInfo]


@dataclass
class Slot:
    """A stretch of the base track: a segment or a black gap, in frames."""

    start: int  # frames on the timeline
    length: int  # frames
    seg: Segment | None  # None: a black gap
    trans: str | None = None
    trans_len: int = 0
    ext: int = 0  # extra frames for the next slot's transition


class Graph:
    """The filter graph under construction: inputs, picture and sound chains, the sounds to mix."""

    def __init__(self, draft: Draft, resolve: Resolver | None, probe_fn: ProbeFn, cache_dir: Path, *,
                 audio: bool = True, skip_to: int = 0) -> None:
        self.W, self.H, self.fps = draft.m.width, draft.m.height, draft.m.fps
        self.resolve, self.probe, self.cache_dir = resolve, probe_fn, Path(cache_dir)
        self.audio = audio  # False: no sound is opened or mixed (an image, a gif, a chunk)
        self.skip_to = skip_to  # a chunk's first timeline frame: clips may seek past what it never shows
        self._inputs: list[str] = []
        self._n_inputs = 0
        self._chains: list[str] = []
        self._achains: list[str] = []  # a second filtergraph: ffmpeg runs it in its own thread
        self._sounds: list[str] = []
        self._warnings: list[str] = []
        self._texts: list[Path] = []
        self._infos: dict[str, tuple[Path, MediaInfo]] = {}
        self._n = 0

    # ---- building ------------------------------------------------------------------------

    def label(self, prefix: str) -> str:
        """A fresh pad label."""
        self._n += 1
        return f"{prefix}{self._n}"

    def add_input(self, path: Path | str, *opts: str) -> int:
        """Add `-i path` with its input options; return its input index."""
        self._inputs += [*opts, "-i", str(path)]
        self._n_inputs += 1
        return self._n_inputs - 1

    def add_chain(self, chain: str) -> None:
        """Add a chain (or several, `;`-joined) to the picture's filtergraph."""
        self._chains.append(chain)

    def add_audio_chain(self, chain: str) -> None:
        """Add a chain to the sound's filtergraph."""
        self._achains.append(chain)

    def add_sound(self, label: str) -> None:
        """A finished sound (a labelled stream of the sound graph) joins the mix."""
        self._sounds.append(label)

    @property
    def sounds(self) -> tuple[str, ...]:
        """The labels of the sounds to mix, in the order they were added."""
        return tuple(self._sounds)

    def replace_sound(self, index: int, label: str) -> None:
        """Mix `label` instead of the sound at `index` (a chain made from it, e.g. ducked)."""
        self._sounds[index] = label

    def warn(self, sentence: str) -> None:
        """Something the render had to work around, told to the user once."""
        if sentence not in self._warnings:
            self._warnings.append(sentence)

    def note_text(self, path: Path) -> None:
        """A text image the render shows (kept for callers that list them)."""
        self._texts.append(path)

    def frame(self, ms: int | float) -> int:
        """A timeline time in milliseconds as a frame number (rounded to the nearest)."""
        return round(ms * self.fps / 1000)

    def sec(self, frames: int) -> str:
        """Frames as seconds for a filter option."""
        return num(frames / self.fps)

    # ---- reading the result --------------------------------------------------------------

    @property
    def input_args(self) -> list[str]:
        """Every `-i` with its input options, in input-index order."""
        return list(self._inputs)

    @property
    def video_graph(self) -> str:
        """The picture's filtergraph text ('' when there is none)."""
        return ";".join(self._chains)

    @property
    def audio_graph(self) -> str:
        """The sound's filtergraph text ('' when there is none)."""
        return ";".join(self._achains)

    @property
    def warnings(self) -> list[str]:
        """What the render had to work around, one sentence each."""
        return list(self._warnings)

    @property
    def text_images(self) -> list[Path]:
        """The text images the picture shows."""
        return list(self._texts)

    # ---- sources -------------------------------------------------------------------------

    def media(self, src: str, where: str) -> tuple[Path, MediaInfo]:
        """Resolve and probe a file reference once; `MediaError` naming `where` when it is missing."""
        if src not in self._infos:
            kind = source_kind(src)
            try:
                if kind == "music":
                    from reelterm.media.assets import resolve_music

                    path = resolve_music(src)
                elif kind in ("icon", "motif"):  # a bundled picture or a motif, full canvas
                    from reelterm.media.pictures import credit_for, icon_png, motif_png

                    path = icon_png(src, max(self.W, self.H)) if kind == "icon" else \
                        motif_png(src[6:], "1e3a5f", "3b82f6", min(self.W, self.H), self.cache_dir)
                    if credit := credit_for(src):
                        self.warn(credit)
                elif self.resolve is None:
                    raise MediaError(f"{where} refers to {src}, but nothing can resolve it here.")
                else:
                    found = self.resolve(src)
                    if found is None:
                        raise FileNotFoundError(src)
                    path = found
            except (KeyError, FileNotFoundError, LookupError) as exc:
                raise MediaError(f"{where} refers to {src}, which was not found.") from exc
            if kind in ("upload", "asset"):
                from reelterm.media.photos import check_if_picture

                check_if_picture(Path(path))  # a 1x1 or 20000x20000 picture: a sentence, before any decoding
            self._infos[src] = (Path(path), self.probe(Path(path)))
        return self._infos[src]

    def in_point(self, seg: Segment, info: MediaInfo) -> int:
        """The segment's usable in-point; a warning when it had to move."""
        in_ms = in_point(seg, info)
        if in_ms != seg.in_ and not seg.m.loop:
            msg = (f"{seg.src} is {info.duration_ms / 1000:.1f} s long but a segment starts "
                   f"{seg.in_ / 1000:.1f} s into it; its last moment is used.")
            self.warn(msg)
        return in_ms

    # ---- cutting and joining ---------------------------------------------------------------

    def pieces(self, lab: str, spans: list[tuple[int, int]]) -> list[str]:
        """Cut `[lab]` into the frame spans [a, b) (in order, adjacent); each piece starts at 0."""
        if len(spans) == 1:
            return [lab]
        outs = [self.label("s") for _ in spans]
        self.add_chain(f"[{lab}]split={len(spans)}" + "".join(f"[{o}]" for o in outs))
        cut = []
        for (a, b), o in zip(spans, outs, strict=True):
            piece = self.label("k")
            self.add_chain(f"[{o}]trim=start_frame={a}:end_frame={b},setpts=PTS-STARTPTS[{piece}]")
            cut.append(piece)
        return cut

    def concat(self, labels: list[str]) -> str:
        """Join pieces end to end with frame-exact stamps."""
        if len(labels) == 1:
            return labels[0]
        out = self.label("c")
        self.add_chain("".join(f"[{lab}]" for lab in labels)
                       + f"concat=n={len(labels)}:v=1:a=0,settb=1/{self.fps},setpts=N[{out}]")
        return out

    def tail(self, frames: int) -> str:
        """Frame-exact ending: normalise rate/format, pad by repeating the last frame, cut."""
        return (f"fps={self.fps}:eof_action=pass,format=pix_fmts=yuv420p:color_ranges=tv,setsar=1,"
                f"tpad=stop_mode=clone:stop_duration={num(frames / self.fps + 1)},"
                f"trim=end_frame={frames},setpts=PTS-STARTPTS,settb=1/{self.fps}")

    def still(self, frames: int, offset: int = 0) -> str:
        """Repeat one decoded picture `frames` times at the canvas rate, starting at frame `offset`."""
        shift = f"+{offset}" if offset else ""
        return f"loop=loop={max(0, frames)}:size=1:start=0,settb=1/{self.fps},setpts=N{shift}"


def in_point(seg: Segment, info: MediaInfo) -> int:
    """The segment's in-point, wrapped (looping) or clamped so that the source has something left."""
    if info.duration_ms <= 0 or seg.in_ < info.duration_ms - 100:
        return seg.in_
    if seg.m.loop:
        return seg.in_ % info.duration_ms
    return max(0, info.duration_ms - 100)


def num(value: float) -> str:
    """A number for a filter string: fixed-point, no exponent, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def even(value: int) -> int:
    """`value` rounded down to an even number."""
    return value - value % 2


def tile_slots(segs: list[Segment], fps: int, total: int) -> list[Slot]:
    """Tile [0, total) frames with the track's segments and black gaps; set transition overlaps."""
    slots: list[Slot] = []
    cursor = 0
    for seg in sorted(segs, key=lambda s: (s.s, s.id)):
        start, end = round(seg.s * fps / 1000), min(total, round(seg.end * fps / 1000))
        if start < cursor:  # overlap: the later segment starts where the earlier one ended
            seg = seg.model_copy(update={"in_": seg.in_ + round((cursor - start) * 1000 / fps)})
            start = cursor
        if end <= start:
            continue
        if start > cursor:
            slots.append(Slot(cursor, start - cursor, None))
        trans = seg.m.transition if seg.m.transition in TRANSITIONS else None
        tlen = round((seg.m.transition_ms or 500) * fps / 1000) if trans else 0
        slots.append(Slot(start, end - start, seg, trans, tlen))
        cursor = end
    if cursor < total:
        slots.append(Slot(cursor, total - cursor, None))
    for i, slot in enumerate(slots):
        if i == 0 or not slot.trans:
            slot.trans, slot.trans_len = None, 0
            continue
        slot.trans_len = min(slot.trans_len, slot.length - 1, slots[i - 1].length)
        if slot.trans_len < 1:
            slot.trans, slot.trans_len = None, 0
        slots[i - 1].ext = slot.trans_len
    return slots
