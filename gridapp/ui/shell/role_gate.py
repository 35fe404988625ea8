"""What a signed-in role sees in the main window: actions it may not take are hidden
(not just greyed: a field worker's menus stay short), and the status bar says who."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from gridapp.trust.roles import Action, Session

if TYPE_CHECKING:
    from gridapp.ui.shell.main_window import MainWindow


def gated_actions(window: MainWindow) -> dict[QAction, Action]:
    """Each gated menu action and what it needs: the registry's screens
    (gridapp/ui/shell/registry.py) and the field's actions."""
    office = window.office
    screens = {} if office is None else {a: office.needs[k] for k, a in office.actions.items()}
    return {
        **screens,
        window.content.import_form: Action.CAMPAIGN_SETUP,
        window.content.export_form: Action.CAMPAIGN_SETUP,
        window.field.record: Action.RECORD_VISITS,
        window.field.online: Action.RECORD_VISITS,
        window.field.day_receipts: Action.PRINT_RECEIPTS,
        **{step: Action.ROSTER_IMPORT for step in window.detail.lifecycle.steps()},
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
            allowed = session.can(page.entry.needs)
            window.tabs.setTabVisible(window.tabs.indexOf(page), allowed)
        for menu in window.office.menus.values():
            menu.menuAction().setVisible(any(a.isVisible() for a in menu.actions()))
    window.detail.show_household(window.detail.current_id())  # its lifecycle button
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
