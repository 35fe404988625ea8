"""Pieces of the visit form: a row of choices with keyboard mnemonics, a suggestion line,
the campaign a visit files under and what fills a form's metadata questions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from gridapp.clock import iso
from gridapp.codes import SuggestionCategory
from gridapp.i18n import Catalog
from gridapp.services import Services

RadioRow = tuple[QWidget, QButtonGroup, dict[str, QRadioButton]]


def radio_row(
    parent: QWidget, catalog: Catalog, kind: str, codes: list[str], numbered: bool = False
) -> RadioRow:
    """One radio button per code; numbered rows get Alt+1... mnemonics."""
    box = QWidget(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    group = QButtonGroup(box)
    buttons: dict[str, QRadioButton] = {}
    for n, code in enumerate(codes, start=1):
        text = catalog.code(kind, code)
        button = QRadioButton(f"{text} (&{n})" if numbered else text, box)
        button.setObjectName(f"{kind}_{code}")
        group.addButton(button, n)
        layout.addWidget(button)
        buttons[code] = button
    layout.addStretch(1)
    return box, group, buttons


def checked(row: RadioRow) -> str | None:
    return next((code for code, b in row[2].items() if b.isChecked()), None)


class SuggestionRow(QWidget):
    """A suggestion: its category and the words of the resident."""

    def __init__(self, catalog: Catalog, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.category = QComboBox(self)
        for code in SuggestionCategory:
            self.category.addItem(catalog.code("category", code), code.value)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(catalog.tr("ui.visit.suggestion_text"))
        self.remove = QPushButton("×", self)
        self.remove.setFixedWidth(28)
        layout.addWidget(self.category)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.remove)


def visit_campaign(
    services: Services,
    household_id: str,
    chosen: str | None,
    correcting: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The campaign a visit files under: the one chosen, a correction's own, or the
    only running one that covers the household (else none)."""
    running = services.read.open_campaigns(household_id)
    wanted = chosen or (correcting or {}).get("campaign_id")
    if wanted is None and len(running) == 1:
        wanted = running[0]["id"]
    return next((c for c in running if c["id"] == wanted), None)


def form_meta(services: Services, worker_code: str, now: datetime) -> dict[str, Any]:
    """What a form's metadata questions (deviceid, username, start) are filled with:
    this laptop, the worker credited, when the visit began."""
    device = services.device.local()
    return {
        "deviceid": device.device_id if device else "",
        "username": worker_code,
        "start": iso(now),
    }
