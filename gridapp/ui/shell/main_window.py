"""The main window: navigator | household list | household page, a status bar that says
who and where, menus for language and refresh. Screens talk through signals wired here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

from gridapp import __version__
from gridapp.i18n import LANGUAGES, Catalog
from gridapp.model import Counts
from gridapp.services import Services
from gridapp.settings import Settings, UiState, save_settings
from gridapp.trust.roles import Session
from gridapp.ui.common.jobs import ImmediateReadPool, ReadPool
from gridapp.ui.field.actions import FieldActions
from gridapp.ui.field.today import TodayView
from gridapp.ui.households.detail import HouseholdDetailView
from gridapp.ui.households.navigator import Navigator
from gridapp.ui.households.search_box import SearchBox
from gridapp.ui.households.table_model import HouseholdTableModel, fit_columns
from gridapp.ui.setup.content_menu import ContentMenu
from gridapp.ui.shell.crash import ErrorPresenter
from gridapp.ui.shell.registry import ScreenContext, ScreenEvents
from gridapp.ui.shell.screens import OfficeScreens
from gridapp.ui.shell.window_state import restore_window, save_window
from gridapp.ui.sync.screens import SyncDialog

if TYPE_CHECKING:
    from gridapp.services.device import LocalDevice
    from gridapp.services.session import SessionService

log = logging.getLogger("gridapp.ui")


@dataclass(frozen=True)
class ShellContext:
    """What the composition root (app.py) read once and hands the window."""

    data_dir: Path
    settings: Settings
    ui_state: UiState
    #: This device (None: not initialised): a laptop's window or an office's.
    device: LocalDevice | None
    #: Who signed in, and the sign-in service (None on a plain demo or test database).
    session: Session | None = None
    sessions: SessionService | None = None
    #: Lets go of the database before first set-up encrypts it (the accounts screen).
    release_database: Callable[[], None] | None = None


class MainWindow(QMainWindow):
    language_changed = Signal(str)
    #: The status bar's counts were (re)computed in the background and shown.
    counts_shown = Signal()

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        context: ShellContext,
        pool: ReadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        self.catalog = catalog
        self.context = context
        self.pool: ReadPool = pool or ImmediateReadPool(services.read)
        self._counts: Counts | None = None
        self.errors = ErrorPresenter(catalog)

        self.navigator = Navigator(services.read, self.pool, catalog, self)
        self.households = HouseholdTableModel(services.read, catalog, self)
        self.table = QTableView(self)
        self.table.setObjectName("households")
        self.table.setModel(self.households)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table, catalog)
        self.detail = HouseholdDetailView(services.read, services.households, catalog, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget in (self.navigator, self.table, self.detail):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 4)
        self.today = TodayView(
            services.field, services.drafts, catalog, self, review=services.review
        )
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        device = context.device
        self.is_field = device is not None and device.role == "field"
        self.is_office = device is not None and device.role == "office"
        pages = [self.today, self.splitter] if self.is_field else [self.splitter, self.today]
        for page in pages:
            self.tabs.addTab(page, "")
        self.setCentralWidget(self.tabs)

        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.field = FieldActions(
            services,
            catalog,
            context.settings,
            context.data_dir,
            self,
            self.detail.current_id,
            self.refresh,
            lambda exc: self.errors.known(exc, self),
            self._current_building,
        )
        self.field.install(self.menuBar(), self.toolbar, self.help_menu.menuAction())
        self.office: OfficeScreens | None = None
        if not self.is_field:
            events = ScreenEvents(self)
            screens = ScreenContext(
                services,
                catalog,
                self,
                self.pool,
                events,
                context.session,
                context.sessions,
                context.release_database,
            )
            self.office = OfficeScreens(screens, self.tabs)
            self.field.campaign = lambda: screens.campaign.campaign_id  # sheets follow it
            self.office.install(self.menuBar(), self.help_menu.menuAction(), self.sync_menu)
            events.changed.connect(self.refresh)
            events.open_household.connect(self.show_household)
            events.failed.connect(lambda exc: self.errors.known(exc, self))
        self.detail.failed.connect(lambda exc: self.errors.known(exc, self))
        self.detail.lifecycle.failed.connect(lambda exc: self.errors.known(exc, self))
        self.detail.lifecycle.changed.connect(lambda _household: self.refresh())

        self.navigator.selected.connect(self._on_place_selected)
        self.table.selectionModel().selectionChanged.connect(self._on_household_selected)
        self.table.doubleClicked.connect(lambda _i: self.field.record_visit())
        self.today.open_household.connect(self.show_household)
        self.today.resume_draft.connect(lambda hid: self.field.record_visit(hid))
        self.today.correct_visit.connect(self.field.correct)
        self.detail.correct_requested.connect(self.field.correct)
        self.detail.void_requested.connect(self.field.void)
        self.detail.receipt_requested.connect(lambda visit_id: self.field.paper.receipt(visit_id))

        self.retranslate()
        self._restore_state()
        if self.navigator.current() is None:
            # A building, not all households: the list a worker walks, and instant even
            # on a 100,000-household campaign.
            first = self.navigator.first_building()
            if first is None or not self.navigator.select("building", first, scroll=False):
                self.navigator.select("all", "")
        self._update_counts()
        if context.session is not None:
            self.apply_role(context.session)

    # -- building ------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.code_label = QLabel(self)
        # Names, pinyin, addresses, phone tails; a USB QR scanner types the household
        # code and Enter: open it from anywhere.
        self.code_box = SearchBox(self.services.search.find, self.catalog, self)
        self.code_box.setMaximumWidth(360)
        self.code_box.chosen.connect(self.show_household)
        self.code_box.not_found.connect(
            lambda text: self.statusBar().showMessage(
                self.catalog.tr("ui.code.not_found", code=text), 5000
            )
        )
        self.toolbar.addWidget(self.code_label)
        self.toolbar.addWidget(self.code_box)
        self.addToolBar(self.toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(self.refresh)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence("Ctrl+L"))
        self.find_action.triggered.connect(self._focus_code_box)
        self.view_menu.addActions([self.refresh_action, self.find_action])

        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = QAction(self, checkable=True)
            action.setData(lang)
            action.setChecked(lang == self.catalog.lang)
            action.triggered.connect(lambda _checked, lang=lang: self.set_language(lang))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action

        self.sync_menu = bar.addMenu("")
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.triggered.connect(self.open_sync)
        self.sync_menu.addAction(self.sync_action)  # the office's entries: the registry's

        self.content = ContentMenu(
            bar, self.services, self.catalog, editable=self.is_office, parent=self
        )

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        self.status_role = QLabel(self)
        self.status_role.setObjectName("statusRole")
        self.status_device = QLabel(self)
        self.status_device.setObjectName("statusDevice")
        self.status_data = QLabel(self)
        self.status_data.setObjectName("statusData")
        self.status_counts = QLabel(self)
        self.status_counts.setObjectName("statusCounts")
        bar = self.statusBar()
        for label in (self.status_role, self.status_device, self.status_data):
            bar.addWidget(label)
        bar.addPermanentWidget(self.status_counts)

    # -- behaviour -----------------------------------------------------------------
    def _on_place_selected(self, kind: str, record_id: str) -> None:
        read = self.services.read
        if kind == "building":
            ids = read.household_ids(building_id=record_id)
        elif kind == "compound":
            ids = read.household_ids(compound_id=record_id)
        else:
            ids = read.household_ids()
        self.households.set_ids(ids)
        self.table.resizeColumnToContents(0)
        self.detail.show_household(None)
        if ids:
            self.table.selectRow(0)

    def _on_household_selected(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = selected.indexes()
        self.detail.show_household(self.households.household_id(rows[0].row()) if rows else None)

    def _current_building(self) -> str | None:
        place = self.navigator.current()
        return place[1] if place and place[0] == "building" else None

    def show_household(self, household_id: str) -> bool:
        """Switch to the household page and select it."""
        self.tabs.setCurrentWidget(self.splitter)
        return self.open_household(household_id)

    def open_household(self, household_id: str) -> bool:
        row = self.households.row_of(household_id)
        if row < 0:
            self.navigator.select("all", "")
            row = self.households.row_of(household_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.households.index(row, 0))
        return True

    def _focus_code_box(self) -> None:
        self.code_box.setFocus()
        self.code_box.selectAll()

    def open_sync(self) -> SyncDialog:
        dialog = SyncDialog(self.services.sync, self.catalog, self)
        dialog.changed.connect(self.refresh)
        dialog.failed.connect(lambda exc: self.errors.known(exc, dialog))
        dialog.open()
        return dialog

    def refresh(self) -> None:
        """Re-read everything shown (after an import or a write elsewhere)."""
        current = self.detail.current_id()
        self.navigator.reload()
        self.households.refresh()
        self.detail.show_household(current)
        self.today.refresh()
        self.field.reload_workers()  # a first roster bundle brings the team's workers
        if self.office is not None:
            self.office.reload()
        self._update_counts()

    def set_language(self, lang: str) -> None:
        if lang == self.catalog.lang:
            return
        self.catalog = Catalog(lang)
        self.context.settings.language = lang
        save_settings(self.context.data_dir, self.context.settings)
        self.navigator.set_catalog(self.catalog)
        self.households.set_catalog(self.catalog)
        fit_columns(self.table, self.catalog)
        self.detail.set_catalog(self.catalog)
        self.retranslate()
        self.language_changed.emit(lang)

    def retranslate(self) -> None:
        tr = self.catalog.tr
        self.setWindowTitle(tr("ui.window_title"))
        self.file_menu.setTitle(tr("ui.menu.file"))
        self.quit_action.setText(tr("ui.menu.quit"))
        self.view_menu.setTitle(tr("ui.menu.view"))
        self.refresh_action.setText(tr("ui.menu.refresh"))
        self.find_action.setText(tr("ui.menu.find_code"))
        self.language_menu.setTitle(tr("ui.menu.language"))
        for lang, action in self.language_actions.items():
            action.setText(tr(f"ui.language.{lang}"))
            action.setChecked(lang == self.catalog.lang)
        self.sync_menu.setTitle(tr("ui.menu.sync"))
        self.sync_action.setText(tr("ui.menu.sync_open"))
        self.content.retranslate(self.catalog)
        if hasattr(self, "field"):
            self.field.retranslate(self.catalog)
        if getattr(self, "office", None) is not None:
            self.office.retranslate(self.catalog)  # type: ignore[union-attr]
        self.tabs.setTabText(self.tabs.indexOf(self.today), tr("ui.tab.today"))
        self.tabs.setTabText(self.tabs.indexOf(self.splitter), tr("ui.tab.households"))
        self.help_menu.setTitle(tr("ui.menu.help"))
        self.about_action.setText(tr("ui.menu.about"))
        self.code_label.setText(tr("ui.code.label") + " ")
        self.code_box.set_catalog(self.catalog)
        device = self.context.device
        if device is not None:
            self.status_role.setText(
                tr("ui.status.role", role=self.catalog.code("role", device.role))
            )
            self.status_device.setText(
                tr("ui.status.device", name=device.name, id=device.device_id[-8:])
            )
        self.status_data.setText(tr("ui.status.data", path=str(self.context.data_dir)))
        self._show_counts()

    def _update_counts(self) -> None:
        self.pool.submit(lambda read: read.counts(), self._show_counts)

    def _show_counts(self, counts: Counts | None = None) -> None:
        self._counts = counts or self._counts
        if self._counts is None:
            return
        c = self._counts
        self.status_counts.setText(
            self.catalog.tr(
                "ui.status.counts",
                visited=c.households_visited,
                total=c.households,
                consultations=c.consultations,
                callbacks=c.callbacks_open,
            )
        )
        # The text arrives after the window is laid out: reserve its room now.
        self.status_counts.setMinimumWidth(self.status_counts.sizeHint().width())
        if counts is not None:
            self.counts_shown.emit()

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.catalog.tr("ui.menu.about"),
            self.catalog.tr("ui.about", version=__version__),
            parent=self,
        )
        box.open()

    # -- who is signed in ------------------------------------------------------------
    def apply_role(self, session: Session | None) -> None:
        """Hide what the signed-in role may not do (None: no accounts, nothing to hide).
        A new screen's action goes into `gridapp/ui/shell/role_gate.py::gated_actions`."""
        from gridapp.ui.shell.role_gate import apply_role

        apply_role(self, session)

    # -- remembered state ----------------------------------------------------------
    def _restore_state(self) -> None:
        restore_window(self, self.splitter, self.navigator, self.context.ui_state)

    def save_state(self) -> None:
        save_window(
            self, self.splitter, self.navigator, self.context.ui_state, self.context.data_dir
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
