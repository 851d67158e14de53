"""Ids in paths whatever their characters, and client file names decoded and made harmless."""

from __future__ import annotations

import pytest

from reelterm.client import NemoClient, SessionNotFound
from reelterm.config import app_paths

from .helpers import new_session, raw_multipart

ODD_IDS = ["a%2Fb", "a%2fb", "%2F", "..%2F..%2Fetc", "x%00y", "%FF%FE", "a%5Cb", "%20", "a%3Fb%23c",
           "sess_%2F%2F", "x" * 300]


@pytest.mark.parametrize("sid", ODD_IDS)
def test_odd_session_ids_get_1002_on_every_sid_route(api, media_dir, sid):
    r = api.get(f"/api/state/nemo_agent/me/{sid}/latest")
    assert r.status_code == 404 and r.json()["code"] == 1002, r.text
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}",
                 files=[("files", ("clip.mp4", (media_dir / "clip.mp4").read_bytes()))])
    assert r.status_code == 404 and r.json()["code"] == 1002, r.text
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", json={"urls": ["https://example.com/a.mp4"]})
    assert r.json()["code"] == 1002, r.text


def test_a_real_session_with_an_encoded_slash_appended_is_1002(api):
    sid = new_session(api)
    for path in (f"/api/state/nemo_agent/me/{sid}%2Fx/latest", f"/api/state/nemo_agent/me/{sid}%2F/latest",
                 f"/api/state/nemo_agent/me/%2F{sid}/latest", "/api/state/nemo_agent/me//latest"):
        r = api.get(path)
        assert r.json()["code"] == 1002, (path, r.text)
    assert api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["code"] == 0


@pytest.mark.parametrize("rid", ["a%2Fb", "%2F", "x%00", "lambda%2Fx"])
def test_odd_render_and_upload_ids_get_4004(api, rid):
    assert api.get(f"/api/render/proxy/lambda/{rid}").json()["code"] == 4004
    assert api.post(f"/api/render/proxy/lambda/{rid}/cancel").json()["code"] == 4004
    assert api.get(f"/api/render/proxy/{rid}/download").json()["code"] == 4004
    assert api.get(f"/api/uploads/{rid}/file").json()["code"] == 4004


async def test_client_sees_session_not_found_not_route_missing(engine, tmp_path, reelterm_home):
    clip = tmp_path / "x.mp4"
    clip.write_bytes(b"\0" * 10)
    async with NemoClient(engine.base_url, paths=app_paths().ensure(), token=engine.token) as c:
        for sid in ("a/b", "../x", "a\\b", "a?b#c", "日本/語", "a/b/latest"):
            with pytest.raises(SessionNotFound):
                await c.state(sid)
            with pytest.raises(SessionNotFound):
                await c.upload_files(sid, [clip])


HOSTILE = "a\x1b]0;pwned\x07.mp4"


def _assert_harmless(name: str) -> None:
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name), repr(name)
    assert "%1B" not in name.upper() and "%07" not in name


async def test_client_escapes_are_decoded_and_controls_stripped(engine, media_dir, tmp_path, reelterm_home):
    names = [HOSTILE, "tab\there.mp4", "back\\slash.mp4", 'quo"te.mp4', "csi\x1b[31mred\x1b[0m.mp4",
             "del\x7fc1\x90.mp4", "bidi\u202egnp.mp4", "50%25 off %41.mp4"]
    paths = []
    for i, name in enumerate(names):
        d = tmp_path / str(i)
        d.mkdir()
        (d / name).write_bytes((media_dir / "clip.mp4").read_bytes())
        paths.append(d / name)

    async with NemoClient(engine.base_url, paths=app_paths().ensure(), token=engine.token) as c:
        sid = (await c.create_session()).session_id
        result = await c.upload_files(sid, paths)
        got = [f.filename for f in result.files]
        state = await c.state(sid)
        assert [i["filename"] for i in state.video_infos] == got
    for name in got:
        _assert_harmless(name)
    assert got[0] == "a]0;pwned.mp4"
    assert got[1] == "tab here.mp4"
    assert got[2] == "back\\slash.mp4"
    assert got[3] == 'quo"te.mp4'
    assert got[4] == "csired.mp4"
    assert got[5] == "delc1.mp4"
    assert got[6] == "bidignp.mp4"
    assert got[7] == "50%25 off %41.mp4"  # only the client's own escapes are decoded


def test_raw_multipart_names_are_decoded_and_controls_stripped(api, media_dir):
    sid = new_session(api)
    clip = (media_dir / "clip.mp4").read_bytes()
    raw = [b"a\x1b]0;pwned\x07.mp4", b"a%1B]0;pwned%07.mp4", b"q%22uote%0D%0Aline.mp4", b"esc%1b[2Jx.mp4",
           b"\xc2\x9b31m.mp4", b"%00%7F.mp4"]
    body, ctype = raw_multipart([(name, clip) for name in raw])
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", content=body, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text
    got = [f["filename"] for f in r.json()["data"]["files"]]
    for name in got:
        _assert_harmless(name)
    assert got[:2] == ["a]0;pwned.mp4", "a]0;pwned.mp4"]
    assert got[2] == 'q"uote line.mp4'
    assert got[3] == "escx.mp4"
    assert got[4] == ".mp4"
    assert got[5] == ".mp4"
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert [i["filename"] for i in state["video_infos"]] == got
    # the download route's Content-Disposition carries no control bytes either
    first = r.json()["data"]["files"][0]
    disp = api.get(first["cdn_url"]).headers["content-disposition"]
    assert "\x1b" not in disp and "\x07" not in disp
