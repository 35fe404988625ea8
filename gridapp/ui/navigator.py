"""Compound → building tree with progress; tells its parent what was chosen."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTreeView, QVBoxLayout, QWidget

from gridapp.i18n import Catalog
from gridapp.services.reading import ReadingService

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class Navigator(QWidget):
    #: ("all" | "compound" | "building", id or "")
    selected = Signal(str, str)

    def __init__(self, read: ReadingService, catalog: Catalog, parent: QWidget | None = None):
        super().__init__(parent)
        self._read = read
        self._catalog = catalog
        self.model = QStandardItemModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setObjectName("navigator")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.reload()

    def reload(self) -> None:
        """Rebuild labels and progress; keeps the current choice where it still exists."""
        current = self.current()
        self.model.clear()
        tr = self._catalog.tr
        everything = QStandardItem(tr("ui.nav.all"))
        everything.setData("all", KIND_ROLE)
        everything.setData("", ID_ROLE)
        self.model.appendRow(everything)
        buildings_by_compound: dict[str, list[QStandardItem]] = {}
        for b in self._read.buildings():
            team = (
                tr("ui.nav.team", number=b.team_number) if b.team_number else tr("ui.nav.no_team")
            )
            label = tr(
                "ui.nav.building",
                number=b.number,
                kind=self._catalog.code("building_kind", b.kind),
                team=team,
                visited=b.households_visited,
                total=b.households,
            )
            item = QStandardItem(label)
            item.setData("building", KIND_ROLE)
            item.setData(b.id, ID_ROLE)
            item.setEditable(False)
            buildings_by_compound.setdefault(b.compound_id, []).append(item)
        for c in self._read.compounds():
            item = QStandardItem(
                tr("ui.nav.compound", name=c.name, visited=c.households_visited, total=c.households)
            )
            item.setData("compound", KIND_ROLE)
            item.setData(c.id, ID_ROLE)
            item.setEditable(False)
            for child in buildings_by_compound.get(c.id, []):
                item.appendRow(child)
            self.model.appendRow(item)
        everything.setEditable(False)
        self.tree.expandAll()
        if current is not None:
            self.select(*current)

    def current(self) -> tuple[str, str] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return str(index.data(KIND_ROLE)), str(index.data(ID_ROLE))

    def select(self, kind: str, record_id: str) -> bool:
        for index in self._walk(QModelIndex()):
            if index.data(KIND_ROLE) == kind and index.data(ID_ROLE) == record_id:
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
                return True
        return False

    def _walk(self, parent: QModelIndex) -> list[QModelIndex]:
        found = []
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            found.append(index)
            found.extend(self._walk(index))
        return found

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.reload()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(str(current.data(KIND_ROLE)), str(current.data(ID_ROLE)))
