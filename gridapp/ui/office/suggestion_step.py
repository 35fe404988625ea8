"""The small dialog behind 转交 / 答复 / 办结: who it goes to, how it was answered, or a
closing note. Opened with `open()` (never `exec()`), so nothing blocks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.codes import SuggestionStatus
from gridapp.i18n import Catalog


class StepDialog(QDialog):
    def __init__(
        self,
        to: str,
        text: str,
        catalog: Catalog,
        handler: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionStepDialog")
        self.to = to
        tr = catalog.tr
        self.setWindowTitle(tr(f"ui.suggestions.step_title.{to}"))
        quoted = QLabel(tr("ui.suggestions.quote", text=text), self)
        quoted.setWordWrap(True)
        self.handler = QLineEdit(handler, self)
        self.handler.setObjectName("stepHandler")
        self.response = QPlainTextEdit(self)
        self.response.setObjectName("stepResponse")
        self.response.setMinimumHeight(90)
        form = QFormLayout()
        # A forward names the handler; an answer says how (and by whom); closing asks
        # nothing more: the latest response is always the answer the resident got.
        if to == SuggestionStatus.FORWARDED:
            self.handler.setPlaceholderText(tr("ui.suggestions.handler_hint"))
            form.addRow(tr("ui.suggestions.handler_to"), self.handler)
            self.response.hide()
        elif to == SuggestionStatus.ANSWERED:
            form.addRow(tr("ui.suggestions.answered_by"), self.handler)
            form.addRow(tr("ui.suggestions.response"), self.response)
        else:
            self.handler.hide()
            self.response.hide()
            form.addRow(QLabel(tr("ui.suggestions.close_confirm"), self))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(tr(f"ui.suggestions.step_ok.{to}"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(tr("ui.suggestions.cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(quoted)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(460, 240)

    def values(self) -> tuple[str, str]:
        """(handler, response) as typed."""
        handler = self.handler.text() if self.to != SuggestionStatus.CLOSED else ""
        response = self.response.toPlainText() if self.to == SuggestionStatus.ANSWERED else ""
        return handler.strip(), response.strip()
