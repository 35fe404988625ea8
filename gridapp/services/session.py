"""Signing in and opening the data folder: the keyring unwraps the database key, the
store opens with it; first set-up encrypts; the idle lock asks for the PIN again.

Qt-free, and needs no open database (the key comes first), so it is not part of
`Services`: the composition roots (app.py, the CLI's Context) build it beside them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gridapp.clock import Clock, SystemClock
from gridapp.errors import AccessDenied
from gridapp.storage.database import is_plain
from gridapp.storage.encryption import encrypt_in_place, finish_interrupted
from gridapp.storage.store import DB_FILENAME, Store
from gridapp.trust.accounts import AccountBook
from gridapp.trust.crypto import PRODUCTION, KdfParams
from gridapp.trust.keyring import keyring_path
from gridapp.trust.roles import AccountRole, Session

log = logging.getLogger("gridapp.trust")


class SessionService:
    def __init__(
        self, data_dir: Path, clock: Clock | None = None, params: KdfParams = PRODUCTION
    ) -> None:
        self.data_dir = data_dir
        self.clock: Clock = clock or SystemClock()
        self.accounts = AccountBook(keyring_path(data_dir), self.clock, params)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def protected(self) -> bool:
        """True once accounts exist: every open needs a sign-in."""
        return self.accounts.exists()

    def set_up(self, code: str, role: str, pin: str) -> tuple[Session, str]:
        """The first account. An existing plain database is encrypted in place (nothing
        plain is left); otherwise the database is created encrypted on first open.
        Returns the session and the recovery code, to be shown once."""
        session, recovery_code = self.accounts.create(code, role, pin)
        if self.db_path.exists() and is_plain(self.db_path):
            try:
                encrypt_in_place(self.db_path, session.key)
            except BaseException:
                self.accounts.path.unlink(missing_ok=True)  # still plain: as before
                raise
        log.info("accounts set up; first account %s (%s)", session.code, session.role)
        return session, recovery_code

    def sign_in(self, code: str, pin: str) -> Session:
        session = self.accounts.sign_in(code, pin)
        finish_interrupted(self.db_path)
        if self.db_path.exists() and is_plain(self.db_path):
            # Set-up crashed between writing the keyring and swapping the file.
            encrypt_in_place(self.db_path, session.key)
        log.info("signed in: %s (%s)", session.code, session.role)
        return session

    def unlock(self, session: Session, code: str, pin: str) -> Session:
        """Back from the idle lock: the same worker, or an administrator, with a PIN."""
        other = self.accounts.sign_in(code, pin)
        if other.code != session.code and other.role != AccountRole.ADMIN:
            raise AccessDenied("error.trust.unlock_other", code=session.code)
        log.info("unlocked by %s", other.code)
        return session

    def open_store(self, session: Session | None, clock: Clock | None = None) -> Store:
        if self.protected() and session is None:
            raise AccessDenied("error.trust.sign_in_needed", path=str(self.data_dir))
        return Store.open(self.db_path, clock, session.key if session else None)
