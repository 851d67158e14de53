"""The sound pass: every sound of a draft trimmed, faded, delayed and mixed in the sound filtergraph.

The clips' own sound (video tracks), then the audio tracks (music, voice, effects; music ducked
under the voice by `ducking`), then one `amix`. `level` brings the mix to -14 LUFS (see
`loudness`) and to the exact length; `mix` alone is what the measuring pass listens to.
"""

from __future__ import annotations

from reelterm.media._graph import Graph, num, tile_slots
from reelterm.media.ducking import duck
from reelterm.media.errors import NoStreamError
from reelterm.protocol.draft import Draft, Segment, TrackType, source_kind


def sound_pass(g: Graph, draft: Draft, total: int, video_tracks: list[int]) -> str | None:
    """Add every sound of `draft` (its first `total` frames) and mix them; the mix's label, or None
    when nothing sounds. `video_tracks` are the indices of the tracks whose clips' sound counts."""
    if not g.audio:
        return None
    total_ms = draft.duration_ms
    for n, ti in enumerate(video_tracks):
        track = draft.t[ti]
        if n == 0:  # the base track: tiled, overlaps resolved, as the picture pass shows it
            spans = [(s.seg, s.start, s.length) for s in tile_slots(track.sg, g.fps, total) if s.seg]
        else:
            spans = [(seg, g.frame(seg.s), min(total, g.frame(seg.end)) - g.frame(seg.s))
                     for seg in sorted(track.sg, key=lambda s: s.s)]
        for seg, start, frames in spans:
            if frames > 0:
                clip_sound(g, seg, start, frames)
    for ti, track in enumerate(draft.tracks_of(TrackType.AUDIO), start=1):
        for si, seg in enumerate(track.sg, start=1):
            if seg.d > 0 and seg.s < total_ms:
                first = len(g.sounds)
                audio_segment(g, seg.model_copy(update={"d": min(seg.d, total_ms - seg.s)}),
                              f"audio track {ti}, segment {si}")
                duck(g, draft, seg, first)  # music lowered while the voice speaks: media/ducking.py
    return mix(g)


def clip_sound(g: Graph, seg: Segment, start: int, frames: int) -> None:
    """A video clip's own sound joins the mix (`start` and `frames` in canvas frames)."""
    if source_kind(seg.src) not in ("upload", "asset"):
        return
    path, info = g.media(seg.src or "", "a video segment")
    vol = 1.0 if seg.m.volume is None else seg.m.volume
    if vol <= 0 or not info.has_audio or info.is_image:
        return
    in_ms = g.in_point(seg, info)
    opts = ["-stream_loop", "-1"] if seg.m.loop else []
    opts += (["-ss", num(in_ms / 1000)] if in_ms else []) + ["-t", num(frames / g.fps + 0.2), "-vn"]
    idx = g.add_input(path, *opts)
    sound_chain(g, f"{idx}:a", seg, round(start * 1000 / g.fps), round(frames * 1000 / g.fps))


def audio_segment(g: Graph, seg: Segment, where: str) -> None:
    """An audio-track segment: open its file (looped when short) and add its chain."""
    path, info = g.media(seg.src or "", where)
    if not info.has_audio:
        raise NoStreamError(f"{where} ({seg.src}) has no sound.")
    in_ms = g.in_point(seg, info)
    loop = seg.m.loop if seg.m.loop is not None else info.duration_ms - in_ms < seg.d
    opts = ["-stream_loop", "-1"] if loop else []
    if in_ms:
        opts += ["-ss", num(in_ms / 1000)]
    opts += ["-t", num(seg.d / 1000 + 0.2), "-vn"]
    idx = g.add_input(path, *opts)
    sound_chain(g, f"{idx}:a", seg, seg.s, seg.d)


def sound_chain(g: Graph, stream: str, seg: Segment, start_ms: int, dur_ms: int) -> None:
    """Trim, resample, volume, fades and delay one sound into the mix."""
    vol = 1.0 if seg.m.volume is None else seg.m.volume
    if vol <= 0 or dur_ms <= 0:
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
    out = g.label("a")
    g.add_audio_chain(",".join(parts) + f"[{out}]")
    g.add_sound(out)


def mix(g: Graph) -> str | None:
    """The sounds added so far summed into one stream (no normalising); None when there are none."""
    sounds = g.sounds
    if not sounds:
        return None
    if len(sounds) == 1:
        return sounds[0]
    mixed = g.label("mix")
    g.add_audio_chain("".join(f"[{lab}]" for lab in sounds)
                      + f"amix=inputs={len(sounds)}:duration=longest:normalize=0:dropout_transition=0[{mixed}]")
    return mixed


def level(g: Graph, mixed: str | None, total_s: float, level_chain: str) -> str:
    """The mix through `level_chain` (gain and limiter), as 48 kHz stereo exactly `total_s` long;
    silence of that length when there is no mix. Returns the label to map."""
    out = g.label("aout")
    d = num(total_s)
    if mixed is None:
        g.add_audio_chain(f"anullsrc=r=48000:cl=stereo,atrim=duration={d}[{out}]")
        return out
    g.add_audio_chain(f"[{mixed}]{level_chain},aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
                      f"apad=whole_dur={d},atrim=duration={d}[{out}]")
    return out
