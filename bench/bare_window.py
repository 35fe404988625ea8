"""Baseline: a bare PySide6 QMainWindow process, shown and idle, then it reports."""

from __future__ import annotations

import sys
import time

_STARTED = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1440, 860)
    window.show()

    def ready() -> None:
        elapsed = (time.perf_counter() - _STARTED) * 1000
        print(f"READY {elapsed:.0f} ms {_rss_kb()} kB", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
