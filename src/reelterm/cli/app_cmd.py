"""Opening the terminal app: the first screen comes up at once, the backend connects after."""

from __future__ import annotations

import argparse
import gc
import sys

from reelterm.cli.exit_codes import EXIT_USAGE
from reelterm.cli.llm_options import add_llm_options


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `reelterm app`."""
    p = sub.add_parser("app", help="open the terminal app (the default)")
    p.add_argument("--session", metavar="ID", default=None, help="continue this session")
    p.add_argument("--new", action="store_true", help="start a new session")
    add_llm_options(p, default=argparse.SUPPRESS)
    p.set_defaults(func=run_app)


def backend_label(api: str) -> str:
    """`local engine`, `hosted` or the URL."""
    from reelterm.config import HOSTED_API

    if api == "local":
        return "local engine"
    return "hosted" if api.rstrip("/") == HOSTED_API else api


def run_app(args: argparse.Namespace) -> int:
    """Open the terminal app (the collector waits until its first screen: start-up frees nothing)."""
    gc.disable()  # the app turns it back on once the first screen is painted
    try:
        return _run_app(args)
    finally:
        gc.enable()


def _run_app(args: argparse.Namespace) -> int:
    from reelterm.cli.app_backend import BackendOpener
    from reelterm.cli.backend import BadLlmChoice, llm_ignored, llm_settings
    from reelterm.config import app_paths, load_settings, resolve_api, save_setting
    from reelterm.tui.app import ReelApp
    from reelterm.tui.applog import AppLogging
    from reelterm.tui.preview import prepare_terminal_images

    paths = app_paths().ensure()
    settings, warning = load_settings(paths)
    api_flag = getattr(args, "api", None)
    try:
        llm = llm_settings(getattr(args, "llm", None), settings, getattr(args, "llm_model", None))
    except BadLlmChoice as exc:
        print(f"Error: {exc.sentence}", file=sys.stderr)
        return EXIT_USAGE
    logs = AppLogging(paths.state_dir).install()
    opener = BackendOpener(api_flag, paths, settings, logs, llm=llm)
    app = ReelApp(
        opener,
        backend_label=backend_label(resolve_api(api_flag, settings)),
        is_local=resolve_api(api_flag, settings) == "local",
        keys=settings.keys,
        theme=settings.theme,
        export_format=settings.export_format,
        export_quality=settings.export_quality,
        session_id=getattr(args, "session", None),
        new_session=bool(getattr(args, "new", False)),
        notices=[n for n in (warning, llm_ignored(api_flag, getattr(args, "llm", None), settings)) if n],
        on_shutdown=opener.aclose,
        history_file=paths.state_dir / "prompt-history.json",
        log_file=logs.file,
        save_theme=lambda name: save_setting("theme", name, paths),
    )
    prepare_terminal_images()
    try:
        app.run()
    finally:
        logs.close()
    return int(app.return_code or 0)
