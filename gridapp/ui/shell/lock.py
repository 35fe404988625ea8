"""The lock: after `idle_lock_minutes` without keyboard or mouse, or at once from
文件 → 立即锁定 (Ctrl+Shift+L), every window's contents are hidden (not merely covered:
a screenshot or a grab shows no resident) and the same worker, or an administrator,
must enter a PIN to go on. The screen says which lock it was: by hand, or after how
long without input (measured, not the setting).

While locked, input to anything but the lock screen is swallowed, so a shortcut
(Ctrl+R, Ctrl+L …) cannot open a household behind the lock; popups close, and window
titles that may carry an address are replaced until the unlock. The filter watches the
whole application, and on a real screen a key or a click first reaches the *window*
(a QWindow, the window system's side) and only then the widget with the focus: those
first deliveries pass, or nothing typed would ever reach the PIN box (an offscreen test
sends events straight to widgets and never sees that).

Ctrl+Q on the lock screen quits: every window closes as with 文件 → 退出 (an open
visit keeps its draft), which shows nothing and leaves the data encrypted; the next
start asks for a sign-in. The lock's point is that nobody *sees* the data, not that
nobody may end the program.
"""

from __future__ import annotations

import logging
import os
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QShortcutEvent,
    QWindow,
)
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
from gridapp.ui.shell.sign_in import pin_field

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
_FOLLOW = (QEvent.Type.Resize, QEvent.Type.Move)
_TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly

#: Seconds: a shorter idle lock than the setting, for tests and demonstrations (it can
#: only shorten the lock, never lengthen or disable it).
IDLE_SECONDS_ENV = "GRIDAPP_IDLE_LOCK_SECONDS"


def idle_minutes(setting_minutes: float) -> float:
    """The idle lock's delay: `idle_lock_minutes`, or GRIDAPP_IDLE_LOCK_SECONDS if shorter."""
    try:
        seconds = float(os.environ.get(IDLE_SECONDS_ENV, ""))
    except ValueError:
        return setting_minutes
    if not seconds > 0:  # also NaN
        return setting_minutes
    return min(setting_minutes, seconds / 60)


def _pressed(event: QEvent, *sequences: QKeySequence) -> bool:
    """The event is one of these keys (KeyPress, ShortcutOverride) or a shortcut for one."""
    if isinstance(event, QKeyEvent):
        pressed = QKeySequence(event.keyCombination())
    elif isinstance(event, QShortcutEvent):
        pressed = event.key()
    else:
        return False
    return any(
        not keys.isEmpty() and pressed.matches(keys) == QKeySequence.SequenceMatch.ExactMatch
        for keys in sequences
    )


def _is_quit(event: QEvent) -> bool:
    # The platform's Quit (no QKeySequence before the application: built here), and
    # Ctrl+Q itself where the platform has no Quit key (Windows).
    return _pressed(event, QKeySequence(QKeySequence.StandardKey.Quit), QKeySequence("Ctrl+Q"))


