"""Sync figures: merge throughput vs raw executemany, re-import vs first import, export
of 10,000 visits, and memory as bundles grow. Run through bench/run.py."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store

Row = Callable[..., str]


def _services(path: Path, clock: FixedClock, role: str) -> Services:
    services = Services(Store.open(path, clock))
    services.device.initialise(role, f"bench {role}")
    return services


def _record_visits(lap: Services, count: int) -> None:
    """`count` met visits with three answers each: four changes per visit."""
    households = lap.read.household_ids()
    with lap.store.unit_of_work("W0101"):
        for n in range(count):
            lap.visits.record(
                VisitInput(
                    households[n % len(households)],
                    "W0101",
                    "met",
                    answers={"stance": "agree", "satisfaction": 4, "attend_meeting": True},
                )
            )


def _bare_baseline(rows: dict[str, list[dict[str, Any]]]) -> float:
    """The same rows into bare tables (no keys, no indexes, no triggers) with executemany."""
    conn = sqlite3.connect(":memory:")
    start = time.perf_counter()
    for table, items in rows.items():
        columns = list(items[0])
        conn.execute(f"CREATE TABLE bare_{table} ({', '.join(columns)})")
        marks = ", ".join("?" * len(columns))
        conn.executemany(
            f"INSERT INTO bare_{table} VALUES ({marks})",
            [tuple(r[c] for c in columns) for r in items],
        )
    conn.commit()
    return time.perf_counter() - start


def _rows_of(lap: Services) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for entry in lap.store.db.query(
        "SELECT entity, fields FROM change_log WHERE op = 'insert'"
        " AND entity IN ('visit', 'answer') ORDER BY seq"
    ):
        rows.setdefault(entry["entity"], []).append(json.loads(entry["fields"]))
    return rows


def run(row: Row, changes: int = 100_000) -> None:
    work = Path(tempfile.mkdtemp(prefix="gridapp-syncbench-"))
    clock = FixedClock(datetime(2023, 12, 4, 9, tzinfo=CHINA_TZ))
    office = _services(work / "office" / "gridapp.db", clock, "office")
    office.sync.allow_plain_laptops = True  # bench laptops are plain (test mode)
    build_demo(office, DemoOptions(households=2000, seed=1, progress=0.0))
    laps = []
    for name, visits in (("small", 2_500), ("large", changes // 4)):
        lap = _services(work / name / "gridapp.db", clock, "field")
        lap.sync.request(work / f"{name}.json")
        office.sync.enroll(work / f"{name}.json", 1, work / f"{name}-roster.gsb")
        laps.append((name, lap, visits))
    roster = work / "roster.gsb"
    office.sync.roster(1, roster)
    clock.advance(days=10)
    bundles = {}
    for name, lap, visits in laps:
        lap.sync.import_files([roster])
        _record_visits(lap, visits)
        start = time.perf_counter()
        result = lap.sync.export(work / f"{name}.gsb")
        seconds = time.perf_counter() - start
        bundles[name] = (work / f"{name}.gsb", result.changes, seconds, lap)
    small_path, small_changes, small_export, _ = bundles["small"]
    large_path, large_changes, _, large_lap = bundles["large"]
    print(
        f"export of {small_changes // 4:,} visits ({small_changes:,} changes): "
        f"{small_export * 1000:.0f} ms ({small_path.stat().st_size / 1e6:.1f} MB)"
    )

    baseline = _bare_baseline(_rows_of(large_lap))
    # Memory is measured on a copy of the office: tracemalloc halves the speed of what it
    # watches, so the timed merge runs without it (shared/FACTS.md).
    office.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(work / "office", work / "office-memory")
    start = time.perf_counter()
    [first] = office.sync.import_files([large_path])
    merge_seconds = time.perf_counter() - start
    assert first.status == "applied", first
    watched = Services(Store.open(work / "office-memory" / "gridapp.db", clock))
    watched.sync.allow_plain_laptops = True
    tracemalloc.start()
    [copied] = watched.sync.import_files([large_path])
    _, large_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    watched.store.close()
    assert copied.status == "applied", copied
    start = time.perf_counter()
    [again] = office.sync.import_files([large_path])
    reimport = time.perf_counter() - start
    assert again.status == "already", again
    tracemalloc.start()
    office.sync.import_files([small_path])
    _, small_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    per_s = large_changes / merge_seconds
    base_per_s = large_changes / baseline
    print(
        row(
            f"merge {large_changes:,} changes (changes/s)",
            per_s,
            base_per_s,
            "/s",
            0.5,
            lower_is_better=False,
        )
    )
    print(
        row(
            "re-import of a merged bundle (ms)",
            reimport * 1000,
            merge_seconds * 1000,
            "ms",
            0.05,
            lower_is_better=True,
        )
    )
    print(
        row(
            f"import peak memory, {large_changes:,} vs {small_changes:,} changes (kB)",
            large_peak / 1024,
            small_peak / 1024,
            "kB",
            1.5,
            lower_is_better=True,
        )
    )
