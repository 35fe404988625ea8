"""新建专项行动: name and dates → compounds → questionnaire → policy items → teams and
buildings → confirm, then 发布 or 存为草稿. Every page refuses on Next with a message;
nothing is written (a new team aside) until the last page makes ONE service call,
`plan_campaign`, which checks the whole plan again and whose refusal shows there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from gridapp import limits
from gridapp.errors import GridappError
from gridapp.forms.definition import DefinitionInvalid
from gridapp.i18n import Catalog
from gridapp.model import Campaign
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan, NewPolicyItem, name_key
from gridapp.ui.common.jobs import Jobs
from gridapp.ui.common.screen import fit_to_screen
from gridapp.ui.setup.campaign_setup import ID_ROLE, add_check, checked_ids
from gridapp.ui.setup.campaign_wizard_pages import (
    PolicyPage,
    QuestionnairePage,
    StepPage,
    problem_line,
)
from gridapp.ui.setup.campaign_wizard_teams import TeamsPage

DAY = "yyyy-MM-dd"


class NamePage(StepPage):
    def __init__(self, wizard: CampaignWizard) -> None:
        super().__init__(wizard, "name")
        tr = wizard.catalog.tr
        self.name = QLineEdit(self)
        self.name.setObjectName("wizardName")
        self.name.setPlaceholderText(tr("ui.wizard.name_hint"))
        self.purpose = QPlainTextEdit(self)
        self.purpose.setObjectName("wizardPurpose")
        self.purpose.setPlaceholderText(tr("ui.wizard.purpose_hint"))
        self.purpose.setMaximumHeight(140)
        self.purpose.setTabChangesFocus(True)  # keyboard-first: Tab leaves the box
        today = wizard.services.read.now().date()
        self.starts, self.ends = QDateEdit(self), QDateEdit(self)
        for edit, name, day in (
            (self.starts, "wizardStarts", today),
            (self.ends, "wizardEnds", today + timedelta(days=30)),
        ):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DAY)
            edit.setDate(QDate(day.year, day.month, day.day))
        dates = QHBoxLayout()
        dates.addWidget(self.starts)
        dates.addWidget(QLabel(tr("ui.wizard.to"), self))
        dates.addWidget(self.ends)
        dates.addStretch(1)
        form = QFormLayout(self)
        form.addRow(tr("ui.setup.campaign_name"), self.name)
        form.addRow(tr("ui.wizard.purpose"), self.purpose)
        form.addRow(tr("ui.setup.campaign_dates"), dates)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        self.error.clear()
        name = self.name.text().strip()
        if limits.blank(name):
            return self.refuse("error.setup.campaign_name_missing")
        try:
            limits.check_text("campaign_name", name)
            limits.check_text("campaign_description", self.purpose.toPlainText().strip())
        except GridappError as exc:
            return self.refuse_error(exc)
        for row in self.w.services.campaigns.campaign_list():
            if name_key(row["name"]) == name_key(name):
                return self.refuse("error.campaign.name_taken", name=row["name"])
        starts, ends = self.starts.date().toString(DAY), self.ends.date().toString(DAY)
        if ends < starts:
            return self.refuse("error.campaign_dates", starts=starts, ends=ends)
        w = self.w
        w.name, w.description, w.starts_on, w.ends_on = (
            name, self.purpose.toPlainText().strip(), starts, ends,
        )  # fmt: skip
        return True


class CompoundPage(StepPage):
    """The imported compounds with their households; one without any cannot be ticked."""

    def __init__(self, wizard: CampaignWizard) -> None:
        super().__init__(wizard, "compounds")
        self.compounds = QListWidget(self)
        self.compounds.setObjectName("wizardCompounds")
        self.note = QLabel(self)
        self.note.setObjectName("wizardCompoundsNote")
        self.note.setWordWrap(True)
        self.households: dict[str, tuple[str, int]] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.compounds, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self.fill()

    def fill(self) -> None:
        tr = self.w.catalog.tr
        self.compounds.clear()
        empty = []
        for c in self.w.services.read.compounds():
            self.households[c.id] = (c.name, c.households)
            if c.households:
                text = tr("ui.wizard.compound_line", name=c.name, households=c.households,
                          buildings=c.buildings)  # fmt: skip
                add_check(self.compounds, text, c.id, False)
                continue
            item = add_check(self.compounds, tr("ui.wizard.compound_empty_line", name=c.name),
                             c.id, False)  # fmt: skip
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(tr("error.campaign.compound_empty", compound=c.name))
            empty.append(c.name)
        self.note.setText(
            tr("ui.wizard.compounds_empty_note", names="、".join(empty)) if empty else ""
        )
        if not self.households:
            self.note.setText(tr("ui.wizard.no_roster"))

    def validatePage(self) -> bool:
        self.error.clear()
        chosen = checked_ids(self.compounds)
        if not chosen:
            return self.refuse("error.campaign.no_compounds")
        for compound_id in chosen:
            name, households = self.households[compound_id]
            if not households:
                return self.refuse("error.campaign.compound_empty", compound=name)
        self.w.compound_ids = chosen
        return True


class ConfirmPage(StepPage):
    def __init__(self, wizard: CampaignWizard) -> None:
        super().__init__(wizard, "confirm")
        self.summary = QLabel(self)
        self.summary.setObjectName("wizardSummary")
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        self.problems = QListWidget(self)
        self.problems.setObjectName("wizardPublishProblems")
        self.problems.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.problems)

    def initializePage(self) -> None:
        self.error.clear()
        self.problems.clear()
        self.problems.hide()
        self.summary.setText("\n".join(self.w.summary_lines()))
        self.w.setOption(QWizard.WizardOption.HaveCustomButton1, True)

    def cleanupPage(self) -> None:
        self.w.setOption(QWizard.WizardOption.HaveCustomButton1, False)

    def show_refusal(self, exc: GridappError) -> None:
        self.refuse_error(exc)
        if isinstance(exc, DefinitionInvalid):
            tr = self.w.catalog.tr
            self.problems.addItems([problem_line(p, tr) for p in exc.problems])
            self.problems.show()

    def validatePage(self) -> bool:  # 发布 (and QWizard.done after 存为草稿 wrote it)
        return self.w.record is not None or self.w.submit("active")


class CampaignWizard(QWizard):
    created = Signal(object)  # the gridapp.model.Campaign written

    def __init__(self, services: Services, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignWizard")
        self.services, self.catalog = services, catalog
        self.setWindowTitle(catalog.tr("ui.wizard.title"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.jobs = Jobs(services, self)  # the XLSForm is read off the GUI thread
        self.name = self.description = self.starts_on = self.ends_on = ""
        self.compound_ids: list[str] = []
        self.questionnaire_id: str | None = None
        self.questionnaire: Mapping[str, Any] | None = None
        self.questionnaire_label = ""
        self.policy_item_ids: list[str] = []
        self.new_policy_items: list[NewPolicyItem] = []
        self.teams: dict[str, Sequence[str]] = {}
        self.record: Campaign | None = None
        self.name_page = NamePage(self)
        self.compound_page = CompoundPage(self)
        self.form_page = QuestionnairePage(self)
        self.policy_page = PolicyPage(self)
        self.teams_page = TeamsPage(self)
        self.confirm_page = ConfirmPage(self)
        for page in (
            self.name_page,
            self.compound_page,
            self.form_page,
            self.policy_page,
            self.teams_page,
            self.confirm_page,
        ):
            self.addPage(page)
        for which, key in (
            (QWizard.WizardButton.NextButton, "ui.roster.wizard.next"),
            (QWizard.WizardButton.BackButton, "ui.roster.wizard.back"),
            (QWizard.WizardButton.CancelButton, "ui.roster.wizard.cancel"),
            (QWizard.WizardButton.FinishButton, "ui.wizard.publish"),
            (QWizard.WizardButton.CustomButton1, "ui.wizard.save_draft"),
        ):
            self.setButtonText(which, catalog.tr(key))
        self.button(QWizard.WizardButton.CustomButton1).setObjectName("wizardSaveDraft")
        self.customButtonClicked.connect(self._custom)
        fit_to_screen(self, 900, 640)

    def plan(self, status: str) -> CampaignPlan:
        return CampaignPlan(
            name=self.name,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            compound_ids=list(self.compound_ids),
            description=self.description,
            questionnaire_id=self.questionnaire_id,
            questionnaire=self.questionnaire,
            policy_item_ids=list(self.policy_item_ids),
            new_policy_items=list(self.new_policy_items),
            teams=dict(self.teams),
            status=status,
        )

    def submit(self, status: str) -> bool:
        """The one write: the whole plan, checked again by the service."""
        self.confirm_page.error.clear()
        try:
            self.record = self.services.campaigns.plan_campaign(self.plan(status))
        except GridappError as exc:
            self.confirm_page.show_refusal(exc)
            return False
        self.created.emit(self.record)
        return True

    def _custom(self, which: object) -> None:
        draft = QWizard.WizardButton.CustomButton1
        if which in (draft, draft.value) and self.submit("draft"):
            self.accept()

    def summary_lines(self) -> list[str]:
        tr = self.catalog.tr
        households = self.compound_page.households
        compounds = [households[c] for c in self.compound_ids]
        policy_titles = [
            self.policy_page.library.item(i).text()
            for i in range(self.policy_page.library.count())
            if str(self.policy_page.library.item(i).data(ID_ROLE)) in self.policy_item_ids
        ] + [item.title for item in self.new_policy_items]
        teams = [
            tr("ui.wizard.summary_team", team=self.teams_page.names.get(t, t), buildings=len(b))
            for t, b in self.teams.items()
        ]
        return [
            tr("ui.wizard.summary_name", name=self.name),
            tr("ui.wizard.summary_purpose", purpose=self.description or "—"),
            tr("ui.wizard.summary_dates", starts=self.starts_on, ends=self.ends_on),
            tr(
                "ui.wizard.summary_compounds",
                count=len(compounds),
                households=sum(h for _, h in compounds),
                names="、".join(f"{n}（{h}）" for n, h in compounds),
            ),
            tr("ui.wizard.summary_form", form=self.questionnaire_label),
            tr(
                "ui.wizard.summary_policies",
                count=len(policy_titles),
                titles="、".join(policy_titles) or "—",
            ),
            tr(
                "ui.wizard.summary_teams",
                count=len(teams),
                teams="；".join(teams) or tr("ui.wizard.summary_no_teams"),
            ),
            "",
            tr("ui.wizard.summary_next"),
        ]

    def reject(self) -> None:
        if self.jobs.running:
            self.jobs.cancel()
            self.jobs.wait()
        super().reject()

    def done(self, result: int) -> None:
        self.jobs.wait()
        super().done(result)
