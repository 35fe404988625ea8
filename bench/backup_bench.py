"""Backup figures: an online backup (signed manifest included) and the checks a restore
runs, against copying the same file with shutil and fsyncing it. Run through bench/run.py."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.storage.store import Store

Row = Callable[..., str]


def run(row: Row, households: int = 2000, repeat: int = 5) -> None:
    work = Path(tempfile.mkdtemp(prefix="gridapp-backup-"))
    try:
        clock = FixedClock(datetime(2023, 12, 4, 9, 0, tzinfo=CHINA_TZ))
        services = Services(Store.open(work / "data" / "gridapp.db", clock))
        services.device.initialise("office", "bench office")
        build_demo(services, DemoOptions(households=households))
        live = work / "data" / "gridapp.db"
        services.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copies, backups, checks = [], [], []
        for n in range(repeat):
            start = time.perf_counter()
            shutil.copyfile(live, work / f"copy{n}.db")
            with open(work / f"copy{n}.db", "rb+") as handle:
                os.fsync(handle.fileno())  # a backup not on the disk is no backup
            copies.append((time.perf_counter() - start) * 1000)
            clock.advance(minutes=1)
            start = time.perf_counter()
            info = services.backup.now()
            backups.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            services.backup.check(Path(info.path))
            checks.append((time.perf_counter() - start) * 1000)
        # Goals: SQLite's backup API copies page by page through the pager (that is what
        # makes the copy consistent while the app writes), then the file is hashed and
        # signed; the checks hash it again and read every page for integrity_check.
        base = statistics.median(copies)
        size = live.stat().st_size / 1e6
        print(f"database of {households:,} households: {size:.1f} MB")
        print(
            row(
                "backup now (online copy + sha256 + signature)",
                statistics.median(backups),
                base,
                "ms",
                4,
            )
        )
        print(
            row(
                "restore checks (sha256, signature, integrity)",
                statistics.median(checks),
                base,
                "ms",
                6,
            )
        )
        services.store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
