"""compile_draft(): the pure draft -> one ffmpeg command step."""

from __future__ import annotations

import pytest

from reelterm.media import MediaError, NoStreamError, UnsupportedTarget, compile_draft
from reelterm.protocol.draft import Draft

from .conftest import tiny_draft


def job_for(draft: dict, resolver, tmp_path, out="out.mp4", **kw):
    return compile_draft(Draft.model_validate(draft), tmp_path / out, resolve=resolver,
                         cache_dir=tmp_path / "cache", **kw)


def urban(w=64, h=36, fps=5) -> dict:
    return tiny_draft(
        {"tt": 0, "sg": [{"id": "v", "s": 0, "d": 2000, "src": "upload:clip"}]},
        {"tt": 1, "sg": [{"id": "m", "s": 0, "d": 2000, "src": "music:calm/calm_acoustic_1",
                          "m": {"volume": 0.35}}]},
        {"tt": 7, "sg": [{"id": "t", "s": 0, "d": 1000, "m": {"text": "Urban Dreams", "style": "title"}}]},
        w=w, h=h, fps=fps)


def test_one_graph_argv_list(media, resolver, tmp_path):
    job = job_for(urban(), resolver, tmp_path)
    assert all(isinstance(a, str) for a in job.args)
    assert job.args.count("-filter_complex") == 2  # picture and sound graphs
    assert job.args[-3:] == ["-f", "mp4", str(tmp_path / "out.mp4")]
    assert job.duration_s == 2.0
    g = job.graph
    assert "amix" not in g or "normalize=0" in g
    assert "volume=0.35" in g and "loudnorm=I=-14" in g
    assert "enable='between(n,0,4)'" in g
    assert "-loop" not in job.args[: job.args.index("-filter_complex")]
    for flag in ("libx264", "yuv420p", "+faststart", "aac", "48000"):
        assert flag in job.args
    # the command runs as compiled and writes what it promised
    import subprocess

    from reelterm.media import probe

    subprocess.run(job.argv, check=True, capture_output=True, timeout=120)
    info = probe(tmp_path / "out.mp4")
    assert (info.video_codec, info.pix_fmt, info.audio_codec) == ("h264", "yuv420p", "aac")
    assert (info.width, info.height) == (64, 36) and abs(info.duration_ms - 2000) <= 250


def test_user_text_never_in_argv(media, resolver, tmp_path):
    evil = "x'; [0:v] drawtext=text=%{pts}:fontfile=/etc/passwd \\ : ,"
    d = urban()
    d["t"][2]["sg"][0]["m"]["text"] = evil
    d["m"]["title"] = evil
    job = job_for(d, resolver, tmp_path)
    joined = "\n".join(job.args)
    for piece in ("drawtext", "passwd", "%{pts}", "x'"):
        assert piece not in joined
    assert len(job.text_images) == 1 and job.text_images[0].is_file()


def test_quality_presets(media, resolver, tmp_path):
    presets = {q: job_for(urban(), resolver, tmp_path, quality=q).args for q in ("draft", "standard", "high")}
    assert "ultrafast" in presets["draft"] and "veryfast" in presets["standard"] and "medium" in presets["high"]
    with pytest.raises(UnsupportedTarget):
        job_for(urban(), resolver, tmp_path, quality="ultra")


@pytest.mark.parametrize("out, codecs", [
    ("o.webm", ["libvpx-vp9", "libopus"]), ("o.mkv", ["libx264", "aac"]), ("o.avi", ["libx264", "libmp3lame"]),
    ("o.mp3", ["libmp3lame"]), ("o.wav", ["pcm_s16le"]), ("o.m4a", ["aac"]), ("o.aac", ["aac"]),
])
def test_formats(media, resolver, tmp_path, out, codecs):
    job = job_for(urban(), resolver, tmp_path, out=out)
    for codec in codecs:
        assert codec in job.args
    if job.kind == "audio":
        assert "-map" in job.args and not any(a.startswith("[base") for a in job.args)


def test_gif_uses_palette(media, resolver, tmp_path):
    job = job_for(urban(), resolver, tmp_path, out="o.gif")
    assert "palettegen" in job.graph and "paletteuse" in job.graph


def test_transitions_gaps_and_backgrounds(media, resolver, tmp_path):
    d = tiny_draft({"tt": 0, "sg": [
        {"s": 0, "d": 1000, "src": "color:#112233"},
        {"s": 1000, "d": 1000, "src": "gradient:#ff0000,#00ff00", "m": {"transition": "zoomin", "transition_ms": 400}},
        {"s": 2500, "d": 1000, "src": "upload:still", "m": {"zoom": True}},
    ]})
    job = job_for(d, resolver, tmp_path)
    g = job.graph
    assert "color=c=0x112233" in g and "crop=64:36:x='32-abs(32-mod(floor(n/2)*2,64))'" in g
    assert any(a.endswith("gradient-ff0000-00ff00-96.png") for a in job.args)  # a drifting strip
    # only the 2-frame overlap goes through xfade: the tail of one slot and the head of the next
    assert "xfade=transition=zoomin:duration=0.400000:offset=0" in g and g.count("xfade") == 1
    assert "trim=start_frame=5:end_frame=7" in g and "trim=start_frame=0:end_frame=2" in g
    assert "color=c=black" in g  # the 2.0-2.5 s gap
    assert "zoompan" in g and "loop=loop=" in g
    assert abs(job.duration_s - 3.5) <= 1 / 5  # times snap to whole frames


