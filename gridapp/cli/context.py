"""What every command gets: the data folder, the catalog, services on demand."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridapp.errors import InvalidInput
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.storage.store import DB_FILENAME, Store

EXIT_BAD_INPUT = 2


class Context:
    """What a command needs: the data folder, the catalog, and the services on demand."""

    def __init__(self, data_dir: Path, catalog: Catalog) -> None:
        self.data_dir = data_dir
        self.catalog = catalog
        self._services: Services | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def services(self, create: bool = False) -> Services:
        if self._services is None:
            if not create and not self.db_path.exists():
                raise InvalidInput("error.no_database", path=str(self.db_path))
            self._services = Services(Store.open(self.db_path))
            if not create:
                self._services.backup.ensure_daily()
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.store.close()

    def out(self, text: str = "") -> None:
        print(text)

    def json(self, document: Any) -> None:
        print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


Handler = Callable[[argparse.Namespace, Context], int]
