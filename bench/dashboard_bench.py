"""Dashboard figures on 100,000 households and 200,000 visits (bench/dashboard_data.py):

(a) the snapshot read on a pool thread, against the status bar's `stats.counts` read
    on the same database in the same run (the dashboard adds coverage per place, the
    day curve, outcomes, callbacks, conflicts and laptops to those counts);
(b) the UI thread's share of a refresh: building tiles, charts and tables from a ready
    snapshot, with and without painting the whole screen, against the 200 ms goal;
(c) the longest the event loop stalls while refreshes run through the real pool.
Medians and p95. Run through bench/run.py --only dashboard.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import dashboard_data

Row = Callable[..., str]
UI_GOAL_MS = 200.0


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _line(name: str, samples: list[float], unit: str = "ms") -> str:
    return (
        f"{name:<52} median {statistics.median(samples):>8.1f} {unit}"
        f"   p95 {_p95(samples):>8.1f} {unit}   (n={len(samples)})"
    )


def run(
    row: Row,
    households: int = 100_000,
    visits: int = 200_000,
    keep: Path | None = None,
    repeat: int = 7,
) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from gridapp.clock import CHINA_TZ, FixedClock
    from gridapp.i18n import Catalog
    from gridapp.services import Services
    from gridapp.services.dashboard import DashboardService
    from gridapp.services.reading import ReadingService
    from gridapp.storage import stats
    from gridapp.storage.store import Store
    from gridapp.ui.common.jobs import ThreadReadPool
    from gridapp.ui.office.dashboard import DashboardView
    from gridapp.ui.shell.fonts import install_cjk_font

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_cjk_font(app)
    work = keep or Path(tempfile.mkdtemp(prefix="gridapp-dashbench-"))
    folder = work / f"dashboard{households}x{visits}"
    try:
        start = time.perf_counter()
        existed = (folder / "gridapp.db").exists()
        dashboard_data.build(folder, households, visits)
        if not existed:
            print(
                f"built {households:,} households, {visits:,} visits in "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
        clock = FixedClock(datetime(2023, 12, 8, 21, 0, tzinfo=CHINA_TZ))
        services = Services(Store.open_in(folder, clock))  # migrates (m008) on first open

        # (a) the read, on pool threads, each with its own connection.
        pool = ThreadReadPool(lambda: ReadingService(Store.open_in(folder, clock)))
        snap_ms: list[float] = []
        counts_ms: list[float] = []

        def timed(read: ReadingService) -> None:
            t0 = time.perf_counter()
            stats.counts(read.store.db)
            counts_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            DashboardService(read.store).snapshot()
            snap_ms.append((time.perf_counter() - t0) * 1000)

        for _ in range(repeat):
            pool.submit(timed, lambda _r: None)
            pool.wait(600_000)
            app.processEvents()
        snapshot = services.dashboard.snapshot()
        c = snapshot.counts
        print(
            f"{c.households:,} households, {c.visits:,} live visits, {len(snapshot.buildings):,}"
            f" buildings, {c.callbacks_open:,} open callbacks, {len(snapshot.laptops)} laptops",
            flush=True,
        )
        print(_line("(a) snapshot on a pool thread", snap_ms))
        print(_line("    baseline: stats.counts alone, same thread", counts_ms))
        print(
            row(
                "(a) dashboard snapshot vs status-bar counts",
                statistics.median(snap_ms),
                statistics.median(counts_ms),
                "ms",
                2,
            )
        )

        # (b) the UI thread: a ready snapshot into widgets, then painted.
        view = DashboardView(services.read, Catalog("zh_CN"))
        view.resize(1400, 900)
        t0 = time.perf_counter()
        view.show()  # first show: loads QtCharts, makes the charts, reads synchronously
        app.processEvents()
        print(f"first show incl. a synchronous read: {(time.perf_counter() - t0) * 1000:.0f} ms")
        build_ms: list[float] = []
        paint_ms: list[float] = []
        for _ in range(max(repeat * 3, 20)):
            t0 = time.perf_counter()
            view.show_snapshot(snapshot)
            build_ms.append((time.perf_counter() - t0) * 1000)
            view.repaint()
            paint_ms.append((time.perf_counter() - t0) * 1000)
        print(_line("(b) UI thread: widgets from a snapshot", build_ms))
        print(_line("(b) UI thread: widgets + paint the whole screen", paint_ms))
        print(
            row("(b) UI thread per refresh, incl. paint (p95)", _p95(paint_ms), UI_GOAL_MS, "ms", 1)
        )

        # (c) the event loop while refreshes go through the real pool.
        threaded = DashboardView(services.read, Catalog("zh_CN"), pool)
        threaded.resize(1400, 900)
        threaded.show()
        while threaded.loading:
            app.processEvents()
            time.sleep(0.001)
        stalls: list[float] = []
        for _ in range(repeat):
            clock_ = QElapsedTimer()
            clock_.start()
            worst = [0.0]
            last = [clock_.elapsed()]

            def tick(
                last: list[int] = last, worst: list[float] = worst, clock_: QElapsedTimer = clock_
            ) -> None:
                now = clock_.elapsed()
                worst[0] = max(worst[0], float(now - last[0]))
                last[0] = now

            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(tick)
            timer.start()
            threaded.reload()
            while threaded.loading:
                app.processEvents()
                time.sleep(0.001)
            app.processEvents()
            timer.stop()
            stalls.append(worst[0])
        print(_line("(c) longest event-loop stall during a refresh", stalls))
        pool.shutdown()
        services.store.close()
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
