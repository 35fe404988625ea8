"""Field figures on the 100,000-household demo: a keystroke in the search box until the
results model is updated (p95) against the raw FTS query on the same database, and
against a plain LIKE scan; opening a household page and starting a visit (p95)."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Row = Callable[..., str]
QUERIES = (
    "zsf",
    "wjg",
    "chen",
    "12-301",
    "3-1-502",
    "1234",
    "建业",
    "光鸿",
    "王秀",
    "5678",
    "jyxc-2",
    "xu",
    "顾",
    "临沂二村",
    "zhang",
    "lyec-3",
    "8-2-101",
    "dfcs",
    "mei",
    "沈",
)


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _time(call: Callable[[], object], repeat: int = 5) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(row: Row, data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gridapp.i18n import Catalog
    from gridapp.services import Services
    from gridapp.storage.store import Store
    from gridapp.ui.field.visit_dialog import VisitDialog
    from gridapp.ui.households.detail import HouseholdDetailView
    from gridapp.ui.households.search_box import SearchBox

    services = Services(Store.open_in(data_dir))
    db = services.store.db
    box = SearchBox(services.search.find, Catalog())
    box.show()
    keystroke: list[float] = []
    raw_fts: list[float] = []
    like: list[float] = []
    for query in QUERIES:
        box.setText(query)
        keystroke += _time(box.search_now)
        quoted = '"' + query.replace('"', '""') + '"'

        def fts(q: str = quoted) -> object:
            return db.execute(
                "SELECT rowid FROM _search_fts WHERE _search_fts MATCH ? LIMIT 50", [q]
            ).fetchall()

        def scan(q: str = f"%{query}%") -> object:
            return db.execute(
                "SELECT h.id FROM household h JOIN resident r ON r.household_id = h.id"
                " WHERE r.name LIKE ? OR h.code LIKE ? LIMIT 50",
                [q, q],
            ).fetchall()

        raw_fts += _time(fts)
        like += _time(scan, repeat=2)
    print(
        row(
            "search keystroke → results model, p95 (ms)",
            _p95(keystroke),
            _p95(raw_fts),
            "ms",
            1.5,
            lower_is_better=True,
        ),
        "(baseline: raw FTS query)",
    )
    print(
        row(
            "search keystroke vs a LIKE scan, p95 (ms)",
            _p95(keystroke),
            _p95(like),
            "ms",
            0.1,
            lower_is_better=True,
        ),
        "(goal: ≥ 10× faster)",
    )
    ids = services.read.household_ids()[:: max(1, 100_000 // 40)][:40]
    detail = HouseholdDetailView(services.read, services.households, Catalog())
    pages: list[float] = []
    for hid in ids:
        start = time.perf_counter()
        detail.show_household(hid)
        pages.append((time.perf_counter() - start) * 1000)
    print(
        f"open a household page: p95 {_p95(pages):.1f} ms (median {statistics.median(pages):.1f})"
    )
    workers = services.read.campaigns()[0]["teams"][0]["workers"]
    code = workers[0]["code"] if workers else "W0101"
    starts = []
    for hid in ids[:20]:
        start = time.perf_counter()
        dialog = VisitDialog(services, Catalog(), hid, code)
        dialog.show()
        app.processEvents()
        starts.append((time.perf_counter() - start) * 1000)
        dialog.close()
        services.drafts.discard(dialog.draft_id)
    print(
        f"start a visit (form shown): p95 {_p95(starts):.1f} ms "
        f"(median {statistics.median(starts):.1f})"
    )
    services.store.close()
