"""The 内容 menu: the policy library, a preview of the campaign's questionnaire, and
importing a workbook: read off the GUI thread, previewed in the real form widget, and
published only from the preview's 发布到活动."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.common.jobs import Jobs, Progress

if TYPE_CHECKING:
    from gridapp.forms.definition import FormDefinition
    from gridapp.ui.setup.form_preview import FormPreview
    from gridapp.ui.setup.policy_library import PolicyLibrary


def read_workbook(path: Path) -> tuple[dict[str, Any], FormDefinition]:
    """The workbook's definition document and the definition it loads as (off the GUI
    thread: a large workbook takes a while); DefinitionInvalid lists every problem."""
    from gridapp.forms.definition import load_definition
    from gridapp.forms.xlsform import read_xlsform  # openpyxl: load when used

    doc = read_xlsform(path)
    return doc, load_definition(doc)


class ContentMenu:
    def __init__(
        self, bar: QMenuBar, services: Services, catalog: Catalog, editable: bool, parent: QWidget
    ) -> None:
        self.services, self.catalog, self.editable, self.parent = (
            services,
            catalog,
            editable,
            parent,
        )
        self.menu: QMenu = bar.addMenu("")
        self.policies = QAction(parent)
        self.policies.triggered.connect(self.open_policies)
        self.preview = QAction(parent)
        self.preview.triggered.connect(self.open_preview)
        self.menu.addActions([self.policies, self.preview])
        self.import_form = QAction(parent)
        self.import_form.triggered.connect(self._choose_import)
        self.export_form = QAction(parent)
        self.export_form.triggered.connect(self._choose_export)
        if editable:
            self.menu.addSeparator()
            self.menu.addActions([self.import_form, self.export_form])
        self._windows: list[QWidget] = []
        self.jobs = Jobs(services, parent)
        self.opened: QWidget | None = None

    def retranslate(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.menu.setTitle(catalog.tr("ui.menu.content"))
        self.policies.setText(catalog.tr("ui.menu.policies"))
        self.preview.setText(catalog.tr("ui.menu.form_preview"))
        self.import_form.setText(catalog.tr("ui.menu.form_import"))
        self.export_form.setText(catalog.tr("ui.menu.form_export"))

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent, self.catalog.tr("ui.menu.form_import"), "", "Excel (*.xlsx)"
        )
        if name:
            self.import_workbook(Path(name))

    def import_workbook(self, path: Path) -> None:
        """Read a workbook off the GUI thread, then preview it (or list what is wrong);
        `opened` is the window shown once it is read."""
        self.opened = None
        self._status(self.catalog.tr("ui.form.preview.reading", file=path.name))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def work(_progress: Progress) -> tuple[dict[str, Any], FormDefinition]:
            return read_workbook(path)

        def done(result: tuple[dict[str, Any], FormDefinition]) -> None:
            self._read_done()
            self._read(path, *result)

        def failed(exc: GridappError) -> None:
            self._read_done()
            self._refused(path, exc)

        self.jobs.run(work, done, failed)

    def _read_done(self) -> None:
        QApplication.restoreOverrideCursor()
        self._status("")

    def _status(self, text: str) -> None:
        if isinstance(self.parent, QMainWindow):
            bar = self.parent.statusBar()
            if text:
                bar.showMessage(text)
            else:
                bar.clearMessage()

    def _read(self, path: Path, doc: dict[str, Any], definition: FormDefinition) -> None:
        from gridapp.ui.setup.form_preview import FormPreview

        preview = FormPreview(self.services, self.catalog, definition, doc, file_name=path.name)
        self.opened = preview
        self._keep(preview)

    def _refused(self, path: Path, exc: GridappError) -> None:
        from gridapp.forms.definition import DefinitionInvalid
        from gridapp.ui.setup.form_preview import FormPreview

        if isinstance(exc, DefinitionInvalid):
            window: QWidget = FormPreview(
                self.services, self.catalog, None, problems=exc.problems, file_name=path.name
            )
            self._keep(window)
        else:
            window = QMessageBox(
                QMessageBox.Icon.Warning,
                self.catalog.tr("ui.menu.form_import"),
                self.catalog.error(exc),
                QMessageBox.StandardButton.Ok,
                self.parent,
            )
            window.open()
        self.opened = window

    def _choose_export(self) -> None:
        active = self.services.read.active_questionnaire()
        if active is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.parent,
            self.catalog.tr("ui.menu.form_export"),
            f"{active[1].id}-v{active[1].version}.xlsx",
            "Excel (*.xlsx)",
        )
        if name:
            from gridapp.forms.xlsform_export import write_xlsform

            write_xlsform(active[1], Path(name))

    def open_policies(self) -> PolicyLibrary:
        from gridapp.ui.setup.policy_library import PolicyLibrary

        library = PolicyLibrary(self.services, self.catalog, self.editable)
        self._keep(library)
        return library

    def open_preview(self) -> FormPreview | None:
        """The campaign's questionnaire as the worker sees it, with its show conditions
        (nothing to publish); None when the campaign has none."""
        from gridapp.ui.setup.form_preview import FormPreview

        active = self.services.read.active_questionnaire()
        if active is None:
            return None
        preview = FormPreview(self.services, self.catalog, active[1])
        self._keep(preview)
        return preview

    def _keep(self, window: QWidget) -> None:
        self._windows = [w for w in self._windows if w.isVisible()]
        self._windows.append(window)
        window.show()
