"""Long roster work (preview, import) off the GUI thread, on its own connection.

A QThread opens its own Store on the same database file (sqlite connections never
cross threads) and hands the result back through queued signals. An in-memory
database has no file to open twice: there the work runs at once on the caller's
services (tests; same signals). Cancelling raises inside the progress callback, so an
import's unit of work rolls back and nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from gridapp.errors import GridappError
from gridapp.services import Services

log = logging.getLogger("gridapp.ui")

#: Work on the roster service: given services and a progress callback, a result.
Work = Callable[[Services, Callable[[int, float | None], None]], Any]


class Cancelled(Exception):
    """Raised in the worker when the user cancelled; never reaches the user."""


class _Thread(QThread):
    def __init__(self, runner: RosterRunner, work: Work) -> None:
        super().__init__()
        self.runner, self.work = runner, work

    def run(self) -> None:
        # A connection of its own: same key, same signed-in worker.
        store = self.runner.services.store.sibling()
        try:
            self.runner._run(Services(store), self.work)
        finally:
            store.close()


class RosterRunner(QObject):
    progress = Signal(int, object)  # rows read, share of the file (or None)
    done = Signal(object)  # the work's result
    failed = Signal(object)  # a GridappError for the screen to word
    crashed = Signal(object)  # sys.exc_info() of our own bug
    cancelled = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._thread: _Thread | None = None
        self._cancel = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, work: Work) -> None:
        self._cancel = False
        if self.services.store.path is None:
            self._run(self.services, work)
            return
        self._thread = _Thread(self, work)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel = True

    def wait(self, msecs: int = 60_000) -> bool:
        return self._thread is None or bool(self._thread.wait(msecs))

    def _run(self, services: Services, work: Work) -> None:
        def report(rows: int, fraction: float | None) -> None:
            if self._cancel:
                raise Cancelled
            self.progress.emit(rows, fraction)

        try:
            result = work(services, report)
        except Cancelled:
            self.cancelled.emit()
        except GridappError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # our bug: the crash dialog, with context
            log.exception("roster work failed")
            self.crashed.emit((type(exc), exc, exc.__traceback__))
        else:
            self.done.emit(result)