def test_fit_modes(media, resolver, tmp_path):
    base = {"s": 0, "d": 1000, "src": "upload:portrait"}
    graphs = {fit: job_for(tiny_draft({"tt": 0, "sg": [dict(base, m={"fit": fit})]}), resolver, tmp_path).graph
              for fit in ("cover", "contain", "blur")}
    assert "crop=64:36" in graphs["cover"]
    assert "pad=64:36" in graphs["contain"]
    assert "boxblur" in graphs["blur"] and "overlay=(W-w)/2" in graphs["blur"]
    # the default for a mismatched aspect is the blurred fill
    assert "boxblur" in job_for(tiny_draft({"tt": 0, "sg": [base]}), resolver, tmp_path).graph


def test_errors(media, resolver, tmp_path):
    with pytest.raises(MediaError, match="empty"):
        job_for(tiny_draft(), resolver, tmp_path)
    with pytest.raises(MediaError, match="not found"):
        job_for(tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 500, "src": "upload:ghost"}]}), resolver, tmp_path)
    with pytest.raises(NoStreamError, match="no picture"):
        job_for(tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 500, "src": "upload:tone"}]}), resolver, tmp_path)
    with pytest.raises(NoStreamError, match="no sound"):
        job_for(tiny_draft({"tt": 1, "sg": [{"s": 0, "d": 500, "src": "upload:silent"}]}), resolver, tmp_path)
    with pytest.raises(UnsupportedTarget):
        job_for(urban(), resolver, tmp_path, out="o.flv")


def test_huge_graph_goes_through_a_file(media, resolver, tmp_path):
    segs = [{"s": i * 200, "d": 200, "src": f"color:#{i % 256:02x}{i % 256:02x}{i % 256:02x}"} for i in range(400)]
    job = job_for(tiny_draft({"tt": 0, "sg": segs}), resolver, tmp_path)
    assert "-/filter_complex" in job.args and len(job.graph_files) == 1 and job.graph_files[0].is_file()


def test_docs_example_validates_and_runs(media, resolver, tmp_path):
    import json
    import re
    import subprocess
    from pathlib import Path

    from reelterm.media._ffmpeg import ffmpeg_exe
    from reelterm.protocol.draft import validate_local_draft

    doc = (Path(__file__).parents[2] / "docs" / "draft.md").read_text(encoding="utf-8")
    data = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
    data["m"].update(width=96, height=54, fps=5)
    draft = validate_local_draft(data, lambda src: src == "upload:city_timelapse")
    job = compile_draft(draft, tmp_path / "urban.mp4", cache_dir=tmp_path / "c",
                        resolve=lambda src: media.video if src == "upload:city_timelapse" else resolver(src))
    assert job.duration_s == 10.0 and len(job.text_images) == 1
    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-nostdin", *job.to_null()], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_in_point_past_the_end_warns(media, resolver, tmp_path):
    d = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 500, "src": "upload:clip", "in": 60_000}]})
    job = job_for(d, resolver, tmp_path)
    assert job.warnings and "upload:clip" in job.warnings[0]
    assert "-ss" in job.args and "1.9" in job.args


def test_measured_loudness_gives_gain_and_limiter(media, resolver, tmp_path):
    from reelterm.media.loudness import LIMITER, loudness_job

    job = job_for(urban(), resolver, tmp_path, loudness=(-20.5, -6.0))
    assert "loudnorm" not in job.graph
    assert f"volume=6.5dB,{LIMITER}" in job.graph
    silent = job_for(urban(), resolver, tmp_path, loudness=(float("-inf"), float("-inf")))
    assert f"volume=0dB,{LIMITER}" in silent.graph
    gated = job_for(urban(), resolver, tmp_path, loudness=(-70.0, -90.0))  # ebur128 on silence
    assert f"volume=0dB,{LIMITER}" in gated.graph
    quiet = job_for(urban(), resolver, tmp_path, loudness=(-60.0, -40.0))
    assert f"volume=30dB,{LIMITER}" in quiet.graph  # never lifted by more than 30 dB
    measure = loudness_job(Draft.model_validate(urban()), resolve=resolver, cache_dir=tmp_path / "measure")
    assert measure is not None and "ebur128=peak=sample" in measure.graph
    assert "-map" in measure.args and not measure.text_images and measure.output is None  # sound only, to null
    assert not list((tmp_path / "measure").glob("*.png"))  # nothing drawn for it
    no_sound = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "color:#000000"}]})
    assert loudness_job(Draft.model_validate(no_sound), cache_dir=tmp_path / "cache") is None


def test_parse_loudness():
    from reelterm.media.loudness import parse_loudness

    log = ["[Parsed_ebur128_0 @ 0x1] Summary:", "", "  Integrated loudness:", "    I:         -21.3 LUFS",
           "    Threshold: -32.1 LUFS", "", "  True peak:", "    Peak:       -9.5 dBFS"]
    assert parse_loudness(log) == (-21.3, -9.5)
    assert parse_loudness(["I: -3 LUFS"]) is None
    inf = parse_loudness(["Summary:", "    I:         -inf LUFS", "    Peak:       -inf dBFS"])
    assert inf is not None and inf[0] == float("-inf")
