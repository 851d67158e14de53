"""Header-only reading of plain MP4/MOV/M4A files, so that `merge` need not load PyAV for them.

`quick_probe` gives the `MediaInfo` that `probe` would, or None whenever anything is unusual
(fragments, edit lists it does not follow, unknown codecs, anamorphic or cropped pictures, ...):
the caller then asks PyAV. It reads box headers and the `moov` box only, never the media data.
"""

from __future__ import annotations

import struct
from math import gcd
from pathlib import Path
from typing import Any, BinaryIO

from reelterm.media.probe import MediaInfo, check_file

FORMAT = "mov,mp4,m4a,3gp,3g2,mj2"
"""PyAV's name for the QuickTime/MP4 demuxer."""
_TOP = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide"}
_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4A ", b"M4V ", b"qt  "}
_VIDEO = {b"avc1": ("h264", b"avcC"), b"avc3": ("h264", b"avcC"), b"hvc1": ("hevc", b"hvcC"),
          b"hev1": ("hevc", b"hvcC"), b"mp4v": ("mpeg4", b"esds"), b"av01": ("av1", b"av1C"),
          b"vp09": ("vp9", b"vpcC")}
"""Video sample entries: the codec as PyAV names it, and the box that must configure it."""
_OTHER = {b"tmcd": {b"tmcd"}, b"text": {b"text", b"tx3g"}, b"sbtl": {b"tx3g"}, b"subt": {b"tx3g", b"wvtt"}}
"""Handlers of tracks that are neither video nor audio, with the sample entries allowed in them."""
_IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
_ROTATION = {(0x10000, 0, 0, 0x10000): 0, (0, -0x10000, 0x10000, 0): 90,
             (-0x10000, 0, 0, -0x10000): 180, (0, 0x10000, -0x10000, 0): 270}
_HIGH = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135, 144}
_AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)
_AC3_CHANNELS = (2, 1, 2, 3, 3, 4, 4, 5)
_MAX_MOOV = 64 << 20
Boxes = dict[bytes, list[tuple[int, int]]]


def quick_probe(path: str | Path) -> MediaInfo | None:
    """`probe(path)` from the MP4 headers alone, or None; `ProbeError` only if missing or empty."""
    path = Path(path)
    size = check_file(path)
    try:
        with path.open("rb") as f:
            moov = _read_moov(f, size)
        return _info(path, moov, size)
    except Exception:  # anything odd, truncated or corrupt: PyAV decides and words the error
        return None


def _need(ok: object) -> None:
    if not ok:
        raise ValueError("not a plain MP4")


def _box(b: bytes, pos: int, end: int) -> tuple[bytes, int, int]:
    """Type, body start and end of the box at `pos` (a size of 0 runs to `end`)."""
    n, kind = struct.unpack_from(">I4s", b, pos)
    head = 8
    if n == 1:
        n, head = struct.unpack_from(">Q", b, pos + 8)[0], 16
    elif n == 0:
        n = end - pos
    _need(n >= head and pos + n <= end)
    return kind, pos + head, pos + n


def _kids(b: bytes, start: int, end: int) -> Boxes:
    """The boxes in `b[start:end]` by type: (body start, end) of each."""
    out: Boxes = {}
    while start < end:
        kind, body, start = _box(b, start, end)
        out.setdefault(kind, []).append((body, start))
    return out


def _one(kids: Boxes, kind: bytes) -> tuple[int, int]:
    found = kids[kind]
    _need(len(found) == 1)
    return found[0]


def _read_moov(f: BinaryIO, size: int) -> bytes:
    """The `moov` box's body, after checking that every top-level box is a known one that fits."""
    pos, moov, mdat = 0, None, False
    for _ in range(1000):
        if pos == size:
            break
        f.seek(pos)
        kind, body, end = _box(f.read(16), 0, size - pos)
        _need(kind in _TOP)
        f.seek(pos + body)
        if kind == b"ftyp":
            _need(f.read(4) in _BRANDS)
        elif kind == b"moov":
            _need(moov is None and end - body <= _MAX_MOOV)
            moov = f.read(end - body)
        mdat = mdat or kind == b"mdat"
        pos += end
    _need(pos == size and mdat)
    if moov is None:
        raise ValueError("not a plain MP4")
    return moov


