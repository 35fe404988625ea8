"""What a signed-in role sees in the main window: actions it may not take are hidden
(not just greyed: a field worker's menus stay short), and the status bar says who."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from gridapp.trust.roles import Action, Session

if TYPE_CHECKING:
    from gridapp.ui.shell.main_window import MainWindow


#: The office area's menu entries and tabs (gridapp/ui/shell/screens.py), by catalog key.
OFFICE_NEEDS: dict[str, Action] = {
    "ui.dashboard.title": Action.DASHBOARD,
    "ui.office.suggestions": Action.SUGGESTIONS,
    "ui.office.forecast": Action.REPORTS,
    "ui.office.campaign_setup": Action.CAMPAIGN_SETUP,
    "ui.office.roster_import": Action.ROSTER_IMPORT,
    "ui.office.report": Action.REPORTS,
    "ui.office.backup": Action.RESTORE,
    "ui.office.audit": Action.AUDIT_LOG,
    "ui.office.accounts": Action.MANAGE_ACCOUNTS,
}


def gated_actions(window: MainWindow) -> dict[QAction, Action]:
    """Each gated menu action and what it needs; extend as screens arrive."""
    office = window.office.actions if window.office is not None else {}
    return {
        **{action: OFFICE_NEEDS[key] for key, action in office.items()},
        window.conflicts_action: Action.RESOLVE_CONFLICTS,
        window.enroll_action: Action.MANAGE_DEVICES,
        window.roster_action: Action.CAMPAIGN_SETUP,
        window.content.import_form: Action.CAMPAIGN_SETUP,
        window.content.export_form: Action.CAMPAIGN_SETUP,
        window.field.record: Action.RECORD_VISITS,
        window.field.online: Action.RECORD_VISITS,
        window.field.day_receipts: Action.PRINT_RECEIPTS,
    }


def apply_role(window: MainWindow, session: Session | None) -> None:
    if session is None:
        return
    for action, needed in gated_actions(window).items():
        allowed = session.can(needed)
        action.setVisible(allowed)
        action.setEnabled(allowed)
    if window.office is not None:
        for page in window.office.pages:
            window.tabs.setTabVisible(
                window.tabs.indexOf(page), session.can(OFFICE_NEEDS[page.key])
            )
        if window.office.menu is not None:
            window.office.menu.menuAction().setVisible(
                any(a.isVisible() for a in window.office.actions.values())
            )
    # Whom visits are credited to follows the signed-in worker (the core decides).
    window.field.reload_workers()
    label = window.findChild(QLabel, "statusSession")
    if label is None:
        label = QLabel(window)
        label.setObjectName("statusSession")
        window.statusBar().insertWidget(0, label)
        window.language_changed.connect(lambda _lang: _show(window, label, session))
    _show(window, label, session)


def _show(window: MainWindow, label: QLabel, session: Session) -> None:
    role = window.catalog.code("account_role", session.role)
    label.setText(window.catalog.tr("ui.status.signed_in", code=session.code, role=role))
