"""The questions of one level of a form (the form itself, or one instance of a repeat)
and the repeats among them: each instance a framed block titled "<label> 1",
"<label> 2"… with 上移/下移/删除, and 添加 under the last one. The number of instances is
the engine's (FormState); these widgets follow it, rebuilt when it changes.

Keys (the form widget's shortcuts, shown on each repeat): Ctrl+Shift+Enter adds an
instance to the repeat the cursor is in and goes to its first question (Ctrl+Enter
saves the visit), Alt+Up/Alt+Down move the instance, Ctrl+Shift+Backspace removes it
(asking first when it holds answers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.forms.definition import FormDefinition, Group, Question
from gridapp.ui.field.form_rows import HINT_STYLE, Path, QuestionRow, path_tag

if TYPE_CHECKING:
    from gridapp.ui.field.form_widget import FormWidget

_FRAME_STYLE = "QFrame#{name} {{ border: 1px solid #d0d5dd; border-radius: 6px; }}"
_HIDDEN_TYPES = frozenset({"calculate", "meta"})


class Level:
    """The rows, group headings and repeats of `definition` at instance path `at`."""

    def __init__(
        self, form: FormWidget, definition: FormDefinition, at: Path, parent: QWidget
    ) -> None:
        self.form, self.definition, self.at = form, definition, at
        self.layout = QVBoxLayout()
        self.rows: dict[str, QuestionRow] = {}
        self.repeats: dict[str, RepeatBlock] = {}
        self.headings: list[tuple[Group, QLabel]] = []
        self.order: list[QuestionRow | RepeatBlock] = []
        groups = {g.name: g for g in definition.groups}
        entered: tuple[str, ...] = ()
        for q in definition.questions:
            if q.type in _HIDDEN_TYPES:
                continue
            for depth, name in enumerate(q.groups):
                if depth < len(entered) and entered[depth] == name:
                    continue
                group = groups.get(name)
                text = form.texts.of(group.label) if group is not None else ""
                if group is not None and text:
                    heading = QLabel(text, parent)
                    heading.setObjectName(f"group_{path_tag((*at, name))}")
                    font = heading.font()
                    font.setBold(True)
                    font.setPointSizeF(font.pointSizeF() * 1.1)
                    heading.setFont(font)
                    heading.setWordWrap(True)
                    self.layout.addWidget(heading)
                    self.headings.append((group, heading))
            entered = q.groups
            item: QuestionRow | RepeatBlock
            if q.type == "repeat" and q.body is not None:
                item = RepeatBlock(form, q, (*at, q.name), parent)
                self.repeats[q.name] = item
            else:
                item = QuestionRow(q, (*at, q.name), form.texts, form.row_edited, parent)
                self.rows[q.name] = item
            self.layout.addWidget(item)
            self.order.append(item)

    def all_rows(self) -> list[QuestionRow]:
        """Every row at this level and inside its repeats, in order."""
        found: list[QuestionRow] = []
        for item in self.order:
            if isinstance(item, QuestionRow):
                found.append(item)
            else:
                for frame in item.frames:
                    found.extend(frame.level.all_rows())
        return found

    def all_repeats(self) -> list[RepeatBlock]:
        found: list[RepeatBlock] = []
        for block in self.repeats.values():
            found.append(block)
            for frame in block.frames:
                found.extend(frame.level.all_repeats())
        return found

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for item in self.order:
            if isinstance(item, QuestionRow):
                chain.extend(item.focus_widgets)
            else:
                for frame in item.frames:
                    chain.extend(frame.level.focus_chain())
                chain.append(item.add_button)
        return chain

    def first_focus(self) -> QWidget | None:
        return next(iter(self.focus_chain()), None)

    def sync(self) -> bool:
        """Instances as many as the engine holds, at every depth; True if any changed."""
        changed = False
        for block in self.repeats.values():
            changed |= block.sync()
            for frame in block.frames:
                changed |= frame.level.sync()
        return changed

    def refresh_headings(self) -> None:
        """A group's heading shows while any of its questions at this level shows."""
        for group, heading in self.headings:
            heading.setVisible(
                any(
                    group.name in item.question.groups and not item.isHidden()
                    for item in self.order
                )
            )


