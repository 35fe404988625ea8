"""A questionnaire before it is published: the real form widget to answer in a sandbox
(nothing is stored), beside it "显示条件" — each question with its skip logic in words
and, live, whether it is shown for the answers typed so far (per instance inside a
repeat) — a language chooser when the form has several, and 发布到活动. A refused
workbook shows its problems by sheet, row and column instead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.forms.definition import FormDefinition, Problem, text_of
from gridapp.forms.describe import ShownWhen, describe, shown_when
from gridapp.forms.engine import FormState
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.common.screen import fit_to_screen
from gridapp.ui.field.form_widget import FormWidget

_SHOWN = QColor("#067647")
_HIDDEN = QColor("#98a2b3")
#: Language codes in their own words; any other key is shown as written.
LANGUAGE_NAMES = {"zh_CN": "中文", "zh": "中文", "en": "English", "default": "—"}


def form_languages(definition: FormDefinition) -> tuple[str, ...]:
    """The form's languages as the workbook lists them, else the keys its labels use."""
    declared = definition.languages
    if declared:
        return declared
    seen: dict[str, None] = {}
    for label in [definition.title, *(q.label for q in definition.questions)]:
        for key in label:
            seen.setdefault(key, None)
    return tuple(seen)


class FormPreview(QWidget):
    """`doc` given: 发布到活动 publishes it (the services check it again)."""

    published = Signal(str)  # the new questionnaire's record id

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        definition: FormDefinition | None,
        doc: Mapping[str, Any] | None = None,
        problems: Sequence[Problem] = (),
        file_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("formPreview")
        self.services, self.catalog, self.definition, self.doc = services, catalog, definition, doc
        tr = catalog.tr
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.form: FormWidget | None = None
        self.problems: QListWidget | None = None
        self.conditions: QTreeWidget | None = None
        self.language: QComboBox | None = None
        self.campaign: QComboBox | None = None
        self.publish_button: QPushButton | None = None
        self._nodes: list[
            tuple[QTreeWidgetItem, ShownWhen, tuple[str | int, ...], QTreeWidgetItem | None]
        ] = []
        self._shape: tuple[int, ...] | None = None
        self.message = QLabel(self)
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        if definition is None:
            self.setWindowTitle(tr("ui.menu.form_import"))
            self.heading.setText(tr("error.form.invalid_file", file=file_name, count=len(problems)))
            self.problems = QListWidget(self)
            self.problems.setObjectName("previewProblems")
            self.problems.addItems([f"{p.where}  {tr(p.key, **p.params)}" for p in problems])
            layout.addWidget(self.problems, 1)
            layout.addWidget(self.message)
            fit_to_screen(self, 720, 520)
            return
        self.lang = catalog.lang
        languages = form_languages(definition)
        if catalog.lang not in languages and languages:
            fallback = definition.default_language
            self.lang = fallback if fallback in languages else languages[0]
        top = QHBoxLayout()
        sandbox = QLabel(tr("ui.form.preview.sandbox"), self)
        sandbox.setStyleSheet("color: #b54708;")
        top.addWidget(sandbox, 1)
        if len(languages) > 1:
            top.addWidget(QLabel(tr("ui.form.preview.language"), self))
            self.language = QComboBox(self)
            self.language.setObjectName("previewLanguage")
            for code in languages:
                self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
            self.language.setCurrentIndex(max(0, languages.index(self.lang)))
            self.language.currentIndexChanged.connect(self._language_chosen)
            top.addWidget(self.language)
        layout.addLayout(top)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.conditions = QTreeWidget(self)
        self.conditions.setObjectName("previewConditions")
        self.conditions.setColumnCount(3)
        self.conditions.setWordWrap(True)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.conditions_title = QLabel(tr("ui.form.preview.conditions"), side)
        self.conditions_title.setFont(font)
        side_layout.addWidget(self.conditions_title)
        side_layout.addWidget(self.conditions)
        self._build_form({})
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        bottom = QHBoxLayout()
        self.finish = QPushButton(tr("ui.form.finish"), self)
        self.finish.setObjectName("previewFinish")
        self.finish.setToolTip(tr("ui.form.preview.finish_tip"))
        self.finish.clicked.connect(self.try_finish)
        bottom.addWidget(self.finish)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        if doc is not None:
            bottom.addWidget(QLabel(tr("ui.form.preview.campaign"), self))
            self.campaign = QComboBox(self)
            self.campaign.setObjectName("previewCampaign")
            campaigns = [c for c in services.read.campaigns() if c.get("status") != "closed"]
            for c in campaigns:
                self.campaign.addItem(str(c["name"]), c["id"])
            active = [n for n, c in enumerate(campaigns) if c.get("status") == "active"]
            if active:
                self.campaign.setCurrentIndex(active[-1])
            bottom.addWidget(self.campaign, 1)
            self.publish_button = QPushButton(tr("ui.form.preview.publish"), self)
            self.publish_button.setObjectName("previewPublish")
            self.publish_button.clicked.connect(self.publish)
            self.publish_button.setEnabled(bool(campaigns))
            bottom.addWidget(self.publish_button)
            if not campaigns:
                self.message.setText(tr("ui.form.preview.no_campaign"))
        layout.addWidget(self.message)
        fit_to_screen(self, 1180, 820)

    # -- the form and its conditions -----------------------------------------------
    def _build_form(self, answers: Mapping[str, Any]) -> None:
        assert self.definition is not None
        old = self.form
        self.form = FormWidget(self.definition, self.catalog, parent=self, lang=self.lang)
        self.form.setObjectName("previewForm")
        if answers:
            self.form.set_answers(answers)
        self.form.changed.connect(self.refresh_conditions)
        if old is None:
            self.splitter.insertWidget(0, self.form)
        else:
            self.splitter.replaceWidget(0, self.form)
            old.deleteLater()
        title = (
            text_of(self.definition.title, self.lang, self.definition.default_language)
            or self.definition.id
        )
        tr = self.catalog.tr
        heading = tr(
            "ui.form.preview.title",
            title=title,
            form=self.definition.id,
            version=self.definition.version,
        )
        self.heading.setText(heading)
        self.setWindowTitle(heading)
        self.items = shown_when(self.definition, self.lang)
        self._shape = None  # rebuild the tree
        self.refresh_conditions()

    def _language_chosen(self) -> None:
        assert self.language is not None and self.form is not None
        self.lang = str(self.language.currentData())
        self._build_form(self.form.answers())

    def refresh_conditions(self) -> None:
        """Mark the 显示条件 tree for the answers typed so far; rebuilt only when the
        repeats' instances changed (a long form stays quick to type in)."""
        tree, form = self.conditions, self.form
        if tree is None or form is None:
            return
        by_prefix: dict[tuple[str, ...], list[ShownWhen]] = {}
        for item in self.items:
            by_prefix.setdefault(item.path[:-1], []).append(item)
        shape = _shape(by_prefix, (), (), form.state)
        if shape != self._shape:
            self._shape = shape
            self._rebuild_tree(tree, by_prefix, form.state)
            return
        shown_at: dict[int, bool] = {}
        for node, item, at, outer in self._nodes:
            outer_shown = shown_at.get(id(outer), True) if outer is not None else True
            shown = outer_shown and _relevant(form.state, item, at)
            shown_at[id(node)] = shown
            self._mark(node, shown)

    def _rebuild_tree(
        self,
        tree: QTreeWidget,
        by_prefix: Mapping[tuple[str, ...], list[ShownWhen]],
        state: FormState,
    ) -> None:
        tr = self.catalog.tr
        tree.clear()
        self._nodes = []
        tree.setHeaderLabels(
            [
                tr("ui.form.preview.col_question"),
                tr("ui.form.preview.col_condition"),
                tr("ui.form.preview.col_now"),
            ]
        )
        tree.setRootIsDecorated(any(i.question.type == "repeat" for i in self.items))
        root = tree.invisibleRootItem()
        assert root is not None
        self._fill(root, by_prefix, (), (), state, None, True)
        tree.expandAll()
        for column in (0, 1, 2):
            tree.resizeColumnToContents(column)

    def _mark(self, node: QTreeWidgetItem, shown: bool) -> None:
        tr = self.catalog.tr
        node.setText(2, tr("ui.form.preview.shown" if shown else "ui.form.preview.hidden"))
        node.setData(2, Qt.ItemDataRole.UserRole, shown)
        colour = QBrush(_SHOWN if shown else _HIDDEN)
        for column in (0, 2):
            node.setForeground(column, colour)

    def _fill(
        self,
        parent: QTreeWidgetItem,
        by_prefix: Mapping[tuple[str, ...], list[ShownWhen]],
        prefix: tuple[str, ...],
        at: tuple[str | int, ...],
        state: FormState,
        outer: QTreeWidgetItem | None,
        outer_shown: bool,
    ) -> None:
        tr = self.catalog.tr
        for item in by_prefix.get(prefix, []):
            shown = outer_shown and _relevant(state, item, at)
            node = QTreeWidgetItem(parent, [item.label, describe(item, tr), ""])
            path = "/".join(str(p) for p in (*at, item.path[-1]))
            node.setData(0, Qt.ItemDataRole.UserRole, path)
            node.setToolTip(1, describe(item, tr))
            self._mark(node, shown)
            self._nodes.append((node, item, at, outer))
            if item.question.type != "repeat":
                continue
            inner = (*prefix, item.question.name)
            count = _instances(state, (*at, item.question.name))
            if not count:
                QTreeWidgetItem(node, [tr("ui.form.preview.no_instances"), "", ""])
            for n in range(count):
                instance = QTreeWidgetItem(
                    node, [tr("ui.form.preview.instance", label=item.label, n=n + 1), "", ""]
                )
                self._fill(
                    instance, by_prefix, inner, (*at, item.question.name, n), state, node, shown
                )

    def try_finish(self) -> bool:
        """完成 as at the door: what is missing or wrong is marked (nothing is stored)."""
        assert self.form is not None
        done = self.form.try_finish()
        self.refresh_conditions()
        return done

    # -- publishing ----------------------------------------------------------------
    def publish(self) -> str | None:
        """Publish the previewed workbook to the chosen campaign; the record id."""
        if self.doc is None or self.campaign is None or self.campaign.currentData() is None:
            return None
        tr = self.catalog.tr
        try:
            record = self.services.campaigns.publish_to_campaign(
                self.doc, str(self.campaign.currentData())
            )
        except GridappError as exc:
            self.message.setStyleSheet("color: #b42318;")
            self.message.setText(self.catalog.error(exc))
            return None
        self.message.setStyleSheet("color: #067647;")
        self.message.setText(
            tr(
                "ui.form.preview.published",
                title=record.title,
                form=record.form_id,
                version=record.version,
                campaign=self.campaign.currentText(),
            )
        )
        if self.publish_button is not None:
            self.publish_button.setEnabled(False)
        self.published.emit(record.id)
        return record.id


def _relevant(state: FormState, item: ShownWhen, at: tuple[str | int, ...]) -> bool:
    """Whether the question is shown at that instance path (top level: `at` empty)."""
    return bool(state.relevant(item.question, at))


def _shape(
    by_prefix: Mapping[tuple[str, ...], list[ShownWhen]],
    prefix: tuple[str, ...],
    at: tuple[str | int, ...],
    state: FormState,
) -> tuple[int, ...]:
    """Every repeat's number of instances, in tree order: the tree's shape."""
    found: list[int] = []
    for item in by_prefix.get(prefix, []):
        if item.question.type == "repeat":
            path = (*at, item.question.name)
            count = _instances(state, path)
            found.append(count)
            for n in range(count):
                found.extend(_shape(by_prefix, (*prefix, item.question.name), (*path, n), state))
    return tuple(found)


def _instances(state: FormState, path: tuple[str | int, ...]) -> int:
    return state.instance_count(path)
