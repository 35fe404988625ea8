"""The field's actions, wired for the main window: who is recording, record a visit,
an online answer, correct or void a visit, resume a draft."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QMenu,
    QMenuBar,
    QToolBar,
    QWidget,
)

from gridapp.errors import GridappError, InvalidInput
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.settings import Settings

if TYPE_CHECKING:
    from gridapp.ui.field.online_answer import OnlineAnswerDialog
    from gridapp.ui.field.visit_dialog import VisitDialog
    from gridapp.ui.paper.screens import PaperActions, VerifyDialog


class FieldActions:
    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        settings: Settings,
        data_dir: Path,
        parent: QWidget,
        current_household: Callable[[], str | None],
        on_saved: Callable[[], None],
        on_error: Callable[[GridappError], object],
        current_building: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.services, self.catalog, self.settings = services, catalog, settings
        self.data_dir, self.parent = data_dir, parent
        #: The campaign visit sheets are for (the office's session choice; None: the
        #: one in progress). Set by the window once the office screens exist.
        self.campaign: Callable[[], str | None] = lambda: None
        self.current_household, self.on_saved, self.on_error = (
            current_household,
            on_saved,
            on_error,
        )
        self.worker_label = QLabel(parent)
        self.worker = QComboBox(parent)
        self.worker.setObjectName("workerBox")
        self.reload_workers()
        self.record = QAction(parent)
        self.record.setShortcut(QKeySequence("Ctrl+R"))
        self.record.triggered.connect(lambda: self.record_visit())
        self.online = QAction(parent)
        self.online.setShortcut(QKeySequence("Ctrl+O"))
        self.online.triggered.connect(lambda: self.online_answer())
        self.sheet = QAction(parent)
        self.sheet.triggered.connect(self.print_sheet)
        self.grid_sheet = QAction(parent)
        self.grid_sheet.triggered.connect(lambda: self.print_grid_sheet())
        self.day_receipts = QAction(parent)
        self.day_receipts.triggered.connect(lambda: self.paper.todays_receipts())
        self.verify = QAction(parent)
        self.verify.triggered.connect(self.open_verify)
        self.current_building = current_building
        self.dialogs: list[QWidget] = []

    def install(self, bar: QMenuBar, toolbar: QToolBar, before: QAction | None = None) -> None:
        self.menu = QMenu(bar)
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        self.menu.addActions([self.record, self.online])
        self.menu.addSeparator()
        self.menu.addActions([self.sheet, self.grid_sheet, self.day_receipts, self.verify])
        toolbar.addSeparator()
        toolbar.addWidget(self.worker_label)
        toolbar.addWidget(self.worker)
        toolbar.addAction(self.record)
        toolbar.addAction(self.online)

    def retranslate(self, catalog: Catalog) -> None:
        self.catalog = catalog
        tr = catalog.tr
        self.menu.setTitle(tr("ui.menu.visit"))
        self.record.setText(tr("ui.menu.record_visit"))
        self.online.setText(tr("ui.menu.online_answer"))
        self.sheet.setText(tr("ui.menu.print_sheet"))
        self.grid_sheet.setText(tr("ui.menu.print_grid_sheet"))
        self.day_receipts.setText(tr("ui.menu.day_receipts"))
        self.verify.setText(tr("ui.menu.verify_receipt"))
        self.worker_label.setText(tr("ui.worker.label") + " ")

    def worker_code(self) -> str:
        return str(self.worker.currentData() or "")

    def reload_workers(self) -> None:
        """Whom the next visit is credited to: the signed-in worker, first and chosen
        (never a choice remembered from an earlier sign-in); for office staff, the
        team's workers after them, to transcribe a paper form (代录). Refilled after a
        roster bundle arrives, so a new laptop's box is never empty."""
        chosen = self.worker_code()  # kept across a refresh within this sign-in
        self.worker.clear()
        for w in self.services.field.credited_workers():
            label = self.catalog.tr("ui.fmt.aside", text=w["name"], aside=w["code"])
            if not w["own"] and self.services.signed_in:
                label = self.catalog.tr("ui.worker.transcribe", worker=label)
            self.worker.addItem(label, w["code"])
        self.worker.setCurrentIndex(max(self.worker.findData(chosen), 0))
        self.worker.setEnabled(self.worker.count() > 1)

    def record_visit(self, household_id: str | None = None) -> VisitDialog | None:
        from gridapp.ui.field.visit_dialog import VisitDialog  # the form loads when first used

        household_id = household_id or self.current_household()
        if household_id is None:
            return None
        campaign_id = self.which_campaign(household_id)
        if campaign_id == "":
            return None  # asked, and cancelled
        dialog = VisitDialog(
            self.services,
            self.catalog,
            household_id,
            self.worker_code(),
            parent=self.parent,
            campaign_id=campaign_id,
        )
        return self._show(dialog)

    def which_campaign(self, household_id: str) -> str | None:
        """The campaign of a new visit when the household is in several running ones:
        a draft's own, else asked ("" when the worker cancels). None: not asked."""
        running = self.services.read.open_campaigns(household_id)
        if len(running) < 2:
            return None
        draft = self.services.drafts.for_household("visit", household_id)
        kept = (draft or {}).get("payload", {}).get("campaign_id")
        if kept in {c["id"] for c in running}:
            return str(kept)
        from gridapp.ui.field.campaign_choice import CampaignChoice

        detail = self.services.read.household(household_id)
        address = detail.row.address if detail else ""
        choice = CampaignChoice(running, self.catalog, address, self.parent)
        if choice.exec() != CampaignChoice.DialogCode.Accepted:
            return ""
        return choice.chosen() or ""

    def correct(self, visit_id: str) -> VisitDialog | None:
        from gridapp.ui.field.visit_dialog import VisitDialog

        visit = self.services.field.visit_for_correction(visit_id)
        if visit is None:
            return None
        dialog = VisitDialog(
            self.services,
            self.catalog,
            visit["household_id"],
            visit["worker_code"] or self.worker_code(),
            correcting=visit,
            parent=self.parent,
        )
        return self._show(dialog)

    def void(self, visit_id: str, reason: str | None = None) -> bool:
        if reason is None:
            reason, ok = QInputDialog.getText(
                self.parent, self.catalog.tr("ui.detail.void"), self.catalog.tr("ui.void.reason")
            )
            if not ok:
                return False
        try:
            self.services.visits.void("visit", visit_id, reason)
        except GridappError as exc:
            self.on_error(exc)
            return False
        self.on_saved()
        return True

    def online_answer(self) -> OnlineAnswerDialog:
        from gridapp.ui.field.online_answer import OnlineAnswerDialog

        dialog = OnlineAnswerDialog(
            self.services, self.catalog, self.worker_code(), self.current_household(), self.parent
        )
        dialog.saved.connect(lambda _id: self.on_saved())
        dialog.open()
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        return dialog

    @cached_property
    def paper(self) -> PaperActions:
        # Paper (reportlab, Qt printing) loads when first used: start-up stays lean.
        from gridapp.ui.paper.screens import PaperActions

        return PaperActions(self.services.paper, self.catalog, self.parent, self.on_error)

    def print_sheet(self) -> None:
        building = self.current_building()
        if building is None:
            self.on_error(InvalidInput("error.paper.choose_building"))
            return
        self.paper.sheet(
            building, mask_names=self.settings.mask_names_on_sheets, campaign_id=self.campaign()
        )

    def print_grid_sheet(self, grid_id: str | None = None) -> None:
        """A whole grid's visit sheet: the grid chosen from a list (or given)."""
        if grid_id is None:
            try:
                choices = self.services.campaigns.grid_choices()
            except GridappError as exc:
                self.on_error(exc)
                return
            if not choices:
                self.on_error(InvalidInput("error.paper.no_grids"))
                return
            tr = self.catalog.tr
            label, ok = QInputDialog.getItem(
                self.parent,
                tr("ui.menu.print_grid_sheet"),
                tr("ui.paper.choose_grid"),
                [label for _id, label in choices],
                0,
                False,
            )
            if not ok:
                return
            grid_id = next(i for i, shown in choices if shown == label)
        self.paper.sheet(
            grid_id=grid_id,
            mask_names=self.settings.mask_names_on_sheets,
            campaign_id=self.campaign(),
        )

    def open_verify(self) -> VerifyDialog:
        from gridapp.ui.paper.screens import VerifyDialog

        dialog = VerifyDialog(self.services.paper, self.catalog, self.parent)
        dialog.open()
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        return dialog

    def _show(self, dialog: VisitDialog) -> VisitDialog:
        dialog.print_requested.connect(lambda visit_id: self.paper.receipt(visit_id))
        dialog.saved.connect(lambda _id: self.on_saved())
        dialog.finished.connect(lambda _r: self.on_saved())
        dialog.open()
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        return dialog
