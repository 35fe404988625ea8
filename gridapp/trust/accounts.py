"""Accounts: a worker code and a PIN unwrap the database key; wrong PINs lock with a
growing wait that survives a restart; an administrator adds, removes and resets.

The key is wrapped per account as SecretBox(argon2id(PIN, salt), {code, role, key}):
the code and role travel inside the authenticated box, so editing `role` in the file
to "admin" makes that account's PIN stop working instead of granting anything.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

from gridapp import audit_actions
from gridapp.clock import Clock, SystemClock, iso, parse_iso
from gridapp.errors import AccessDenied, InvalidInput
from gridapp.trust import crypto
from gridapp.trust.crypto import PRODUCTION, KdfParams
from gridapp.trust.keyring import (
    AccountEntry,
    Keyring,
    Wrapped,
    keyring_lock,
    load_keyring,
    save_keyring,
)
from gridapp.trust.pins import MAX_PIN_LENGTH, MIN_PIN_LENGTH, check_new_pin, check_pin_length
from gridapp.trust.roles import AccountRole, Action, Session, require

__all__ = [
    "MAX_PIN_LENGTH",
    "MIN_PIN_LENGTH",
    "AccountBook",
    "AccountInfo",
    "check_new_pin",
    "lock_after",
    "normalise_code",
]

#: Wrong PINs allowed before the first lock; each later one locks again, twice as long.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=24)
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def normalise_code(code: str) -> str:
    text = code.strip().upper()
    if not _CODE.match(text):
        raise InvalidInput("error.trust.bad_code", code=code)
    return text


def lock_after(failures: int) -> timedelta | None:
    """How long the account locks after this many wrong PINs in a row (None: not yet)."""
    if failures < FREE_ATTEMPTS:
        return None
    doublings = min(failures - FREE_ATTEMPTS, 20)
    wait: timedelta = FIRST_LOCK * (2**doublings)
    return min(wait, LONGEST_LOCK)


@dataclass(frozen=True)
class AccountInfo:
    code: str
    role: str
    created_at: str
    failures: int
    locked_until: str | None


class AccountBook:
    """The accounts of one data folder, kept in its keyring file."""

    def __init__(
        self, path: Path, clock: Clock | None = None, params: KdfParams = PRODUCTION
    ) -> None:
        self.path = path
        self.clock: Clock = clock or SystemClock()
        self.params = params
        #: Told (actor, action, account code) after each change of an account, so the
        #: audit log records it once the database is open (the keyring lives outside it).
        self.on_change: Callable[[str, str, str], object] | None = None

    def _changed(self, actor: str, action: str, code: str) -> None:
        if self.on_change is not None:
            self.on_change(actor, action, code)

    def exists(self) -> bool:
        return self.path.exists()

    def is_demo(self) -> bool:
        keyring = load_keyring(self.path)
        return keyring is not None and keyring.demo

    def _load(self) -> Keyring:
        keyring = load_keyring(self.path)
        if keyring is None:
            raise InvalidInput("error.trust.no_accounts", path=str(self.path))
        return keyring

    # -- wrapping --------------------------------------------------------------
    def _wrap(self, secret: str, payload: dict[str, str]) -> Wrapped:
        salt = crypto.new_salt()
        kek = crypto.derive_kek(secret, salt, self.params)
        sealed = crypto.seal(kek, json.dumps(payload, sort_keys=True).encode("utf-8"))
        return Wrapped(self.params, salt, sealed)

    @staticmethod
    def _unwrap(secret: str, wrapped: Wrapped) -> dict[str, str] | None:
        kek = crypto.derive_kek(secret, wrapped.salt, wrapped.kdf)
        plain = crypto.open_sealed(kek, wrapped.sealed)
        return None if plain is None else dict(json.loads(plain))

    def _entry(self, code: str, role: str, pin: str, key: bytes) -> AccountEntry:
        payload = {"code": code, "role": role, "key": key.hex()}
        return AccountEntry(code, role, self._wrap(pin, payload), iso(self.clock.now()))

    def _check_pin(self, pin: str, code: str, demo: bool) -> None:
        """The PIN rule (gridapp.trust.pins); the demo's keyring publishes its PINs on the
        sign-in screen, so there only the length applies."""
        if demo:
            check_pin_length(pin)
        else:
            check_new_pin(pin, code)

    # -- set-up ----------------------------------------------------------------
    def create(self, code: str, role: str, pin: str, demo: bool = False) -> tuple[Session, str]:
        """The first account of a new keyring, a new random database key, and the
        recovery code (shown once: it unwraps the same key)."""
        if self.exists():
            raise InvalidInput("error.trust.already_set_up", path=str(self.path))
        code, role = normalise_code(code), _role(role)
        self._check_pin(pin, code, demo)
        key = crypto.new_database_key()
        recovery_code = crypto.new_recovery_code()
        keyring = Keyring(
            accounts=[self._entry(code, role, pin, key)],
            recovery=self._wrap(recovery_code, {"code": "", "role": "", "key": key.hex()}),
            demo=demo,
        )
        with keyring_lock(self.path):
            if self.exists():  # another process set up first
                raise InvalidInput("error.trust.already_set_up", path=str(self.path))
            save_keyring(self.path, keyring)
        return Session(code, role, key, self.clock.now()), recovery_code

    # -- signing in ------------------------------------------------------------
    def sign_in(self, code: str, pin: str) -> Session:
        """One attempt, one count: a wrong PIN adds exactly one failure, however many
        processes try at once (the count is changed under the keyring's lock; the
        slow PIN check runs outside it). An empty PIN is no attempt at all."""
        keyring = self._load()
        entry = keyring.find(code.strip().upper())
        if entry is None:
            raise AccessDenied("error.trust.unknown_account", code=code.strip())
        if not pin:
            raise InvalidInput("error.trust.pin_empty")
        now = self.clock.now()
        self._refuse_if_locked(entry, now)
        payload = self._unwrap(pin, entry.wrapped)
        if payload is None:
            self._count_failure(entry.code, now)
        if payload.get("code") != entry.code or payload.get("role") != entry.role:
            raise AccessDenied("error.trust.tampered", path=str(self.path))
        failed = self._clear_failures(entry.code) if entry.failures or entry.locked_until else 0
        return Session(entry.code, entry.role, bytes.fromhex(payload["key"]), now, failed)

    def _count_failure(self, code: str, now: datetime) -> NoReturn:
        with keyring_lock(self.path):
            keyring = self._load()
            entry = keyring.find(code)
            if entry is None:  # removed meanwhile
                raise AccessDenied("error.trust.unknown_account", code=code)
            entry.failures += 1
            wait = lock_after(entry.failures)
            entry.locked_until = iso(now + wait) if wait else None
            save_keyring(self.path, keyring)
        if wait:
            raise AccessDenied("error.trust.locked", minutes=_minutes(wait))
        raise AccessDenied("error.trust.wrong_pin", left=FREE_ATTEMPTS - entry.failures)

    def _clear_failures(self, code: str) -> int:
        """A right PIN: the count starts again. Returns the failures it clears."""
        with keyring_lock(self.path):
            keyring = self._load()
            entry = keyring.find(code)
            if entry is None or not (entry.failures or entry.locked_until):
                return 0
            failed = entry.failures
            entry.failures, entry.locked_until = 0, None
            save_keyring(self.path, keyring)
        return failed

    @staticmethod
    def _refuse_if_locked(entry: AccountEntry, now: datetime) -> None:
        if entry.locked_until is None:
            return
        remaining = parse_iso(entry.locked_until) - now
        if remaining > timedelta(0):
            raise AccessDenied("error.trust.locked", minutes=_minutes(remaining))

    def locked_for(self, code: str) -> timedelta | None:
        """The wait left before `code` may try again (None: it may now)."""
        keyring = load_keyring(self.path)
        entry = keyring.find(code.strip().upper()) if keyring else None
        if entry is None or entry.locked_until is None:
            return None
        remaining = parse_iso(entry.locked_until) - self.clock.now()
        return remaining if remaining > timedelta(0) else None

    # -- administration ----------------------------------------------------------
    def accounts(self) -> list[AccountInfo]:
        return [
            AccountInfo(a.code, a.role, a.created_at, a.failures, a.locked_until)
            for a in self._load().accounts
        ]

    def add(self, session: Session, code: str, role: str, pin: str) -> AccountInfo:
        require(session, Action.MANAGE_ACCOUNTS)
        code, role = normalise_code(code), _role(role)
        if self._load().find(code) is not None:
            raise InvalidInput("error.trust.account_exists", code=code)
        self._check_pin(pin, code, self.is_demo())
        entry = self._entry(code, role, pin, session.key)
        with keyring_lock(self.path):
            keyring = self._load()
            if keyring.find(code) is not None:
                raise InvalidInput("error.trust.account_exists", code=code)
            keyring.accounts.append(entry)
            save_keyring(self.path, keyring)
        self._changed(session.code, audit_actions.ACCOUNT_ADDED, code)
        return AccountInfo(code, role, entry.created_at, 0, None)

    def remove(self, session: Session, code: str) -> None:
        require(session, Action.MANAGE_ACCOUNTS)
        with keyring_lock(self.path):
            keyring = self._load()
            entry = keyring.find(code.strip().upper())
            if entry is None:
                raise AccessDenied("error.trust.unknown_account", code=code)
            if entry.code == session.code:
                raise InvalidInput("error.trust.remove_self", code=entry.code)
            admins = [a for a in keyring.accounts if a.role == AccountRole.ADMIN]
            if entry.role == AccountRole.ADMIN and len(admins) == 1:
                raise InvalidInput("error.trust.last_admin", code=entry.code)
            keyring.accounts.remove(entry)
            save_keyring(self.path, keyring)
        self._changed(session.code, audit_actions.ACCOUNT_REMOVED, entry.code)

    def change_pin(self, code: str, old_pin: str, new_pin: str) -> Session:
        """The owner changes their PIN: the old one must unwrap first (and counts as a
        sign-in attempt, with the same lock)."""
        session = self.sign_in(code, old_pin)
        self._check_pin(new_pin, session.code, self.is_demo())
        self._rewrap(session.key, session.code, new_pin)
        self._changed(session.code, audit_actions.PIN_CHANGED, session.code)
        return session

    def reset_pin(self, session: Session, code: str, new_pin: str) -> None:
        """An administrator sets someone's new PIN (forgotten, or locked for long)."""
        require(session, Action.MANAGE_ACCOUNTS)
        code = code.strip().upper()
        self._check_pin(new_pin, code, self.is_demo())
        self._rewrap(session.key, code, new_pin)
        self._changed(session.code, audit_actions.PIN_RESET, code)

    def recover(self, recovery_code: str, code: str, new_pin: str) -> Session:
        """The recovery code printed at set-up unwraps the key; `code` gets a new PIN."""
        keyring = self._load()
        payload = None
        if keyring.recovery is not None:
            secret = crypto.normalise_recovery_code(recovery_code)
            payload = self._unwrap(secret, keyring.recovery)
        if payload is None:
            raise AccessDenied("error.trust.bad_recovery_code")
        code = code.strip().upper()
        self._check_pin(new_pin, code, keyring.demo)
        key = bytes.fromhex(payload["key"])
        entry = self._rewrap(key, code, new_pin)
        self._changed(entry.code, audit_actions.ACCOUNT_RECOVERED, entry.code)
        return Session(entry.code, entry.role, key, self.clock.now())

    def _rewrap(self, key: bytes, code: str, new_pin: str) -> AccountEntry:
        entry = self._load().find(code)
        if entry is None:
            raise AccessDenied("error.trust.unknown_account", code=code)
        fresh = self._entry(entry.code, entry.role, new_pin, key)  # the slow part
        with keyring_lock(self.path):
            keyring = self._load()
            current = keyring.find(code)
            if current is None:  # removed meanwhile
                raise AccessDenied("error.trust.unknown_account", code=code)
            fresh.created_at = current.created_at
            keyring.accounts[keyring.accounts.index(current)] = fresh
            save_keyring(self.path, keyring)
        return fresh


def _role(role: str) -> str:
    try:
        return AccountRole(role).value
    except ValueError:
        raise InvalidInput("error.trust.bad_role", role=role) from None


def _minutes(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds() / 60))
