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

#: Words Qt 6 shows that its own zh_CN translation lacks (their source text gained a
#: mnemonic, or is new): found by opening the file, print and preview dialogs.
_MISSING = {
    "zh_CN": {
        "&Look in:": "查找范围(&L)：",
        "Files of &type:": "文件类型(&T)：",
        "Folder": "文件夹",
        "Page &Set:": "页面集(&S)：",
    }
}


class _Supplement(QTranslator):
    """Qt's own words its translation file does not have, whatever their context."""

    def __init__(self, words: dict[str, str], parent: QApplication) -> None:
        super().__init__(parent)
        self._words = words

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string: "not mine, ask the next translator" ("" would be
        # taken as the translation and blank every other word).
        return self._words.get(source)

    def isEmpty(self) -> bool:
        return not self._words


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
        if lang in _MISSING:
            supplement = _Supplement(_MISSING[lang], self._app)
            self._app.installTranslator(supplement)  # the last installed is asked first
            self._installed.append(supplement)
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
