"""Search figures on the 100,000-household demo: median latency of 20 typical
keystroke queries vs one LIKE '%…%' full scan of the household table (same run,
interleaved), and the time to build the index. Run through bench/run.py."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlite_utils import Database

from gridapp import search
from gridapp.services import Services
from gridapp.storage import search_index
from gridapp.storage.store import DB_FILENAME, Store

Row = Callable[..., str]

#: What grid workers type: pinyin initials, two Chinese characters, an address in its
#: written forms, a phone's last four digits.
QUERIES = (
    "zsf",
    "wjh",
    "lyq",
    "cjm",
    "xgh",
    "王国",
    "张建",
    "陈秀",
    "建业",
    "临沂",
    "12-301",
    "12号301",
    "5-1-402",
    "3幢1单元201室",
    "8-2-602",
    "1234",
    "5678",
    "0199",
    "8866",
    "4321",
)
REPEAT = 9
_BASELINE = "SELECT id FROM household WHERE code LIKE :q OR room LIKE :q OR note LIKE :q"


def _demo(folder: Path, households: int) -> None:
    if (folder / DB_FILENAME).exists():
        return
    start = time.perf_counter()
    cli = Path(sys.executable).parent / "gridapp-cli"
    subprocess.run(
        [str(cli), "--data-dir", str(folder), "demo", "--households", str(households)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"built the {households:,}-household demo in {time.perf_counter() - start:.0f} s")


def _scan(db: Database, query: str) -> list[object]:
    """The baseline: what a search without an index does, one pass over households."""
    return list(db.execute(_BASELINE, {"q": f"%{query}%"}).fetchall())


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run(row: Row, households: int = 100_000, keep: Path | None = None) -> None:
    work = keep or Path(tempfile.mkdtemp(prefix="gridapp-searchbench-"))
    folder = work / f"demo{households}"
    try:
        _demo(folder, households)
        start = time.perf_counter()
        services = Services(Store.open_in(folder))  # a pre-finder database migrates here
        opened = time.perf_counter() - start
        db = services.store.db
        search.clear_caches()  # the build below pays for pinyin as a first build does
        start = time.perf_counter()
        with services.store.unit_of_work("bench"):
            search_index.rebuild(db)
        build = time.perf_counter() - start
        size = db.execute("SELECT sum(length(block)) FROM _search_fts_data").fetchone()[0]
        print(
            f"search index for {households:,} households: built in {build:.1f} s"
            f" (open incl. any migration {opened:.1f} s), trigram index {size / 1e6:.0f} MB"
        )
        finder, rows, scan = [], [], []
        for query in QUERIES:
            services.search.find(query)  # warm the page cache for both alike
            _scan(db, query)
            f, r, b = [], [], []
            for _ in range(REPEAT):  # interleaved: a busy moment falls on all alike
                f.append(_ms(partial(services.search.find_ids, query)))
                r.append(_ms(partial(services.search.find, query)))
                b.append(_ms(partial(_scan, db, query)))
            finder.append(statistics.median(f))
            rows.append(statistics.median(r))
            scan.append(statistics.median(b))
        slowest = max(zip(finder, QUERIES, strict=True))
        print(
            f"median of {REPEAT} runs per query, median over {len(QUERIES)} queries;"
            f" slowest query {slowest[1]!r} {slowest[0]:.2f} ms"
        )
        base = statistics.median(scan)
        print(row("search, 50 ids (µs)", statistics.median(finder) * 1000, base * 1000, "µs", 0.5))
        print(
            row(
                "search, 50 rows to show (µs)",
                statistics.median(rows) * 1000,
                base * 1000,
                "µs",
                0.5,
            )
        )
        services.store.close()
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
