"""The headless commands as subprocesses: exit codes, `--json` lines, human output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.scripted_server import json_reply

STATE_ROUTE = "/api/state/nemo_agent/me/*/latest"


def reelterm(home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
             ) -> subprocess.CompletedProcess[str]:
    """Run `python -m reelterm ARGS` with this test's REELTERM_HOME."""
    full_env = {**os.environ, "REELTERM_HOME": str(home), **(env or {})}
    full_env.pop("NEMO_TOKEN", None) if "NEMO_TOKEN" not in (env or {}) else None
    full_env.pop("REELTERM_API", None)
    proc = subprocess.run([sys.executable, "-m", "reelterm", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def json_lines(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    """Every stdout line as JSON (each must parse)."""
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_a_session_across_commands(engine, media, reelterm_home, tmp_path):
    api = ["--api", engine.base_url]
    chat = reelterm(reelterm_home, *api, "chat", "--json", "--file", str(media / "clip.mp4"),
                    "--file", str(media / "tone.wav"), "merge this audio and video")
    assert chat.returncode == 0, chat.stderr
    events = json_lines(chat)
    names = [e["event"] for e in events]
    assert names[0] == "connected" and "upload_done" in names and "reply_delta" in names
    assert names[-1] == "turn_finished" and events[-1]["ok"] is True
    final = [e for e in events if e["event"] == "reply_final"][-1]
    assert final["text"].startswith("Merged clip.mp4") and "tone.wav" in final["text"]
    sid = events[0]["session_id"]

    state = reelterm(reelterm_home, *api, "state")
    assert state.returncode == 0 and "1. Video: clip.mp4" in state.stdout and "2. Audio: tone.wav" in state.stdout
    state_json = json_lines(reelterm(reelterm_home, *api, "state", "--json"))
    assert state_json[0]["session_id"] == sid and state_json[-1]["event"] == "state_updated"
    assert reelterm(reelterm_home, *api, "credits").stdout.strip() == "Credits: unlimited."

    out = tmp_path / "out"
    export = reelterm(reelterm_home, *api, "export", "--quality", "draft", "-o", f"{out}{os.sep}")
    assert export.returncode == 0, export.stderr
    path = Path(export.stdout.strip().splitlines()[-1])
    assert path.parent == out and path.suffix == ".mp4" and path.stat().st_size > 0

    queued = reelterm(reelterm_home, *api, "export", "--no-wait")
    render_id = queued.stdout.strip()
    assert queued.returncode == 0 and render_id.startswith("render_")
    renders = reelterm(reelterm_home, *api, "renders")
    assert renders.returncode == 0 and f"{render_id}  pending" in renders.stdout
    assert f"{render_id}.mp4" in renders.stdout.strip().splitlines()[-1]
    listed = [e for e in json_lines(reelterm(reelterm_home, *api, "renders", "--json", "--list"))
              if e["event"] == "render_listed"]
    assert {r["render_id"] for r in listed} >= {render_id} and all(r["status"] == "completed" for r in listed)


def test_export_with_subtitles_beside_the_video(engine, media, reelterm_home, tmp_path):
    api = ["--api", engine.base_url]
    merged = reelterm(reelterm_home, *api, "chat", "--file", str(media / "clip.mp4"),
                      "--file", str(media / "tone.wav"), "merge this audio and video")
    assert merged.returncode == 0, merged.stderr
    captioned = reelterm(reelterm_home, *api, "chat", "add a caption 'Hello there' from 0 to 0.8 seconds")
    assert captioned.returncode == 0, captioned.stderr
    out = tmp_path / "out"
    export = reelterm(reelterm_home, *api, "export", "--quality", "draft", "--subtitles", "srt",
                      "-o", f"{out}{os.sep}")
    assert export.returncode == 0, export.stderr
    made = sorted(p.suffix for p in out.iterdir())
    assert made == [".mp4", ".srt"] and len({p.stem for p in out.iterdir()}) == 1  # one name, side by side
    srt = next(out.glob("*.srt")).read_text(encoding="utf-8")
    assert "00:00:00,000 --> 00:00:00,800" in srt and "Hello there" in srt


def test_exit_codes_and_one_sentence_errors(engine, media, reelterm_home):
    api = ["--api", engine.base_url]
    missing = reelterm(reelterm_home, *api, "upload", str(media / "missing.mp4"))
    assert missing.returncode == 4 and missing.stderr.startswith("Error: There is no file at")
    unsupported = reelterm(reelterm_home, *api, "upload", "--json", str(media / "notes.xyz"))
    assert unsupported.returncode == 4
    assert json_lines(unsupported)[-1]["code"] == 4001
    empty = reelterm(reelterm_home, *api, "export", "--new")
    assert empty.returncode == 3 and "nothing to export" in empty.stderr
    down = reelterm(reelterm_home, "--api", "http://127.0.0.1:1", "credits")
    assert down.returncode == 3 and down.stderr.count("\n") == 1 and "could not reach" in down.stderr
    assert reelterm(reelterm_home, "--api", "ftp://x", "credits").returncode == 2
    assert reelterm(reelterm_home, "export", "--quality", "best").returncode == 2
    assert reelterm(reelterm_home, "chat", "").returncode == 2


def test_plain_adk_server_with_token_and_session(scripted, reelterm_home):
    scripted.on("GET", STATE_ROUTE, json_reply({"detail": "Not Found"}, 404))
    proc = reelterm(reelterm_home, "--api", scripted.base_url, "chat", "--session", "sess_adk", "make a cat video",
                    env={"NEMO_TOKEN": "nmv_usr_fromenv"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[0] == "Done! Your clip is on the timeline."
    assert "Warning:" in proc.stderr and "no session-state route" in proc.stderr
    paths = {(r.method, r.path.split("/me/")[0]) for r in scripted.requests}
    assert paths <= {("POST", "/run_sse"), ("GET", "/api/state/nemo_agent")}
    assert scripted.count("POST", "/run_sse") == 1
    body = json.loads(scripted.seen("POST", "/run_sse")[0].body)
    assert body["session_id"] == "sess_adk"
    assert scripted.seen("POST", "/run_sse")[0].headers["authorization"] == "Bearer nmv_usr_fromenv"


@pytest.mark.slow
def test_local_engine_by_default(reelterm_home):
    proc = reelterm(reelterm_home, "chat", "--json", "hello")
    assert proc.returncode == 0, proc.stderr
    events = json_lines(proc)
    assert events[0]["event"] == "connected" and events[0]["is_local"] is True
    assert any(e["event"] == "reply_final" for e in events)


@pytest.mark.slow
def test_local_session_survives_a_new_process(reelterm_home):
    first = json_lines(reelterm(reelterm_home, "chat", "--json", "hello"))
    second = reelterm(reelterm_home, "chat", "--json", "hello")
    events = json_lines(second)
    assert second.returncode == 0
    assert events[0]["session_id"] == first[0]["session_id"]
    assert not any(e["event"] == "session_replaced" for e in events)


def test_ctrl_c_exits_130(scripted, reelterm_home):
    import signal
    import time

    from support.scripted_server import HEARTBEATS, sse_reply

    scripted.on("POST", "/run_sse", sse_reply(HEARTBEATS, repeat_last_every=0.1))
    env = {**os.environ, "REELTERM_HOME": str(reelterm_home)}
    proc = subprocess.Popen([sys.executable, "-m", "reelterm", "--api", scripted.base_url, "chat", "hi"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while scripted.count("POST", "/run_sse") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Interrupted." in err


def test_hostile_uploads_and_export_options_get_one_sentence_and_exit_4(scripted, reelterm_home, tmp_path):
    api = ["--api", scripted.base_url]
    (tmp_path / "folder.mp4").mkdir()
    (tmp_path / "empty.mp4").touch()
    (tmp_path / "noext").write_text("x")
    folder = reelterm(reelterm_home, *api, "upload", "--session", "sess_1", str(tmp_path / "folder.mp4"))
    assert folder.returncode == 4 and folder.stderr == (
        "Error: folder.mp4 is a folder, not a regular file. Name the files inside it instead.\n")
    empty = reelterm(reelterm_home, *api, "upload", "--session", "sess_1", str(tmp_path / "empty.mp4"))
    assert empty.returncode == 4 and empty.stderr.startswith("Error: empty.mp4 is empty (0 bytes).")
    noext = reelterm(reelterm_home, *api, "upload", "--session", "sess_1", str(tmp_path / "noext"))
    assert noext.returncode == 4 and "noext: the name has no extension" in noext.stderr
    bad = reelterm(reelterm_home, *api, "export", "--session", "sess_1", "--format", "../x")
    assert bad.returncode == 4 and bad.stderr.startswith("Error: '../x' is not an export format")
    (tmp_path / "plain.txt").write_text("a file, not a folder")
    blocked = reelterm(reelterm_home, *api, "export", "--session", "sess_1", "-o", str(tmp_path / "plain.txt" / "v.mp4"))
    assert blocked.returncode == 4 and blocked.stderr.startswith(f"Error: reelterm cannot save into {tmp_path / 'plain.txt'}")
    assert scripted.requests == []  # every one was refused before anything was sent


def test_terminal_escapes_in_names_are_not_echoed(engine, reelterm_home, tmp_path):
    hostile = tmp_path / "a\x1b]0;pwned\x07\nb.txt"
    hostile.write_text("some notes")
    proc = reelterm(reelterm_home, "--api", engine.base_url, "upload", str(hostile))
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith("Uploaded a") and line.endswith("b.txt (text)")


def test_undecodable_stdin_is_sent_once_with_replacement_characters(scripted, reelterm_home):
    from support.scripted_server import ADK_STREAM, sse_reply

    scripted.on("POST", "/run_sse", sse_reply(ADK_STREAM))
    env = {**os.environ, "REELTERM_HOME": str(reelterm_home), "NEMO_TOKEN": "nmv_usr_x",
           "PYTHONIOENCODING": "utf-8:strict"}  # as on a UTF-8 locale, where stdin is strict
    env.pop("REELTERM_API", None)
    proc = subprocess.run([sys.executable, "-m", "reelterm", "--api", scripted.base_url, "chat", "--session",
                           "sess_1", "-"], input=b"caf\xe9 \xff make a cat video", capture_output=True,
                          env=env, timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.decode().strip().splitlines()[-1] == "Done! Your clip is on the timeline."
    (sent,) = scripted.seen("POST", "/run_sse")
    assert json.loads(sent.body)["new_message"]["parts"][0]["text"] == "caf\ufffd \ufffd make a cat video"


def test_an_upload_over_the_engines_cap_says_4002_and_exits_4(start_engine, reelterm_home, tmp_path):
    eng = start_engine(max_upload_bytes=1024 * 1024)
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * (6 * 1024 * 1024))
    proc = reelterm(reelterm_home, "--api", eng.base_url, "upload", str(big))
    assert proc.returncode == 4, proc.stderr
    assert "larger than the 1 MB limit" in proc.stderr and "Compress it or trim it" in proc.stderr
    assert "connection" not in proc.stderr.lower()


def test_a_refused_nemo_token_gets_one_sentence_and_no_retry_lines(scripted, reelterm_home):
    from support.scripted_server import err

    scripted.on("GET", "/api/credits/balance/simple", json_reply(err(1001, "token invalid"), 401))
    scripted.on("POST", "/api/auth/anonymous-token", json_reply(err(429, "rate limited"), 429))
    proc = reelterm(reelterm_home, "--api", scripted.base_url, "credits", env={"NEMO_TOKEN": "nmv_usr_bogus"},
                    timeout=20)
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == [
        "Error: The backend refused the token in NEMO_TOKEN (it is expired, revoked or mistyped). "
        "Set NEMO_TOKEN to a valid token, or unset it so that reelterm uses a token of its own."]


@pytest.mark.slow
def test_an_export_whose_backend_dies_says_error_and_what_to_do(scripted, reelterm_home):
    from support.scripted_server import ok, raw_reply

    draft = {"m": {"title": "Urban Dreams"}, "t": [{"tt": 0, "sg": [{"id": "v", "s": 0, "d": 1000,
                                                                    "src": "color:#000000"}]}]}
    scripted.on("GET", STATE_ROUTE, json_reply(ok({"state": {"draft": draft}})))
    scripted.on("GET", "/api/render/proxy/lambda/*", raw_reply(b"<html>502 Bad Gateway</html>", status=502))
    proc = reelterm(reelterm_home, "--api", scripted.base_url, "export", "--session", "sess_1", timeout=90)
    assert proc.returncode == 3
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: Export ") and "run `reelterm renders`" in last, proc.stderr
    listed = reelterm(reelterm_home, "--api", scripted.base_url, "renders", "--list")
    assert "pending" in listed.stdout or "processing" in listed.stdout or "render_" in listed.stdout
