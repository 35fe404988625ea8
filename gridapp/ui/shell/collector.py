"""Python's cyclic garbage collector, run on the UI thread between events only.

Left to itself, the collector runs at whatever allocation crosses its threshold: in a
read-pool thread, or inside a table's paint, where it may destroy a Qt widget caught in
a reference cycle (a closed view whose lambdas point back at it) while Qt is still using
it. That crashed the process (tests/gui/office/test_dashboard.py, depending on allocation
timing). Automatic collection is switched off and done here, from a timer, on the UI
thread, between events: the same thresholds, at a safe moment.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(interval_ms)

    def collect(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                break

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
