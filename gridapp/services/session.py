"""Signing in and opening the data folder: the keyring unwraps the database key, the
store opens with it; first set-up encrypts; the idle lock asks for the PIN again.

Qt-free, and needs no open database (the key comes first), so it is not part of
`Services`: the composition roots (app.py, the CLI's Context) build it beside them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gridapp.clock import Clock, SystemClock
from gridapp.errors import AccessDenied, InvalidInput
from gridapp.storage.database import SIDE_FILES, is_plain
from gridapp.storage.encryption import encrypt_in_place, finish_interrupted, wipe_plain_copies
from gridapp.storage.store import DB_FILENAME, Store
from gridapp.trust.accounts import AccountBook
from gridapp.trust.crypto import PRODUCTION, KdfParams
from gridapp.trust.keyring import keyring_path
from gridapp.trust.roles import AccountRole, Session

log = logging.getLogger("gridapp.trust")

#: The cost of new wrapped keys; tests swap in `crypto.FAST` (the CLI builds its own
#: SessionService, so this is the one place to reach it).
KDF_PARAMS: KdfParams = PRODUCTION

#: The demo's accounts: published in README and on the demo's sign-in screen, never
#: used outside a keyring marked as the demo's.
DEMO_ACCOUNTS = (
    ("A0001", AccountRole.ADMIN.value, "147258"),
    ("B0001", AccountRole.OFFICE.value, "258369"),
    ("W0101", AccountRole.FIELD.value, "369147"),
)


class SessionService:
    def __init__(
        self, data_dir: Path, clock: Clock | None = None, params: KdfParams | None = None
    ) -> None:
        self.data_dir = data_dir
        self.clock: Clock = clock or SystemClock()
        self.accounts = AccountBook(keyring_path(data_dir), self.clock, params or KDF_PARAMS)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def protected(self) -> bool:
        """True once accounts exist: every open needs a sign-in."""
        return self.accounts.exists()

    def set_up(self, code: str, role: str, pin: str, demo: bool = False) -> tuple[Session, str]:
        """The first account. An existing plain database is encrypted in place (nothing
        plain is left); otherwise the database is created encrypted on first open.
        Returns the session and the recovery code, to be shown once."""
        session, recovery_code = self.accounts.create(code, role, pin, demo)
        if self.db_path.exists() and is_plain(self.db_path):
            try:
                encrypt_in_place(self.db_path, session.key)
            except BaseException:
                self.accounts.path.unlink(missing_ok=True)  # still plain: as before
                raise
            # Backups made while the database was plain would keep every resident in
            # the clear beside the encrypted file: they go too (the next start makes an
            # encrypted daily backup).
            for gone in wipe_plain_copies(self.data_dir / "backups"):
                log.info("plain backup wiped: %s", gone.name)
        log.info("accounts set up; first account %s (%s)", session.code, session.role)
        return session, recovery_code

    def create_encrypted(
        self, device_role: str, device_name: str, code: str, pin: str
    ) -> tuple[Session, str]:
        """The desktop's first run on an empty folder: the first administrator, and the
        database created encrypted with this device's identity in it. A failed step
        leaves the folder as it was (no keyring, no database). Returns the session and
        the recovery code, to be shown once."""
        from gridapp.services.device import DeviceService

        if self.protected() or self.db_path.exists():
            raise InvalidInput("error.already_initialised", path=str(self.db_path))
        session, recovery_code = self.set_up(code, AccountRole.ADMIN.value, pin)
        try:
            store = self.open_store(session)
            try:
                DeviceService(store).initialise(device_role, device_name)
            finally:
                store.close()
        except BaseException:
            for made in (self.db_path, *(Path(f"{self.db_path}{s}") for s in SIDE_FILES)):
                made.unlink(missing_ok=True)
            self.accounts.path.unlink(missing_ok=True)
            raise
        log.info("first run: %s device, administrator %s", device_role, session.code)
        return session, recovery_code

    def set_up_demo(self) -> Session:
        """`gridapp --demo` on an empty folder: the demo's public accounts (README)."""
        (code, role, pin), *others = DEMO_ACCOUNTS
        session, _recovery = self.set_up(code, role, pin, demo=True)
        for other_code, other_role, other_pin in others:
            self.accounts.add(session, other_code, other_role, other_pin)
        return session

    def sign_in_demo(self) -> Session | None:
        """The demo administrator, on a keyring the demo made (None on any other)."""
        if not self.accounts.is_demo():
            return None
        code, _role, pin = DEMO_ACCOUNTS[0]
        return self.sign_in(code, pin)

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
