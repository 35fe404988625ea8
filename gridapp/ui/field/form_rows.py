"""One question on screen: its title, hint, editor and the message under it, for every
answered type (choices as radio buttons or check boxes, time and date-time as lines that
take only what fits, acknowledge as one check box). The form widget decides what is
shown and what the messages say; a row only reads and writes its editor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.forms.definition import RATING_RANGE, FormDefinition, Question, text_of
from gridapp.forms.scope import Path, path_text
from gridapp.i18n import Catalog

__all__ = ["Path", "QuestionRow", "Texts", "path_tag", "path_text"]

ERROR_STYLE = "color: #b42318;"
HINT_STYLE = "color: #667085;"
#: What a time line takes while typing (full-width digits and colon as input methods type).
_TIME_TYPED = r"^[0-9０-９]{0,2}([:：][0-9０-９]{0,2})?$"
_DATETIME_TYPED = (
    r"^[0-9０-９]{0,4}(-[0-9０-９]{0,2}){0,2}([ Tt][0-9０-９]{0,2}([:：][0-9０-９]{0,2})?)?$"
)


def path_tag(path: Path) -> str:
    """A path in object names: age, members_2_age."""
    return "_".join(str(s + 1) if isinstance(s, int) else s for s in path)


class Texts:
    """The words a form is shown in: its language, the form's fallback, the catalog."""

    def __init__(self, catalog: Catalog, lang: str, definition: FormDefinition) -> None:
        self.catalog, self.lang = catalog, lang
        self.fallback = definition.default_language

    def of(self, label: Any) -> str:
        return text_of(label, self.lang, self.fallback)

    def tr(self, key: str, **params: Any) -> str:
        return self.catalog.tr(key, **params)


