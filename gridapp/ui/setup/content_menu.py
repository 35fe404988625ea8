"""The 内容 menu: the policy library and a preview of the campaign's questionnaire."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.common.screen import fit_to_screen

if TYPE_CHECKING:
    from gridapp.ui.field.form_widget import FormWidget
    from gridapp.ui.setup.policy_library import PolicyLibrary


class QuestionnairePreview(QWidget):
    """The active questionnaire as the worker will see it; 完成 checks it like a visit."""

    def __init__(self, services: Services, catalog: Catalog) -> None:
        super().__init__(None)
        from gridapp.ui.field.form_widget import FormWidget  # load when used

        self.setObjectName("questionnairePreview")
        active = services.read.active_questionnaire()
        layout = QVBoxLayout(self)
        self.form: FormWidget | None = None
        if active is not None:
            _, definition = active
            self.setWindowTitle(
                catalog.tr(
                    "ui.form.preview_title",
                    title=definition.title.get(catalog.lang)
                    or definition.title.get("zh_CN", definition.id),
                )
            )
            self.form = FormWidget(definition, catalog, parent=self)
            layout.addWidget(self.form)
            finish = QPushButton(catalog.tr("ui.form.finish"), self)
            finish.clicked.connect(self.form.try_finish)
            layout.addWidget(finish)
        fit_to_screen(self, 720, 820)


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
            self.import_workbook(Path(name)).open()

    def import_workbook(self, path: Path) -> QMessageBox:
        """Publish a workbook as the campaign's questionnaire, or list what is wrong."""
        from gridapp.forms.definition import DefinitionInvalid
        from gridapp.forms.xlsform import read_xlsform  # openpyxl: load when used

        tr = self.catalog.tr
        try:
            record = self.services.campaigns.publish_questionnaire(read_xlsform(path))
        except DefinitionInvalid as invalid:
            lines = [f"{p.where}  {tr(p.key, **p.params)}" for p in invalid.problems]
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                tr("ui.menu.form_import"),
                tr("error.form.invalid_file", file=path.name, count=len(lines)),
                QMessageBox.StandardButton.Ok,
                self.parent,
            )
            box.setDetailedText("\n".join(lines))
            box.setInformativeText("\n".join(lines[:12]))
            return box
        except GridappError as exc:
            return QMessageBox(
                QMessageBox.Icon.Warning,
                tr("ui.menu.form_import"),
                self.catalog.error(exc),
                QMessageBox.StandardButton.Ok,
                self.parent,
            )
        campaigns = self.services.read.campaigns()
        if campaigns:
            self.services.campaigns.use_questionnaire(campaigns[-1]["id"], record.id)
        return QMessageBox(
            QMessageBox.Icon.Information,
            tr("ui.menu.form_import"),
            tr(
                "cli.form_published",
                title=record.title,
                form=record.form_id,
                version=record.version,
                id=record.id,
            ),
            QMessageBox.StandardButton.Ok,
            self.parent,
        )

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

    def open_preview(self) -> QuestionnairePreview:
        preview = QuestionnairePreview(self.services, self.catalog)
        self._keep(preview)
        return preview

    def _keep(self, window: QWidget) -> None:
        self._windows = [w for w in self._windows if w.isVisible()]
        self._windows.append(window)
        window.show()