class InstanceFrame(QFrame):
    """One instance of a repeat: its title, its buttons and its questions."""

    def __init__(self, block: RepeatBlock, index: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.block, self.index = block, index
        form, tr = block.form, block.form.texts.tr
        name = f"instance_{path_tag((*block.path, index))}"
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(_FRAME_STYLE.format(name=name))
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = QLabel(tr("ui.form.repeat.title", label=block.label, n=index + 1), self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        header.addWidget(self.title, 1)
        self.up = self._button("up", header)
        self.down = self._button("down", header)
        self.remove = self._button("remove", header)
        fixed = block.question.repeat_count is not None
        count = form.state.instance_count(block.path)
        self.up.setVisible(not fixed and index > 0)
        self.down.setVisible(not fixed and index < count - 1)
        self.remove.setVisible(not fixed)
        self.up.clicked.connect(lambda: form.move_instance(block.path, self.index, -1))
        self.down.clicked.connect(lambda: form.move_instance(block.path, self.index, 1))
        self.remove.clicked.connect(lambda: form.remove_instance(block.path, self.index))
        layout.addLayout(header)
        assert block.question.body is not None
        self.level = Level(form, block.question.body, (*block.path, index), self)
        layout.addLayout(self.level.layout)

    def _button(self, what: str, header: QHBoxLayout) -> QPushButton:
        tr = self.block.form.texts.tr
        button = QPushButton(tr(f"ui.form.repeat.{what}"), self)
        button.setObjectName(f"{what}_{path_tag((*self.block.path, self.index))}")
        button.setToolTip(tr(f"ui.form.repeat.{what}_tip"))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys: see the module's docstring
        header.addWidget(button)
        return button


class RepeatBlock(QWidget):
    """A repeat at one path: its title, its instances, 添加 (absent when repeat_count
    fixes the number)."""

    def __init__(self, form: FormWidget, question: Question, path: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.form, self.question, self.path = form, question, path
        tr = form.texts.tr
        self.setObjectName(f"repeat_{path_tag(path)}")
        self.label = form.texts.of(question.label) or question.name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.title = QLabel(self.label + (" *" if question.required else ""), self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        hint = form.texts.of(question.hint)
        fixed = question.repeat_count is not None
        # The keys are said once, on the outermost repeat (the tooltips say them too).
        keys = "" if len(path) > 1 else tr("ui.form.repeat.keys")
        said = tr("ui.form.repeat.fixed", count=0) if fixed else keys
        self.keys = QLabel("\n".join(t for t in (hint, said) if t), self)
        self.keys.setStyleSheet(HINT_STYLE)
        self.keys.setWordWrap(True)
        self.keys.setVisible(bool(self.keys.text()))
        layout.addWidget(self.keys)
        self.instances = QVBoxLayout()
        layout.addLayout(self.instances)
        self.message = QLabel(self)
        self.message.setObjectName(f"message_{path_tag(path)}")
        self.message.setStyleSheet("color: #b42318;")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.add_button = QPushButton(tr("ui.form.repeat.add") + f" {self.label}", self)
        self.add_button.setObjectName(f"add_{path_tag(path)}")
        self.add_button.setToolTip(tr("ui.form.repeat.add_tip", label=self.label))
        self.add_button.clicked.connect(lambda: form.add_instance(self.path))
        self.add_button.setVisible(not fixed)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.frames: list[InstanceFrame] = []

    def sync(self) -> bool:
        count = self.form.state.instance_count(self.path)
        if count == len(self.frames):
            return False
        self.rebuild()
        return True

    def rebuild(self) -> None:
        for frame in self.frames:
            self.instances.removeWidget(frame)
            frame.hide()
            frame.deleteLater()
        count = self.form.state.instance_count(self.path)
        self.frames = [InstanceFrame(self, n, self) for n in range(count)]
        for frame in self.frames:
            self.instances.addWidget(frame)
            frame.show()  # now, not at the next event: its first question takes the cursor
            frame.level.sync()
        if self.question.repeat_count is not None:
            hint = self.form.texts.of(self.question.hint)
            fixed = self.form.texts.tr("ui.form.repeat.fixed", count=count)
            self.keys.setText(f"{hint}\n{fixed}" if hint else fixed)
