"""schemathesis with every check (`--checks all`) against /openapi.json, at a bounded example count:
documented statuses and content types, schema-valid requests accepted, schema-invalid ones refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from reelterm.engine.embedded import start_embedded
from support.basic_agent import BasicAgent

from .helpers import new_session

CONFIG = """
[parameters]
sid = "{sid}"

# An upload's schema says "a file" or "an http(s) link"; whether the bytes are media (415), the
# file fits the cap (413) or the link can be fetched (422) is content the schema cannot express.
[[operations]]
include-path-regex = "^/api/upload-video/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "413", "415", "422", "429"]
"""


@pytest.mark.slow
def test_openapi_passes_every_schemathesis_check(tmp_path):
    exe = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    assert Path(exe).exists(), "schemathesis comes with the [test] extra"
    with start_embedded(data_dir=tmp_path / "engine", agent=BasicAgent(), heartbeat_s=0.2,
                        max_upload_bytes=2 * 1024 * 1024) as engine, \
            httpx.Client(base_url=engine.base_url, headers=engine.headers, timeout=30) as api:
        sid = new_session(api)  # a real session, so the session routes get past 1002
        (tmp_path / "schemathesis.toml").write_text(CONFIG.format(sid=sid))
        args = [exe, "run", f"{engine.base_url}/openapi.json", "--checks", "all",
                "--max-examples", "6", "--seed", "7", "--generation-database", "none",
                "--phases", "examples,coverage,fuzzing", "--workers", "1", "--request-timeout", "20"]
        for key, value in engine.headers.items():
            args += ["-H", f"{key}: {value}"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    summary = r.stdout.split("SUMMARY")[-1]
    assert r.returncode == 0, r.stdout[-4000:]
    assert re.search(r"\b\d+ generated, \d+ passed", summary), summary[-2000:]
    assert not re.search(r"\b\d+ (failed|errored)|unique failures", summary), summary[-2000:]
    assert "Selected: 14/14" in summary and "Tested: 14" in summary  # 12 + the sessions and chat routes
