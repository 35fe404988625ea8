"""The office's screens in the main window: tabs (看板, 意见建议, 表决预测, 活动设置) and the
办公 menu (名册导入, 报表, 备份, 审计日志, 账户管理).

Each screen is built the first time it is shown, so the desktop opens as fast for the
office as for a laptop, and a screen nobody opens costs nothing. Screens that change
data say so with a signal; the window then refreshes everything shown (the dashboard
included), as it does after a bundle import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar, QTabWidget, QVBoxLayout, QWidget

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.common.jobs import ReadPool

if TYPE_CHECKING:
    from gridapp.services.session import SessionService
    from gridapp.trust.roles import Session

Factory = Callable[["OfficeScreens", QWidget], QWidget]


class LazyTab(QWidget):
    """A tab page that builds its screen on first show."""

    def __init__(self, key: str, factory: Factory, office: OfficeScreens, parent: QWidget) -> None:
        super().__init__(parent)
        self.key = key
        self.factory = factory
        self.office = office
        self.setObjectName(f"tab_{key.rsplit('.', 1)[-1]}")
        self.inner: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.inner is None:
            self.inner = self.factory(self.office, self)
            self._layout.addWidget(self.inner)
            self.inner.show()  # added while this page is being shown: show it too
        return self.inner

    def showEvent(self, event: Any) -> None:
        self.ensure()
        super().showEvent(event)

    def refresh(self) -> None:
        """Re-read the screen if it was built (its `refresh` or `reload`)."""
        if self.inner is None:
            return
        for name in ("refresh", "reload"):
            method = getattr(self.inner, name, None)
            if callable(method):
                method()
                return


# -- the screens (imported when first used) -------------------------------------------
def _dashboard(office: OfficeScreens, parent: QWidget) -> QWidget:
    from gridapp.ui.office.dashboard import DashboardView

    view = DashboardView(office.services, office.catalog, office.pool, parent)
    view.open_household.connect(office.open_household)
    return view


def _forecast(office: OfficeScreens, parent: QWidget) -> QWidget:
    from gridapp.ui.office.forecast import ForecastView

    view = ForecastView(office.services, office.catalog, parent=parent)
    view.failed.connect(office.failed)
    return view


def _suggestions(office: OfficeScreens, parent: QWidget) -> QWidget:
    from gridapp.ui.office.suggestions import SuggestionsView

    view = SuggestionsView(office.services, office.catalog, parent)
    view.failed.connect(office.failed)
    return view


def _campaign_setup(office: OfficeScreens, parent: QWidget) -> QWidget:
    from gridapp.ui.setup.campaign_setup import CampaignSetupView

    view = CampaignSetupView(
        office.services,
        office.catalog,
        parent,
        can_purge_now=_campaign_setup_can_purge_now(office),
    )
    view.failed.connect(office.failed)
    view.changed.connect(office.changed)
    return view


def _roster(office: OfficeScreens) -> QDialog:
    from gridapp.ui.setup.roster_wizard import RosterWizard

    wizard = RosterWizard(office.services, office.catalog, office.window)
    wizard.imported.connect(lambda _result: office.changed.emit())
    return wizard


def _report(office: OfficeScreens) -> QDialog:
    from gridapp.services.reports import ReportService
    from gridapp.ui.paper.report_dialog import ReportDialog

    store = office.services.store

    def own_connection() -> ReportService:
        # The report is written on a worker thread: on a connection of its own, acting
        # as the same signed-in worker.
        return ReportService(store.sibling())

    dialog = ReportDialog(
        office.services,
        office.catalog,
        office.window,
        reports_factory=own_connection if store.path is not None else None,
    )
    dialog.failed.connect(office.failed)
    return dialog


def _campaign_setup_can_purge_now(office: OfficeScreens) -> bool:
    from gridapp.trust.roles import Action

    return office.session is not None and office.session.can(Action.PURGE)


def _accounts(office: OfficeScreens) -> QDialog:
    from gridapp.errors import InvalidInput
    from gridapp.ui.admin.accounts import AccountsView

    sessions = office.sessions
    if sessions is None:  # app.py sets it; a window built without it has no accounts
        raise InvalidInput("error.trust.no_accounts", path=str(office.services.store.path))
    view = AccountsView(sessions, office.session, office.catalog, office.release_database)
    view.failed.connect(office.failed)
    view.restart_needed.connect(office.restart_needed)
    dialog = _dialog_of(office, view, "ui.office.accounts")
    dialog.resize(900, 520)
    return dialog


def _dialog_of(office: OfficeScreens, widget: QWidget, key: str) -> QDialog:
    dialog = QDialog(office.window)
    dialog.setWindowTitle(office.catalog.tr(key))
    layout = QVBoxLayout(dialog)
    layout.addWidget(widget)
    dialog.resize(960, 620)
    return dialog


def _audit(office: OfficeScreens) -> QDialog:
    from gridapp.ui.admin.audit import AuditView

    view = AuditView(office.services.audit, office.catalog)
    view.failed.connect(office.failed)
    return _dialog_of(office, view, "ui.office.audit")


def _backup(office: OfficeScreens) -> QDialog:
    from gridapp.ui.admin.backup import BackupView

    view = BackupView(office.services.backup, office.catalog)
    view.failed.connect(office.failed)
    return _dialog_of(office, view, "ui.office.backup")


class OfficeScreens(QObject):
    """Installs the office tabs and menu; `refresh()` re-reads the screens already built."""

    #: Data changed behind the window's back (a roster import…): refresh what is shown.
    changed = Signal()
    #: A GridappError for the window's error presenter.
    failed = Signal(object)
    #: A screen asks to show a household (its id) on the households page.
    open_household = Signal(str)
    #: Sign-in was just set up and the database encrypted: the app must close (app.py quits).
    restart_needed = Signal()

    TABS: tuple[tuple[str, Factory], ...] = (
        ("ui.dashboard.title", _dashboard),
        ("ui.office.suggestions", _suggestions),
        ("ui.office.forecast", _forecast),
        ("ui.office.campaign_setup", _campaign_setup),
    )
    ACTIONS: tuple[tuple[str, Callable[[OfficeScreens], QDialog]], ...] = (
        ("ui.office.roster_import", _roster),
        ("ui.office.report", _report),
        ("ui.office.backup", _backup),
        ("ui.office.audit", _audit),
        ("ui.office.accounts", _accounts),
    )

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        tabs: QTabWidget,
        window: QWidget,
        pool: ReadPool | None = None,
    ) -> None:
        super().__init__(window)
        self.services = services
        self.catalog = catalog
        self.tabs = tabs
        self.window = window
        self.pool = pool
        self.pages: list[LazyTab] = []
        self.menu: QMenu | None = None
        self.actions: dict[str, QAction] = {}
        self.dialog: QDialog | None = None  # the one open, kept alive while shown
        # Set by app.py (the composition root): who signed in, their SessionService, and
        # how to let go of the database before first set-up encrypts it.
        self.sessions: SessionService | None = None
        self.session: Session | None = None
        self.release_database: Callable[[], None] | None = None

    def install(self, bar: QMenuBar, before: QAction | None = None) -> None:
        for key, factory in self.TABS:
            page = LazyTab(key, factory, self, self.tabs)
            self.pages.append(page)
            self.tabs.addTab(page, "")
        self.menu = QMenu(bar)
        self.menu.setObjectName("officeMenu")
        for key, make in self.ACTIONS:
            action = QAction(self.window)
            action.setObjectName(key.rsplit(".", 1)[-1])
            action.triggered.connect(lambda _c=False, make=make: self.open(make))
            self.menu.addAction(action)
            self.actions[key] = action
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        self.retranslate(self.catalog)

    def open(self, make: Callable[[OfficeScreens], QDialog]) -> QDialog | None:
        try:
            dialog = make(self)
        except GridappError as exc:
            self.failed.emit(exc)
            return None
        self.dialog = dialog
        dialog.open()
        return dialog

    def page(self, key: str) -> LazyTab:
        return next(p for p in self.pages if p.key == key)

    def refresh(self) -> None:
        for page in self.pages:
            page.refresh()

    def retranslate(self, catalog: Catalog) -> None:
        self.catalog = catalog
        for page in self.pages:
            self.tabs.setTabText(self.tabs.indexOf(page), catalog.tr(page.key))
            set_catalog = getattr(page.inner, "set_catalog", None)
            if callable(set_catalog):
                set_catalog(catalog)
        if self.menu is not None:
            self.menu.setTitle(catalog.tr("ui.menu.office"))
        for key, action in self.actions.items():
            action.setText(catalog.tr(key))
