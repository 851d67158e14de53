"""Bad visual input gives a sentence, never a crash: hostile URLs, unknown pictures, 1x1 and huge images."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from reelterm.media import MediaError, compile_draft
from reelterm.media.pictures import bundled_exists, safe_url
from reelterm.protocol import DraftError, validate_local_draft


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "https://evil.com/$(rm -rf ~)", "http://a.com/'; drop table x; --",
    "https://exa mple.com", "data:text/html,<script>", "file:///etc/passwd", "https://ex\u0430mple.com",
    "https://" + "a" * 300 + ".com", "user@example.com", "brewlab.com\nhttps://evil.com", "", "not a url",
])
def test_hostile_urls_get_no_qr(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(("text", "url"), [("brewlab.com", "https://brewlab.com"),
                                           ("https://shop.example.org/order", "https://shop.example.org/order"),
                                           ("www.acme.co.uk.", "https://www.acme.co.uk")])
def test_plain_urls_get_a_qr(text: str, url: str) -> None:
    assert safe_url(text) == url


def _end_card(url: str, width: int = 320, height: int = 180) -> dict:
    return {"m": {"width": width, "height": height, "fps": 10}, "t": [
        {"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 1000, "src": "gradient:#101418,#304050",
                                          "m": {"layout": "end", "qr": True}}]},
        {"tt": 7, "id": "titles", "sg": [
            {"id": "cta", "s": 0, "d": 1000, "m": {"text": "Order today", "scene": "v1", "role": "headline"}},
            {"id": "url", "s": 0, "d": 1000, "m": {"text": url, "scene": "v1", "role": "url"}}]}]}


def test_hostile_url_on_the_end_card_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    draft = validate_local_draft(_end_card("javascript:alert('x');$(reboot)"))
    job = compile_draft(draft, tmp_path / "end.mp4", cache_dir=tmp_path)
    assert any("QR" in w and "URL" in w for w in job.warnings)
    assert "qr-" not in " ".join(job.args)
    assert "alert" not in job.graph and "reboot" not in " ".join(job.args)  # text only inside PNGs
    ok = compile_draft(validate_local_draft(_end_card("brewlab.com")), tmp_path / "ok.mp4", cache_dir=tmp_path)
    assert any("qr-" in Path(a).name for a in ok.args) and not ok.warnings  # (cut to its visible pixels or not)


def test_unknown_picture_id_is_a_sentence(tmp_path: Path) -> None:
    draft = {"m": {"width": 320, "height": 180}, "t": [
        {"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 1000, "src": "gradient:#101418,#304050",
                                          "m": {"layout": "feature"}}]},
        {"tt": 0, "id": "pictures", "sg": [{"id": "p1", "s": 0, "d": 1000, "src": "icon:fluent/no-such-thing-xyz",
                                             "m": {"scene": "v1", "slot": 0}},
                                            {"id": "p2", "s": 0, "d": 1000, "src": "motif:unicorns",
                                             "m": {"scene": "v1", "slot": 1}}]}]}
    with pytest.raises(DraftError) as err:
        validate_local_draft(draft, lambda src: bool(bundled_exists(src)))
    assert len(err.value.problems) == 2
    assert all("does not exist" in p for p in err.value.problems)
    assert bundled_exists("motif:rings") is True and bundled_exists("upload:x") is None
    with pytest.raises(DraftError, match="media reference"):
        validate_local_draft({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "icon:../../etc/passwd"}]}]})
    # the renderer on its own (no validation first) says so too
    with pytest.raises(MediaError) as exc:
        compile_draft(validate_local_draft(draft), tmp_path / "x.mp4", cache_dir=tmp_path)
    assert "icon:fluent/no-such-thing-xyz" in str(exc.value) and "\n" not in str(exc.value)


def _png(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit greyscale PNG of any size, written without holding its pixels in memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    comp = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = b"".join(comp.compress(row * min(256, height - i)) for i in range(0, height, 256)) + comp.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize(("size", "needle"), [((1, 1), "too small"), ((20000, 20000), "too large")])
def test_tiny_and_huge_photos_are_a_sentence(tmp_path: Path, size: tuple[int, int], needle: str) -> None:
    photo = _png(tmp_path / "photo.png", *size)
    for layout_draft in (
        {"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 1000, "src": "upload:photo",
                                         "m": {"layout": "media", "move": "kenburns"}}]},
        {"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 1000, "src": "upload:photo"}]},
    ):
        draft = validate_local_draft({"m": {"width": 320, "height": 180}, "t": [layout_draft]})
        with pytest.raises(MediaError) as exc:
            compile_draft(draft, tmp_path / "x.mp4", resolve=lambda src: photo, cache_dir=tmp_path)
        assert needle in str(exc.value) and "photo.png" in str(exc.value)
