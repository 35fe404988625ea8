"""Paper figures: 1,000 receipts into one PDF and into 1,000 separate files, pages per
second, against bare reportlab drawing the same text lines and the same QR image in
the same run. Both sides make their QR images inside the timing with the same
function, so the ratio measures what gridapp's layout and safe writing cost on top of
reportlab, not the QR encoder. Run through bench/run.py."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.paper import receipt_pdf
from gridapp.paper.documents import ReceiptDoc
from gridapp.paper.fonts import FONT, register_font
from gridapp.paper.output import qr_image
from gridapp.services import Services
from gridapp.storage.store import Store

Row = Callable[..., str]


def _bare(docs: list[ReceiptDoc], texts: list[list[str]], out: Path) -> None:
    """Plain reportlab: one page per receipt, the text lines, the QR image."""
    canvas = Canvas(str(out), pagesize=A5, pageCompression=1, initialFontName=FONT)
    for doc, lines in zip(docs, texts, strict=True):
        y = A5[1] - 40
        canvas.setFont(FONT, 10)
        for line in lines:
            canvas.drawString(34, y, line)
            y -= 14.5
        canvas.drawImage(qr_image(doc.payload), 144, 60, 130, 130)
        canvas.setFont(FONT, 22)
        canvas.drawString(160, 40, doc.short_code)
        canvas.showPage()
    canvas.save()


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run(row: Row, count: int = 1000) -> None:
    work = Path(tempfile.mkdtemp(prefix="gridapp-paperbench-"))
    try:
        clock = FixedClock(datetime(2023, 12, 4, 9, tzinfo=CHINA_TZ))
        services = Services(Store.open(work / "gridapp.db", clock))
        services.device.initialise("office", "bench office")
        build_demo(services, DemoOptions(households=2000, seed=1, progress=0.9))
        visits = [
            r[0]
            for r in services.store.db.execute(
                "SELECT id FROM live_visit ORDER BY started_at LIMIT ?", [count]
            ).fetchall()
        ]
        start = time.perf_counter()
        docs = services.paper.receipt_documents(visits)
        issued = time.perf_counter() - start
        print(f"issued {len(docs)} receipts in {issued:.2f} s ({len(docs) / issued:.0f}/s)")
        register_font()
        catalog = Catalog()
        geo = receipt_pdf._A5
        texts = [[line.text for line in receipt_pdf._lines(d, catalog, geo)] for d in docs]
        pages = len(docs)

        ours = _timed(lambda: receipt_pdf.render_receipts(docs, work / "all.pdf", "a5", catalog))
        bare = _timed(lambda: _bare(docs, texts, work / "bare.pdf"))
        print(
            row(
                f"receipts, {pages:,} in one PDF (pages/s)",
                pages / ours,
                pages / bare,
                "p/s",
                0.7,
                lower_is_better=False,
            )
        )

        split = work / "split"
        split.mkdir()

        def ours_split() -> None:
            for n, doc in enumerate(docs):
                receipt_pdf.render_receipts([doc], split / f"r{n}.pdf", "a5", catalog)

        def bare_split() -> None:
            for n, (doc, lines) in enumerate(zip(docs, texts, strict=True)):
                _bare([doc], [lines], split / f"b{n}.pdf")

        ours = _timed(ours_split)
        bare = _timed(bare_split)
        print(
            row(
                f"receipts, {pages:,} separate files (pages/s)",
                pages / ours,
                pages / bare,
                "p/s",
                0.7,
                lower_is_better=False,
            )
        )
        qr = _timed(lambda: [qr_image(d.payload) for d in docs])
        print(f"(QR images alone: {pages / qr:.0f}/s — the larger part of either figure)")
        services.store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