class QuestionRow(QWidget):
    """One question at one path (top level: ("age",); in a repeat: ("members", 0, "age"))."""

    def __init__(
        self,
        question: Question,
        path: Path,
        texts: Texts,
        on_edit: Callable[[QuestionRow], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.question, self.path, self.texts, self._on_edit = question, path, texts, on_edit
        self.tag = path_tag(path)
        self.setObjectName(f"question_{self.tag}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        star = " *" if question.required else ""
        self.title = QLabel(texts.of(question.label) + star, self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(question.type != "note")
        self.title.setFont(font)
        layout.addWidget(self.title)
        hint = texts.of(question.hint)
        if hint:
            label = QLabel(hint, self)
            label.setStyleSheet(HINT_STYLE)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.body = QVBoxLayout()
        layout.addLayout(self.body)
        self.message = QLabel(self)
        self.message.setObjectName(f"message_{self.tag}")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.read: Callable[[], Any] = lambda: None
        self.write: Callable[[Any], None] = lambda _value: None
        self.focus_target: QWidget | None = None
        self.focus_widgets: list[QWidget] = []
        self.other: QLineEdit | None = None
        self.choice_buttons: dict[str, QAbstractButton] = {}
        self._build()

    @property
    def other_path(self) -> Path:
        return (*self.path[:-1], f"{self.question.name}_other")

    def edited(self) -> None:
        self._on_edit(self)

    def show_choices(self, allowed: Iterable[str] | None) -> None:
        """Only the choices a choice_filter leaves (None: all of them)."""
        keep = None if allowed is None else set(allowed)
        for value, button in self.choice_buttons.items():
            button.setVisible(keep is None or value in keep or value == "other")

    # -- editors -------------------------------------------------------------------
    def _build(self) -> None:
        q, tr = self.question, self.texts.tr
        if q.type == "note":
            return
        if q.type in ("select_one", "yes_no", "rating"):
            options: list[tuple[Any, str]]
            if q.type == "select_one":
                options = [(c.value, self.texts.of(c.label)) for c in q.choices]
            elif q.type == "yes_no":
                options = [(True, tr("ui.yes")), (False, tr("ui.no"))]
            else:
                options = [(n, str(n)) for n in range(RATING_RANGE[0], RATING_RANGE[1] + 1)]
            if q.other:
                options.append(("other", tr("ui.form.other")))
            self._radio(options, horizontal=q.type != "select_one")
        elif q.type == "select_multiple":
            self._checks()
        elif q.type == "acknowledge":
            self._acknowledge()
        else:
            self._line()
        if q.other:
            other = QLineEdit(self)
            other.setObjectName(f"other_{self.tag}")
            other.setPlaceholderText(tr("ui.form.other_specify"))
            other.textChanged.connect(lambda _t: self.edited())
            self.body.addWidget(other)
            self.other = other
            self.focus_widgets.append(other)

    def _line(self) -> None:
        kind = self.question.type
        edit = QLineEdit(self)
        edit.setObjectName(f"edit_{self.tag}")
        edit.setPlaceholderText(self.texts.tr(f"ui.form.placeholder.{kind}"))
        if kind in ("time", "datetime"):
            typed = _TIME_TYPED if kind == "time" else _DATETIME_TYPED
            edit.setValidator(QRegularExpressionValidator(QRegularExpression(typed), edit))
            edit.setMaxLength(5 if kind == "time" else 16)
        edit.textChanged.connect(lambda _t: self.edited())
        self.body.addWidget(edit)

        def read() -> Any:
            text = edit.text().strip()
            if kind == "datetime" and text:
                text = text.replace(" ", "T", 1).replace("t", "T")
            return text or None

        def write(value: Any) -> None:
            text = "" if value is None else str(value)
            edit.setText(text.replace("T", " ", 1) if kind == "datetime" else text)

        self.read, self.write = read, write
        self.focus_target = edit
        self.focus_widgets.append(edit)

    def _radio(self, options: list[tuple[Any, str]], horizontal: bool) -> None:
        group = QButtonGroup(self)
        box = QHBoxLayout() if horizontal else QVBoxLayout()
        buttons: list[tuple[Any, QAbstractButton]] = []
        for n, (value, text) in enumerate(options):
            button = QRadioButton(text, self)
            button.setObjectName(f"choice_{self.tag}_{value}")
            group.addButton(button, n)
            box.addWidget(button)
            buttons.append((value, button))
            self.choice_buttons[str(value)] = button
        if horizontal:
            box.addStretch(1)
        self.body.addLayout(box)

        def toggled(_button: QAbstractButton, checked: bool) -> None:
            if checked:
                self.edited()

        group.buttonToggled.connect(toggled)

        def read() -> Any:
            return next((v for v, b in buttons if b.isChecked()), None)

        def write(value: Any) -> None:
            group.setExclusive(False)
            for v, b in buttons:
                b.setChecked(value is not None and v == value)
            group.setExclusive(True)

        self.read, self.write = read, write
        self.focus_target = buttons[0][1] if buttons else None
        self.focus_widgets.extend(b for _, b in buttons)

    def _checks(self) -> None:
        q = self.question
        options = [(c.value, self.texts.of(c.label)) for c in q.choices]
        if q.other:
            options.append(("other", self.texts.tr("ui.form.other")))
        boxes = []
        for value, text in options:
            check = QCheckBox(text, self)
            check.setObjectName(f"choice_{self.tag}_{value}")
            check.toggled.connect(lambda _c: self.edited())
            self.body.addWidget(check)
            boxes.append((value, check))
            self.choice_buttons[value] = check

        def read() -> Any:
            return [v for v, c in boxes if c.isChecked()] or None

        def write(value: Any) -> None:
            for v, c in boxes:
                c.setChecked(isinstance(value, list) and v in value)

        self.read, self.write = read, write
        self.focus_target = boxes[0][1] if boxes else None
        self.focus_widgets.extend(c for _, c in boxes)

    def _acknowledge(self) -> None:
        check = QCheckBox(self.texts.tr("ui.form.acknowledge"), self)
        check.setObjectName(f"choice_{self.tag}_OK")
        check.toggled.connect(lambda _c: self.edited())
        self.body.addWidget(check)
        self.read = lambda: "OK" if check.isChecked() else None
        self.write = lambda value: check.setChecked(value in ("OK", True))
        self.focus_target = check
        self.focus_widgets.append(check)
