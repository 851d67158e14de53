"""The worker facade (and the tests' scripted worker) offer every method the app calls, so the app
never checks whether one exists (`tui.contract.WorkerLike`)."""

from __future__ import annotations

import inspect

import pytest

from reelterm.tui.contract import WorkerLike
from reelterm.worker.worker import BackendWorker
from support.demo import ScriptedWorker

METHODS = sorted(name for name, value in vars(WorkerLike).items()
                 if not name.startswith("_") and inspect.iscoroutinefunction(value))


def test_the_contract_lists_the_calls_the_app_makes() -> None:
    assert {"start", "send", "chat", "preview", "storyboard", "load_history", "list_sessions",
            "switch_session", "stop"} <= set(METHODS)


@pytest.mark.parametrize("worker", [BackendWorker, ScriptedWorker])
def test_each_worker_has_every_method_with_its_parameters(worker: type) -> None:
    for name in METHODS:
        method = getattr(worker, name, None)
        assert method is not None and inspect.iscoroutinefunction(method), f"{worker.__name__}.{name}"
        wanted = list(inspect.signature(getattr(WorkerLike, name)).parameters)[1:]
        has = inspect.signature(method).parameters
        assert len(has) - 1 >= len(wanted), f"{worker.__name__}.{name} takes fewer parameters"
    assert isinstance(inspect.getattr_static(BackendWorker, "session_id"), property)
