"""A questionnaire on screen: renders a definition, shows and hides questions as answers
change (skip logic), validates as you go, keyboard-first (Tab between questions, arrows
within choices). The rules are the engine's; this widget only draws them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gridapp.forms.definition import RATING_RANGE, FormDefinition, Question, text_of
from gridapp.forms.engine import FormState
from gridapp.i18n import Catalog

_ERROR_STYLE = "color: #b42318;"
_HINT_STYLE = "color: #667085;"


class _Row(QWidget):
    """One question: its title, hint, editor and the message under it."""

    def __init__(self, question: Question, lang: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"question_{question.name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        star = " *" if question.required else ""
        self.title = QLabel(question.text(lang) + star, self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(question.type != "note")
        self.title.setFont(font)
        layout.addWidget(self.title)
        hint = text_of(question.hint, lang)
        if hint:
            label = QLabel(hint, self)
            label.setStyleSheet(_HINT_STYLE)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.body = QVBoxLayout()
        layout.addLayout(self.body)
        self.message = QLabel(self)
        self.message.setObjectName(f"message_{question.name}")
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.read: Callable[[], Any] = lambda: None
        self.write: Callable[[Any], None] = lambda _value: None
        self.focus_target: QWidget | None = None
        self.other: QLineEdit | None = None


def _line_io(edit: QLineEdit) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    def read() -> Any:
        return edit.text().strip() or None

    def write(value: Any) -> None:
        edit.setText("" if value is None else str(value))

    return read, write


class FormWidget(QScrollArea):
    changed = Signal()

    def __init__(
        self,
        definition: FormDefinition,
        catalog: Catalog,
        today: str | None = None,
        answers: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
        lang: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formWidget")
        self.setWidgetResizable(True)
        self.definition = definition
        self.catalog = catalog
        self.lang = lang or catalog.lang
        self.state = FormState(definition, answers, today)
        self._touched: set[str] = set()
        self._loading = False
        inner = QWidget(self)
        self._layout = QVBoxLayout(inner)
        self.rows: dict[str, _Row] = {}
        for question in definition.questions:
            if question.type == "calculate":
                continue
            row = _Row(question, self.lang, inner)
            self._build_editor(row)
            self.rows[question.name] = row
            self._layout.addWidget(row)
        self._layout.addStretch(1)
        self.setWidget(inner)
        self.set_answers(answers or {})

    # -- public --------------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        return self.state.result()

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            self.state = FormState(self.definition, answers, self.state.today)
            for name, row in self.rows.items():
                row.write(self.state.answers.get(name))
                if row.other is not None:
                    row.other.setText(str(self.state.answers.get(f"{name}_other", "")))
        finally:
            self._loading = False
        self._refresh()

    def missing(self) -> list[str]:
        return self.state.missing()

    def is_shown(self, name: str) -> bool:
        return not self.rows[name].isHidden()

    def try_finish(self) -> bool:
        """True when every shown required question is answered and nothing is wrong;
        otherwise marks what is missing and puts the cursor on the first of it."""
        self._touched |= set(self.rows)
        self._refresh()
        names = self.state.missing() + list(self.state.problems())
        if not names:
            return True
        first = next(n for n in self.rows if n in names)
        target = self.rows[first].focus_target
        self.ensureWidgetVisible(self.rows[first])
        if target is not None:
            target.setFocus()
        return False

    # -- editors -------------------------------------------------------------------
    def _build_editor(self, row: _Row) -> None:
        q, lang = row.question, self.lang
        if q.type == "note":
            row.title.setWordWrap(True)
            return
        if q.type in ("select_one", "yes_no", "rating"):
            options: list[tuple[Any, str]]
            if q.type == "select_one":
                options = [(c.value, text_of(c.label, lang)) for c in q.choices]
            elif q.type == "yes_no":
                options = [(True, self.catalog.tr("ui.yes")), (False, self.catalog.tr("ui.no"))]
            else:
                options = [(n, str(n)) for n in range(RATING_RANGE[0], RATING_RANGE[1] + 1)]
            if q.other:
                options.append(("other", self.catalog.tr("ui.form.other")))
            self._radio(row, options, horizontal=q.type != "select_one")
        elif q.type == "select_multiple":
            self._checks(row)
        else:
            edit = QLineEdit(row)
            edit.setObjectName(f"edit_{q.name}")
            edit.setPlaceholderText(self.catalog.tr(f"ui.form.placeholder.{q.type}"))
            edit.textChanged.connect(lambda _t, n=q.name: self._edited(n))
            row.body.addWidget(edit)
            row.read, row.write = _line_io(edit)
            row.focus_target = edit
        if q.other:
            other = QLineEdit(row)
            other.setObjectName(f"other_{q.name}")
            other.setPlaceholderText(self.catalog.tr("ui.form.other_specify"))
            other.textChanged.connect(lambda _t, n=q.name: self._edited(n))
            row.body.addWidget(other)
            row.other = other

    def _radio(self, row: _Row, options: list[tuple[Any, str]], horizontal: bool) -> None:
        group = QButtonGroup(row)
        box = QHBoxLayout() if horizontal else QVBoxLayout()
        buttons: list[tuple[Any, QAbstractButton]] = []
        for n, (value, text) in enumerate(options):
            button = QRadioButton(text, row)
            button.setObjectName(f"choice_{row.question.name}_{value}")
            group.addButton(button, n)
            box.addWidget(button)
            buttons.append((value, button))
        if horizontal:
            box.addStretch(1)
        row.body.addLayout(box)
        name = row.question.name

        def toggled(_button: QAbstractButton, checked: bool) -> None:
            if checked:
                self._edited(name)

        group.buttonToggled.connect(toggled)

        def read() -> Any:
            return next((v for v, b in buttons if b.isChecked()), None)

        def write(value: Any) -> None:
            group.setExclusive(False)
            for v, b in buttons:
                b.setChecked(value is not None and v == value)
            group.setExclusive(True)

        row.read, row.write = read, write
        row.focus_target = buttons[0][1] if buttons else None

    def _checks(self, row: _Row) -> None:
        q = row.question
        options = [(c.value, text_of(c.label, self.lang)) for c in q.choices]
        if q.other:
            options.append(("other", self.catalog.tr("ui.form.other")))
        boxes = []
        for value, text in options:
            check = QCheckBox(text, row)
            check.setObjectName(f"choice_{q.name}_{value}")
            check.toggled.connect(lambda _c, n=q.name: self._edited(n))
            row.body.addWidget(check)
            boxes.append((value, check))

        def read() -> Any:
            return [v for v, c in boxes if c.isChecked()] or None

        def write(value: Any) -> None:
            for v, c in boxes:
                c.setChecked(isinstance(value, list) and v in value)

        row.read, row.write = read, write
        row.focus_target = boxes[0][1] if boxes else None

    # -- reacting ------------------------------------------------------------------
    def _edited(self, name: str) -> None:
        if self._loading:
            return
        row = self.rows[name]
        self._touched.add(name)
        self.state.set(name, row.read())
        if row.other is not None:
            self.state.set(f"{name}_other", row.other.text().strip() or None)
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        problems = self.state.problems()
        missing = set(self.state.missing())
        for name, row in self.rows.items():
            shown = self.state.relevant(row.question)
            row.setVisible(shown)
            if row.other is not None:
                value = self.state.answers.get(name)
                chosen = value == "other" or (isinstance(value, list) and "other" in value)
                row.other.setVisible(shown and chosen)
            message = ""
            if shown and name in self._touched:
                if name in problems:
                    problem = problems[name]
                    custom = text_of(problem.params.get("message"), self.lang)
                    message = custom or self.catalog.tr(problem.key, **problem.params)
                elif name in missing:
                    message = self.catalog.tr("error.answer.required_here")
            row.message.setText(message)
            row.message.setVisible(bool(message))
