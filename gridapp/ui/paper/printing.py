"""Printing PDFs through Qt: preview, the print dialog, a named printer, "save as PDF".

The PDFs come from reportlab with the font embedded (gridapp/paper/); here each page
is rendered with QtPdf at the printer's resolution and painted onto the QPrinter, so a
field printer gets exactly what the preview showed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from gridapp.errors import InvalidInput
from gridapp.ui.common.screen import fit_to_screen

Progress = Callable[[int, int], None]
_keep_alive: dict[QWidget, QPrinter] = {}


def printer_names() -> list[str]:
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def printer_for(name: str | None = None) -> QPrinter:
    """A printer by name (a missing one is a clear error), else the default."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        if name not in printer_names():
            raise InvalidInput("error.print.no_printer", name=name)
        printer.setPrinterName(name)
    return printer


def paint_pdf(pdf: Path, printer: QPrinter, progress: Progress | None = None) -> int:
    """Paint every page of `pdf` onto `printer`; returns the pages printed."""
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_:
        raise InvalidInput("error.print.unreadable", file=pdf.name)
    pages = document.pageCount()
    if pages:
        # The paper is the document's (A5, 80 mm roll), not the printer's default A4.
        first = document.pagePointSize(0)
        printer.setPageSize(
            QPageSize(
                QSizeF(first.width(), first.height()),
                QPageSize.Unit.Point,
                "",
                QPageSize.SizeMatchPolicy.FuzzyMatch,
            )
        )
        printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
        printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise InvalidInput("error.print.cannot_start", name=printer.printerName() or "PDF")
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(page)
            scale = min(target.width() / size.width(), target.height() / size.height())
            image_size = QSize(int(size.width() * scale), int(size.height() * scale))
            image: QImage = document.render(page, image_size)
            painter.drawImage(target.topLeft(), image)
            if progress:
                progress(page + 1, pages)
    finally:
        painter.end()
    document.close()
    return pages


def print_pdf(pdf: Path, printer_name: str | None = None, progress: Progress | None = None) -> int:
    """Send a PDF to a print queue without asking (batch printing, tests)."""
    return paint_pdf(pdf, printer_for(printer_name), progress)


def preview_pdf(pdf: Path, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """The preview dialog, from which the user prints or cancels."""
    printer = printer_for()
    dialog = QPrintPreviewDialog(printer, parent)
    _keep_alive[dialog] = printer  # Qt holds only a pointer: the printer must outlive it
    dialog.finished.connect(lambda _r: _keep_alive.pop(dialog, None))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.paintRequested.connect(lambda p: paint_pdf(pdf, p))
    fit_to_screen(dialog, 900, 1000)
    return dialog


def print_dialog(pdf: Path, parent: QWidget | None = None) -> QPrintDialog:
    printer = printer_for()
    dialog = QPrintDialog(printer, parent)
    _keep_alive[dialog] = printer
    dialog.finished.connect(lambda _r: _keep_alive.pop(dialog, None))
    dialog.accepted.connect(lambda: paint_pdf(pdf, printer))
    return dialog
