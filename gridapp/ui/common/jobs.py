"""Work off the GUI thread, so a 100,000-household campaign never freezes a screen.

Two helpers, one for each kind of work, and nothing else in the ui starts a thread:
- `Jobs`: one long piece of work (a report, a roster import, a PDF) with progress,
  cancel and its result or error handed back on the GUI thread. Work that touches the
  database gets a connection of its own (`run_on_connection`).
- Read pools: the many small reads a screen makes as it is shown. Each worker thread
  reads through its own connection (WAL lets readers run beside the one writer).
Results come back to the GUI thread through queued signals. In-memory databases (tests)
run the work at once: same interface, no threads (Picard's habit).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from gridapp.errors import GridappError
from gridapp.services import Services
from gridapp.services.reading import ReadingService

log = logging.getLogger("gridapp.ui")

T = TypeVar("T")
ReaderFactory = Callable[[], ReadingService]


#: Reports how far the work got; raises `Cancelled` once the user cancelled.
Progress = Callable[..., None]


class Cancelled(Exception):
    """Raised inside the work when the user cancelled; never reaches the user."""


class _JobRelay(QObject):
    progress = Signal(tuple)
    done = Signal(object)
    failed = Signal(object)  # sys.exc_info()


class _Run(QRunnable):
    def __init__(self, jobs: Jobs, work: Callable[[Progress], Any], relay: _JobRelay) -> None:
        super().__init__()
        self._jobs, self._work, self._relay = jobs, work, relay

    def run(self) -> None:
        try:
            result = self._work(self._jobs._progress(self._relay))
        except BaseException:  # handed to the GUI thread, which words or reports it
            self._relay.failed.emit(sys.exc_info())
        else:
            self._relay.done.emit(result)


class Jobs(QObject):
    """One long piece of work at a time, off the GUI thread. The result goes to
    `on_done`, a GridappError to `on_failed` (the screen words it), a cancel to
    `on_cancelled`; any other exception is our bug and goes to the crash dialog.

    `services`: the signed-in services, for work on a connection of its own; `inline`
    runs everything at once on the GUI thread (in-memory databases have no file to open
    twice, and such work stays modal)."""

    def __init__(self, services: Services | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._cancel = False
        self._running = 0
        self._relays: list[_JobRelay] = []

    @property
    def running(self) -> bool:
        return self._running > 0

    def run(
        self,
        work: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[GridappError], None],
        on_progress: Callable[..., None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        """Run `work(progress)` on the job thread (it must not touch the GUI's
        connection: see `run_on_connection`)."""
        self._start(work, on_done, on_failed, on_progress, on_cancelled, inline=False)

    def run_on_connection(
        self,
        work: Callable[[Services, Progress], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[GridappError], None],
        on_progress: Callable[..., None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        """Run `work(services, progress)` on services of its own (same database, key and
        signed-in worker), closed afterwards; at once for an in-memory database."""
        services = self._services
        if services is None:
            raise RuntimeError("Jobs built without services cannot open a connection")
        if services.in_memory:
            self._start(
                lambda progress: work(services, progress),
                on_done,
                on_failed,
                on_progress,
                on_cancelled,
                inline=True,
            )
            return

        def on_own(progress: Progress) -> T:
            own = services.own_connection()
            assert own is not None  # not in memory: checked above
            try:
                return work(own, progress)
            finally:
                own.close()

        self._start(on_own, on_done, on_failed, on_progress, on_cancelled, inline=False)

    def cancel(self) -> None:
        self._cancel = True

    def wait(self, msecs: int = 60_000) -> bool:
        return bool(self._pool.waitForDone(msecs))

    def _progress(self, relay: _JobRelay) -> Progress:
        def report(*args: Any) -> None:
            if self._cancel:
                raise Cancelled
            relay.progress.emit(args)

        return report

    def _start(
        self,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[GridappError], None],
        on_progress: Callable[..., None] | None,
        on_cancelled: Callable[[], None] | None,
        inline: bool,
    ) -> None:
        self._cancel = False
        relay = _JobRelay()
        self._relays.append(relay)  # alive until its result arrived

        def finish() -> None:
            self._running -= 1
            self._relays.remove(relay)

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(info: Any) -> None:
            finish()
            exc = info[1]
            if isinstance(exc, Cancelled):
                if on_cancelled is not None:
                    on_cancelled()
            elif isinstance(exc, GridappError):
                on_failed(exc)
            else:  # our bug: the crash dialog and the log, with the screen unstuck
                log.error("background work failed", exc_info=info)
                on_failed(GridappError("error.generic"))
                sys.excepthook(*info)

        if on_progress is not None:
            relay.progress.connect(lambda args: on_progress(*args))
        relay.done.connect(done)
        relay.failed.connect(failed)
        self._running += 1
        runnable = _Run(self, work, relay)
        if inline:
            runnable.run()
        else:
            self._pool.start(runnable)


class ImmediateReadPool:
    """Runs the work at once on the given reader (in-memory databases, tests)."""

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
                    read.interrupt()
        with self._lock:
            for read in self._readers:
                try:
                    read.close()
                except Exception:  # closing a reader must never block quitting
                    log.exception("closing a reader connection")
            self._readers.clear()


ReadPool = ImmediateReadPool | ThreadReadPool
