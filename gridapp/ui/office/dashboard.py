"""The office dashboard: how far the week has got, where it lags, what waits.

Tiles with the counts of CLI.md and the coverage, three charts (day by day, per team,
outcomes) and four tables (coverage by compound and building, callbacks, conflicts,
laptops). The figures are read on the read pool (services/dashboard.py, a few seconds
at 200,000 visits); the UI thread only turns the ready snapshot into widgets. While a
refresh runs the previous figures stay on screen under "正在更新…".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services.dashboard import (
    CallbackDue,
    Coverage,
    Dashboard,
    Laptop,
    OpenConflict,
)
from gridapp.services.reading import ReadingService
from gridapp.ui.common.campaign_switch import CampaignChoice, CampaignSwitcher
from gridapp.ui.common.jobs import ImmediateReadPool, ReadPool
from gridapp.ui.office.dashboard_tables import Cell, Row, RowsTable, Tile, number, percent

if TYPE_CHECKING:
    from gridapp.ui.office.dashboard_charts import DashboardCharts

#: Tiles: (object name, caption key); the figures come from `_tile_values`.
TILES = (
    ("households_visited", "count.households_visited"),
    ("coverage", "ui.dashboard.tile.coverage"),
    ("consultations", "count.consultations"),
    ("online_answers", "count.online_answers"),
    ("policy_explanations", "count.policy_explanations"),
    ("suggestions", "count.suggestions"),
    ("callbacks_open", "count.callbacks_open"),
    ("conflicts_open", "count.conflicts_open"),
)
#: A building or team under this share of its households visited stands out.
LAGGING = 0.5


class _Failed:
    """A read that raised on the pool, handed back to the UI thread as a value."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc


