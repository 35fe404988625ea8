"""The office's screens in the main window, installed from the registry
(gridapp/ui/shell/registry.py): its tabs, and its entries of the 办公 and 同步 menus.

Each screen is built the first time it is shown, so the desktop opens as fast for the
office as for a laptop. Screens that change data say so (`ScreenEvents.changed`); the
window then refreshes everything shown, as it does after a bundle import.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar, QTabWidget, QVBoxLayout, QWidget

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.ui.shell.registry import SCREENS, Place, Screen, ScreenContext


@runtime_checkable
class Reloadable(Protocol):
    """A tab that re-reads what it shows when the data changed."""

    def reload(self) -> None: ...


@runtime_checkable
class Translatable(Protocol):
    def set_catalog(self, catalog: Catalog) -> None: ...


class LazyTab(QWidget):
    """A tab page that builds its screen on first show."""

    def __init__(self, screen: Screen, ctx: ScreenContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.entry, self.ctx = screen, ctx
        self.key = screen.key
        self.setObjectName(f"tab_{screen.name}")
        self.inner: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.inner is None:
            inner = self.entry.build(self.ctx, self)
            assert inner is not None, f"tab {self.key} built nothing"
            self.inner = inner
            self._layout.addWidget(inner)
            inner.show()  # added while this page is being shown: show it too
        return self.inner

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure()
        super().showEvent(event)

    def reload(self) -> None:
        if isinstance(self.inner, Reloadable):
            self.inner.reload()


class OfficeScreens:
    """Installs the registry's screens; `reload()` re-reads the tabs already built."""

    def __init__(self, ctx: ScreenContext, tabs: QTabWidget) -> None:
        self.ctx, self.tabs = ctx, tabs
        self.events = ctx.events
        self.pages: list[LazyTab] = []
        self.menus: dict[Place, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        self.needs = {screen.key: screen.needs for screen in SCREENS}
        self.opened: Any = None  # the dialog or window open, kept alive while shown

    def install(self, bar: QMenuBar, office_before: QAction, sync_menu: QMenu) -> None:
        """The tabs; the 办公 menu before `office_before`; entries at the end of `sync_menu`."""
        office_menu = QMenu(bar)
        office_menu.setObjectName("officeMenu")
        bar.insertMenu(office_before, office_menu)
        self.menus = {Place.OFFICE_MENU: office_menu, Place.SYNC_MENU: sync_menu}
        for screen in SCREENS:
            if screen.place is Place.TAB:
                page = LazyTab(screen, self.ctx, self.tabs)
                self.pages.append(page)
                self.tabs.addTab(page, "")
                continue
            action = QAction(self.ctx.window)
            action.setObjectName(screen.name)
            action.triggered.connect(lambda _c=False, screen=screen: self.open(screen.key))
            self.menus[screen.place].addAction(action)
            self.actions[screen.key] = action
        self.retranslate(self.ctx.catalog)

    @property
    def office_menu(self) -> QMenu:
        return self.menus[Place.OFFICE_MENU]

    def open(self, key: str) -> QWidget | None:
        screen = next(s for s in SCREENS if s.key == key)
        try:
            opened = screen.build(self.ctx, self.ctx.window)
        except GridappError as exc:
            self.events.failed.emit(exc)
            return None
        if isinstance(opened, QDialog):
            opened.open()
        elif opened is not None:
            opened.show()
        self.opened = opened
        return opened

    def page(self, key: str) -> LazyTab:
        return next(p for p in self.pages if p.key == key)

    def reload(self) -> None:
        for page in self.pages:
            page.reload()

    def retranslate(self, catalog: Catalog) -> None:
        self.ctx.catalog = catalog
        for page in self.pages:
            self.tabs.setTabText(self.tabs.indexOf(page), catalog.tr(page.key))
            if isinstance(page.inner, Translatable):
                page.inner.set_catalog(catalog)
        self.menus[Place.OFFICE_MENU].setTitle(catalog.tr("ui.menu.office"))
        for key, action in self.actions.items():
            action.setText(catalog.tr(key))
