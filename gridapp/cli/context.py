"""What every command gets: the data folder, the catalog, services on demand.

On an encrypted data folder (a keyring exists) the services open only after a sign-in:
the worker code from `--worker` or GRIDAPP_WORKER, the PIN from GRIDAPP_PIN or a hidden
prompt on a terminal; the command's action is then checked against the account's role.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridapp.errors import AccessDenied, InvalidInput
from gridapp.i18n import Catalog
from gridapp.private import tighten_data_folder
from gridapp.services import Services
from gridapp.services.session import SessionService
from gridapp.storage.store import DB_FILENAME, Store
from gridapp.trust.roles import Session, require

EXIT_BAD_INPUT = 2
WORKER_ENV = "GRIDAPP_WORKER"
PIN_ENV = "GRIDAPP_PIN"


class Context:
    """What a command needs: the data folder, the catalog, and the services on demand."""

    def __init__(self, data_dir: Path, catalog: Catalog) -> None:
        self.data_dir = data_dir
        self.catalog = catalog
        self._services: Services | None = None
        self._sessions: SessionService | None = None
        #: Who signs in (`--worker`), and the command being run (for its role check).
        self.worker: str | None = None
        self.command = ""
        self.session: Session | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def sessions(self) -> SessionService:
        if self._sessions is None:
            self._sessions = SessionService(self.data_dir)
            self._sessions.accounts.on_change = self._account_changed
        return self._sessions

    def _account_changed(self, actor: str, action: str, code: str) -> None:
        """An account changed in the keyring: into the audit log (opening the database
        with the signed-in session if the command had not yet)."""
        if self.session is None or not self.db_path.exists():
            return  # set-up or recovery before any database: nothing to write into yet
        self.services().audit.record(action, code)

    def actor(self) -> str:
        """Who the audit log names: the signed-in worker, or the command line itself on a
        plain database (no accounts to tell apart)."""
        from gridapp.actor import PLAIN

        return self.session.code if self.session is not None else PLAIN.code

    def sign_in(self) -> Session:
        """The signed-in session, signing in now if needed."""
        if self.session is None:
            code = self.worker or os.environ.get(WORKER_ENV, "")
            if not code:
                raise AccessDenied("error.trust.sign_in_needed", path=str(self.data_dir))
            pin = self.secret(PIN_ENV, "cli.account.prompt_pin", code=code)
            self.session = self.sessions.sign_in(code, pin)
        return self.session

    def secret(self, env: str, prompt_key: str, confirm: bool = False, **params: Any) -> str:
        """A PIN (or recovery code) from the environment, else typed hidden on a terminal."""
        value = os.environ.get(env)
        if value is not None:
            return value
        if not sys.stdin.isatty():
            raise AccessDenied("error.trust.pin_needed", env=env)
        value = getpass.getpass(self.catalog.tr(prompt_key, **params))
        if confirm and getpass.getpass(self.catalog.tr("cli.account.prompt_again")) != value:
            raise InvalidInput("error.trust.pin_mismatch")
        return value

    def services(self, create: bool = False) -> Services:
        if self._services is None:
            if not create and not self.db_path.exists():
                raise InvalidInput("error.no_database", path=str(self.db_path))
            if self.sessions.protected():
                from gridapp.cli.guard import action_for

                session = self.sign_in()
                store = self.sessions.open_store(session)
                device = store.local_device()
                try:
                    require(session, action_for(self.command, device.role if device else None))
                except AccessDenied:
                    store.close()
                    raise
            else:
                store = Store.open(self.db_path)
            self._services = Services(store)
            if self.session is not None:
                # Every call of this command acts as the signed-in worker, and as no one
                # else: no option names an actor.
                self._services.act_as(self.session.code, self.session.role)
            tighten_data_folder(self.data_dir)  # files an older version left 0644
            if self.session is not None and store.local_device() is not None:
                # (init: no device yet to write as; the sign-in that made it is the first)
                self._services.audit.sign_in(
                    self.session.code, failed_before=self.session.failed_before
                )
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
