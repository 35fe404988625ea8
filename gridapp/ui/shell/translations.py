"""Qt's own words in the UI language: the print dialog and preview, file dialogs, the
calendar's months and weekdays, OK/Cancel. PySide6 ships Qt's translations; without
them a Chinese screen opens English dialogs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from gridapp.ui.shell.crash import ErrorPresenter
    from gridapp.ui.shell.lock import IdleLock
    from gridapp.ui.shell.main_window import MainWindow

log = logging.getLogger("gridapp.ui")

#: Our catalog's language → Qt's locale name (translation files are qt_<name>.qm).
QT_LOCALES = {"zh_CN": "zh_CN", "en": "en_US"}


class QtTranslations:
    """Installs Qt's translation for a language and makes its locale the default (the
    calendar and number formats follow the locale, not the translation)."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self._locale_before = QLocale()

    def reset(self) -> None:
        """Take back what `apply` installed: Qt's English, the locale from before."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        QLocale.setDefault(self._locale_before)

    def apply(self, lang: str) -> bool:
        """Switch to `lang`; False when Qt has no translation for it (English stays)."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        name = QT_LOCALES.get(lang, "en_US")
        locale = QLocale(name)
        QLocale.setDefault(locale)
        if name.startswith("en"):
            return True  # Qt's own words are English already
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        loaded = False
        for base in ("qtbase", "qt"):
            translator = QTranslator(self._app)
            if translator.load(locale, base, "_", folder):
                self._app.installTranslator(translator)
                self._installed.append(translator)
                loaded = True
        if not loaded:
            log.warning("no Qt translation for %s in %s", name, folder)
        return loaded


def follow_language(
    window: MainWindow, qt: QtTranslations, errors: ErrorPresenter, lock: IdleLock | None
) -> None:
    """What lives beside the main window speaks its language after a switch too: Qt's
    own dialogs, error messages and the lock screen (which stayed English before)."""

    def switched(lang: str) -> None:
        qt.apply(lang)
        errors.catalog = window.catalog
        if lock is not None:
            lock.set_catalog(window.catalog)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setApplicationDisplayName(window.catalog.tr("ui.window_title"))

    window.language_changed.connect(switched)