def _rescale(a: int, b: int, c: int) -> int:
    """`a * b / c` rounded as libavutil's `av_rescale` does (halves away from zero)."""
    return (a * b + c // 2) // c if a >= 0 else -((-a * b + c // 2) // c)


def _info(path: Path, b: bytes, size: int) -> MediaInfo:
    top = _kids(b, 0, len(b))
    s, e = _one(top, b"mvhd")
    v = b[s]
    ts = struct.unpack_from(">I", b, s + (20 if v else 12))[0]
    _need(b"mvex" not in top and 0 < ts < 2**31 and e - s == (112 if v else 100))
    _need(struct.unpack_from(">9i", b, s + (48 if v else 36)) == _IDENTITY)
    tracks = [_track(b, *box, ts, size) for box in top.get(b"trak", [])]
    media = [t for t in tracks if t[0] != "other"]
    _need(sorted(t[0] for t in media) in (["video"], ["audio"], ["audio", "video"]))
    # the container's duration, worked out from the streams' as libavformat does; the other
    # (text, timecode) tracks could change it only by reaching outside the media's span
    first, last = min(t[1] for t in media), max(t[1] + t[2] for t in media)
    longest = max(t[2] for t in media)
    _need(all(first <= t[1] and t[1] + t[2] <= last and t[2] <= longest for t in tracks))
    duration = max(longest / 1_000_000, (last - first) / 1_000_000, *(t[3] for t in media))
    info: dict[str, Any] = {"has_video": False, "has_audio": False}
    for t in media:
        info.update(t[4], **{f"has_{t[0]}": True})
    _need(duration > 0)
    return MediaInfo(path=path, format=FORMAT, duration_ms=int(round(duration * 1000)), **info)


def _table(b: bytes, box: tuple[int, int], kind: str, width: int, skip: int = 8) -> tuple[int, ...]:
    """The entries of a sample table box, checking that their count fills it exactly."""
    s, e = box
    count = struct.unpack_from(">I", b, s + skip - 4)[0]
    _need(e - s == skip + count * width)
    fmt = ">" + kind * count if len(kind) > 1 else f">{count * width // struct.calcsize('>' + kind)}{kind}"
    return struct.unpack_from(fmt, b, s + skip)


def _track(b: bytes, start: int, end: int, movie_ts: int, size: int) -> tuple[str, int, int, float, dict[str, Any]]:
    """One `trak`: kind (`video`, `audio`, `other`), start and length in µs, length in s, fields."""
    trak = _kids(b, start, end)
    mdia = _kids(b, *_one(trak, b"mdia"))
    minf = _kids(b, *_one(mdia, b"minf"))
    stbl = _kids(b, *_one(minf, b"stbl"))
    s, e = _one(stbl, b"stsd")
    entries = _kids(b, s + 8, e)
    _need(struct.unpack_from(">II", b, s) == (0, 1) and len(entries) == 1)
    fmt, [(es, ee)] = next(iter(entries.items()))
    s = _one(mdia, b"hdlr")[0]
    handler = b[s + 8:s + 12]
    kind = {b"vide": "video", b"soun": "audio"}.get(handler, "other")
    _need(kind != "other" or fmt in _OTHER.get(handler, ()))
    s, e = _one(mdia, b"mdhd")
    v = b[s]
    ts, dur = struct.unpack_from(">IQ" if v else ">II", b, s + (20 if v else 12))
    _need(0 < ts < 2**31 and dur > 0 and (v or dur != 0xFFFFFFFF) and e - s == (36 if v else 24))
    s, e = _one(_kids(b, *_one(minf, b"dinf")), b"dref")
    refs = [box for boxes in _kids(b, s + 8, e).values() for box in boxes]
    _need(len(refs) == struct.unpack_from(">I", b, s + 4)[0] > 0)
    _need(all(b[rs + 3] & 1 for rs, _ in refs))  # the media is in this file
    stts = _table(b, _one(stbl, b"stts"), "I", 8)
    samples, total = sum(stts[0::2]), sum(c * d for c, d in zip(stts[0::2], stts[1::2], strict=True))
    _need(samples > 0 and total > 0 and max(stts[1::2]) < 2**31)
    _check_chunks(b, stbl, samples, size)
    ctts = _table(b, _one(stbl, b"ctts"), "i", 8) if b"ctts" in stbl else (samples, 0)
    _need(sum(ctts[0::2]) == samples and (kind == "video" or ctts[1::2] == (0,)))
    # the stream's start and duration as libavformat's mov demuxer sets them
    length, first = min(dur, total), ctts[1]
    if b"edts" in trak:
        first, edits = _edits(b, _one(_kids(b, *_one(trak, b"edts")), b"elst"), ts, movie_ts, total)
        length = min(length, edits)
    _need(length > 0)
    fields: dict[str, Any] = {}
    if kind == "video":
        fields = _video(b, fmt, es, ee, _one(trak, b"tkhd"))
        g = gcd(ts * samples, total)
        _need(max(ts * samples, total) // g < 2**31)  # av_reduce would round the frame rate
        fields["fps"] = ts * samples / total
    elif kind == "audio":
        fields = _audio(b, fmt, es, ee, ts)
    return kind, _rescale(first, 1_000_000, ts), _rescale(length, 1_000_000, ts), length / ts, fields


def _check_chunks(b: bytes, stbl: Boxes, samples: int, size: int) -> None:
    """Check that sample sizes, samples per chunk and chunk offsets agree and stay in the file."""
    s, e = _one(stbl, b"stsz")
    fixed, count = struct.unpack_from(">II", b, s + 4)
    _need(count == samples and (not fixed or e - s == 12))
    sizes = () if fixed else _table(b, (s, e), "I", 4, 12)
    wide = b"co64" in stbl
    offsets = _table(b, _one(stbl, b"co64" if wide else b"stco"), "Q" if wide else "I", 8 if wide else 4)
    stsc = _table(b, _one(stbl, b"stsc"), "I", 12)
    firsts = (*stsc[0::3], len(offsets) + 1)
    _need(firsts[0] == 1 and all(a < z for a, z in zip(firsts, firsts[1:], strict=False)))
    _need(set(stsc[2::3]) == {1} and min(stsc[1::3]) > 0)
    sample = 0
    for i, per_chunk in enumerate(stsc[1::3]):
        for chunk in range(firsts[i] - 1, firsts[i + 1] - 1):
            sample += per_chunk
            _need(sample <= samples)
            _need(offsets[chunk] + (fixed * per_chunk or sum(sizes[sample - per_chunk:sample])) <= size)
    _need(sample == samples)
    if b"stss" in stbl:
        sync = _table(b, _one(stbl, b"stss"), "I", 4)
        _need(sync and list(sync) == sorted(set(sync)) and 1 <= sync[0] and sync[-1] <= samples)


def _edits(b: bytes, elst: tuple[int, int], ts: int, movie_ts: int, total: int) -> tuple[int, int]:
    """Start and end of a track's edit list in its time scale: one edit, maybe after an empty one."""
    wide = b[elst[0]]
    edits = _table(b, elst, "QqhH" if wide else "IihH", 20 if wide else 12)
    _need(len(edits) == 4 or (len(edits) == 8 and edits[1] == -1))
    _need(0 <= edits[-3] < total and edits[-2:] == (1, 0))  # media time, rate 1.0
    empty = _rescale(edits[0], ts, movie_ts) if len(edits) == 8 else 0
    return empty, empty + _rescale(edits[-4], ts, movie_ts)


def _video(b: bytes, fmt: bytes, es: int, ee: int, tkhd: tuple[int, int]) -> dict[str, Any]:
    codec, config = _VIDEO[fmt]
    width, height = struct.unpack_from(">HH", b, es + 24)
    kids = _kids(b, es + 78, ee)
    _need(b"clap" not in kids and len(kids.get(config, ())) == 1 and width > 0 and height > 0)
    m = tkhd[0] + (52 if b[tkhd[0]] else 40)
    _need(tkhd[1] - tkhd[0] == (96 if b[tkhd[0]] else 84))
    matrix = struct.unpack_from(">9i", b, m)
    _need(matrix[2] == matrix[5] == 0 and matrix[8] == 0x40000000)
    rotation = _ROTATION[matrix[0], matrix[1], matrix[3], matrix[4]]
    _need(struct.unpack_from(">II", b, m + 36) == (width << 16, height << 16))  # no aspect ratio
    pix_fmt = None  # said only for H.264, where merge's choice depends on it
    if codec == "h264":
        pix_fmt = _avc_pix_fmt(b, kids, width, height)
    elif codec == "mpeg4":
        _need(_esds(b, kids)[0] == 0x20)  # not MPEG-1/2 video in an mp4v entry
    if rotation in (90, 270):
        width, height = height, width
    return {"width": width, "height": height, "rotation": rotation, "video_codec": codec, "pix_fmt": pix_fmt}


def _audio(b: bytes, fmt: bytes, es: int, ee: int, ts: int) -> dict[str, Any]:
    version, _, _, channels = struct.unpack_from(">HHIH", b, es + 8)
    rate = struct.unpack_from(">I", b, es + 24)[0] >> 16
    _need(version in (0, 1))
    kids = _kids(b, es + (44 if version else 28), ee)
    if fmt == b"mp4a":
        if b"wave" in kids:  # QuickTime keeps the esds in a wave box
            kids = _kids(b, *_one(kids, b"wave"))
        oti, asc = _esds(b, kids)
        if oti in (0x69, 0x6B):
            codec = "mp3"
            _need(ts == rate)  # the frames' own rate is not read: trust the entry when two agree
        else:  # AAC LC, with at most an explicit "no SBR" (the extension libavcodec's encoder writes)
            _need(oti in (0x40, 0x66, 0x67, 0x68) and asc[0] >> 3 == 2 and asc[2:] in (b"", b"\x56\xe5\x00"))
            index, config = (asc[0] & 7) << 1 | asc[1] >> 7, asc[1] >> 3 & 15
            _need(1 <= config <= 6 and (config, _AAC_RATES[index]) == (channels, rate))
            codec = "aac"
    elif fmt == b"Opus":
        s = _one(kids, b"dOps")[0]
        _need(b[s + 10] == 0 and b[s + 1] == channels)  # mono or stereo, no channel mapping table
        codec, rate = "opus", 48000
    else:
        _need(fmt == b"ac-3")
        s = _one(kids, b"dac3")[0]
        bits = int.from_bytes(b[s:s + 3], "big")
        fscod, acmod, lfe = bits >> 22, bits >> 11 & 7, bits >> 10 & 1
        codec, channels, rate = "ac3", _AC3_CHANNELS[acmod] + lfe, (48000, 44100, 32000)[fscod]
    _need(channels > 0 and rate > 0)
    return {"audio_codec": codec, "channels": channels, "sample_rate": rate}


def _esds(b: bytes, kids: Boxes) -> tuple[int, bytes]:
    """The object type and the decoder-specific bytes (maybe none) of an `esds` box."""
    s, e = _one(kids, b"esds")
    pos, oti = s + 4, -1
    for tag in (3, 4, 5):  # ES descriptor > decoder config > decoder-specific info
        if tag == 5 and (pos >= e or b[pos] != 5):
            return oti, b""
        _need(b[pos] == tag)
        pos, n = pos + 1, 0
        for _ in range(4):
            pos, n = pos + 1, n << 7 | b[pos] & 0x7F
            if not b[pos - 1] & 0x80:
                break
        _need(pos + n <= e)
        if tag == 3:  # skip the ES id, the flags and the fields they announce
            flags, pos = b[pos + 2], pos + 3
            pos += 2 if flags & 0x80 else 0
            pos += 1 + b[pos] if flags & 0x40 else 0
            pos += 2 if flags & 0x20 else 0
        elif tag == 4:  # object type, then stream type, buffer size and bit rates
            oti, pos = b[pos], pos + 13
    return oti, b[pos:pos + n]


def _avc_pix_fmt(b: bytes, kids: Boxes, width: int, height: int) -> str:
    """`yuv420p` or `yuvj420p` when the avcC's SPS says 4:2:0 8-bit at this size; ValueError otherwise."""
    s, e = _one(kids, b"avcC")
    _need(b[s] == 1 and b[s + 4] & 3 == 3 and b[s + 5] & 0x1F == 1)  # version 1, 4-byte lengths, one SPS
    n = struct.unpack_from(">H", b, s + 6)[0]
    sps = b[s + 8:s + 8 + n]
    _need(s + 8 + n < e and sps[0] & 0x1F == 7)
    profile, chroma, depth, size, full = _sps(sps[1:])
    _need(profile == b[s + 1] and chroma == 1 and depth == (8, 8) and size == (width, height))
    pos = s + 8 + n
    count, pos = b[pos], pos + 1
    for _ in range(count):
        pos += 2 + struct.unpack_from(">H", b, pos)[0]
    _need(pos <= e)
    if profile in (100, 110, 122, 144) and pos + 3 <= e:  # the avcC's own word on chroma and depth
        _need((b[pos] & 3, b[pos + 1] & 7, b[pos + 2] & 7) == (1, 0, 0))
    if full is None and b"colr" in kids:  # the stream does not say: the decoder takes the container's
        c = _one(kids, b"colr")[0]
        full = b[c:c + 4] == b"nclx" and bool(b[c + 10] >> 7)
    return "yuvj420p" if full else "yuv420p"


def _sps(nal: bytes) -> tuple[int, int, tuple[int, int], tuple[int, int], bool | None]:
    """Profile, chroma format, bit depths, cropped size and full-range flag (None: unsaid) of an H.264 SPS."""
    data = nal.replace(b"\0\0\3", b"\0\0")
    bits, n, pos = int.from_bytes(data, "big"), len(data) * 8, 0

    def u(k: int) -> int:
        nonlocal pos
        pos += k
        _need(pos <= n)
        return bits >> (n - pos) & ((1 << k) - 1)

    def ue() -> int:
        zeros = 0
        while not u(1):
            zeros += 1
            _need(zeros < 32)
        return (1 << zeros) - 1 + u(zeros)

    def se() -> int:
        k = ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)

    profile, _, _ = u(8), u(16), ue()
    chroma, depth = 1, (8, 8)
    if profile in _HIGH:
        chroma = ue()
        if chroma == 3:
            u(1)
        depth = (ue() + 8, ue() + 8)
        u(1)
        if u(1):  # scaling matrices: skip them
            for i in range(12 if chroma == 3 else 8):
                if u(1):
                    last = following = 8
                    for _ in range(16 if i < 6 else 64):
                        if following:
                            following = (last + se() + 256) % 256
                        last = following or last
    ue()
    poc = ue()
    if poc == 0:
        ue()
    elif poc == 1:
        u(1), se(), se()
        cycle = ue()
        _need(cycle < 256)
        for _ in range(cycle):
            se()
    ue(), u(1)
    width, height = (ue() + 1) * 16, ue() + 1
    frames_only = u(1)
    height *= 16 * (2 - frames_only)
    if not frames_only:
        u(1)
    u(1)
    if u(1):  # cropping, in 4:2:0 units; the decoder may move a left crop: PyAV decides then
        left, right, top, bottom = ue(), ue(), ue(), ue()
        _need(left == 0)
        width, height = width - 2 * right, height - 2 * (2 - frames_only) * (top + bottom)
    full = None
    if u(1):  # VUI: skip the aspect ratio and overscan, read the video signal type
        if u(1) and u(8) == 255:
            u(32)
        if u(1):
            u(1)
        if u(1):
            u(3)
            full = bool(u(1))
    return profile, chroma, depth, (width, height), full
