"""After ffmpeg fails: was it a damaged input? Then say so (exit 4), not ffmpeg's own words (exit 3)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media.errors import FFmpegFailed, MediaError, ProbeError

_DECODE_TROUBLE = re.compile(
    r"invalid data found|error while decoding|error submitting packet to decoder|invalid nal unit"
    r"|error splitting the input|is not allocated|corrupt|concealing|exceeds limit|decode_slice"
    r"|invalid frame|partial file|moov atom not found|no frame|missing picture|bad header"
    r"|decoding errors|input buffer exhausted|error parsing|invalid block|invalid .*header",
    re.IGNORECASE)
"""What ffmpeg's demuxers and decoders print about damaged data."""
CHECK_TIMEOUT_S = 120.0
"""The longest a decode check of one input may take (it stops at the first error)."""


def corrupt_sentence(path: Path) -> str:
    """The one sentence for an input whose media data cannot be decoded."""
    return (f"{path.name} is corrupt: part of its media data cannot be decoded "
            "(it may be damaged or incompletely copied).")


def decodes_cleanly(path: Path) -> bool:
    """True when ffmpeg decodes every stream of `path` to the end without one error."""
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-xerror", "-i", str(path),
            "-map", "0:v?", "-map", "0:a?", "-f", "null", "-"]
    try:
        # an argv list we built, never a shell
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.PIPE, timeout=CHECK_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return True  # too big to check fully: do not blame it
    return done.returncode == 0 and not _DECODE_TROUBLE.search(done.stderr.decode(errors="replace"))


def explain_failure(exc: FFmpegFailed, inputs: list[Path]) -> MediaError:
    """A `ProbeError` naming the damaged input when that is why ffmpeg failed, else `exc` itself."""
    from reelterm.media.probe import probe

    for path in inputs:
        try:
            probe(path)
        except ProbeError as bad:
            return bad
    if not _DECODE_TROUBLE.search(f"{exc}\n{exc.tail}"):
        return exc
    for path in inputs:
        if not decodes_cleanly(path):
            return ProbeError(corrupt_sentence(path))
    return exc
