"""The roster wizard's sample: the first rows as gridapp will store them (normalised
address, floor from the room, area without its unit), so the user sees the mapping at
work before anything is written. Phones are shown masked, as everywhere."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from gridapp.i18n import Catalog
from gridapp.model import mask_phone
from gridapp.roster.check import RosterRecord
from gridapp.roster.fields import Field

COLUMNS = (
    Field.COMPOUND,
    Field.BUILDING,
    Field.UNIT,
    Field.ROOM,
    Field.FLOOR,
    Field.OWNER,
    Field.PHONE,
    Field.AREA,
    Field.POPULATION,
)


def sample_table(parent: QWidget, catalog: Catalog) -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS) + 1, parent)
    table.setObjectName("rosterSample")
    table.setHorizontalHeaderLabels(
        [catalog.tr("ui.roster.wizard.row")]
        + [catalog.tr(f"ui.roster.field.{field.value}") for field in COLUMNS]
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def fill_sample(table: QTableWidget, records: Sequence[RosterRecord]) -> None:
    table.setRowCount(len(records))
    for r, record in enumerate(records):
        cells = (
            str(record.line),
            record.compound,
            record.building,
            record.unit,
            record.room,
            str(record.floor),
            record.owner,
            "、".join(mask_phone(p) for p in record.phones),
            "" if record.area is None else f"{record.area:g}",
            "" if record.population is None else str(record.population),
        )
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
