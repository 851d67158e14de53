"""While the app runs, log records go to a size-capped file in the state dir, never to the terminal.

Textual owns the screen: a warning written to stderr (by reelterm's worker and client, uvicorn or
the `warnings` module) would paint over it. Tokens are masked in every record.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "app.log"
"""The file under the state dir."""
MAX_BYTES = 1_000_000
"""Rotate at this size; two old files are kept (at most ~3 MB in all)."""
_TOKENISH = re.compile(r"(?i)\b(bearer\s+|token[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/=-]{6,}"
                       r"|\bnmv_[A-Za-z0-9_-]{6,}")


class Redact(logging.Filter):
    """Masks tokens (known ones and anything that looks like one) in the message and traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        """Mask this exact string from now on."""
        if secret and len(secret) >= 6:
            self.secrets.add(secret)

    def mask(self, text: str) -> str:
        """`text` without tokens."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _TOKENISH.sub(lambda m: (m.group(1) or "") + "***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Format the record once, masked, so no later formatting brings a token back."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is still logged
            message = str(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.mask(message), None
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        record.exc_info = None
        return True


class PrivateFileHandler(RotatingFileHandler):
    """A rotating log file only its owner can read (records name files and sessions)."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class AppLogging:
    """Installs the file handler and keeps stderr handlers away; `close()` undoes it."""

    def __init__(self, state_dir: Path) -> None:
        self.file = state_dir / LOG_NAME
        self.redact = Redact()
        self.handler: logging.Handler | None = None
        self._removed: list[tuple[logging.Logger, logging.Handler]] = []
        self._propagate: dict[str, bool] = {}

    def install(self) -> AppLogging:
        """Send every warning (and worse) to the file; none to the terminal."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handler: logging.Handler = PrivateFileHandler(
                self.file, maxBytes=MAX_BYTES, backupCount=2, encoding="utf-8", delay=True)
        except OSError:
            handler = logging.NullHandler()
        handler.setLevel(logging.WARNING)
        handler.addFilter(self.redact)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.handler = handler
        root = logging.getLogger()
        root.addHandler(handler)
        logging.captureWarnings(True)
        self.quiet_terminal()
        return self

    def quiet_terminal(self, names: Iterable[str] | None = None) -> None:
        """Drop handlers that write to the terminal (e.g. uvicorn's, added when the engine starts);
        their loggers propagate to the file instead."""
        manager = logging.root.manager
        loggers = [logging.getLogger()] + [
            logger for name, logger in list(manager.loggerDict.items())
            if isinstance(logger, logging.Logger) and (names is None or name in names)]
        for logger in loggers:
            for handler in list(logger.handlers):
                if _to_terminal(handler):
                    logger.removeHandler(handler)
                    self._removed.append((logger, handler))
                    if logger is not logging.getLogger() and not logger.propagate:
                        self._propagate.setdefault(logger.name, logger.propagate)
                        logger.propagate = True

    def close(self) -> None:
        """Put the terminal handlers back and close the file."""
        root = logging.getLogger()
        if self.handler is not None:
            root.removeHandler(self.handler)
            self.handler.close()
            self.handler = None
        for logger, handler in self._removed:
            logger.addHandler(handler)
        for name, propagate in self._propagate.items():
            logging.getLogger(name).propagate = propagate
        self._removed.clear()
        self._propagate.clear()
        logging.captureWarnings(False)


def _to_terminal(handler: logging.Handler) -> bool:
    if isinstance(handler, logging.FileHandler) or not isinstance(handler, logging.StreamHandler):
        return False
    stream = getattr(handler, "stream", None)
    return stream in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__) or bool(
        getattr(stream, "isatty", lambda: False)())
