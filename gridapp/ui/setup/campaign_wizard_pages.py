"""Pages 3 and 4 of the 新建专项行动 wizard: the questionnaire (published, an XLSForm
read off the GUI thread, or a template) and the policy items (chosen or written); the
page base every step shares. Each page refuses on Next with a message, writing nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from gridapp import limits
from gridapp.errors import GridappError, InvalidInput
from gridapp.forms.definition import DefinitionInvalid, Problem
from gridapp.forms.templates import as_next_version, templates
from gridapp.services.campaign_create import NewPolicyItem
from gridapp.ui.setup.campaign_setup import add_check, checked_ids

if TYPE_CHECKING:
    from gridapp.ui.setup.campaign_wizard import CampaignWizard

ERROR_STYLE = "color: #b00020;"


def problem_line(problem: Problem, tr: Callable[..., str]) -> str:
    """One problem of a workbook: sheet!row:column, then what is wrong."""
    where = problem.where or "settings"
    if problem.part and ":" not in where and "!" in where:
        where += f":{problem.part}"
    return f"{where}  {tr(problem.key, **problem.params)}"


class StepPage(QWizardPage):
    """A page with its title, help line and an error line that Next fills."""

    def __init__(self, wizard: CampaignWizard, step: str) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(wizard.catalog.tr(f"ui.wizard.{step}_title"))
        self.setSubTitle(wizard.catalog.tr(f"ui.wizard.{step}_help"))
        self.error = QLabel(self)
        self.error.setObjectName(f"wizard{step.title()}Error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)

    def refuse(self, key: str, **params: Any) -> bool:
        self.error.setText(self.w.catalog.tr(key, **params))
        return False

    def refuse_error(self, exc: GridappError) -> bool:
        self.error.setText(self.w.catalog.error(exc))
        return False


class QuestionnairePage(StepPage):
    PUBLISHED, XLSFORM, TEMPLATE = 0, 1, 2

    def __init__(self, wizard: CampaignWizard) -> None:
        super().__init__(wizard, "form")
        tr = wizard.catalog.tr
        self.choice = QButtonGroup(self)
        radios = []
        for number, (name, key) in enumerate(
            (
                ("wizardUsePublished", "ui.wizard.form_published"),
                ("wizardUseXlsform", "ui.wizard.form_xlsform"),
                ("wizardUseTemplate", "ui.wizard.form_template"),
            )
        ):
            radio = QRadioButton(tr(key), self)
            radio.setObjectName(name)
            self.choice.addButton(radio, number)
            radios.append(radio)
        self.published = QComboBox(self)
        self.published.setObjectName("wizardPublished")
        self.path = QLineEdit(self)
        self.path.setObjectName("wizardXlsPath")
        self.browse = QPushButton(tr("ui.roster.wizard.browse"), self)
        self.read = QPushButton(tr("ui.wizard.xls_read"), self)
        self.read.setObjectName("wizardXlsRead")
        self.xls_status = QLabel(self)
        self.xls_status.setObjectName("wizardXlsStatus")
        self.xls_status.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("wizardXlsProblems")
        self.template = QComboBox(self)
        self.template.setObjectName("wizardTemplate")
        for t in templates():
            self.template.addItem(t.title(wizard.catalog.lang), t.key)
        self.document: dict[str, Any] | None = None  # the workbook, read and loadable
        self.label = ""
        self.reading = False
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        file_row.addWidget(self.read)
        grid = QGridLayout()
        grid.addWidget(radios[0], 0, 0)
        grid.addWidget(self.published, 0, 1)
        grid.addWidget(radios[1], 1, 0)
        grid.addLayout(file_row, 1, 1)
        grid.addWidget(self.xls_status, 2, 1)
        grid.addWidget(self.problems, 3, 1)
        grid.addWidget(radios[2], 4, 0)
        grid.addWidget(self.template, 4, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.error)
        self.browse.clicked.connect(self._browse)
        self.read.clicked.connect(self.read_workbook)
        self.path.textChanged.connect(self._forget)
        self.choice.idToggled.connect(lambda _id, _on: self._enable())
        self.fill_published()
        radios[self.PUBLISHED if self.published.count() else self.TEMPLATE].setChecked(True)
        self._enable()

    def fill_published(self) -> None:
        self.published.clear()
        for q in reversed(self.w.services.read.questionnaires()):
            self.published.addItem(f"{q['title']}（{q['form_id']} v{q['version']}）", q["id"])

    def _enable(self) -> None:
        which = self.choice.checkedId()
        self.published.setEnabled(which == self.PUBLISHED)
        for widget in (self.path, self.browse, self.read, self.problems):
            widget.setEnabled(which == self.XLSFORM and not self.reading)
        self.template.setEnabled(which == self.TEMPLATE)
        self.error.clear()

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.w.catalog.tr("ui.wizard.form_xlsform"), "", "Excel (*.xlsx)"
        )
        if name:
            self.path.setText(name)
            self.read_workbook()

    def _forget(self) -> None:
        self.document = None
        self.problems.clear()
        self.xls_status.clear()

    def read_workbook(self) -> None:
        """Read the workbook off the GUI thread; its problems listed by sheet/row/column."""
        path = Path(self.path.text().strip())
        self._forget()
        if not self.path.text().strip():
            self.refuse("ui.wizard.xls_no_file")
            return
        from gridapp.forms.xlsform import read_xlsform  # openpyxl: load when used

        self.reading = True
        self._enable()
        self.xls_status.setStyleSheet("")
        self.xls_status.setText(self.w.catalog.tr("ui.wizard.xls_reading"))
        self.w.jobs.run(lambda _progress: read_xlsform(path), self._read, self._refused)

    def _read(self, document: dict[str, Any]) -> None:
        from gridapp.forms.definition import load_definition, text_of

        self.reading = False
        self._enable()
        try:
            form = load_definition(document)
        except DefinitionInvalid as invalid:
            self._refused(invalid)
            return
        self.document = document
        tr, title = self.w.catalog.tr, text_of(form.title, self.w.catalog.lang)
        self.xls_status.setStyleSheet("color: #067647;")
        self.xls_status.setText(tr("ui.wizard.xls_ok", title=title, questions=len(form.questions),
                                   form=form.id, version=form.version))  # fmt: skip
        self.label = tr("ui.wizard.from_xlsform", title=title, form=form.id, version=form.version,
                        file=Path(self.path.text().strip()).name)  # fmt: skip

    def _refused(self, exc: GridappError) -> None:
        self.reading = False
        self._enable()
        tr = self.w.catalog.tr
        self.xls_status.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, DefinitionInvalid):
            name = Path(self.path.text().strip()).name
            lines = [problem_line(p, tr) for p in exc.problems]
            self.xls_status.setText(tr("error.form.invalid_file", file=name, count=len(lines)))
            self.problems.addItems(lines)
        else:
            self.xls_status.setText(self.w.catalog.error(exc))

    def validatePage(self) -> bool:
        self.error.clear()
        which = self.choice.checkedId()
        if which == self.PUBLISHED:
            if self.published.currentData() is None:
                return self.refuse("ui.wizard.no_published")
            self.w.questionnaire_id, self.w.questionnaire = self.published.currentData(), None
            self.w.questionnaire_label = self.published.currentText()
            return True
        if which == self.XLSFORM:
            if self.reading:
                return self.refuse("ui.wizard.xls_busy")
            if self.document is None:
                key = "ui.wizard.xls_refused" if self.problems.count() else "ui.wizard.xls_unread"
                return self.refuse(key, count=self.problems.count())
            self.w.questionnaire_id, self.w.questionnaire = None, self.document
            self.w.questionnaire_label = self.label
            return True
        template = next(t for t in templates() if t.key == self.template.currentData())
        form_id = template.document["id"]
        latest = max(
            (
                q["version"]
                for q in self.w.services.read.questionnaires()
                if q["form_id"] == form_id
            ),
            default=None,
        )
        self.w.questionnaire_id = None
        self.w.questionnaire = as_next_version(template.document, latest)
        self.w.questionnaire_label = self.w.catalog.tr(
            "ui.wizard.from_template", title=self.template.currentText()
        )
        return True


class PolicyPage(StepPage):
    def __init__(self, wizard: CampaignWizard) -> None:
        super().__init__(wizard, "policy")
        tr = wizard.catalog.tr
        self.library = QListWidget(self)
        self.library.setObjectName("wizardPolicies")
        for p in wizard.services.read.policy_items():
            if p["active"]:
                add_check(self.library, p["title"], p["id"], False)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("wizardPolicyTitle")
        self.title_edit.setPlaceholderText(tr("ui.wizard.policy_title_hint"))
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setObjectName("wizardPolicyBody")
        self.body_edit.setPlaceholderText(tr("ui.wizard.policy_body_hint"))
        self.body_edit.setMaximumHeight(90)
        self.body_edit.setTabChangesFocus(True)  # keyboard-first: Tab to 添加条目
        self.add = QPushButton(tr("ui.wizard.policy_add"), self)
        self.add.setObjectName("wizardPolicyAdd")
        self.written = QListWidget(self)
        self.written.setObjectName("wizardNewPolicies")
        self.written.setWordWrap(True)
        self.remove = QPushButton(tr("ui.wizard.policy_remove"), self)
        self.remove.setObjectName("wizardPolicyRemove")
        self.new_items: list[NewPolicyItem] = []
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("ui.wizard.policy_library"), self))
        left.addWidget(self.library, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("ui.wizard.policy_new"), self))
        right.addWidget(self.title_edit)
        right.addWidget(self.body_edit)
        right.addWidget(self.add, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.written, 1)
        right.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        self.add.clicked.connect(self.add_item)
        self.remove.clicked.connect(self._remove)

    def add_item(self) -> bool:
        """The item written in the two fields joins the list, or the page says why not."""
        self.error.clear()
        title, body = self.title_edit.text().strip(), self.body_edit.toPlainText().strip()
        try:
            if limits.blank(title):
                raise InvalidInput("error.policy.title_missing")
            if limits.blank(body):
                raise InvalidInput("error.policy.body_missing", title=title[:80])
            limits.check_text("policy_title", title)
            limits.check_text("policy_body", body)
        except GridappError as exc:
            return self.refuse_error(exc)
        self.new_items.append(NewPolicyItem(title, body))
        QListWidgetItem(f"{title}：{body}", self.written)
        self.title_edit.clear()
        self.body_edit.clear()
        return True

    def _remove(self) -> None:
        row = self.written.currentRow()
        if row >= 0:
            self.written.takeItem(row)
            del self.new_items[row]

    def validatePage(self) -> bool:
        if (
            self.title_edit.text().strip() or self.body_edit.toPlainText().strip()
        ) and not self.add_item():
            return False
        self.w.policy_item_ids = checked_ids(self.library)
        self.w.new_policy_items = list(self.new_items)
        return True
