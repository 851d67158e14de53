"""`reelterm serve`: the local engine as an HTTP server (first stdout line: its base URL)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelterm.cli.exit_codes import EXIT_BACKEND, EXIT_OK, EXIT_USAGE
from reelterm.cli.llm_options import add_llm_options

if TYPE_CHECKING:
    from reelterm.engine.agent.llm import LlmSettings
    from reelterm.engine.config import EngineConfig


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `serve`."""
    p = sub.add_parser("serve", help="run the local engine (the NemoVideo protocol on loopback)",
                       description="Run reelterm's local engine. The first line printed is its base URL.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one (default 8765)")
    p.add_argument("--data-dir", default=None, help="engine data directory (default: the user data dir)")
    p.add_argument("--credits", default="unlimited", metavar="N|unlimited",
                   help="credit budget per token (default unlimited)")
    p.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host")
    p.add_argument("--allow-private-urls", action="store_true",
                   help="let URL uploads fetch from loopback and private networks")
    p.add_argument("--token-window", type=float, default=None, metavar="SECONDS",
                   help="one anonymous token per client id inside this window (default 7 days)")
    p.add_argument("--heartbeat", type=float, default=5.0, metavar="SECONDS",
                   help="seconds between SSE heartbeats (default 5)")
    p.add_argument("--render-workers", type=int, default=1, help="renders run at once (default 1)")
    p.add_argument("--render-lease", type=float, default=None, metavar="SECONDS",
                   help="a render whose worker stops renewing its lease this long is run again (default 20)")
    p.add_argument("--max-upload-mb", type=float, default=None, metavar="MB",
                   help="the largest file an upload may carry, in MB (default 500)")
    p.add_argument("--url-timeout", type=float, default=None, metavar="SECONDS",
                   help="the whole time one URL download may take, however slow (default 60)")
    p.add_argument("--max-url-fetches", type=int, default=None, metavar="N",
                   help="URL downloads in flight at once; more are refused with 503 (default 4)")
    p.add_argument("--hub", default=None, metavar="URL",
                   help="send renders to Celery workers through this broker, redis://[:PASSWORD@]HOST:PORT/0 "
                        "(also `hub` in config.toml; needs reelterm[hub])")
    p.add_argument("--store", default=None, metavar="URL",
                   help="with --hub: the store shared with the workers, a folder or s3://BUCKET/PREFIX "
                        "(default: DATA_DIR/hub-store)")
    p.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    add_llm_options(p, default=argparse.SUPPRESS)
    p.set_defaults(func=run_serve)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _credits(value: str) -> float | None:
    if value.strip().lower() in ("unlimited", "none", "inf", ""):
        return None
    amount = float(value)
    if amount < 0 or amount != amount:
        raise ValueError(value)
    return amount


LIMITS = {"--render-lease": 86_400.0, "--max-upload-mb": 1_048_576.0, "--url-timeout": 86_400.0,
          "--max-url-fetches": 1024, "--render-workers": 64}
"""The largest value each flag takes (a day, 1 TB, ...): past it the engine would misbehave, not serve."""


def _options_problem(args: argparse.Namespace) -> str | None:
    for flag, value in (("--render-lease", args.render_lease), ("--max-upload-mb", args.max_upload_mb),
                        ("--url-timeout", args.url_timeout), ("--max-url-fetches", args.max_url_fetches),
                        ("--render-workers", args.render_workers)):
        if value is not None and not 0 < value <= LIMITS[flag]:
            return f"{flag} must be a number above 0 and at most {LIMITS[flag]:.0f}."
    if not 0 <= args.port <= 65535:
        return "--port must be between 0 and 65535."
    return None


def engine_config(args: argparse.Namespace, data_dir: Path, budget: float | None,
                  llm: LlmSettings | None = None) -> EngineConfig:
    """The `EngineConfig` the parsed flags ask for."""
    from reelterm.engine.config import EngineConfig

    options: dict[str, Any] = {"heartbeat_s": max(0.05, args.heartbeat),
                               "render_workers": max(1, args.render_workers)}
    if args.token_window is not None:
        options["token_window_s"] = max(0.0, args.token_window)
    if args.render_lease is not None:
        options["lease_s"] = args.render_lease
    if args.max_upload_mb is not None:
        options["max_upload_bytes"] = max(1, int(args.max_upload_mb * 1024 * 1024))
    if args.url_timeout is not None:
        options["url_timeout_s"] = args.url_timeout
    if args.max_url_fetches is not None:
        options["max_url_fetches"] = args.max_url_fetches
    if getattr(args, "hub_url", None):
        options["hub"], options["hub_store"] = args.hub_url, getattr(args, "store", None)
    return EngineConfig(data_dir=data_dir, credits=budget, allow_private_urls=args.allow_private_urls,
                        llm=llm, **options)


def _hub(args: argparse.Namespace) -> str | None:
    """Fill `args.hub_url` (with its password) and `args.store` from the flags or config.toml."""
    from reelterm.config import load_settings

    settings, _ = load_settings()
    url = args.hub or settings.hub
    args.store = args.store or settings.hub_store or None
    args.hub_url = None
    if not url:
        return None
    try:
        from reelterm.cli.hub_cmd import resolve_hub

        args.hub_url = resolve_hub(url)
    except ImportError:
        return "The hub is not installed: pip install 'reelterm[hub]'."
    except RuntimeError as exc:  # HubError: a sentence without the password
        return str(exc)
    return None


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    import socket

    if not is_loopback(args.host) and not args.allow_remote:
        print(f"Refusing to listen on {args.host}: it is not a loopback address. "
              "Pass --allow-remote to expose the engine to the network.", file=sys.stderr)
        return EXIT_USAGE
    try:
        budget = _credits(args.credits)
    except ValueError:
        print(f"--credits must be a number or 'unlimited', not {args.credits!r}.", file=sys.stderr)
        return EXIT_USAGE
    problem = _options_problem(args) or _hub(args)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    from reelterm.cli.backend import BadLlmChoice, llm_settings
    from reelterm.config import load_settings

    settings, _ = load_settings()
    try:
        llm = llm_settings(getattr(args, "llm", None), settings, getattr(args, "llm_model", None))
    except BadLlmChoice as exc:
        print(exc.sentence, file=sys.stderr)
        return EXIT_USAGE
    try:
        infos = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
        family, _, _, _, addr = infos[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_BACKEND
    import uvicorn

    from reelterm.config import app_paths
    from reelterm.engine.server.app import create_app
    from reelterm.engine.storage import DataDirError

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else app_paths().engine_dir
    try:
        app = create_app(engine_config(args, data_dir, budget, llm))
    except DataDirError as exc:
        print(exc, file=sys.stderr)
        sock.close()
        return EXIT_BACKEND
    except Exception as exc:  # noqa: BLE001 - e.g. a database written by a newer reelterm
        print(f"The engine could not start: {exc}", file=sys.stderr)
        sock.close()
        return EXIT_BACKEND
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"http://{shown}:{port}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level=args.log_level, access_log=False,
                                           timeout_graceful_shutdown=3))
    server.run(sockets=[sock])
    return EXIT_OK