class LockScreen(QWidget):
    """What a locked laptop shows: who may unlock, a PIN field, nothing else.

    A window of its own over the main window, application-modal and shown last: a
    dialog left open (a visit form is window-modal) blocks its main window from every
    key and click, and a lock screen inside that window could never be unlocked. The
    modal shown last is the one that takes input; the others wait behind it."""

    def __init__(self, catalog: Catalog, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("lockScreen")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAutoFillBackground(True)
        #: Only quitting closes it; the window manager's close button does not unlock.
        self.may_close = False
        self.heading = heading = QLabel(self)
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
        self.button = QPushButton(self)
        self.button.setObjectName("lockUnlock")
        self.quit_button = QPushButton(self)
        self.quit_button.setObjectName("lockQuit")
        self.quit_button.setFlat(True)
        box = QWidget(self)
        box.setFixedWidth(440)
        inner = QVBoxLayout(box)
        for widget in (heading, self.explain, self.code_edit, self.pin, self.message, self.button):
            inner.addWidget(widget)
        inner.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        self.heading.setText(catalog.tr("ui.lock.heading"))
        self.button.setText(catalog.tr("ui.lock.unlock"))
        self.quit_button.setText(catalog.tr("ui.lock.quit"))
        self.code_edit.setPlaceholderText(catalog.tr("ui.sign_in.code"))
        self.pin.setPlaceholderText(catalog.tr("ui.sign_in.pin"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_close:
            super().closeEvent(event)
        else:
            event.ignore()


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
        self.timer.timeout.connect(self._idle)
        self._last_input = time.monotonic()
        #: Why the screen is locked: "manual", or "idle" after `idle_seconds`.
        self.reason = ""
        self.idle_seconds = 0.0
        self.screen = LockScreen(catalog, window)
        self.screen.hide()
        self.screen.button.clicked.connect(self.try_unlock)
        self.screen.pin.returnPressed.connect(self.try_unlock)
        self.screen.code_edit.returnPressed.connect(self.screen.pin.setFocus)
        self.screen.quit_button.clicked.connect(self.quit)
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

    def set_catalog(self, catalog: Catalog) -> None:
        """The language was switched: the lock screen speaks it from now on."""
        self.catalog = catalog
        self.screen.retranslate(catalog)
        self.lock_action.setText(catalog.tr("ui.lock.now"))

    @property
    def is_locked(self) -> bool:
        return self.screen.isVisible() or bool(self._hidden)

    # -- watching ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind in _FOLLOW and self.screen.isVisible():
            self.screen.setGeometry(self.window.geometry())  # stay over the main window
        if kind not in _INPUT:
            return False
        if not self._hidden:
            if kind in _ACTIVITY:
                self._last_input = time.monotonic()
                self.timer.start()  # restart: activity postpones the lock
            if (
                kind == QEvent.Type.KeyPress
                and isinstance(watched, QWindow)
                and _pressed(event, self.lock_action.shortcut())
            ):
                # Ctrl+Shift+L from any window, a (modal) visit form too: the menu's
                # shortcut only works where the main window has the keyboard.
                QTimer.singleShot(0, self.lock)
                return True
            return False
        return self._filter_locked(watched, event)

    def _filter_locked(self, watched: QObject, event: QEvent) -> bool:
        """Locked: True swallows the event. Only the lock screen takes input."""
        if isinstance(watched, QWindow):
            # The window system's delivery to a window: Qt passes it on to the widget
            # under the pointer or with the focus, and this filter sees it there.
            return False
        if _is_quit(event):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # ours, not a shortcut's behind the lock
            elif event.type() in (QEvent.Type.KeyPress, QEvent.Type.Shortcut):
                QTimer.singleShot(0, self.quit)
            return True
        return not self._inside_screen(watched)

    def _inside_screen(self, watched: QObject) -> bool:
        """The lock screen, a widget in it, or an object (a shortcut) owned by one."""
        node: QObject | None = watched
        while node is not None:
            if node is self.screen:
                return True
            if isinstance(node, QWidget) and node.isWindow():
                return False
            node = node.parent()
        return False

    # -- locking -------------------------------------------------------------------
    def lock(self) -> None:
        """Lock now, by hand (文件 → 立即锁定, Ctrl+Shift+L)."""
        self._lock("manual")

    def _idle(self) -> None:
        self.idle_seconds = time.monotonic() - self._last_input
        self._lock("idle")

    def _lock(self, reason: str) -> None:
        if self._hidden:
            return
        self.timer.stop()
        self.reason = reason
        popup = QApplication.activePopupWidget()
        while popup is not None:
            popup.close()
            popup = QApplication.activePopupWidget()
        lock_title = self.catalog.tr("ui.lock.heading")  # Qt appends the app's name
        for top in QApplication.topLevelWidgets():
            if not top.isVisible() or top.windowType() in _TRANSIENT:
                continue
            for child in top.findChildren(QWidget, options=_DIRECT):
                # A dialog parented to the window is a window of its own: the outer
                # loop hides its contents.
                if child.isVisible() and not child.isWindow() and child is not self.screen:
                    child.hide()
                    self._hidden.append(child)
            self._titles[top] = top.windowTitle()
            top.setWindowTitle(lock_title)
        self.screen.setWindowTitle(lock_title)
        self.screen.explain.setText(self.explanation())
        self.screen.code_edit.setText(self.session.code)
        self.screen.pin.clear()
        self.screen.message.clear()
        self.screen.setGeometry(self.window.geometry())
        self.screen.show()
        # Typing goes to the PIN box, even if a dialog had the keyboard.
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.pin.setFocus()
        if reason == "idle":
            log.info("locked after %.0f s without input", self.idle_seconds)
        else:
            log.info("locked by hand")
        self.locked.emit()

    def explanation(self) -> str:
        """What happened, in words: by hand, or after how long without input."""
        tr = self.catalog.tr
        at = self.sessions.clock.now().strftime("%H:%M")
        if self.reason == "idle":
            idle = _duration(self.catalog, self.idle_seconds)
            return tr("ui.lock.explain_idle", idle=idle, time=at, code=self.session.code)
        return tr("ui.lock.explain_manual", time=at, code=self.session.code)

    def try_unlock(self) -> bool:
        if not self.screen.pin.text():  # Return in an empty box: no attempt
            self.screen.pin.setFocus()
            return False
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
        self.window.activateWindow()
        for widget in self._hidden:
            widget.show()
        self._hidden.clear()
        for top, title in self._titles.items():
            top.setWindowTitle(title)
        self._titles.clear()
        self.reason = ""
        self._last_input = time.monotonic()
        self.timer.start()
        log.info("unlocked")
        self.unlocked.emit()

    def quit(self) -> None:
        """Ctrl+Q or 退出 on the lock screen: close every window, as 文件 → 退出 would.
        Nothing is shown on the way out; drafts are kept (each dialog saves its own)."""
        log.info("quit from the lock screen")
        self.screen.may_close = True
        QApplication.closeAllWindows()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()


def _duration(catalog: Catalog, seconds: float) -> str:
    """5 分钟, 45 秒, 1 小时 20 分钟: how long nobody touched the laptop."""
    whole = max(1, round(seconds))
    if whole < 60:
        return catalog.tr("ui.lock.seconds", n=whole)
    minutes = round(seconds / 60)
    if minutes < 60:
        return catalog.tr("ui.lock.minutes", n=minutes)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return catalog.tr("ui.lock.hours", n=hours)
    return catalog.tr("ui.lock.hours_minutes", hours=hours, minutes=rest)
