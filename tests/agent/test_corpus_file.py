"""The corpus of what people type (tests/agent/corpus): at least 400 messages, at least 95% pass."""

from __future__ import annotations

import logging
import re

import pytest

from .corpus import load, run

CASES = load()
PASS_RATE = 0.95


def test_the_corpus_is_big_and_mixed() -> None:
    assert len(CASES) >= 400
    assert sum(1 for c in CASES if re.search(r"[\u4e00-\u9fff]", c.message)) >= 100
    assert len({c.category for c in CASES}) >= 10


@pytest.mark.slow
def test_corpus_pass_rate(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="reelterm.engine.agent")
    failures = {}
    for case in CASES:
        problems = run(case)
        if problems:
            failures[case.id] = (case.message[:120], problems)
    for cid, (message, problems) in failures.items():
        print(f"FAIL {cid}: {message!r}\n    " + "\n    ".join(problems))
    crashed = sorted(cid for cid, (_, problems) in failures.items()
                     if any(p.startswith(("crashed", "the reply names a failure")) for p in problems))
    assert not crashed, f"a crash is never within the tolerance: {crashed}"
    caught = [r.getMessage() for r in caplog.records if r.exc_info and r.name.startswith("reelterm.engine.agent")]
    assert not caught, f"the agent swallowed exceptions: {caught[:5]}"
    rate = 1 - len(failures) / len(CASES)
    print(f"corpus: {len(CASES) - len(failures)}/{len(CASES)} passed ({rate:.1%})")
    assert rate >= PASS_RATE, f"{rate:.1%} < {PASS_RATE:.0%}; failures: {sorted(failures)}"


def test_a_crash_reply_fails_the_corpus() -> None:
    from .corpus import _CRASH

    assert _CRASH.search("I couldn't apply that (KeyError); nothing was changed.")
    assert _CRASH.search("这个修改没能完成（TypeError），时间线没有变化。")
    assert not _CRASH.search("The canvas is now 1080x1920.")
