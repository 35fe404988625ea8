"""Qt's own words in the UI language: the print dialog and preview, file dialogs, the
calendar's months and weekdays, OK/Cancel. PySide6 ships Qt's translations; without
them a Chinese screen opens English dialogs."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger("gridapp.ui")

#: Our catalog's language → Qt's locale name (translation files are qt_<name>.qm).
QT_LOCALES = {"zh_CN": "zh_CN", "en": "en_US"}


class QtTranslations:
    """Installs Qt's translation for a language and makes its locale the default (the
    calendar and number formats follow the locale, not the translation)."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []

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
