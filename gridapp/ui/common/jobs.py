"""Reads off the GUI thread, so a 100,000-household campaign never freezes a screen.

Each worker thread reads through its own connection (WAL lets readers run beside the
one writer); the result comes back to the GUI thread through a queued signal. Tests
and in-memory databases use the synchronous pool: same interface, no threads
(Picard's habit).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from gridapp.services.reading import ReadingService

log = logging.getLogger("gridapp.ui")

T = TypeVar("T")
ReaderFactory = Callable[[], ReadingService]


class SyncReadPool:
    """Runs the work at once on the given reader."""

    def __init__(self, read: ReadingService) -> None:
        self._read = read

    def submit(self, work: Callable[[ReadingService], T], on_done: Callable[[T], None]) -> None:
        on_done(work(self._read))

    def shutdown(self) -> None:
        pass


class _Relay(QObject):
    done = Signal(object, object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(
        self,
        pool: ThreadReadPool,
        work: Callable[[ReadingService], Any],
        on_done: Callable[[Any], None],
    ) -> None:
        super().__init__()
        self._pool, self._work, self._on_done = pool, work, on_done

    def run(self) -> None:
        try:
            result = self._work(self._pool.reader())
        except Exception:  # handed to the GUI thread's crash handling
            if not self._pool.closing:  # an interrupted read at quit is no error
                self._pool.relay.failed.emit(sys.exc_info())
        else:
            self._pool.relay.done.emit(self._on_done, result)


class ThreadReadPool:
    def __init__(self, factory: ReaderFactory, threads: int = 2) -> None:
        self._factory = factory
        self._local = threading.local()
        self._readers: list[ReadingService] = []
        self.closing = False
        self._lock = threading.Lock()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(threads)
        self._pool.setExpiryTimeout(-1)  # keep threads, and so their connections
        self.relay = _Relay()
        self.relay.done.connect(lambda callback, result: callback(result))
        self.relay.failed.connect(lambda info: sys.excepthook(*info))

    def reader(self) -> ReadingService:
        read: ReadingService | None = getattr(self._local, "read", None)
        if read is None:
            read = self._factory()
            self._local.read = read
            with self._lock:
                self._readers.append(read)
        return read

    def submit(self, work: Callable[[ReadingService], T], on_done: Callable[[T], None]) -> None:
        self._pool.start(_Job(self, work, on_done))

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))

    def shutdown(self) -> None:
        """Stop running reads (sqlite3 interrupt) and close their connections: quitting
        never waits for a long count nobody will see."""
        self.closing = True
        self._pool.clear()
        # A job may be between statements when interrupted: keep interrupting until
        # every worker has returned.
        while not self._pool.waitForDone(20):
            with self._lock:
                for read in self._readers:
                    read.store.db.conn.interrupt()
        with self._lock:
            for read in self._readers:
                try:
                    read.store.close()
                except Exception:  # closing a reader must never block quitting
                    log.exception("closing a reader connection")
            self._readers.clear()


ReadPool = SyncReadPool | ThreadReadPool