class DashboardView(QWidget):
    #: A snapshot is on screen (after each refresh).
    refreshed = Signal()
    #: A callback's household was activated: the window shows that household.
    open_household = Signal(str)

    def __init__(
        self,
        read: ReadingService,
        catalog: Catalog,
        read_pool: ReadPool | None = None,
        parent: QWidget | None = None,
        campaign_id: str | None = None,
        choice: CampaignChoice | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardView")
        self.read, self.catalog = read, catalog
        self.pool: ReadPool = read_pool or ImmediateReadPool(read)
        self.campaign_id = campaign_id
        self.snapshot: Dashboard | None = None
        self.charts: DashboardCharts | None = None
        self._loading = self._again = False
        self._stale = True

        self.title = QLabel(self)
        self.title.setObjectName("dashboardTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel(self)
        self.status.setObjectName("dashboardStatus")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(self.reload)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        #: With a shared choice the dashboard follows it and offers the switcher.
        self.switcher: CampaignSwitcher | None = None
        if choice is not None:
            self.switcher = CampaignSwitcher(read.campaigns, choice, catalog, self)
            self.campaign_id = self.switcher.current()
            choice.changed.connect(self._on_choice)  # a method: gone with this widget
            header.addWidget(self.switcher)
        header.addWidget(self.status)
        header.addWidget(self.refresh_button)

        self.tiles = {name: Tile(name, self) for name, _key in TILES}
        tiles = QGridLayout()
        tiles.setSpacing(8)
        for i, name in enumerate(self.tiles):
            tiles.addWidget(self.tiles[name], 0, i)

        self.charts_row = QHBoxLayout()
        self.compounds = RowsTable("coverageCompounds", self, sortable=True)
        self.buildings = RowsTable("coverageBuildings", self, sortable=True)
        self.callbacks = RowsTable("callbacksOutstanding", self)
        self.conflicts = RowsTable("openConflicts", self)
        self.laptops = RowsTable("laptops", self)
        self.reviews = RowsTable("reviewStates", self)
        coverage = QSplitter(Qt.Orientation.Horizontal, self)
        coverage.addWidget(self.compounds)
        coverage.addWidget(self.buildings)
        coverage.setStretchFactor(0, 2)
        coverage.setStretchFactor(1, 3)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("dashboardTabs")
        for page in (coverage, self.callbacks, self.conflicts, self.laptops, self.reviews):
            self.tabs.addTab(page, "")
        self.callbacks.activated.connect(self._callback_activated)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(tiles)
        layout.addLayout(self.charts_row, 5)
        layout.addWidget(self.tabs, 4)
        self.retranslate()

    # -- loading -------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Read the figures again (after an import, on F5). Off screen, the read waits
        until the dashboard is shown; a refresh asked during one runs after it."""
        self._stale = True
        if not self.isVisible():
            return
        if self._loading:
            self._again = True
            return
        self._stale = False
        self._loading = True
        if self.switcher is not None:
            self.switcher.reload()  # a campaign may have been created or closed
            self.campaign_id = self.switcher.current()
        self.status.setText(self.catalog.tr("ui.dashboard.updating"))
        campaign, now = self.campaign_id, self.read.now()

        def work(read: ReadingService) -> Dashboard | _Failed:
            try:
                return read.dashboard(campaign, now)
            except Exception as exc:  # handed back, so the next refresh is not stuck
                return _Failed(exc)

        self.pool.submit(work, self._arrived)

    def _on_choice(self, _campaign_id: object) -> None:
        self._switched()

    def _switched(self) -> None:
        if self.switcher is not None and self.switcher.current() != self.campaign_id:
            self.reload()

    def _arrived(self, result: Dashboard | _Failed) -> None:
        self._loading = False
        if isinstance(result, _Failed):
            if not isinstance(result.exc, GridappError):
                raise result.exc  # our bug: the crash handler reports it
            # A locked or unreadable database: say so, keep the figures shown.
            self.status.setText(self.catalog.error(result.exc))
        else:
            self.show_snapshot(result)
        if self._again:
            self._again = False
            self.reload()

    @property
    def loading(self) -> bool:
        return self._loading

    # -- showing -------------------------------------------------------------------
    def show_snapshot(self, snapshot: Dashboard) -> None:
        """Turn a ready snapshot into tiles, charts and tables (the UI thread's part)."""
        self.snapshot = snapshot
        tr = self.catalog.tr
        self.title.setText(
            tr(
                "ui.dashboard.title_campaign",
                name=snapshot.campaign_name,
                starts=snapshot.starts_on,
                ends=snapshot.ends_on,
            )
            if snapshot.campaign_id
            else tr("ui.dashboard.title")
        )
        self.status.setText(tr("ui.dashboard.updated", at=display_time(snapshot.taken_at)))
        for name, (value, detail, alert) in self._tile_values(snapshot).items():
            self.tiles[name].set(value, detail, alert)
        if self.charts is None:
            from gridapp.ui.office.dashboard_charts import DashboardCharts  # QtCharts: when needed

            self.charts = DashboardCharts(self)
            for view, stretch in zip(self.charts.views(), (4, 4, 4), strict=True):
                self.charts_row.addWidget(view, stretch)
        self.charts.show(snapshot, self.catalog)
        self._fill_tables(snapshot)
        self.refreshed.emit()

    def _tile_values(self, s: Dashboard) -> dict[str, tuple[str, str, bool]]:
        tr, c = self.catalog.tr, s.counts
        return {
            "households_visited": (
                f"{c.households_visited:,}",
                tr("ui.dashboard.tile.of_households", total=f"{c.households:,}"),
                False,
            ),
            "coverage": (
                f"{s.coverage * 100:.1f}%",
                tr("ui.dashboard.tile.visits", visits=f"{c.visits:,}"),
                False,
            ),
            "consultations": (f"{c.consultations:,}", "", False),
            "online_answers": (f"{c.online_answers:,}", "", False),
            "policy_explanations": (f"{c.policy_explanations:,}", "", False),
            "suggestions": (f"{c.suggestions:,}", "", False),
            "callbacks_open": (
                f"{s.callbacks_open:,}",
                tr("ui.dashboard.tile.overdue", count=f"{s.callbacks_overdue:,}"),
                s.callbacks_overdue > 0,
            ),
            "conflicts_open": (
                f"{s.conflicts_open:,}",
                "  ".join(
                    text
                    for text in (
                        tr("ui.dashboard.tile.laptops_missing", count=s.laptops_missing)
                        if s.laptops_missing
                        else "",
                        tr("dashboard.alarms.tile", count=s.alarms) if s.alarms else "",
                    )
                    if text
                ),
                s.conflicts_open > 0 or s.laptops_missing > 0 or s.alarms > 0,
            ),
        }

    def _fill_tables(self, s: Dashboard) -> None:
        tr, code = self.catalog.tr, self.catalog.code

        def headers(*keys: str) -> list[str]:
            return [tr(f"ui.dashboard.column.{k}") for k in keys]

        def place(i: int, c: Coverage) -> Row:
            lagging = c.households > 0 and c.share < LAGGING
            names = (Cell(c.compound, i),) if c.compound else ()
            return Row(
                c.id,
                (
                    *names,
                    Cell(c.label, i),
                    number(c.households),
                    number(c.visited),
                    percent(c.share, lagging),
                ),
            )

        def callback(_i: int, cb: CallbackDue) -> Row:
            due = display_time(cb.due_at)
            return Row(
                cb.household_id,
                (
                    Cell(tr("ui.today.overdue", at=due) if cb.overdue else due, alert=cb.overdue),
                    Cell(cb.household_code),
                    Cell(cb.place),
                    Cell(str(cb.team) if cb.team is not None else "—"),
                    Cell(cb.note),
                ),
            )

        def conflict(_i: int, cf: OpenConflict) -> Row:
            return Row(
                cf.id,
                (
                    Cell(cf.household_code or "—"),
                    Cell(self._word("ui.entity.", cf.entity)),
                    Cell(self._word("ui.field.", cf.field)),
                    number(cf.candidates),
                    Cell(display_time(cf.created_at)),
                ),
            )

        def laptop(_i: int, lap: Laptop) -> Row:
            missing = bool(lap.missing)
            return Row(
                lap.device_id,
                (
                    Cell(lap.name, alert=missing),
                    Cell(str(lap.team) if lap.team is not None else "—"),
                    Cell(code("device_status", lap.status), alert=lap.status == "revoked"),
                    Cell(display_time(lap.last_bundle_at)),
                    number(lap.applied_seq),
                    Cell(self._missing_text(lap.missing, lap.held), alert=missing),
                    Cell(self._alarm_text(lap), alert=lap.alarms > 0),
                ),
            )

        self.compounds.rows.set_rows(
            headers("compound", "households", "visited", "coverage"), s.compounds, place
        )
        self.buildings.rows.set_rows(
            headers("compound", "building", "households", "visited", "coverage"),
            s.buildings,
            place,
        )
        self.callbacks.rows.set_rows(
            headers("due", "household", "place", "team", "note"), s.callbacks, callback
        )
        self.conflicts.rows.set_rows(
            headers("household", "record", "field", "candidates", "found"), s.conflicts, conflict
        )
        self.laptops.rows.set_rows(
            headers("laptop", "team", "status", "last", "merged", "missing", "alarms"),
            s.laptops,
            laptop,
        )
        self.reviews.rows.set_rows(
            [
                tr("ui.dashboard.column.team"),
                code("review_state", "new"),
                code("review_state", "approved"),
                code("review_state", "returned"),
            ],
            s.reviews,
            lambda _i, r: Row(
                str(r.team),
                (
                    Cell(f"{r.team} {r.name}"),
                    number(r.new),
                    number(r.approved),
                    number(r.returned, alert=r.returned > 0),
                ),
            ),
        )
        self._tab_titles(s)

    def _word(self, prefix: str, value: str) -> str:
        text = self.catalog.tr(prefix + value)
        return value if text == prefix + value else text

    def _alarm_text(self, lap: Laptop) -> str:
        if not lap.alarms or lap.last_alarm is None:
            return self.catalog.tr("dashboard.alarms.none")
        key, params = lap.last_alarm
        return self.catalog.tr(
            "dashboard.alarms.count", count=lap.alarms, last=self.catalog.tr(key, **params)
        )

    def _missing_text(self, missing: tuple[tuple[int, int], ...], held: int) -> str:
        if not missing:
            return self.catalog.tr("ui.dashboard.laptop.complete")
        ranges = "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in missing)
        return self.catalog.tr("ui.dashboard.laptop.missing", seqs=ranges, held=held)

    def _tab_titles(self, s: Dashboard | None) -> None:
        tr = self.catalog.tr
        self.tabs.setTabText(0, tr("ui.dashboard.tab.coverage"))
        if s is None:
            for i, key in ((1, "callbacks"), (2, "conflicts"), (3, "laptops"), (4, "reviews")):
                self.tabs.setTabText(i, tr(f"ui.dashboard.tab.{key}", count=0))
            return
        new = sum(r.new for r in s.reviews)
        self.tabs.setTabText(4, tr("ui.dashboard.tab.reviews", count=f"{new:,}"))
        shown = len(s.callbacks)
        self.tabs.setTabText(
            1,
            tr("ui.dashboard.tab.callbacks", count=f"{s.callbacks_open:,}")
            + (tr("ui.dashboard.tab.first", count=shown) if shown < s.callbacks_open else ""),
        )
        self.tabs.setTabText(2, tr("ui.dashboard.tab.conflicts", count=s.conflicts_open))
        self.tabs.setTabText(
            3,
            tr("ui.dashboard.tab.laptops", count=len(s.laptops))
            + (tr("ui.dashboard.tab.missing", count=s.laptops_missing) if s.laptops_missing else "")
            + (tr("dashboard.alarms.tab", count=s.alarms) if s.alarms else ""),
        )

    # -- language --------------------------------------------------------------------
    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.retranslate()
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    def retranslate(self) -> None:
        tr = self.catalog.tr
        self.refresh_button.setText(tr("ui.dashboard.refresh"))
        for name, key in TILES:
            caption = tr(key)  # a heading: "Households visited" beside "Coverage"
            self.tiles[name].caption.setText(caption[:1].upper() + caption[1:])
        if self.snapshot is None:
            self.title.setText(tr("ui.dashboard.title"))
        self._tab_titles(self.snapshot)

    def _callback_activated(self, index: QModelIndex) -> None:
        self.open_household.emit(self.callbacks.id_at(index))
