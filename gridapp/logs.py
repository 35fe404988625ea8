"""Logging: one named logger per subsystem (gridapp.storage, gridapp.ui …), a rotating
file in the data folder, and an in-memory ring of recent lines for the crash dialog."""

from __future__ import annotations

import collections
import io
import logging
import logging.handlers
import os
from pathlib import Path

from gridapp.private import open_private, private_dir

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
    """The log file, private (0600 in a 0700 `logs/`), opened at its first line.

    Lines wait in memory until the data folder exists: a command refused before it
    made the folder (`init` without an account, `stats` on a wrong path) leaves nothing
    on disk, and the lines are dropped if the folder never comes. A full disk must not
    print a traceback to the user for every log line: the line is dropped (the ring
    buffer still has it); the real error is reported."""

    def __init__(self, path: Path, data_dir: Path) -> None:
        super().__init__(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True)
        self.data_dir = data_dir
        self.waiting: collections.deque[logging.LogRecord] = collections.deque(maxlen=200)

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None and not self.data_dir.is_dir():
            self.waiting.append(record)
            return
        while self.waiting:
            super().emit(self.waiting.popleft())
        super().emit(record)

    def _open(self) -> io.TextIOWrapper:
        path = Path(self.baseFilename)
        private_dir(path.parent)
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

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
    file_handler = _QuietFileHandler(path, data_dir)
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)
    return path
