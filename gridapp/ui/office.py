"""The office's screens in the main window: tabs (看板, 意见建议, 表决预测, 活动设置) and the
办公 menu (名册导入, 报表, 备份, 审计日志).

Each screen is built the first time it is shown, so the desktop opens as fast for the
office as for a laptop, and a screen nobody opens costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QTabWidget, QVBoxLayout, QWidget

from gridapp.i18n import Catalog
from gridapp.services import Services


@dataclass(frozen=True)
class Screen:
    """A screen class named by module and class, built with (services, catalog, parent)."""

    key: str  # catalog key of its title
    module: str
    cls: str

    def build(self, services: Services, catalog: Catalog, parent: QWidget) -> QWidget:
        factory = getattr(importlib.import_module(self.module), self.cls)
        widget: QWidget = factory(services, catalog, parent)
        return widget


class LazyTab(QWidget):
    """A tab page that builds its screen on first show."""

    def __init__(
        self, screen: Screen, services: Services, catalog: Catalog, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.spec = screen
        self.services = services
        self.catalog = catalog
        self.setObjectName(f"tab_{screen.cls}")
        self.inner: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.inner is None:
            self.inner = self.spec.build(self.services, self.catalog, self)
            self._layout.addWidget(self.inner)
        return self.inner

    def showEvent(self, event: Any) -> None:
        self.ensure()
        super().showEvent(event)

    def refresh(self) -> None:
        if self.inner is not None and hasattr(self.inner, "refresh"):
            self.inner.refresh()


class OfficeScreens:
    """Installs the office tabs and menu; `refresh()` re-reads the screens already built."""

    TABS: tuple[Screen, ...] = ()
    ACTIONS: tuple[tuple[str, Callable[[OfficeScreens], None]], ...] = ()

    def __init__(
        self, services: Services, catalog: Catalog, tabs: QTabWidget, parent: QWidget
    ) -> None:
        self.services = services
        self.catalog = catalog
        self.tabs = tabs
        self.parent = parent
        self.pages: list[LazyTab] = []
        self.menu: QMenu | None = None
        self.actions: list[tuple[str, QAction]] = []

    def install(self, bar: QMenuBar, before: QAction | None = None) -> None:
        for screen in self.TABS:
            page = LazyTab(screen, self.services, self.catalog, self.tabs)
            self.pages.append(page)
            self.tabs.addTab(page, "")
        if self.ACTIONS:
            self.menu = QMenu(bar)
            for key, run in self.ACTIONS:
                action = QAction(self.parent)
                action.triggered.connect(lambda _c=False, run=run: run(self))
                self.menu.addAction(action)
                self.actions.append((key, action))
            if before is not None:
                bar.insertMenu(before, self.menu)
            else:
                bar.addMenu(self.menu)
        self.retranslate(self.catalog)

    def page(self, cls: str) -> LazyTab:
        return next(p for p in self.pages if p.spec.cls == cls)

    def refresh(self) -> None:
        for page in self.pages:
            page.refresh()

    def retranslate(self, catalog: Catalog) -> None:
        self.catalog = catalog
        for page in self.pages:
            self.tabs.setTabText(self.tabs.indexOf(page), catalog.tr(page.spec.key))
        if self.menu is not None:
            self.menu.setTitle(catalog.tr("ui.menu.office"))
        for key, action in self.actions:
            action.setText(catalog.tr(key))
