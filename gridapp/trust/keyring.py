"""`keyring.json` next to the database: the database key wrapped once per account (and
once for the recovery code), with each account's role and sign-in failures.

It holds no resident data and no staff names: worker codes, roles, salts, cost
parameters and ciphertext. It is written through gridapp.files (a temporary file of
its own in the same folder, fsync, rename, fsync of the folder), so a crash leaves the
old file or the new one, never half; and every read-change-write holds
`keyring.json.lock` (an OS file lock, released by the system if the process dies), so
two processes signing in at once count both wrong PINs and never write over each other.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from gridapp.errors import EnvironmentFault, UnreadableFile
from gridapp.files import file_errors, write_atomic
from gridapp.private import private_dir
from gridapp.trust.crypto import KdfParams, b64, unb64

KEYRING_FILENAME = "keyring.json"
#: How long a change waits for another process's change (each holds it for milliseconds:
#: the slow PIN check runs before the lock is taken).
LOCK_TIMEOUT_S = 30.0
FORMAT = "gridapp-keyring"
VERSION = 1


@dataclass(frozen=True)
class Wrapped:
    """The database key sealed under a key-encryption key derived from a secret."""

    kdf: KdfParams
    salt: bytes
    sealed: bytes

    def to_json(self) -> dict[str, Any]:
        return {"kdf": self.kdf.to_json(), "salt": b64(self.salt), "sealed": b64(self.sealed)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Wrapped:
        return cls(KdfParams.from_json(raw["kdf"]), unb64(raw["salt"]), unb64(raw["sealed"]))


@dataclass
class AccountEntry:
    code: str
    role: str
    wrapped: Wrapped
    created_at: str
    #: Wrong PINs since the last good one; the fifth and every later one lock the account.
    failures: int = 0
    locked_until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "role": self.role,
            "created_at": self.created_at,
            "failures": self.failures,
            "locked_until": self.locked_until,
            **self.wrapped.to_json(),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> AccountEntry:
        return cls(
            code=str(raw["code"]),
            role=str(raw["role"]),
            wrapped=Wrapped.from_json(raw),
            created_at=str(raw["created_at"]),
            failures=int(raw.get("failures", 0)),
            locked_until=raw.get("locked_until"),
        )


@dataclass
class Keyring:
    accounts: list[AccountEntry] = field(default_factory=list)
    recovery: Wrapped | None = None
    #: Made by `gridapp --demo`: its accounts and PINs are public (README, sign-in screen).
    demo: bool = False

    def find(self, code: str) -> AccountEntry | None:
        return next((a for a in self.accounts if a.code == code), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "accounts": [a.to_json() for a in self.accounts],
            "recovery": self.recovery.to_json() if self.recovery else None,
            "demo": self.demo,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Keyring:
        if raw.get("format") != FORMAT or raw.get("version") != VERSION:
            raise ValueError("not a gridapp keyring of a known version")
        recovery = raw.get("recovery")
        return cls(
            accounts=[AccountEntry.from_json(a) for a in raw.get("accounts", [])],
            recovery=Wrapped.from_json(recovery) if recovery else None,
            demo=bool(raw.get("demo", False)),
        )


def keyring_path(data_dir: Path) -> Path:
    return data_dir / KEYRING_FILENAME


def load_keyring(path: Path) -> Keyring | None:
    """The keyring, or None when there is none (a plain, single-user database)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UnreadableFile(path=str(path)) from exc
    try:
        return Keyring.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile(path=str(path)) from exc


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def keyring_lock(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Held around every read-change-write of the keyring, across processes."""
    private_dir(path.parent)
    lock = FileLock(lock_path(path), timeout=timeout, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentFault("error.trust.keyring_busy", path=str(path)) from None
    except OSError as exc:
        raise UnreadableFile(path=str(lock_path(path))) from exc
    try:
        yield
    finally:
        lock.release()


def save_keyring(path: Path, keyring: Keyring) -> None:
    """Write the whole keyring atomically; call it holding `keyring_lock(path)`."""
    with file_errors(path):
        private_dir(path.parent)
    data = json.dumps(keyring.to_json(), ensure_ascii=False, indent=2)
    write_atomic(path, data)
