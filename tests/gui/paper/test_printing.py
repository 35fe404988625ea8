"""Printing goes to a real print system: Qt → CUPS → the cups-pdf virtual printer, and
the job's output is found on disk."""

from __future__ import annotations

import os
import re
import shutil
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

pytestmark = pytest.mark.gui
QUEUE = "gridapp-pdf"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def _cups_available() -> bool:
    return shutil.which("cupsd") is not None or Path("/usr/sbin/cupsd").exists()


@pytest.fixture(scope="module")
def cups_queue() -> Iterator[Path]:
    """Start CUPS if it is not running and add the cups-pdf queue; yield where its PDFs
    land. scripts/setup.sh installs cups and printer-driver-cups-pdf."""
    if not _cups_available() or not PPD.exists() or os.geteuid() != 0:
        pytest.fail("CUPS with cups-pdf is needed (scripts/setup.sh installs it, as root)")
    if (
        subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.find("is running")
        < 0
    ):
        subprocess.run(["/usr/sbin/cupsd"], check=True)
        for _ in range(50):
            if (
                "is running"
                in subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout
            ):
                break
            time.sleep(0.1)
    subprocess.run(
        ["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(PPD)],
        check=True,
        capture_output=True,
    )
    yield Path.home() / "PDF"


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
    assert QUEUE in printer_names()
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
