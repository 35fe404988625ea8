"""The sign-in dialog: worker code and PIN, before the main window opens when the data
folder has accounts. Wrong PINs count toward the lock; a locked account says how long.

Return submits through one path only, the dialog's default button: the PIN box's
`returnPressed` is not wired to `submit` as well (that made one typo count twice, and
an account lock after three). Return in the code box moves on to the PIN; an empty PIN
is never an attempt."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services.session import SessionService
from gridapp.trust.roles import Session


def pin_field(parent: QWidget, name: str) -> QLineEdit:
    """Hidden echo; the input method is told it is a secret (no suggestions, no history)."""
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhPreferNumbers
    )
    edit.setMaxLength(128)
    return edit


class SignInDialog(QDialog):
    signed_in = Signal(object)  # Session

    def __init__(
        self,
        sessions: SessionService,
        catalog: Catalog,
        demo_hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        self.sessions, self.catalog = sessions, catalog
        self.session: Session | None = None
        self._checking = False
        tr = catalog.tr
        # Qt adds " — gridapp 网格走访" (the application's display name) itself.
        self.setWindowTitle(tr("ui.sign_in.title"))
        heading = QLabel(tr("ui.sign_in.heading"), self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        self.code = QLineEdit(self)
        self.code.setObjectName("signInCode")
        self.code.setMaxLength(32)
        self.pin = pin_field(self, "signInPin")
        form = QFormLayout()
        form.addRow(tr("ui.sign_in.code"), self.code)
        form.addRow(tr("ui.sign_in.pin"), self.pin)
        self.message = QLabel(self)
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.hint = QLabel(tr("ui.sign_in.demo_hint", accounts=demo_hint), self)
        self.hint.setObjectName("signInDemoHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(demo_hint))
        buttons = QDialogButtonBox(self)
        self.button = buttons.addButton(
            tr("ui.sign_in.button"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.button.setObjectName("signInButton")
        quit_button = buttons.addButton(
            tr("ui.sign_in.quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        quit_button.setAutoDefault(False)
        self.button.setDefault(True)
        # Return anywhere clicks the default button, once; the code box also moves on.
        self.code.returnPressed.connect(self.pin.setFocus)
        self.setMinimumWidth(380)

    def submit(self) -> None:
        if self._checking:  # a Return queued while the PIN is being checked
            return
        code = self.code.text().strip()
        if not code:
            self.code.setFocus()
            return
        if not self.pin.text():
            self.pin.setFocus()
            return
        self._checking = True
        self.message.setText(self.catalog.tr("ui.sign_in.checking"))
        self.button.setEnabled(False)
        QApplication.processEvents()  # the check takes ~0.4 s: say so first
        try:
            session = self.sessions.sign_in(code, self.pin.text())
        except GridappError as exc:
            self.message.setText(self.catalog.error(exc))
            self.pin.clear()
            self.pin.setFocus()
            return
        finally:
            self.button.setEnabled(True)
            self._checking = False
        self.session = session
        self.message.clear()
        self.signed_in.emit(session)
        self.accept()


class ChangePinDialog(QDialog):
    """The signed-in worker changes their own PIN: the current one, the new one twice."""

    changed = Signal()

    def __init__(
        self, sessions: SessionService, catalog: Catalog, session: Session, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePin")
        self.sessions, self.catalog, self.session = sessions, catalog, session
        tr = catalog.tr
        self.setWindowTitle(tr("ui.pin.title", code=session.code))
        self.old = pin_field(self, "pinOld")
        self.new = pin_field(self, "pinNew")
        self.again = pin_field(self, "pinAgain")
        form = QFormLayout()
        form.addRow(tr("ui.pin.old"), self.old)
        form.addRow(tr("ui.pin.new"), self.new)
        form.addRow(tr("ui.pin.again"), self.again)
        self.message = QLabel(self)
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.message.setText(self.catalog.tr("error.trust.pin_mismatch"))
            return
        try:
            self.sessions.accounts.change_pin(self.session.code, self.old.text(), self.new.text())
        except GridappError as exc:
            self.message.setText(self.catalog.error(exc))
            return
        self.changed.emit()
        self.accept()
