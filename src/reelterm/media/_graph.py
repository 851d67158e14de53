"""Building blocks of a draft's filter graph: inputs, labels, one stream per slot, audio chains.

Only numbers, validated hex colours, fixed filter names and paths reach the graph text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media.errors import MediaError, NoStreamError
from reelterm.media.probe import MediaInfo
from reelterm.protocol.draft import TRANSITIONS, Draft, Segment, source_kind

Resolver = Callable[[str], Path]

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
    """The filter graph under construction: inputs, chains, audio labels, probed sources."""

    def __init__(self, draft: Draft, resolve: Resolver | None, probe_fn, cache_dir: Path) -> None:
        self.W, self.H, self.fps = draft.m.width, draft.m.height, draft.m.fps
        self.resolve, self.probe, self.cache_dir = resolve, probe_fn, Path(cache_dir)
        self.inputs: list[str] = []
        self.chains: list[str] = []
        self.audio: list[str] = []
        self.achains: list[str] = []
        self.warnings: list[str] = []  # a second filtergraph: ffmpeg runs it in its own thread
        self.n = 0
        self.infos: dict[str, tuple[Path, MediaInfo]] = {}
        self.texts: list[Path] = []
        self.want_audio = True
        self.skip_to = 0  # a chunk's first timeline frame: clips may seek past what it never shows

    def label(self, prefix: str) -> str:
        """A fresh pad label."""
        self.n += 1
        return f"{prefix}{self.n}"

    def add_input(self, path: Path, *opts: str) -> int:
        """Add `-i path` with its input options; return its input index."""
        self.inputs += [*opts, "-i", str(path)]
        return sum(1 for a in self.inputs if a == "-i") - 1

    def media(self, src: str, where: str) -> tuple[Path, MediaInfo]:
        """Resolve and probe a file reference once; `MediaError` naming `where` when it is missing."""
        if src not in self.infos:
            kind = source_kind(src)
            try:
                if kind == "music":
                    from reelterm.media.assets import resolve_music

                    path = resolve_music(src)
                elif kind in ("icon", "motif"):  # a bundled picture or a motif, full canvas
                    from reelterm.media.pictures import icon_png, motif_png

                    path = icon_png(src, max(self.W, self.H)) if kind == "icon" else \
                        motif_png(src[6:], "1e3a5f", "3b82f6", min(self.W, self.H), self.cache_dir)
                elif self.resolve is None:
                    raise MediaError(f"{where} refers to {src}, but nothing can resolve it here.")
                else:
                    path = self.resolve(src)
                    if path is None:
                        raise FileNotFoundError(src)
            except (KeyError, FileNotFoundError, LookupError) as exc:
                raise MediaError(f"{where} refers to {src}, which was not found.") from exc
            if kind in ("upload", "asset"):
                from reelterm.media.photos import check_if_picture

                check_if_picture(Path(path))  # a 1x1 or 20000x20000 picture: a sentence, before any decoding
            self.infos[src] = (Path(path), self.probe(Path(path)))
        return self.infos[src]

    def sec(self, frames: int) -> str:
        """Frames as seconds for a filter option."""
        return num(frames / self.fps)

    def pieces(self, lab: str, spans: list[tuple[int, int]]) -> list[str]:
        """Cut `[lab]` into the frame spans [a, b) (in order, adjacent); each piece starts at 0."""
        if len(spans) == 1:
            return [lab]
        outs = [self.label("s") for _ in spans]
        self.chains.append(f"[{lab}]split={len(spans)}" + "".join(f"[{o}]" for o in outs))
        cut = []
        for (a, b), o in zip(spans, outs, strict=True):
            piece = self.label("k")
            self.chains.append(f"[{o}]trim=start_frame={a}:end_frame={b},setpts=PTS-STARTPTS[{piece}]")
            cut.append(piece)
        return cut

    def concat(self, labels: list[str]) -> str:
        """Join pieces end to end with frame-exact stamps."""
        if len(labels) == 1:
            return labels[0]
        out = self.label("c")
        self.chains.append("".join(f"[{lab}]" for lab in labels)
                           + f"concat=n={len(labels)}:v=1:a=0,settb=1/{self.fps},setpts=N[{out}]")
        return out

    # ---- pictures --------------------------------------------------------------------------

    def fit(self, src: str, fit: str, info: MediaInfo | None, big: bool = False) -> tuple[str, str]:
        """Scale `[src]` to the canvas; return (chain text, output label)."""
        W, H = (self.W, self.H) if not big else (even(min(4096, self.W * 2)), even(min(4096, self.H * 2)))
        out = self.label("f")
        if info is not None and info.width == W and info.height == H:
            return f"[{src}]null[{out}]", out
        if fit == "cover":
            return f"[{src}]scale={W}:{H}:force_original_aspect_ratio=increase,crop={W}:{H}[{out}]", out
        if fit == "contain":
            return (f"[{src}]scale={W}:{H}:force_original_aspect_ratio=decrease:force_divisible_by=2,"
                    f"pad={W}:{H}:(ow-iw)/2:(oh-ih)/2:color=black[{out}]"), out
        bw, bh = even(max(16, W // 8)), even(max(16, H // 8))
        a, b, bb, ff = (self.label("b") for _ in range(4))
        radius = max(1, min(6, min(bw, bh) // 4 - 1))
        return (f"[{src}]split=2[{a}][{b}];"
                f"[{a}]scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},"
                f"boxblur={radius}:2,scale={W}:{H}[{bb}];"
                f"[{b}]scale={W}:{H}:force_original_aspect_ratio=decrease:force_divisible_by=2[{ff}];"
                f"[{bb}][{ff}]overlay=(W-w)/2:(H-h)/2[{out}]"), out

    def default_fit(self, info: MediaInfo) -> str:
        """`cover` when the aspect ratios agree within 3 %, else the blurred fill."""
        if not info.width or not info.height:
            return "cover"
        ratio = (info.width / info.height) / (self.W / self.H)
        return "cover" if 0.97 <= ratio <= 1.03 else "blur"

    def tail(self, frames: int) -> str:
        """Frame-exact ending: normalise rate/format, pad by repeating the last frame, cut."""
        return (f"fps={self.fps}:eof_action=pass,format=pix_fmts=yuv420p:color_ranges=tv,setsar=1,"
                f"tpad=stop_mode=clone:stop_duration={num(frames / self.fps + 1)},"
                f"trim=end_frame={frames},setpts=PTS-STARTPTS,settb=1/{self.fps}")

    def still(self, frames: int, offset: int = 0) -> str:
        """Repeat one decoded picture `frames` times at the canvas rate, starting at frame `offset`."""
        shift = f"+{offset}" if offset else ""
        return f"loop=loop={max(0, frames)}:size=1:start=0,settb=1/{self.fps},setpts=N{shift}"

    def gradient(self, c0: str, c1: str, frames: int) -> str:
        """A slowly drifting c0-c1-c0 gradient: one strip decoded once, seen through a moving crop."""
        # the strip is half a canvas wider than the canvas; the window slides back and forth in
        # a small even step twice a second (~W/60 px/s). crop only moves data pointers and the
        # frames between steps are identical, so this costs almost nothing to filter or encode
        W, H, fps = self.W, self.H, self.fps
        margin = even(W // 2)
        step = max(2, 2 * round(W / 240))  # 16 px at 1920
        every = max(1, round(fps / 2))
        idx = self.add_input(gradient_strip(c0, c1, W + margin, self.cache_dir))
        x = f"{margin}-abs({margin}-mod(floor(n/{every})*{step},{2 * margin}))"
        return (f"[{idx}:v]scale={W + margin}:{H}:flags=neighbor,format=pix_fmts=yuv420p:color_ranges=tv,"
                f"{self.still(frames)},crop={W}:{H}:x='{x}':y=0")

    def picture(self, seg: Segment | None, frames: int, where: str, at: int | None = None) -> str:
        """One slot's picture as a labelled stream of exactly `frames` frames; returns the label.

        `at` (the slot's first timeline frame) lets a clip seek past frames before `skip_to`.
        """
        out = self.label("p")
        W, H, fps = self.W, self.H, self.fps
        if seg is None:
            self.chains.append(f"color=c=black:s={W}x{H}:r={fps},{self.tail(frames)}[{out}]")
            return out
        src = seg.src or ""
        kind = source_kind(src)
        if kind == "color":
            self.chains.append(f"color=c=0x{src[7:13]}:s={W}x{H}:r={fps},{self.tail(frames)}[{out}]")
            return out
        if kind == "gradient":
            if (seg.m.model_extra or {}).get("layout"):  # a scene: a soft backdrop with bokeh, drifting
                from reelterm.media.motion import backdrop

                self.chains.append(f"{backdrop(self, src[10:16], src[18:24], frames, seg.id)},"
                                   f"{self.tail(frames)}[{out}]")
            else:
                self.chains.append(f"{self.gradient(src[10:16], src[18:24], frames)},{self.tail(frames)}[{out}]")
            return out
        path, info = self.media(src, where)
        if not info.has_video:
            raise NoStreamError(f"{where} ({src}) has no picture to show.")
        fit = seg.m.fit or self.default_fit(info)
        zoom = bool(seg.m.zoom)
        if info.is_image and info.width and info.height and (seg.m.model_extra or {}).get("move") == "kenburns":
            from reelterm.media.motion import kenburns

            self.chains.append(f"{kenburns(self, path, frames, (info.width, info.height))},{self.tail(frames)}[{out}]")
            return out
        if info.is_image:
            idx = self.add_input(path)
            chain, fitted = self.fit(f"{idx}:v", "cover" if zoom else fit, info, big=zoom)
            self.chains.append(chain)
            if zoom:
                rate = 0.12 / max(frames, 1)
                self.chains.append(
                    f"[{fitted}]format=yuv420p,zoompan=z='1+{rate:.8f}*on':x='iw/2-(iw/zoom/2)':"
                    f"y='ih/2-(ih/zoom/2)':d={frames + 1}:s={W}x{H}:fps={fps},{self.tail(frames)}[{out}]")
            else:
                self.chains.append(f"[{fitted}]format=yuv420p,{self.still(frames)},{self.tail(frames)}[{out}]")
            return out
        opts: list[str] = []
        if seg.m.loop:
            opts += ["-stream_loop", "-1"]
        in_ms = self.in_point(seg, info)
        skip = self._skippable(seg, info, in_ms, frames, at)
        if in_ms or skip:
            opts += ["-ss", num(in_ms / 1000 + skip / fps)]
        opts += ["-t", num((frames - skip) / fps + 0.5)]
        idx = self.add_input(path, *opts)
        pre = f"[{idx}:v]setpts=PTS-STARTPTS"
        if info.fps and info.fps > fps:
            pre += f",fps={fps}:eof_action=pass"
        mid = self.label("m")
        self.chains.append(f"{pre}[{mid}]")
        chain, fitted = self.fit(mid, fit, info)
        self.chains.append(chain)
        zoomf = (f"zoompan=z='1+{0.12 / max(frames, 1):.8f}*in':x='iw/2-(iw/zoom/2)':"
                 f"y='ih/2-(ih/zoom/2)':d=1:s={W}x{H}:fps={fps},") if zoom else ""
        # frames a chunk never shows: clones of the first one instead of decoded ones
        pad = f",tpad=start={skip}:start_mode=clone" if skip else ""
        self.chains.append(f"[{fitted}]{zoomf}{self.tail(frames - skip)}{pad}[{out}]")
        return out

    def _skippable(self, seg: Segment, info: MediaInfo, in_ms: int, frames: int, at: int | None) -> int:
        """Frames at the start of a clip a chunk starting at `skip_to` can seek past (0: none).

        Only where seeking gives the very same frames: the clip runs at the canvas rate, does not
        loop or zoom, and has its own frames well past the seek point.
        """
        if (at is None or self.skip_to <= at or seg.m.loop or seg.m.zoom
                or abs((info.fps or 0) - self.fps) > 0.01):
            return 0
        skip = min(self.skip_to - at, frames - 1)
        if in_ms + (skip + 1) * 1000 / self.fps > info.duration_ms - 200:
            return 0
        return skip

    # ---- audio -----------------------------------------------------------------------------

    def audio_chain(self, stream: str, seg: Segment, start_ms: int, dur_ms: int) -> None:
        """Trim, resample, volume, fades and delay one sound into the mix."""
        vol = 1.0 if seg.m.volume is None else seg.m.volume
        if vol <= 0 or dur_ms <= 0 or not self.want_audio:
            return
        d = dur_ms / 1000
        parts = [f"[{stream}]aresample=48000", "aformat=sample_fmts=fltp:channel_layouts=stereo",
                 f"atrim=duration={num(d)}", "asetpts=PTS-STARTPTS"]
        if vol != 1:
            parts.append(f"volume={num(vol)}")
        fi, fo = min(seg.m.fade_in or 0, dur_ms), min(seg.m.fade_out or 0, dur_ms)
        if fi:
            parts.append(f"afade=t=in:st=0:d={num(fi / 1000)}")
        if fo:
            parts.append(f"afade=t=out:st={num(d - fo / 1000)}:d={num(fo / 1000)}")
        if start_ms > 0:
            parts.append(f"adelay={start_ms}:all=1")
        out = self.label("a")
        self.achains.append(",".join(parts) + f"[{out}]")
        self.audio.append(out)

    def in_point(self, seg: Segment, info: MediaInfo) -> int:
        """The segment's usable in-point; a warning when it had to move."""
        in_ms = in_point(seg, info)
        if in_ms != seg.in_ and not seg.m.loop:
            msg = (f"{seg.src} is {info.duration_ms / 1000:.1f} s long but a segment starts "
                   f"{seg.in_ / 1000:.1f} s into it; its last moment is used.")
            if msg not in self.warnings:
                self.warnings.append(msg)
        return in_ms

    def audio_segment(self, seg: Segment, where: str) -> None:
        """An audio-track segment: open its file (looped when short) and add its chain."""
        if not self.want_audio:
            return
        path, info = self.media(seg.src or "", where)
        if not info.has_audio:
            raise NoStreamError(f"{where} ({seg.src}) has no sound.")
        in_ms = self.in_point(seg, info)
        loop = seg.m.loop if seg.m.loop is not None else info.duration_ms - in_ms < seg.d
        opts = ["-stream_loop", "-1"] if loop else []
        if in_ms:
            opts += ["-ss", num(in_ms / 1000)]
        opts += ["-t", num(seg.d / 1000 + 0.2), "-vn"]
        idx = self.add_input(path, *opts)
        self.audio_chain(f"{idx}:a", seg, seg.s, seg.d)


def gradient_strip(c0: str, c1: str, width: int, cache_dir: Path) -> Path:
    """A cached `width`x1 PNG going c0 -> c1 -> c0 (hex colours without '#')."""
    path = cache_dir / f"gradient-{c0.lower()}-{c1.lower()}-{width}.png"
    if not path.is_file():
        from PIL import Image

        a, b = bytes.fromhex(c0), bytes.fromhex(c1)
        row = bytearray()
        for x in range(width):
            k = 1 - abs(1 - 2 * x / max(1, width - 1))  # 0 -> 1 -> 0
            row += bytes(round(a[i] + (b[i] - a[i]) * k) for i in range(3))
        strip = Image.frombytes("RGB", (width, 1), bytes(row))
        write_cached(path, lambda tmp: strip.save(tmp, format="PNG"))
    return path


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
