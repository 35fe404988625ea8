"""Compound → building tree with progress; tells its parent what was chosen.

The model holds the building list and makes labels on demand (no item objects), so a
campaign of 2,500 buildings opens instantly; the visited counts (a scan of every visit)
arrive from the read pool a moment later."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QTreeView, QVBoxLayout, QWidget

from gridapp.i18n import Catalog
from gridapp.model import BuildingSummary
from gridapp.services.reading import ReadingService
from gridapp.ui.common.jobs import ReadPool

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: Beyond this many buildings only the chosen compound opens.
EXPAND_ALL_UP_TO = 300

Index = QModelIndex | QPersistentModelIndex
_TOP = 0  # internalId of top-level rows; a building's is its compound's row + 1


class NavigatorModel(QAbstractItemModel):
    """Row 0 is "all households", then one row per compound with its buildings below."""

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._compounds: list[tuple[str, str]] = []
        self._buildings: list[list[BuildingSummary]] = []
        self._visited: dict[str, int] | None = None

    def reset_content(
        self, compounds: list[tuple[str, str]], buildings: list[BuildingSummary]
    ) -> None:
        self.beginResetModel()
        self._compounds = compounds
        by_compound: dict[str, list[BuildingSummary]] = {cid: [] for cid, _ in compounds}
        for b in buildings:
            by_compound.setdefault(b.compound_id, []).append(b)
        self._buildings = [by_compound[cid] for cid, _ in compounds]
        self._visited = None
        self.endResetModel()

    def set_visited(self, visited: dict[str, int]) -> None:
        self._visited = visited
        self._relabel()

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._relabel()

    def _relabel(self) -> None:
        last = self.rowCount() - 1
        self.dataChanged.emit(self.index(0, 0), self.index(last, 0))
        for row in range(1, last + 1):
            parent = self.index(row, 0)
            count = self.rowCount(parent)
            if count:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(count - 1, 0, parent))

    def building_count(self) -> int:
        return sum(len(b) for b in self._buildings)

    def first_building(self) -> str | None:
        return next((group[0].id for group in self._buildings if group), None)

    def find(self, kind: str, record_id: str) -> QModelIndex:
        if kind == "all":
            return self.index(0, 0)
        for c, (compound_id, _) in enumerate(self._compounds):
            if kind == "compound" and compound_id == record_id:
                return self.index(c + 1, 0)
            if kind == "building":
                for b, building in enumerate(self._buildings[c]):
                    if building.id == record_id:
                        return self.index(b, 0, self.index(c + 1, 0))
        return QModelIndex()

    # -- Qt ------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0 or row >= self.rowCount(parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP)
        return self.createIndex(row, 0, parent.row())  # parent.row() is compound row + 1

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return 1 + len(self._compounds)
        if parent.internalId() == _TOP and parent.row() > 0:
            return len(self._buildings[parent.row() - 1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        top = index.internalId() == _TOP
        if top and index.row() == 0:
            kind, record_id = "all", ""
        elif top:
            kind, record_id = "compound", self._compounds[index.row() - 1][0]
        else:
            kind = "building"
            record_id = self._buildings[int(index.internalId()) - 1][index.row()].id
        if role == KIND_ROLE:
            return kind
        if role == ID_ROLE:
            return record_id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(index, kind)
        return None

    def _label(self, index: Index, kind: str) -> str:
        tr = self._catalog.tr
        if kind == "all":
            return tr("ui.nav.all")
        visited = self._visited
        if kind == "compound":
            name = self._compounds[index.row() - 1][1]
            group = self._buildings[index.row() - 1]
            done = "…" if visited is None else sum(visited.get(b.id, 0) for b in group)
            return tr(
                "ui.nav.compound", name=name, visited=done, total=sum(b.households for b in group)
            )
        b = self._buildings[int(index.internalId()) - 1][index.row()]
        team = tr("ui.nav.team", number=b.team_number) if b.team_number else tr("ui.nav.no_team")
        return tr(
            "ui.nav.building",
            number=b.number,
            kind=self._catalog.code("building_kind", b.kind),
            team=team,
            visited="…" if visited is None else visited.get(b.id, 0),
            total=b.households,
        )


class Navigator(QWidget):
    #: ("all" | "compound" | "building", id or "")
    selected = Signal(str, str)
    #: The visited counts arrived and the labels show them.
    progress_shown = Signal()

    def __init__(
        self, read: ReadingService, pool: ReadPool, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._read = read
        self._pool = pool
        self.model = NavigatorModel(catalog, self)
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
        """Re-read the tree; keeps the current choice where it still exists."""
        current = self.current()
        self.model.reset_content(
            self._read.compound_names(), self._read.buildings(with_progress=False)
        )
        if self.model.building_count() <= EXPAND_ALL_UP_TO:
            self.tree.expandAll()
        if current is not None:
            self.select(*current)
        self._pool.submit(lambda read: read.visited_by_building(), self._show_progress)

    def _show_progress(self, visited: dict[str, int]) -> None:
        self.model.set_visited(visited)
        self.progress_shown.emit()

    def current(self) -> tuple[str, str] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return str(index.data(KIND_ROLE)), str(index.data(ID_ROLE))

    def select(self, kind: str, record_id: str, scroll: bool = True) -> bool:
        """Choose a place; `scroll=False` for one known to be on screen (scrolling lays
        out the whole tree, ~25 ms on 2,500 buildings)."""
        index = self.model.find(kind, record_id)
        if not index.isValid():
            return False
        if index.parent().isValid():
            self.tree.expand(index.parent())
        self.tree.setCurrentIndex(index)
        if scroll:
            self.tree.scrollTo(index)
        return True

    def first_building(self) -> str | None:
        return self.model.first_building()

    def set_catalog(self, catalog: Catalog) -> None:
        self.model.set_catalog(catalog)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(str(current.data(KIND_ROLE)), str(current.data(ID_ROLE)))
