"""Roster import figures on a 100,000-row roster (CSV and XLSX), run through
bench/run.py --only roster:

- speed: rows per second of `RosterService.import_file` (read, normalise, check every
  row and duplicates, write households + owners + phones with their change-log
  entries and search index, one unit of work) against sqlite-utils `insert_all` of
  the same rows, already normalised, into one table in one transaction (same run);
  goal ≥ 0.3×. The search-index commit hook is timed on its own.
- memory: peak of Python allocations (tracemalloc) and peak RSS of a process that
  imports 10,000 rows vs one that imports 100,000; goal: flat (ratio near 1).

    .venv/bin/python bench/roster_bench.py [--rows N] [--child FILE ROWS]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlite_utils import Database  # noqa: E402

from gridapp.demo.names import mobile, person_name  # noqa: E402
from gridapp.roster.check import check_row  # noqa: E402
from gridapp.roster.fields import resolve  # noqa: E402
from gridapp.roster.source import open_roster  # noqa: E402
from gridapp.services import Services  # noqa: E402
from gridapp.storage import search_index  # noqa: E402
from gridapp.storage.store import Store  # noqa: E402

Row = Callable[..., str]
HEADER = [
    "小区名称",
    "楼号",
    "单元",
    "室号",
    "户主姓名",
    "联系电话",
    "建筑面积",
    "户籍人数",
    "备注",
]
COMPOUNDS = ("建业新村", "临沂二村", "光鸿苑", "东方城市花园二期", "南码头小区", "浦三路公寓")


def roster_rows(n: int, seed: int = 7) -> list[list[str]]:
    """Rows as a 居委's roster has them: 楼/单元/室 with their words, 18 floors, 4 rooms
    a floor, 2 units, then the next building; phones, areas and populations."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    per_building = 18 * 2 * 4
    for i in range(n):
        building, rest = divmod(i, per_building)
        compound = COMPOUNDS[building % len(COMPOUNDS)]
        unit, rest = divmod(rest, 18 * 4)
        floor, room = divmod(rest, 4)
        year = rng.randint(1940, 1995)
        rows.append(
            [
                compound,
                f"{building // len(COMPOUNDS) + 1}号楼",
                f"{unit + 1}单元",
                f"{floor + 1}{room + 1:02d}室",
                person_name(rng, year, rng.random() < 0.5),
                mobile(rng),
                f"{rng.uniform(40, 140):.2f}㎡",
                str(rng.randint(1, 5)),
                "",
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)


def _fresh(folder: Path) -> Services:
    services = Services(Store.open_in(folder))
    services.device.initialise("office", "bench office")
    return services


def _timed_hook(services: Services, spent: list[float]) -> None:
    """Wrap the search index's commit hook to time it."""
    hooks = services.store.commit_hooks
    index = hooks.index(search_index.refresh_dirty)

    def timed(db: Database) -> None:
        start = time.perf_counter()
        search_index.refresh_dirty(db)
        spent.append(time.perf_counter() - start)

    hooks[index] = timed


def import_seconds(path: Path, work: Path) -> tuple[float, float]:
    services = _fresh(work)
    hook: list[float] = []
    _timed_hook(services, hook)
    start = time.perf_counter()
    result = services.roster.import_file(path)
    seconds = time.perf_counter() - start
    assert result.skipped == 0, result.problems[:3]
    found = services.search.find(services.store.db.execute(
        "SELECT name FROM resident ORDER BY rowid DESC LIMIT 1").fetchone()[0])  # fmt: skip
    assert found, "the index finds imported households"
    services.store.close()
    return seconds, sum(hook)


def baseline_seconds(path: Path, work: Path) -> float:
    """sqlite-utils insert_all of the same rows, normalised (outside the timing)."""
    roster = open_roster(path)
    cmap = resolve(roster.headers)
    rows = []
    for raw in roster.rows():
        record, _ = check_row(raw, cmap)
        assert record is not None
        rows.append(
            {
                "compound": record.compound,
                "building": record.building,
                "unit": record.unit,
                "room": record.room,
                "floor": record.floor,
                "owner": record.owner,
                "phone": record.phones[0] if record.phones else None,
                "area": record.area,
                "population": record.population,
                "note": record.note,
            }
        )
    db = Database(work / "baseline.db")
    # The same journal as ours (WAL, synchronous NORMAL), and one transaction:
    # `with db.conn:` would let insert_all commit every batch.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    start = time.perf_counter()
    with db.atomic():
        db.table("roster").insert_all(rows, batch_size=1000)
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def child(path: Path, traced: bool) -> None:
    """Import one file in this process and print its peaks (JSON)."""
    with tempfile.TemporaryDirectory(prefix="gridapp-roster-mem-") as tmp:
        services = _fresh(Path(tmp))
        if traced:
            tracemalloc.start()
        services.roster.import_file(path)
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        services.store.close()
    print(json.dumps({"traced_peak": peak, "rss_kb": _peak_rss_kb()}))


def _peak_rss_kb() -> int:
    """This process's own high-water mark (VmHWM): ru_maxrss would carry the parent's
    peak across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _measure(path: Path, traced: bool) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), *(["--traced"] if traced else [])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run(row: Row, rows: int = 100_000, small: int = 10_000) -> None:
    with tempfile.TemporaryDirectory(prefix="gridapp-roster-bench-") as tmp:
        work = Path(tmp)
        data = roster_rows(rows)
        files = {}
        for kind, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
            for n in (small, rows):
                files[kind, n] = work / f"roster{n}.{kind}"
                writer(files[kind, n], data[:n])
        del data
        for kind in ("csv", "xlsx"):
            path = files[kind, rows]
            base = baseline_seconds(path, _folder(work, f"base-{kind}"))
            ours, hook = import_seconds(path, _folder(work, f"ours-{kind}"))
            print(
                f"{kind.upper()} {rows:,} rows: import {ours:.1f} s, of which search index"
                f" {hook:.1f} s ({hook / ours:.0%}); insert_all {base:.2f} s"
            )
            print(
                row(
                    f"roster import, {kind.upper()} (rows/s)",
                    rows / ours,
                    rows / base,
                    "r/s",
                    0.3,
                    lower_is_better=False,
                )
            )
        for kind in ("csv", "xlsx"):
            for traced, label, unit in ((True, "traced_peak", "kB"), (False, "rss_kb", "kB")):
                little = _measure(files[kind, small], traced)[label]
                large = _measure(files[kind, rows], traced)[label]
                scale = 1024 if label == "traced_peak" else 1
                name = "Python peak (tracemalloc)" if traced else "peak RSS"
                print(
                    row(
                        f"memory, {name}, {kind.upper()} {rows:,} vs {small:,}",
                        large / scale,
                        little / scale,
                        unit,
                        1.5,
                    )
                )


def _folder(work: Path, name: str) -> Path:
    folder = work / name
    folder.mkdir()
    return folder


def _row(
    name: str, value: float, baseline: float, unit: str, goal: float, lower_is_better: bool = True
) -> str:
    ratio = value / baseline if baseline else float("inf")
    good = ratio <= goal if lower_is_better else ratio >= goal
    sign = "≤" if lower_is_better else "≥"
    return (
        f"{name:<52} {value:>10.0f} {unit:<3} baseline {baseline:>8.0f} {unit:<3} "
        f"ratio {ratio:>5.2f}× (goal {sign} {goal:g}×) {'ok' if good else 'MISSES GOAL'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--child")
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.traced)
        return 0
    run(_row, args.rows, args.small)
    return 0


if __name__ == "__main__":
    sys.exit(main())
