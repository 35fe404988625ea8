"""Printing goes to a real print system: Qt → CUPS → the cups-pdf virtual printer, and
the job's output is found on disk."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from gridapp.errors import InvalidInput
from gridapp.ui.paper.printing import print_pdf, printer_names
from tests.private_cups import CupsError, forget_cached_server, private_cups

pytestmark = [pytest.mark.gui, pytest.mark.slow]
QUEUE = "gridapp-pdf"


@pytest.fixture(scope="module")
def cups_queue() -> Iterator[Path]:
    """A private CUPS scheduler (tests/private_cups.py) with the cups-pdf queue, seen by
    this process through CUPS_SERVER; yields where its PDFs land. Stopped and removed at
    the end: the machine's own CUPS is neither used nor changed."""
    try:
        with private_cups() as cups, pytest.MonkeyPatch.context() as env:
            cups.add_pdf_queue(QUEUE)
            env.setenv("CUPS_SERVER", str(cups.socket))
            forget_cached_server()
            try:
                yield cups.output
            finally:
                env.undo()
                forget_cached_server()
    except CupsError as error:
        pytest.fail(str(error), pytrace=False)


def _pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A5)
    page.drawString(72, 500, "gridapp print test")
    page.showPage()
    page.drawString(72, 500, "page two")
    page.save()
    return path


def test_a_pdf_printed_through_qt_reaches_the_cups_queue(
    qtbot: QtBot, tmp_path: Path, cups_queue: Path
) -> None:
    assert printer_names() == [QUEUE]  # the private scheduler's queues, only
    before = set(cups_queue.glob("*.pdf")) if cups_queue.exists() else set()
    pages: list[int] = []
    printed = print_pdf(_pdf(tmp_path / "receipt.pdf"), QUEUE, lambda n, _t: pages.append(n))
    assert printed == 2 and pages == [1, 2]
    deadline = time.monotonic() + 30
    new: set[Path] = set()
    while time.monotonic() < deadline and not new:
        new = (set(cups_queue.glob("*.pdf")) if cups_queue.exists() else set()) - before
        time.sleep(0.2)
    assert new, "cups-pdf wrote no file"
    output = new.pop()
    info = ""
    while time.monotonic() < deadline and "Pages:" not in info:  # cups-pdf may still write
        time.sleep(0.3)
        info = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None  # A5, as the document says, not the printer's A4
    assert abs(float(size.group(1)) - A5[0]) < 3 and abs(float(size.group(2)) - A5[1]) < 3


def test_a_missing_printer_is_a_clear_error(tmp_path: Path, qtbot: QtBot) -> None:
    with pytest.raises(InvalidInput) as info:
        print_pdf(_pdf(tmp_path / "x.pdf"), "no-such-printer")
    assert info.value.params["name"] == "no-such-printer"
