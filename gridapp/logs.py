"""Logging: one named logger per subsystem (gridapp.storage, gridapp.ui …), a rotating
file in the data folder, and an in-memory ring of recent lines for the crash dialog."""

from __future__ import annotations

import collections
import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RingBuffer(logging.Handler):
    """Keeps the last lines so a crash report can show what led up to it."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__(logging.DEBUG)
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def tail(self, count: int = 50) -> list[str]:
        return list(self.lines)[-count:]


ring = RingBuffer()
# Attached from the first import, so a crash report has context even before (or
# without) a log file.
logging.getLogger("gridapp").addHandler(ring)


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A full disk must not print a traceback to the user for every log line: the
    line is dropped (the ring buffer still has it); the real error is reported."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def log_file(data_dir: Path) -> Path:
    return data_dir / "logs" / "gridapp.log"


def setup_logging(data_dir: Path, console: bool = False, level: int = logging.INFO) -> Path:
    root = logging.getLogger("gridapp")
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler is not ring:
            root.removeHandler(handler)
            handler.close()
    if ring not in root.handlers:
        root.addHandler(ring)
    path = log_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    file_handler = _QuietFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)
    return path
