"""A video that shows a CC BY picture says how to credit it; one with only MIT pictures says nothing."""

from __future__ import annotations

from pathlib import Path

from reelterm.media import compile_draft
from reelterm.media.pictures import CREDITED_SETS, credit_for
from reelterm.media.visuals import library
from reelterm.protocol import validate_local_draft


def _feature(ref: str) -> dict:
    return {"m": {"width": 320, "height": 180, "fps": 10}, "t": [
        {"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 1000, "src": "gradient:#101418,#304050",
                                          "m": {"layout": "feature"}}]},
        {"tt": 0, "id": "pictures", "sg": [{"id": "p1", "s": 0, "d": 1000, "src": ref,
                                             "m": {"scene": "v1", "slot": 0}}]}]}


def _first(set_name: str) -> str:
    return next(p.ref for p in library().all((set_name,)))


def test_a_streamline_picture_brings_its_credit_line(tmp_path: Path) -> None:
    for set_name in sorted(CREDITED_SETS):
        ref = _first(set_name)
        job = compile_draft(validate_local_draft(_feature(ref)), tmp_path / "v.mp4", cache_dir=tmp_path)
        assert [w for w in job.warnings if "Streamline" in w and "CC BY 4.0" in w], (ref, job.warnings)


def test_mit_and_apache_pictures_need_no_credit(tmp_path: Path) -> None:
    for set_name in ("fluent", "fluent-ui", "iconpark", "flatcolor"):
        ref = _first(set_name)
        assert credit_for(ref) is None
        job = compile_draft(validate_local_draft(_feature(ref)), tmp_path / "v.mp4", cache_dir=tmp_path)
        assert not [w for w in job.warnings if "CC BY" in w], (ref, job.warnings)
    assert credit_for("motif:rings") is None and credit_for("upload:u_1") is None
