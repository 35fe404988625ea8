"""A question answered by WeChat, phone or hotline: counted apart from visits."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from gridapp.codes import Channel
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services import Services


class OnlineAnswerDialog(QDialog):
    saved = Signal(str)

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        worker_code: str,
        household_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("onlineAnswerDialog")
        self.services, self.catalog, self.worker_code = services, catalog, worker_code
        self.household_id = household_id
        tr = catalog.tr
        self.setWindowTitle(tr("ui.online.title"))
        self.channel = QComboBox(self)
        for code in Channel:
            self.channel.addItem(catalog.code("channel", code), code.value)
        self.question = QPlainTextEdit(self)
        self.question.setObjectName("onlineQuestion")
        self.answer = QPlainTextEdit(self)
        self.answer.setObjectName("onlineAnswer")
        self.link = QCheckBox(self)
        if household_id is not None:
            detail = services.read.household(household_id)
            self.link.setText(tr("ui.online.link", address=detail.row.address if detail else ""))
            self.link.setChecked(True)
        else:
            self.link.setVisible(False)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b42318;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("ui.online.channel"), self.channel)
        form.addRow(tr("ui.online.question"), self.question)
        form.addRow(tr("ui.online.answer"), self.answer)
        form.addRow("", self.link)
        form.addRow(self.message)
        form.addRow(buttons)
        self.resize(560, 420)
        # Keyboard first, as the visit form: the question takes the keys, Tab moves on
        # (a text box would otherwise keep it), Ctrl+Enter saves.
        for box in (self.question, self.answer):
            box.setTabChangesFocus(True)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.question.setFocus()

    def save(self) -> str | None:
        household = self.household_id if self.link.isChecked() else None
        try:
            record_id = self.services.visits.add_online_answer(
                self.worker_code,
                str(self.channel.currentData()),
                self.question.toPlainText(),
                self.answer.toPlainText(),
                household,
            )
        except GridappError as exc:
            self.message.setText(self.catalog.error(exc))
            return None
        self.saved.emit(record_id)
        self.accept()
        return record_id
