"""Report figures on the demo campaign (2,000 households, 90 % of the week done):
the workbook and the visits CSV made end to end (queries, words, safe writing) against
bare openpyxl / csv writing the raw visit rows straight from the same query, in the
same run (the workbook also holds three more sheets); the
forecast of every compound and the daily PDF in milliseconds. Run through bench/run.py.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.storage import report_queries
from gridapp.storage.store import Store

Row = Callable[..., str]
DAY = "2023-12-08"


def _timed(work: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _bare_xlsx(db: Database, out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("visits")
    for row in report_queries.visit_rows(db, None):
        sheet.append(row)
    book.save(out)


def _bare_csv(db: Database, out: Path) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(report_queries.visit_rows(db, None))


def run(row: Row, households: int = 2000) -> None:
    work = Path(tempfile.mkdtemp(prefix="gridapp-reportbench-"))
    try:
        clock = FixedClock(datetime(2023, 12, 4, 9, tzinfo=CHINA_TZ))
        services = Services(Store.open(work / "gridapp.db", clock))
        services.device.initialise("office", "bench office")
        build_demo(services, DemoOptions(households=households, seed=1, progress=0.9))
        catalog = Catalog()
        visits = list(report_queries.visit_rows(services.store.db, None))
        print(f"{len(visits)} live visits")
        reports = services.reports
        xlsx = _timed(lambda: reports.write(work / "r.xlsx", catalog, DAY))
        bare_xlsx = _timed(lambda: _bare_xlsx(services.store.db, work / "bare.xlsx"))
        print(
            row(
                "workbook (4 sheets) vs bare openpyxl (visits)",
                xlsx * 1000,
                bare_xlsx * 1000,
                "ms",
                3,
            )
        )
        csv_s = _timed(lambda: reports.write(work / "r.csv", catalog, DAY))
        bare_csv = _timed(lambda: _bare_csv(services.store.db, work / "bare.csv"))
        print(row("visits CSV vs bare csv.writer", csv_s * 1000, bare_csv * 1000, "ms", 3))
        forecast = _timed(lambda: services.consultation.forecasts())
        pdf = _timed(lambda: reports.write(work / "r.pdf", catalog, DAY))
        print(f"{'forecast, every compound':<52} {forecast * 1000:>10.0f} ms")
        print(f"{'daily PDF (charts, forecast)':<52} {pdf * 1000:>10.0f} ms")
        services.store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
