"""The screen registry: every office screen once, with where it goes and what it needs.

The office tabs, the 办公 and 同步 menus and the role gate all come from `SCREENS`:
adding a screen is one module in its room and one entry here (docs/developer-guide.md).
Each builder hands its screen only what it needs, in the constructor, and wires the
screen's signals to the window through `ScreenContext`. Screens are imported when first
built, so a screen nobody opens costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from gridapp.errors import InvalidInput
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.trust.roles import Action, Session
from gridapp.ui.common.campaign_switch import CampaignChoice
from gridapp.ui.common.jobs import ReadPool
from gridapp.ui.common.screen import fit_to_screen

if TYPE_CHECKING:
    from gridapp.model import Campaign
    from gridapp.services.session import SessionService


class Place(Enum):
    TAB = "tab"  # a tab of the main window, built on first show
    OFFICE_MENU = "office"  # an entry of the 办公 menu
    SYNC_MENU = "sync"  # an entry of the 同步 menu


class ScreenEvents(QObject):
    """What screens tell the window."""

    #: Data changed behind the window's back (a roster import…): refresh what is shown.
    changed = Signal()
    #: A GridappError for the window's error presenter.
    failed = Signal(object)
    #: A screen asks to show a household (its id) on the households page.
    open_household = Signal(str)
    #: Sign-in was just set up and the database encrypted: the app must close (app.py quits).
    restart_needed = Signal()


@dataclass
class ScreenContext:
    """Everything a builder may hand a screen; given by the composition root (app.py)."""

    services: Services
    catalog: Catalog
    window: QWidget
    pool: ReadPool
    events: ScreenEvents
    #: Who signed in and the sign-in service (None on a plain demo or test database).
    session: Session | None = None
    sessions: SessionService | None = None
    #: Lets go of the database before first set-up encrypts it in place.
    release_database: Callable[[], None] | None = None
    #: The campaign the office screens are about, chosen once for the session.
    campaign: CampaignChoice = field(default_factory=CampaignChoice)


#: Builds the screen: a tab's page; for a menu entry a dialog or window to open, or None
#: when the entry ran a flow of its own (file dialogs…).
Builder = Callable[[ScreenContext, QWidget], "QWidget | None"]


@dataclass(frozen=True)
class Screen:
    key: str  # its title's catalog key, and its name in the registry
    build: Builder
    needs: Action  # hidden from a signed-in role without it (checked again in the service)
    place: Place

    @property
    def name(self) -> str:
        return self.key.rsplit(".", 1)[-1]


def _dialog_of(ctx: ScreenContext, widget: QWidget, key: str) -> QDialog:
    """A screen in a dialog of the window: Esc or 关闭 closes it (a machine with no window
    manager draws no title-bar button)."""
    dialog = QDialog(ctx.window)
    dialog.setWindowTitle(ctx.catalog.tr(key))
    layout = QVBoxLayout(dialog)
    layout.addWidget(widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.setObjectName("closeButtons")
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    fit_to_screen(dialog, 960, 620)
    return dialog


# -- the tabs ---------------------------------------------------------------------------
def _dashboard(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.office.dashboard import DashboardView

    view = DashboardView(ctx.services.read, ctx.catalog, ctx.pool, parent, choice=ctx.campaign)
    view.open_household.connect(ctx.events.open_household)
    return view


def _suggestions(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.office.suggestions import SuggestionsView

    view = SuggestionsView(ctx.services.suggestions, ctx.services.campaigns, ctx.catalog, parent)
    view.failed.connect(ctx.events.failed)
    return view


def _review(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.office.review import ReviewView

    view = ReviewView(ctx.services.review, ctx.services.campaigns, ctx.catalog, parent)
    view.failed.connect(ctx.events.failed)
    view.changed.connect(ctx.events.changed)
    return view


def _forecast(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.office.forecast import ForecastView

    view = ForecastView(ctx.services.consultation, ctx.services.read, ctx.catalog, parent=parent)
    view.failed.connect(ctx.events.failed)
    return view


def _scorecard(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.common.jobs import Jobs
    from gridapp.ui.office.scorecard import ScorecardView

    jobs = Jobs(ctx.services)
    view = ScorecardView(ctx.services.scorecard, jobs, ctx.catalog, parent)
    jobs.setParent(view)
    view.failed.connect(ctx.events.failed)
    return view


def _campaign_setup(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.setup.campaign_setup import CampaignSetupView

    can_purge_now = ctx.session is not None and ctx.session.can(Action.PURGE)
    view = CampaignSetupView(
        ctx.services, ctx.catalog, parent, can_purge_now=can_purge_now, choice=ctx.campaign
    )
    view.failed.connect(ctx.events.failed)
    view.changed.connect(ctx.events.changed)
    return view


# -- the 办公 menu ----------------------------------------------------------------------
def _roster_import(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.setup.roster_wizard import RosterWizard

    wizard = RosterWizard(ctx.services, ctx.catalog, parent)
    wizard.imported.connect(lambda _result: ctx.events.changed.emit())
    return wizard


def _campaign_new(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.setup.campaign_wizard import CampaignWizard

    wizard = CampaignWizard(ctx.services, ctx.catalog, parent)

    def created(record: Campaign) -> None:
        ctx.events.changed.emit()
        ctx.campaign.choose(record.id)  # the screens show the new campaign

    wizard.created.connect(created)
    return wizard


def _report(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.common.jobs import Jobs
    from gridapp.ui.paper.report_dialog import ReportDialog

    jobs = Jobs(ctx.services)
    dialog = ReportDialog(
        jobs,
        ctx.services.read.now().date(),
        ctx.catalog,
        parent,
        campaigns=(ctx.services.read.campaigns, ctx.campaign),
    )
    jobs.setParent(dialog)
    dialog.failed.connect(ctx.events.failed)
    return dialog


def _backup(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.admin.backup import BackupView

    view = BackupView(ctx.services.backup, ctx.catalog)
    view.failed.connect(ctx.events.failed)
    return _dialog_of(ctx, view, "ui.office.backup")


def _audit(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.admin.audit import AuditView

    view = AuditView(ctx.services.audit, ctx.catalog)
    view.failed.connect(ctx.events.failed)
    return _dialog_of(ctx, view, "ui.office.audit")


def _accounts(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.admin.accounts import AccountsView

    if ctx.sessions is None:  # a plain database: nobody signs in, no accounts to manage
        raise InvalidInput("error.trust.no_accounts", path=str(ctx.services.database_path))
    view = AccountsView(ctx.sessions, ctx.session, ctx.catalog, ctx.release_database)
    view.failed.connect(ctx.events.failed)
    view.restart_needed.connect(ctx.events.restart_needed)
    dialog = _dialog_of(ctx, view, "ui.office.accounts")
    dialog.resize(900, 520)
    return dialog


# -- the 同步 menu (office) --------------------------------------------------------------
def _conflicts(ctx: ScreenContext, parent: QWidget) -> QWidget:
    from gridapp.ui.office.conflicts import ConflictsView

    view = ConflictsView(ctx.services.sync, ctx.catalog)
    view.resolved.connect(lambda _id: ctx.events.changed.emit())
    view.failed.connect(ctx.events.failed)
    return _dialog_of(ctx, view, "ui.conflicts.title")


def _enroll(ctx: ScreenContext, parent: QWidget) -> None:
    from gridapp.ui.sync.screens import enroll_interactively

    enroll_interactively(ctx.services.sync, ctx.catalog, parent)


def _roster_bundle(ctx: ScreenContext, parent: QWidget) -> None:
    from gridapp.ui.sync.screens import write_roster_interactively

    write_roster_interactively(ctx.services.sync, ctx.catalog, parent)


SCREENS: tuple[Screen, ...] = (
    Screen("ui.dashboard.title", _dashboard, Action.DASHBOARD, Place.TAB),
    Screen("ui.office.review", _review, Action.REVIEW, Place.TAB),
    Screen("ui.office.suggestions", _suggestions, Action.SUGGESTIONS, Place.TAB),
    Screen("ui.office.forecast", _forecast, Action.REPORTS, Place.TAB),
    Screen("ui.office.scorecard", _scorecard, Action.REPORTS, Place.TAB),
    Screen("ui.office.campaign_setup", _campaign_setup, Action.CAMPAIGN_SETUP, Place.TAB),
    Screen("ui.office.roster_import", _roster_import, Action.ROSTER_IMPORT, Place.OFFICE_MENU),
    Screen("ui.office.campaign_new", _campaign_new, Action.CAMPAIGN_SETUP, Place.OFFICE_MENU),
    Screen("ui.office.report", _report, Action.REPORTS, Place.OFFICE_MENU),
    Screen("ui.office.backup", _backup, Action.RESTORE, Place.OFFICE_MENU),
    Screen("ui.office.audit", _audit, Action.AUDIT_LOG, Place.OFFICE_MENU),
    Screen("ui.office.accounts", _accounts, Action.MANAGE_ACCOUNTS, Place.OFFICE_MENU),
    Screen("ui.menu.conflicts", _conflicts, Action.RESOLVE_CONFLICTS, Place.SYNC_MENU),
    Screen("ui.menu.enroll", _enroll, Action.MANAGE_DEVICES, Place.SYNC_MENU),
    Screen("ui.menu.roster", _roster_bundle, Action.CAMPAIGN_SETUP, Place.SYNC_MENU),
)


def screen(key: str) -> Screen:
    return next(s for s in SCREENS if s.key == key)
