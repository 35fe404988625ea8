"""The 内容 menu: the policy library and a preview of the campaign's questionnaire."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QPushButton, QVBoxLayout, QWidget

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.form_widget import FormWidget
from gridapp.ui.policy_library import PolicyLibrary


class QuestionnairePreview(QWidget):
    """The active questionnaire as the worker will see it; 完成 checks it like a visit."""

    def __init__(self, services: Services, catalog: Catalog) -> None:
        super().__init__(None)
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
        self.resize(720, 820)


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
        self._windows: list[QWidget] = []

    def retranslate(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.menu.setTitle(catalog.tr("ui.menu.content"))
        self.policies.setText(catalog.tr("ui.menu.policies"))
        self.preview.setText(catalog.tr("ui.menu.form_preview"))

    def open_policies(self) -> PolicyLibrary:
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
