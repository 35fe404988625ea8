"""Accounts for administrators (the GUI twin of `gridapp-cli account`): the list, add
one (code, role, PIN twice), remove one, reset another's PIN. Every change goes through
SessionService's AccountBook; this screen never touches the keyring file.

On a plain database (no accounts yet) it offers 启用登录与加密…: the first
administrator, the database encrypted in place, the recovery code shown once, and then
the app closes (`restart_needed`): its open connections belong to the plain file, so
it must start again on the encrypted one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.errors import GridappError, InvalidInput
from gridapp.i18n import Catalog
from gridapp.services.session import SessionService
from gridapp.trust.accounts import check_new_pin, normalise_code
from gridapp.trust.roles import AccountRole, Session

ROLES = (AccountRole.FIELD, AccountRole.OFFICE, AccountRole.ADMIN)


def _pin_edit(name: str, parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _twice(first: QLineEdit, second: QLineEdit) -> str:
    """The new PIN typed twice, checked against the PIN rules (raises InvalidInput)."""
    pin = first.text()
    if pin != second.text():
        raise InvalidInput("error.trust.pin_mismatch")
    check_new_pin(pin)
    return pin


class AccountsView(QWidget):
    """`failed` carries a GridappError; `restart_needed` after set-up (quit the app).
    `release_database` is called just before set-up encrypts the file: it must close
    every connection the running app holds on it (the lead's app.py hook)."""

    failed = Signal(object)
    changed = Signal()
    restart_needed = Signal()

    def __init__(
        self,
        sessions: SessionService,
        session: Session | None,
        catalog: Catalog,
        release_database: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountsView")
        self.sessions, self.session, self.catalog = sessions, session, catalog
        self.release_database = release_database
        self.confirm: QMessageBox | None = None  # the one open, for tests to click
        self.message = QLabel(self)
        self.message.setObjectName("accountsMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        if sessions.protected():
            layout.addWidget(self._accounts_page(), 1)
            self.reload()
        else:
            layout.addWidget(self._set_up_page(), 1)
        layout.addWidget(self.message)

    # -- the accounts ------------------------------------------------------------
    def _accounts_page(self) -> QWidget:
        tr = self.catalog.tr
        page = QWidget(self)
        self.table = QTableWidget(0, 4, page)
        self.table.setObjectName("accountsTable")
        self.table.setHorizontalHeaderLabels(
            [tr(f"ui.accounts.col_{c}") for c in ("code", "role", "created", "locked")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.code = QLineEdit(page)
        self.code.setObjectName("newCode")
        self.role = QComboBox(page)
        self.role.setObjectName("newRole")
        for role in ROLES:
            self.role.addItem(self.catalog.code("account_role", role.value), role.value)
        self.pin, self.again = _pin_edit("newPin", page), _pin_edit("newPinAgain", page)
        self.add_button = QPushButton(tr("ui.accounts.add"), page)
        self.add_button.setObjectName("addAccount")
        add = QGroupBox(tr("ui.accounts.new_group"), page)
        form = QFormLayout(add)
        form.addRow(tr("ui.accounts.code"), self.code)
        form.addRow(tr("ui.accounts.role"), self.role)
        form.addRow(tr("ui.accounts.pin"), self.pin)
        form.addRow(tr("ui.accounts.again"), self.again)
        form.addRow("", self.add_button)
        self.reset_pin_edit = _pin_edit("resetPin", page)
        self.reset_again = _pin_edit("resetPinAgain", page)
        self.reset_button = QPushButton(tr("ui.accounts.reset"), page)
        self.reset_button.setObjectName("resetPinButton")
        reset = QGroupBox(tr("ui.accounts.reset_group"), page)
        reset_form = QFormLayout(reset)
        reset_form.addRow(tr("ui.accounts.pin"), self.reset_pin_edit)
        reset_form.addRow(tr("ui.accounts.again"), self.reset_again)
        reset_form.addRow("", self.reset_button)
        self.remove_button = QPushButton(tr("ui.accounts.remove"), page)
        self.remove_button.setObjectName("removeAccount")
        rules = QLabel(tr("ui.accounts.pin_rules"), page)
        rules.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(reset)
        side.addWidget(self.remove_button)
        side.addWidget(rules)
        side.addStretch(1)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 3)
        row.addLayout(side, 2)
        self.add_button.clicked.connect(self.add)
        self.reset_button.clicked.connect(self.reset_pin)
        self.remove_button.clicked.connect(self.ask_remove)
        return page

    def reload(self) -> None:
        accounts = self.sessions.accounts.accounts()
        self.table.setRowCount(len(accounts))
        for r, a in enumerate(accounts):
            locked = self.sessions.accounts.locked_for(a.code)
            cells = (
                a.code,
                self.catalog.code("account_role", a.role),
                a.created_at[:10],
                display_time(a.locked_until) if (locked and a.locked_until) else "",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.code)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, code: str) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == code:
                self.table.selectRow(r)

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else "color: #b42318;")
        self.message.setText(text)

    def _fail(self, exc: GridappError) -> None:
        self.say(self.catalog.error(exc), ok=False)
        self.failed.emit(exc)

    def _session(self) -> Session:
        if self.session is None:
            from gridapp.errors import AccessDenied

            raise AccessDenied("error.trust.sign_in_needed", path=str(self.sessions.data_dir))
        return self.session

    def add(self) -> bool:
        try:
            pin = _twice(self.pin, self.again)
            info = self.sessions.accounts.add(
                self._session(), self.code.text(), str(self.role.currentData()), pin
            )
        except GridappError as exc:
            self._fail(exc)
            return False
        finally:
            self.pin.clear()
            self.again.clear()
        self.code.clear()
        self.reload()
        self.select(info.code)
        role = self.catalog.code("account_role", info.role)
        self.say(self.catalog.tr("cli.account.added", code=info.code, role=role))
        self.changed.emit()
        return True

    def reset_pin(self) -> bool:
        code = self.selected()
        if code is None:
            self.say(self.catalog.tr("ui.accounts.choose"), ok=False)
            return False
        try:
            pin = _twice(self.reset_pin_edit, self.reset_again)
            self.sessions.accounts.reset_pin(self._session(), code, pin)
        except GridappError as exc:
            self._fail(exc)
            return False
        finally:
            self.reset_pin_edit.clear()
            self.reset_again.clear()
        self.reload()
        self.say(self.catalog.tr("cli.account.pin_changed", code=code))
        return True

    def ask_remove(self) -> QMessageBox | None:
        code = self.selected()
        if code is None:
            self.say(self.catalog.tr("ui.accounts.choose"), ok=False)
            return None
        tr = self.catalog.tr
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("ui.accounts.title"),
            tr("ui.accounts.remove_confirm", code=code),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("removeConfirm")
        yes = box.addButton(tr("ui.accounts.remove_yes"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("removeConfirmYes")
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("ui.accounts.cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes.clicked.connect(lambda: self.remove(code))
        box.open()  # never exec(): tests click the buttons
        self.confirm = box
        return box

    def remove(self, code: str) -> bool:
        try:
            self.sessions.accounts.remove(self._session(), code)
        except GridappError as exc:
            self._fail(exc)
            return False
        self.reload()
        self.say(self.catalog.tr("cli.account.removed", code=code))
        self.changed.emit()
        return True

    # -- first set-up ------------------------------------------------------------
    def _set_up_page(self) -> QWidget:
        tr = self.catalog.tr
        page = QWidget(self)
        intro = QLabel(tr("ui.accounts.setup_intro"), page)
        intro.setWordWrap(True)
        self.setup_code = QLineEdit(page)
        self.setup_code.setObjectName("setupCode")
        self.setup_pin = _pin_edit("setupPin", page)
        self.setup_again = _pin_edit("setupPinAgain", page)
        self.setup_button = QPushButton(tr("ui.accounts.setup"), page)
        self.setup_button.setObjectName("setUpAccounts")
        rules = QLabel(tr("ui.accounts.pin_rules"), page)
        rules.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("ui.accounts.setup_code"), self.setup_code)
        form.addRow(tr("ui.accounts.pin"), self.setup_pin)
        form.addRow(tr("ui.accounts.again"), self.setup_again)
        form.addRow("", rules)
        form.addRow("", self.setup_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        self.setup_button.clicked.connect(self.set_up)
        return page

    def set_up(self) -> QMessageBox | None:
        """Check everything first (nothing is closed for a typo), then let go of the
        database, encrypt it, and show the recovery code once."""
        try:
            code = normalise_code(self.setup_code.text())
            pin = _twice(self.setup_pin, self.setup_again)
        except GridappError as exc:
            self.setup_pin.clear()
            self.setup_again.clear()
            self._fail(exc)
            return None
        self.setup_pin.clear()
        self.setup_again.clear()
        if self.release_database is not None:
            self.release_database()
        try:
            _session, recovery = self.sessions.set_up(code, AccountRole.ADMIN.value, pin)
        except GridappError as exc:
            self._fail(exc)
            self.setup_button.setEnabled(False)  # the app let go of its database
            self.restart_needed.emit()
            return None
        self.setup_button.setEnabled(False)
        tr = self.catalog.tr
        box = QMessageBox(
            QMessageBox.Icon.Information,
            tr("ui.accounts.setup_done_title"),
            tr("ui.accounts.setup_done", code=code, recovery=recovery),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("recoveryCode")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        done = box.addButton(tr("ui.accounts.setup_close"), QMessageBox.ButtonRole.AcceptRole)
        done.setObjectName("recoveryCodeDone")
        done.clicked.connect(self.restart_needed.emit)
        box.open()
        self.confirm = box
        self.recovery_shown = recovery
        return box
