"""Recording a visit at the door: outcome, people met, the questionnaire, policy points
explained and how they landed, suggestions, notes; a callback when nobody is home.
Everything typed is kept as a draft as it is typed; nothing is lost to a crash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import CHINA_TZ, iso, parse_iso
from gridapp.codes import Outcome, Reaction, VisitMode
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.ids import uuid7
from gridapp.rules import CALLBACK_OUTCOMES, NOBODY_MET_OUTCOMES, suggest_callback
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.ui.common.screen import fit_to_screen
from gridapp.ui.field.form_widget import FormWidget
from gridapp.ui.field.resident_view import ResidentView
from gridapp.ui.field.visit_parts import (
    RadioRow,
    SuggestionRow,
    checked,
    form_meta,
    radio_row,
    visit_campaign,
)

AUTOSAVE_MS = 300
DRAFT_KIND = "visit"


class VisitDialog(QDialog):
    saved = Signal(str)  # the new visit's id
    print_requested = Signal(str)  # saved, and a receipt is wanted for this visit

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        household_id: str,
        worker_code: str,
        correcting: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        campaign_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitDialog")
        self.services, self.catalog, self.household_id = services, catalog, household_id
        self.worker_code = worker_code
        self.correcting = correcting
        self._restoring = False
        tr = catalog.tr
        detail = services.read.household(household_id)
        assert detail is not None
        self.setWindowTitle(tr("ui.visit.title", address=detail.row.address))
        self.campaign = visit_campaign(services, household_id, campaign_id, correcting)
        self.header = QLabel(
            tr(
                "ui.visit.header",
                address=detail.row.address,
                head=detail.row.head_name or "—",
                attempt=detail.row.visits + 1,
            ),
            self,
        )
        self.header.setObjectName("visitHeader")
        font = self.header.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.header.setFont(font)
        self.campaign_label = QLabel(
            tr("ui.visit.campaign", name=self.campaign["name"]) if self.campaign else "", self
        )
        self.campaign_label.setObjectName("visitCampaign")
        self.campaign_label.setVisible(self.campaign is not None)

        self.mode = self._radio_row("mode", [m.value for m in VisitMode])
        self.outcome = self._radio_row("outcome", [o.value for o in Outcome], numbered=True)
        self.people = QSpinBox(self)
        self.people.setRange(0, 30)
        self.people.setValue(1)
        self.callback = QDateTimeEdit(self)
        self.callback.setCalendarPopup(True)
        self.callback.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.callback_label = QLabel(tr("ui.visit.callback"), self)
        self._suggest_callback()

        top = QFormLayout()
        top.addRow(tr("ui.visit.mode"), self.mode[0])
        top.addRow(tr("ui.visit.outcome"), self.outcome[0])
        top.addRow(tr("ui.visit.people"), self.people)
        top.addRow(self.callback_label, self.callback)

        self.tabs = QTabWidget(self)
        active = (
            services.read.campaign_questionnaire(self.campaign["id"]) if self.campaign else None
        )
        self.questionnaire_id = active[0] if active else None
        self.form = (
            FormWidget(
                active[1],
                catalog,
                today=self._now().date().isoformat(),
                parent=self,
                meta=form_meta(services, worker_code, self._now()),
            )
            if active
            else None
        )
        if self.form is not None:
            self.tabs.addTab(self.form, tr("ui.visit.tab_form"))
        self.policies: list[tuple[dict[str, Any], QCheckBox, QComboBox]] = []
        self.tabs.addTab(self._policy_tab(), tr("ui.visit.tab_policy"))
        self.suggestion_box = QVBoxLayout()
        self.suggestions: list[SuggestionRow] = []
        self.tabs.addTab(self._suggestion_tab(), tr("ui.visit.tab_suggestions"))
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.tabs.addTab(self.notes, tr("ui.visit.tab_notes"))

        self.message = QLabel(self)
        self.message.setObjectName("visitMessage")
        self.message.setStyleSheet("color: #b42318;")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(tr("ui.visit.save"), self)
        self.save_button.setObjectName("saveVisit")
        self.save_button.setDefault(False)
        self.save_button.clicked.connect(self.save)
        self.save_print_button = QPushButton(tr("ui.visit.save_print"), self)
        self.save_print_button.setObjectName("saveAndPrint")
        self.save_print_button.clicked.connect(self.save_and_print)
        cancel = QPushButton(tr("ui.visit.later"), self)
        cancel.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_print_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.campaign_label)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.add_suggestion().text.setFocus())
        for n in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self, lambda n=n: self.tabs.setCurrentIndex(n))
        fit_to_screen(self, 860, 820)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._connect_changes()
        self._start(correcting)
        #: What the form held before anything was typed: a visit opened and left
        #: untouched (Esc) leaves no draft behind.
        self._pristine = self.payload()

    # -- building --------------------------------------------------------------------
    def _radio_row(self, kind: str, codes: list[str], numbered: bool = False) -> RadioRow:
        return radio_row(self, self.catalog, kind, codes, numbered)

    def _policy_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        campaign_id = self.campaign["id"] if self.campaign else None
        everything = self.services.read.policy_items(campaign_id) if campaign_id else []
        items = [i for i in everything if i["position"] >= 0 and i["active"]]
        self._policy_items = items
        for index, item in enumerate(items):
            row = QHBoxLayout()
            check = QCheckBox(item["title"], tab)
            check.setObjectName(f"explained_{item['code'] or item['id']}")
            reaction = QComboBox(tab)
            reaction.addItem("—", None)
            for code in Reaction:
                reaction.addItem(self.catalog.code("reaction", code), code.value)
            show = QPushButton(self.catalog.tr("ui.visit.show_resident"), tab)
            show.clicked.connect(lambda _c=False, i=index: self.show_resident(i))
            row.addWidget(check, 1)
            row.addWidget(reaction)
            row.addWidget(show)
            layout.addLayout(row)
            self.policies.append((item, check, reaction))
        layout.addStretch(1)
        return tab

    def _suggestion_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        add = QPushButton(self.catalog.tr("ui.visit.add_suggestion"), tab)
        add.clicked.connect(lambda: self.add_suggestion().text.setFocus())
        layout.addLayout(self.suggestion_box)
        layout.addWidget(add)
        layout.addStretch(1)
        return tab

    def add_suggestion(self, category: str = "other", text: str = "") -> SuggestionRow:
        row = SuggestionRow(self.catalog, self)
        row.category.setCurrentIndex(max(row.category.findData(category), 0))
        row.text.setText(text)
        row.category.currentIndexChanged.connect(self._changed)
        row.text.textChanged.connect(self._changed)
        row.remove.clicked.connect(lambda: self._remove_suggestion(row))
        self.suggestions.append(row)
        self.suggestion_box.addWidget(row)
        self._changed()
        return row

    def _remove_suggestion(self, row: SuggestionRow) -> None:
        self.suggestions.remove(row)
        row.deleteLater()
        self._changed()

    def show_resident(self, index: int) -> ResidentView:
        view = ResidentView(self._policy_items, index, self.catalog, self)
        view.open()
        check = self.policies[index][1]
        check.setChecked(True)  # shown to the resident: it was explained
        return view

    def _connect_changes(self) -> None:
        for _box, group, _buttons in (self.mode, self.outcome):
            group.buttonToggled.connect(lambda *_: self._changed())
        self.people.valueChanged.connect(self._changed)
        self.callback.dateTimeChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        if self.form is not None:
            self.form.changed.connect(self._changed)
        for _item, check, reaction in self.policies:
            check.toggled.connect(self._changed)
            reaction.currentIndexChanged.connect(self._changed)

    # -- state ---------------------------------------------------------------------
    def _now(self) -> datetime:
        return self.services.read.now()

    def _start(self, correcting: dict[str, Any] | None) -> None:
        draft = self.services.drafts.for_household(DRAFT_KIND, self.household_id)
        if draft is not None and (
            correcting is None or draft["payload"].get("supersedes") == correcting["id"]
        ):
            self.draft_id, self.started_at = draft["id"], draft["started_at"]
            self.restored = True
            self.load(draft["payload"])
            return
        self.draft_id, self.started_at = uuid7(self._now()), iso(self._now())
        self.restored = False
        if correcting is not None:
            self.started_at = correcting["started_at"]
            self.load(
                {
                    "mode": correcting["mode"],
                    "outcome": correcting["outcome"],
                    "people_met": correcting["people_met"],
                    "answers": correcting["answers"],
                    "explained": correcting["explained"],
                    "suggestions": correcting["suggestions"],
                    "notes": correcting["notes"],
                    "supersedes": correcting["id"],
                }
            )
        else:
            self.mode[2][VisitMode.IN_PERSON].setChecked(True)
            self._update_enabled()

    def payload(self) -> dict[str, Any]:
        return {
            "mode": self._checked(self.mode),
            "outcome": self._checked(self.outcome),
            "people_met": self.people.value(),
            "answers": dict(self.form.state.answers) if self.form else {},
            "explained": [
                (item["id"], reaction.currentData())
                for item, check, reaction in self.policies
                if check.isChecked()
            ],
            "suggestions": [
                (row.category.currentData(), row.text.text()) for row in self.suggestions
            ],
            "notes": self.notes.toPlainText(),
            "callback_at": self.callback.dateTime().toString(Qt.DateFormat.ISODate)
            if self.callback.isEnabled()
            else None,
            "supersedes": self.correcting["id"] if self.correcting else None,
            "campaign_id": self.campaign["id"] if self.campaign else None,
        }

    def load(self, payload: dict[str, Any]) -> None:
        self._restoring = True
        try:
            for kind, row in (("mode", self.mode), ("outcome", self.outcome)):
                code = payload.get(kind)
                if code in row[2]:
                    row[2][code].setChecked(True)
            self.people.setValue(int(payload.get("people_met") or 0))
            if self.form is not None:
                self.form.set_answers(payload.get("answers") or {})
            explained = dict(tuple(pair) for pair in payload.get("explained") or [])
            for item, check, reaction in self.policies:
                check.setChecked(item["id"] in explained)
                reaction.setCurrentIndex(max(reaction.findData(explained.get(item["id"])), 0))
            for category, text in payload.get("suggestions") or []:
                self.add_suggestion(category, text)
            self.notes.setPlainText(payload.get("notes") or "")
            if payload.get("callback_at"):
                self.callback.setDateTime(
                    QDateTime.fromString(payload["callback_at"], Qt.DateFormat.ISODate)
                )
        finally:
            self._restoring = False
        self._update_enabled(keep_callback=bool(payload.get("callback_at")))

    @staticmethod
    def _checked(row: RadioRow) -> str | None:
        return checked(row)

    def _update_enabled(self, keep_callback: bool = False) -> None:
        outcome = self._checked(self.outcome)
        wants_callback = outcome in CALLBACK_OUTCOMES
        if wants_callback and not self.callback.isEnabled() and not keep_callback:
            self._suggest_callback()
        self.callback.setEnabled(wants_callback)
        self.callback_label.setEnabled(wants_callback)
        # 无人在家 met nobody; 见面 met somebody (the service refuses anything else).
        nobody = outcome in NOBODY_MET_OUTCOMES
        if nobody:
            self.people.setValue(0)
        elif outcome == Outcome.MET and self.people.value() == 0:
            self.people.setValue(1)
        self.people.setEnabled(not nobody)
        if self.form is not None:
            self.form.setEnabled(outcome == Outcome.MET)

    def _suggest_callback(self) -> None:
        due = suggest_callback(self._now())
        # Wall-clock fields in China time, whatever zone the laptop is set to.
        self.callback.setDateTime(
            QDateTime(QDate(due.year, due.month, due.day), QTime(due.hour, due.minute))
        )

    def _changed(self, *_args: Any) -> None:
        if self._restoring:
            return
        self._update_enabled()
        self._autosave.start()

    def save_draft(self) -> None:
        self._autosave.stop()
        if not self.restored and self.payload() == self._pristine:
            self.services.drafts.discard(self.draft_id)  # typed, then undone: nothing kept
            return
        self.services.drafts.save(
            self.draft_id, DRAFT_KIND, self.household_id, self.payload(), self.started_at
        )

    # -- finishing -----------------------------------------------------------------
    def save(self) -> str | None:
        tr = self.catalog.tr
        p = self.payload()
        if p["outcome"] is None:
            self.message.setText(tr("ui.visit.need_outcome"))
            return None
        answers: dict[str, Any] = {}
        if p["outcome"] == Outcome.MET and self.form is not None and self.form.state.answers:
            if not self.form.try_finish():
                self.tabs.setCurrentWidget(self.form)
                self.message.setText(tr("ui.visit.form_incomplete"))
                return None
            answers = self.form.answers()
        callback_at = parse_iso(p["callback_at"]).astimezone(CHINA_TZ) if p["callback_at"] else None
        visit = VisitInput(
            household_id=self.household_id,
            worker_code=self.worker_code,
            outcome=p["outcome"],
            mode=p["mode"] or VisitMode.IN_PERSON,
            started_at=parse_iso(self.started_at),
            ended_at=max(self._now(), parse_iso(self.started_at)),
            people_met=p["people_met"],
            answers=answers,
            explained=tuple((i, r) for i, r in p["explained"]),
            suggestions=tuple((c, t) for c, t in p["suggestions"] if t.strip()),
            notes=p["notes"].strip(),
            callback_at=callback_at,
            campaign_id=self.campaign["id"] if self.campaign else None,
        )
        try:
            if self.correcting is not None:
                result = self.services.visits.correct(self.correcting["id"], visit)
            else:
                result = self.services.visits.record(visit)
        except GridappError as exc:
            self.message.setText(self.catalog.error(exc))
            return None
        self._autosave.stop()
        self.services.drafts.discard(self.draft_id)
        self.draft_id = ""
        self.saved.emit(result.visit_id)
        self.accept()
        return result.visit_id

    def save_and_print(self) -> str | None:
        """Save, then hand the resident a receipt (回执) for this visit."""
        visit_id = self.save()
        if visit_id is not None:
            self.print_requested.emit(visit_id)
        return visit_id

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+Enter saves from anywhere, also where a child (the notes) passed it on.
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.draft_id and self._autosave.isActive():
            self.save_draft()  # "later": keep what was typed
        super().closeEvent(event)

    def reject(self) -> None:
        if self.draft_id and self._autosave.isActive():
            self.save_draft()
        super().reject()
