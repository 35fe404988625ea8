"""The first run on an empty data folder: what this computer is (the office PC or a field
laptop), its name, and its first account, an administrator with a PIN typed twice. The
database is created encrypted under that account (SessionService.create_encrypted), so
residents' names and phones never reach the disk in the clear; the recovery code is
shown once, on the dialog's second page, before the main window opens.

There is no plain choice here: a plain database is for demos and tests only, and those
make their folders with `gridapp-cli init --plain` or the core's Store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError, InvalidInput
from gridapp.i18n import Catalog
from gridapp.services.session import SessionService
from gridapp.trust.accounts import check_new_pin, normalise_code
from gridapp.trust.roles import Session
from gridapp.ui.shell.sign_in import pin_field

ROLES = ("office", "field")


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.3)
    label.setFont(font)
    return label


class FirstRunDialog(QDialog):
    """Accepted once the encrypted database exists: `session` is its administrator
    signed in, `recovery` the code shown. Rejected (退出) before that: nothing made."""

    def __init__(
        self, sessions: SessionService, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.sessions, self.catalog = sessions, catalog
        self.session: Session | None = None
        self.recovery = ""
        tr = catalog.tr
        self.setWindowTitle(tr("ui.first_run.title"))  # Qt appends the app's name
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._form_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(460)

    # -- page 1: the computer and its administrator -------------------------------------
    def _form_page(self) -> QWidget:
        tr = self.catalog.tr
        page = QWidget(self)
        intro = QLabel(tr("ui.first_run.intro", path=str(self.sessions.data_dir)), page)
        intro.setWordWrap(True)
        self.role_group = QButtonGroup(page)
        self.role_buttons: dict[str, QRadioButton] = {}
        roles = QVBoxLayout()
        for role in ROLES:  # no default: the device's role cannot be changed later
            button = QRadioButton(tr(f"ui.first_run.role_{role}"), page)
            button.setObjectName(f"firstRunRole_{role}")
            self.role_group.addButton(button)
            self.role_buttons[role] = button
            roles.addWidget(button)
            button.toggled.connect(self._suggest_name)
        self.name = QLineEdit(page)
        self.name.setObjectName("firstRunName")
        self.name.setMaxLength(80)
        self.code = QLineEdit(page)
        self.code.setObjectName("firstRunCode")
        self.code.setMaxLength(32)
        self.pin = pin_field(page, "firstRunPin")
        self.again = pin_field(page, "firstRunPinAgain")
        rules = QLabel(tr("ui.accounts.pin_rules"), page)
        rules.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("ui.first_run.role"), roles)
        form.addRow(tr("ui.first_run.name"), self.name)
        form.addRow(tr("ui.first_run.code"), self.code)
        form.addRow(tr("ui.pin.new"), self.pin)
        form.addRow(tr("ui.pin.again"), self.again)
        form.addRow("", rules)
        self.message = QLabel(page)
        self.message.setObjectName("firstRunMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(page)
        self.create_button = buttons.addButton(
            tr("ui.first_run.create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("firstRunCreate")
        quit_button = buttons.addButton(
            tr("ui.sign_in.quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        quit_button.setAutoDefault(False)
        self.create_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(_heading(tr("ui.first_run.heading"), page))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        return page

    def role(self) -> str | None:
        return next((r for r, b in self.role_buttons.items() if b.isChecked()), None)

    def _suggest_name(self) -> None:
        """The default name of the chosen kind, unless one was typed."""
        defaults = {self.catalog.tr(f"cli.default_device_name.{r}") for r in ROLES}
        role = self.role()
        if role is not None and (not self.name.text().strip() or self.name.text() in defaults):
            self.name.setText(self.catalog.tr(f"cli.default_device_name.{role}"))

    def submit(self) -> bool:
        """Check everything, then create; a refusal says why and creates nothing."""
        pin, again = self.pin.text(), self.again.text()
        self.pin.clear()
        self.again.clear()
        try:
            role = self.role()
            if role is None:
                raise InvalidInput("error.first_run.role_needed")
            code = normalise_code(self.code.text())
            if pin != again:
                raise InvalidInput("error.trust.pin_mismatch")
            check_new_pin(pin, code)
            name = self.name.text().strip() or self.catalog.tr(f"cli.default_device_name.{role}")
            self.message.setText(self.catalog.tr("ui.first_run.creating"))
            self.create_button.setEnabled(False)
            QApplication.processEvents()  # the PIN's key derivation takes ~0.4 s: say so
            self.session, self.recovery = self.sessions.create_encrypted(role, name, code, pin)
        except GridappError as exc:
            self.message.setText(self.catalog.error(exc))
            self.create_button.setEnabled(True)
            return False
        self.recovery_text.setText(
            self.catalog.tr("ui.first_run.recovery", code=code, recovery=self.recovery)
        )
        self.pages.setCurrentIndex(1)
        self.done_button.setFocus()
        return True

    # -- page 2: the recovery code, once --------------------------------------------------
    def _done_page(self) -> QWidget:
        tr = self.catalog.tr
        page = QWidget(self)
        self.recovery_text = QLabel(page)
        self.recovery_text.setObjectName("firstRunRecovery")
        self.recovery_text.setWordWrap(True)
        self.recovery_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_button = QPushButton(tr("ui.first_run.done"), page)
        self.done_button.setObjectName("firstRunDone")
        self.done_button.clicked.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addWidget(_heading(tr("ui.first_run.done_heading"), page))
        layout.addWidget(self.recovery_text)
        layout.addStretch(1)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def reject(self) -> None:
        """Escape or the window's close after the database exists still goes on with
        it: the folder is set up, and signed in."""
        if self.session is not None:
            self.accept()
        else:
            super().reject()
