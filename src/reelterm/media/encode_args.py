"""Encoder arguments: the compiled job, its filtergraphs on the command line, and what it writes.

`FFmpegJob` is what `compile_draft` and `loudness_job` return; `graph_args` puts the picture
and sound filtergraphs on the command line (long ones through a file); `output_args` maps the
streams and chooses the encoders, the GIF palette or the still's seek for the output format.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reelterm.media import formats as F
from reelterm.media._graph import Graph, num

GRAPH_FILE_OVER = 60_000
"""Graphs longer than this many characters go through a file (`-/filter_complex`)."""


@dataclass
class FFmpegJob:
    """A compiled job: ffmpeg arguments (without the binary), length in seconds, what it made."""

    args: list[str]
    duration_s: float
    output: Path | None  # None: the job writes to ffmpeg's null muxer (a measurement)
    graph: str
    kind: str
    text_images: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    graph_files: list[Path] = field(default_factory=list)

    @property
    def argv(self) -> list[str]:
        """The whole command line, binary first."""
        from reelterm.media._ffmpeg import ffmpeg_exe

        return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *self.args]

    def to_null(self) -> list[str]:
        """`args` writing to ffmpeg's null muxer instead of a file (for checks)."""
        i = len(self.args) - 3
        assert self.args[i] == "-f"
        return [*self.args[:i], "-f", "null", "-"]


def graph_args(g: Graph) -> tuple[list[str], list[Path]]:
    """`-filter_complex` arguments for the picture and sound filtergraphs (two graphs, so ffmpeg
    filters them on two threads), and the files holding the graphs too long for a command line."""
    args: list[str] = []
    files: list[Path] = []
    for graph in (g.video_graph, g.audio_graph):
        if not graph:
            continue
        if len(graph) > GRAPH_FILE_OVER:
            g.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix="graph-", suffix=".txt", dir=g.cache_dir)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(graph)
            files.append(Path(name))
            args += ["-/filter_complex", name]
        else:
            args += ["-filter_complex", graph]
    return args, files


def gif_palette(g: Graph, video: str) -> str:
    """`[video]` reduced to a GIF's rate and width with its own palette; returns the label to map."""
    gif_fps = min(g.fps, 15)
    gw = min(g.W, 640)
    pal, a, b, out = g.label("pal"), g.label("g"), g.label("g"), g.label("gifout")
    g.add_chain(f"[{video}]fps={gif_fps},scale={gw}:-2:flags=lanczos,split=2[{a}][{b}];"
                f"[{a}]palettegen=stats_mode=diff[{pal}];"
                f"[{b}][{pal}]paletteuse=dither=bayer:bayer_scale=4[{out}]")
    return out


def output_args(fmt: F.OutputFormat, quality: str, *, frames: int, fps: int, sound: bool,
                at_ms: int | None, out: Path) -> list[str]:
    """Encoders and muxer for `fmt` (after the `-map`s): `frames` is the output's length in frames."""
    if fmt.kind == "video":
        args = [*F.video_encode_args(fmt, quality), *(F.audio_encode_args(fmt) if sound else ["-an"])]
        args += ["-frames:v", str(frames)]
    elif fmt.kind == "audio":
        args = F.audio_encode_args(fmt)
    elif fmt.kind == "gif":
        args = ["-loop", "0"]
    else:
        args = ["-ss", num(still_time(at_ms, fps, frames)), *F.image_encode_args(fmt)]
    return [*args, "-f", fmt.muxer, str(out)]


def still_time(at_ms: int | None, fps: int, total: int) -> float:
    """The output seek that lands on the frame shown at `at_ms`: ffmpeg keeps the frame on screen
    at the seek, so a quarter of a frame into it, whatever the rounding of the printed number."""
    if at_ms is None:
        return min(1.0, total / fps / 2)
    index = max(0, min(total - 1, int(max(0, at_ms) * fps // 1000)))
    return (index + 0.25) / fps
