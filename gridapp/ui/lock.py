"""The idle lock: after `idle_lock_minutes` without keyboard or mouse, every window's
contents are hidden (not merely covered: a screenshot or a grab shows no resident) and
the same worker, or an administrator, must enter a PIN to go on.

While locked, input to anything but the lock screen is swallowed, so a shortcut
(Ctrl+R, Ctrl+L …) cannot open a household behind the lock; popups close, and window
titles that may carry an address are replaced until the unlock.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services.session import SessionService
from gridapp.trust.roles import Session
from gridapp.ui.sign_in import pin_field

log = logging.getLogger("gridapp.ui")

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
_INPUT = _ACTIVITY | {
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.ContextMenu,
    QEvent.Type.InputMethod,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
}
_TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


class LockScreen(QWidget):
    """What a locked window shows: who may unlock, a PIN field, nothing else."""

    def __init__(self, catalog: Catalog, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        heading = QLabel(catalog.tr("ui.lock.heading"), self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        heading.setFont(font)
        self.explain = QLabel(self)
        self.explain.setObjectName("lockExplain")
        self.explain.setWordWrap(True)
        # Centred boxes get no height-for-width: room for three lines, always.
        self.explain.setMinimumHeight(self.explain.fontMetrics().lineSpacing() * 3 + 6)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("lockCode")
        self.pin = pin_field(self, "lockPin")
        self.message = QLabel(self)
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.button = QPushButton(catalog.tr("ui.lock.unlock"), self)
        self.button.setObjectName("lockUnlock")
        box = QWidget(self)
        box.setFixedWidth(440)
        inner = QVBoxLayout(box)
        for widget in (heading, self.explain, self.code_edit, self.pin, self.message, self.button):
            inner.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.code_edit.setPlaceholderText(catalog.tr("ui.sign_in.code"))
        self.pin.setPlaceholderText(catalog.tr("ui.sign_in.pin"))


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()
    #: An unlock attempt: the code typed, and whether it opened (for the audit log).
    attempted = Signal(str, bool)

    def __init__(
        self,
        window: QWidget,
        sessions: SessionService,
        session: Session,
        catalog: Catalog,
        minutes: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window, self.sessions, self.session, self.catalog = window, sessions, session, catalog
        self.minutes = minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.lock)
        self.screen = LockScreen(catalog, window)
        self.screen.hide()
        self.screen.button.clicked.connect(self.try_unlock)
        self.screen.pin.returnPressed.connect(self.try_unlock)
        #: "Lock now" (Ctrl+Shift+L), for a worker stepping away from the laptop.
        self.lock_action = QAction(catalog.tr("ui.lock.now"), window)
        self.lock_action.setObjectName("lockNow")
        self.lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.lock_action.triggered.connect(self.lock)
        window.addAction(self.lock_action)
        self._hidden: list[QWidget] = []
        self._titles: dict[QWidget, str] = {}
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.installEventFilter(self)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.screen.isVisible() or bool(self._hidden)

    # -- watching ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize:
            self.screen.setGeometry(self.window.rect())
        if kind not in _INPUT:
            return False
        if not self._hidden:
            if kind in _ACTIVITY:
                self.timer.start()  # restart: activity postpones the lock
            return False
        # Locked: only the lock screen takes input.
        return not (isinstance(watched, QWidget) and self.screen.isAncestorOf(watched))

    # -- locking -------------------------------------------------------------------
    def lock(self) -> None:
        if self._hidden:
            return
        self.timer.stop()
        popup = QApplication.activePopupWidget()
        while popup is not None:
            popup.close()
            popup = QApplication.activePopupWidget()
        lock_title = f"{self.catalog.tr('ui.window_title')} — {self.catalog.tr('ui.lock.heading')}"
        for top in QApplication.topLevelWidgets():
            if not top.isVisible() or top.windowType() in (
                Qt.WindowType.Popup,
                Qt.WindowType.ToolTip,
            ):
                continue
            for child in top.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            ):
                # A dialog parented to the window is a window of its own: the outer
                # loop hides its contents.
                if child.isVisible() and not child.isWindow() and child is not self.screen:
                    child.hide()
                    self._hidden.append(child)
            self._titles[top] = top.windowTitle()
            top.setWindowTitle(lock_title)
        self.screen.explain.setText(
            self.catalog.tr("ui.lock.explain", minutes=f"{self.minutes:g}", code=self.session.code)
        )
        self.screen.code_edit.setText(self.session.code)
        self.screen.pin.clear()
        self.screen.message.clear()
        self.screen.setGeometry(self.window.rect())
        self.screen.show()
        self.screen.raise_()
        self.screen.pin.setFocus()
        log.info("locked after %s minutes idle", self.minutes)
        self.locked.emit()

    def try_unlock(self) -> bool:
        code = self.screen.code_edit.text().strip() or self.session.code
        try:
            self.sessions.unlock(self.session, code, self.screen.pin.text())
        except GridappError as exc:
            self.attempted.emit(code, False)
            self.screen.message.setText(self.catalog.error(exc))
            self.screen.pin.clear()
            self.screen.pin.setFocus()
            return False
        self.attempted.emit(code, True)
        self._restore()
        return True

    def _restore(self) -> None:
        self.screen.hide()
        self.screen.pin.clear()
        for widget in self._hidden:
            widget.show()
        self._hidden.clear()
        for top, title in self._titles.items():
            top.setWindowTitle(title)
        self._titles.clear()
        self.timer.start()
        self.unlocked.emit()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()
