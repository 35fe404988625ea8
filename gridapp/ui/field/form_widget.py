"""A questionnaire on screen: renders a definition, shows and hides questions as answers
change (skip logic), narrows choice lists (choice_filter), validates as you go,
keyboard-first (Tab between questions in instance order, arrows within choices; repeat
keys in form_repeat.py). The rules are the engine's; this widget only draws them.
Rows are in form_rows.py, levels and repeats in form_repeat.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from gridapp.forms.definition import FormDefinition
from gridapp.forms.engine import FormState
from gridapp.i18n import Catalog
from gridapp.ui.field.form_repeat import InstanceFrame, Level, RepeatBlock
from gridapp.ui.field.form_rows import Path, QuestionRow, Texts, path_text

#: The repeat keys (the tooltips and the hint on each repeat say them too).
ADD_KEYS = ("Ctrl+Shift+Return", "Ctrl+Shift+Enter")
REMOVE_KEYS = ("Ctrl+Shift+Backspace",)
UP_KEYS, DOWN_KEYS = ("Alt+Up",), ("Alt+Down",)


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
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formWidget")
        self.setWidgetResizable(True)
        self.definition = definition
        self.catalog = catalog
        self.lang = lang or catalog.lang
        self.texts = Texts(catalog, self.lang, definition)
        self.meta = dict(meta or {})
        self.state = FormState(definition, answers, today, self.meta)
        #: Asked before an instance holding answers is removed (tests answer it).
        self.confirm: Callable[[str], bool] = self._ask
        self._touched: set[str] = set()
        self._loading = False
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        self.top = Level(self, definition, (), inner)
        layout.addLayout(self.top.layout)
        layout.addStretch(1)
        self.setWidget(inner)
        self.rows: dict[str, QuestionRow] = self.top.rows
        self.repeats: dict[str, RepeatBlock] = self.top.repeats
        for keys, action in (
            (ADD_KEYS, self._add_here),
            (REMOVE_KEYS, self._remove_here),
            (UP_KEYS, lambda: self._move_here(-1)),
            (DOWN_KEYS, lambda: self._move_here(1)),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(action)
        self._load(None if answers is None else answers)

    # -- public --------------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        return self.state.result()

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        self._load(answers)

    def missing(self) -> list[str]:
        return self.state.missing()

    def is_shown(self, name: str) -> bool:
        return not self.rows[name].isHidden()

    def row(self, path: Path | str) -> QuestionRow:
        """The row of a question at any depth: "age" or ("members", 1, "age")."""
        wanted = (path,) if isinstance(path, str) else tuple(path)
        return next(r for r in self.top.all_rows() if r.path == wanted)

    def repeat(self, path: Path | str) -> RepeatBlock:
        wanted = (path,) if isinstance(path, str) else tuple(path)
        return next(b for b in self.top.all_repeats() if b.path == wanted)

    def try_finish(self) -> bool:
        """True when every shown required question is answered and nothing is wrong;
        otherwise marks what is missing and puts the cursor on the first of it."""
        rows = self.top.all_rows()
        self._touched |= {path_text(r.path) for r in rows}
        self._touched |= {path_text(b.path) for b in self.top.all_repeats()}
        self._refresh()
        names = set(self.state.missing()) | set(self.state.problems())
        if not names:
            return True
        first = next((r for r in rows if path_text(r.path) in names), None)
        if first is not None:
            self.ensureWidgetVisible(first)
            if first.focus_target is not None:
                first.focus_target.setFocus()
        else:
            block = next(b for b in self.top.all_repeats() if path_text(b.path) in names)
            self.ensureWidgetVisible(block)
            block.add_button.setFocus()
        return False

    # -- repeats -------------------------------------------------------------------
    def add_instance(self, path: Path) -> int | None:
        """A new instance at the end, its first question focused; None when the
        number is fixed by repeat_count."""
        try:
            index = self.state.add_instance(path)
        except ValueError:
            return None
        self._structure_changed()
        frame = self._frame(path, index)
        if frame is not None:
            target = frame.level.first_focus()
            if target is not None:
                target.setFocus()
            self._reveal(frame, target)
        return index

    def _reveal(self, frame: QWidget, target: QWidget | None) -> None:
        """Scroll a new or moved instance into view. Its geometry exists only once the
        layouts have run: activate them now, and look again when the events are done."""
        inner = self.widget()
        layout = inner.layout() if inner is not None else None
        if layout is not None:
            layout.activate()

        def show() -> None:
            for widget in (frame, target):
                if widget is not None and shiboken6.isValid(widget):  # not removed since
                    self.ensureWidgetVisible(widget)

        show()
        QTimer.singleShot(0, self, show)

    def remove_instance(self, path: Path, index: int) -> bool:
        block = self.repeat(path)
        if block.question.repeat_count is not None:
            return False
        held = self.state.value(path) or []
        if index < len(held) and not _empty(held[index]):
            title = self.texts.tr("ui.form.repeat.title", label=block.label, n=index + 1)
            if not self.confirm(self.texts.tr("ui.form.repeat.confirm_remove", title=title)):
                return False
        self.state.remove_instance(path, index)
        self._structure_changed()
        count = self.state.instance_count(path)
        frame = self._frame(path, min(index, count - 1)) if count else None
        target = frame.level.first_focus() if frame is not None else block.add_button
        if target is not None:
            target.setFocus()
        return True

    def move_instance(self, path: Path, index: int, step: int) -> bool:
        new = index + step
        block = self.repeat(path)
        count = self.state.instance_count(path)
        if block.question.repeat_count is not None or not 0 <= new < count:
            return False
        focused = QApplication.focusWidget()
        keep = _row_of(focused)
        self.state.move_instance(path, index, new)
        self._structure_changed()
        frame = self._frame(path, new)
        if frame is not None:
            target: QWidget | None = frame.level.first_focus()
            if keep is not None and keep.path[: len(path) + 1] == (*path, index):
                moved = (*path, new, *keep.path[len(path) + 1 :])
                row = next((r for r in frame.level.all_rows() if r.path == moved), None)
                target = row.focus_target if row is not None else target
            if target is not None:
                target.setFocus()
            self._reveal(frame, target)
        return True

    def _frame(self, path: Path, index: int) -> InstanceFrame | None:
        block = self.repeat(path)
        return block.frames[index] if 0 <= index < len(block.frames) else None

    def _here(self, kind: type[InstanceFrame] | type[RepeatBlock] | None = None) -> Any:
        """The innermost instance or repeat around the cursor (of `kind` if given)."""
        widget: QWidget | None = QApplication.focusWidget()
        wanted = (kind,) if kind is not None else (InstanceFrame, RepeatBlock)
        while widget is not None and widget is not self:
            if isinstance(widget, wanted):
                return widget
            widget = widget.parentWidget()
        return None

    def _add_here(self) -> None:
        here = self._here()
        if here is not None:
            block = here.block if isinstance(here, InstanceFrame) else here
            self.add_instance(block.path)

    def _remove_here(self) -> None:
        here = self._here(InstanceFrame)
        if here is not None:
            self.remove_instance(here.block.path, here.index)

    def _move_here(self, step: int) -> None:
        here = self._here(InstanceFrame)
        if here is not None:
            self.move_instance(here.block.path, here.index, step)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.texts.tr("ui.form.repeat.remove"), question)
        return answer == QMessageBox.StandardButton.Yes

    # -- loading and reacting ------------------------------------------------------
    def _load(self, answers: Mapping[str, Any] | None) -> None:
        self.state = FormState(self.definition, answers, self.state.today, self.meta)
        self._touched.clear()
        for block in self.top.repeats.values():
            block.rebuild()
        self._write_all()
        self._fix_tab_order()
        self._refresh()

    def _write_all(self) -> None:
        self._loading = True
        try:
            for row in self.top.all_rows():
                row.write(self.state.value(row.path))
                if row.other is not None:
                    other = self.state.value(row.other_path)
                    row.other.setText("" if other is None else str(other))
        finally:
            self._loading = False

    def _structure_changed(self) -> None:
        for block in self.top.repeats.values():
            block.rebuild()
        self._write_all()
        self._fix_tab_order()
        self._refresh()
        self.changed.emit()

    def _fix_tab_order(self) -> None:
        chain = self.top.focus_chain()
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def row_edited(self, row: QuestionRow) -> None:
        if self._loading:
            return
        self._touched.add(path_text(row.path))
        self.state.set(row.path, row.read())
        if row.other is not None:
            self.state.set(row.other_path, row.other.text().strip() or None)
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        if self.top.sync():  # a repeat_count answered: the instances follow
            self._write_all()
            self._fix_tab_order()
        for _ in range(4):  # clearing a filtered-away answer may change what shows
            if not self._filter_choices():
                break
        problems = self.state.problems()
        missing = set(self.state.missing())
        for block in self.top.all_repeats():
            block.setVisible(self.state.relevant(block.question, block.path[:-1]))
            self._fill_titles(block)
            key = path_text(block.path)
            text = ""
            if key in missing and key in self._touched:
                text = self.texts.of(block.question.required_message) or self.texts.tr(
                    "error.answer.required_here"
                )
            block.message.setText(text)
            block.message.setVisible(bool(text))
        for row in self.top.all_rows():
            self._refresh_row(row, problems, missing)
        for level in [self.top, *(f.level for b in self.top.all_repeats() for f in b.frames)]:
            level.refresh_headings()

    def _fill_titles(self, block: RepeatBlock) -> None:
        """A repeat's title and its entries' titles with the answers they name."""
        label = self.texts.of(block.question.label) or block.question.name
        if "${" not in label:
            return
        filled = self.state.fill(label, block.path[:-1])
        block.title.setText(filled + (" *" if block.question.required else ""))
        for n, frame in enumerate(block.frames, start=1):
            frame.title.setText(self.texts.tr("ui.form.repeat.title", label=filled, n=n))

    def _refresh_row(
        self, row: QuestionRow, problems: Mapping[str, Any], missing: set[str]
    ) -> None:
        q, key = row.question, path_text(row.path)
        shown = self.state.relevant(q, row.path[:-1])
        row.setVisible(shown)
        label = self.texts.of(q.label)
        if "${" in label:  # answers shown in the label, kept up to date
            star = " *" if q.required else ""
            row.title.setText(self.state.fill(label, row.path[:-1]) + star)
        if row.other is not None:
            value = self.state.value(row.path)
            chosen = value == "other" or (isinstance(value, list) and "other" in value)
            row.other.setVisible(shown and chosen)
        message = ""
        if shown and key in self._touched:
            if key in problems:
                problem = problems[key]
                custom = self.texts.of(problem.params.get("message"))
                message = custom or self.texts.tr(problem.key, **problem.params)
            elif key in missing:
                message = self.texts.of(q.required_message) or self.texts.tr(
                    "error.answer.required_here"
                )
        row.message.setText(message)
        row.message.setVisible(bool(message))

    def _filter_choices(self) -> bool:
        """Narrow each filtered choice list; clear an answer filtered away. True if any
        answer was cleared."""
        cleared = False
        for row in self.top.all_rows():
            if row.question.choice_filter is None:
                continue
            allowed = {c.value for c in self.state.choices(row.question, row.path[:-1])}
            row.show_choices(allowed)
            value = self.state.value(row.path)
            if isinstance(value, list):
                kept = [v for v in value if v in allowed or v == "other"]
                if kept != value:
                    self._set_and_write(row, kept or None)
                    cleared = True
            elif value is not None and value not in allowed and value != "other":
                self._set_and_write(row, None)
                cleared = True
        return cleared

    def _set_and_write(self, row: QuestionRow, value: Any) -> None:
        self.state.set(row.path, value)
        self._loading = True
        try:
            row.write(value)
        finally:
            self._loading = False


def _empty(value: Any) -> bool:
    if isinstance(value, Mapping):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value is None or value == ""


def _row_of(widget: QWidget | None) -> QuestionRow | None:
    while widget is not None and not isinstance(widget, QuestionRow):
        widget = widget.parentWidget()
    return widget
