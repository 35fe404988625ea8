"""Opening a database: the single door. With a key, the file is SQLCipher-encrypted
(every page, the WAL and the shared memory file); without one it is plain SQLite."""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from gridapp.errors import (
    AccessDenied,
    DatabaseLocked,
    DiskFull,
    EnvironmentFault,
    ReadOnlyLocation,
    UnreadableFile,
)
from gridapp.files import write_fault
from gridapp.private import create_private, private_dir, tighten

log = logging.getLogger("gridapp.storage")

BUSY_TIMEOUT_MS = 5000
KEY_BYTES = 32
#: The first 16 bytes of every plain SQLite file; an encrypted file starts with random salt.
PLAIN_HEADER = b"SQLite format 3\x00"
#: The files SQLite keeps beside a database in WAL mode.
SIDE_FILES = ("-wal", "-shm")
#: OS errors that are the place's fault (full, read-only, not allowed, not a folder),
#: worded by gridapp.files; any other is raised as it is.
_PLACE_FAULTS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.ENOTDIR,
        errno.EEXIST,
    }
)


def open_database(path: Path | str | None, key: bytes | None = None) -> Database:
    """Open (creating if needed) the database at `path`; None means in memory.

    `key` (32 random bytes) opens or creates an encrypted file. It is given to SQLCipher
    raw (`x'…'`), so no PBKDF2 runs: the key is already random, and the slow step
    (argon2id of the PIN) happened once at sign-in.

    WAL keeps readers and the single writer apart and survives power loss; foreign
    keys are on; a busy writer is waited for instead of failing at once.
    """
    with translate_sqlite_errors(path):
        target = None if path is None else Path(path)
        if target is not None:
            # Private from the first byte: SQLite would create the file with the
            # umask's mode (0644), and gives its -wal and -shm the database's mode.
            private_dir(target.parent)
            create_private(target)
        name = ":memory:" if target is None else str(target)
        conn = sqlite3.connect(name, check_same_thread=False) if key is None else _cipher(name, key)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            # Probe: an encrypted or foreign file fails here, before anything writes.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except database_errors() as exc:
            conn.close()
            raise _refusal(exc, target, key) from exc
        if target is not None:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                log.warning("journal_mode is %s, not wal", mode)
            # NORMAL is durable in WAL mode across application crashes; a power cut may
            # lose the last transactions but never corrupts the file.
            conn.execute("PRAGMA synchronous = NORMAL")
            for made in (target, *(target.with_name(target.name + s) for s in SIDE_FILES)):
                tighten(made)  # a file an older version made 0644
        conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn, execute_plugins=False)


def open_snapshot(path: Path, key: bytes | None = None) -> Database:
    """A file read as it is and never written: no journal mode set, no -wal or -shm
    created beside it (checking a backup must not change the bytes its manifest hashed)."""
    name = f"file:{path}?mode=ro&immutable=1"
    if key is None:
        return Database(sqlite3.connect(name, uri=True), execute_plugins=False)
    return Database(_cipher(name, key, uri=True), execute_plugins=False)


def _cipher(name: str, key: bytes, uri: bool = False) -> sqlite3.Connection:
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    from sqlcipher3 import dbapi2  # only encrypted databases pay for the second SQLite

    conn: Any = dbapi2.connect(name, check_same_thread=False, uri=uri)
    # SQLCipher writes a wrong key's HMAC failures to stderr; the user gets our message.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    # The same DB-API, from a copy of the sqlite3 module: typed as what it behaves as.
    return conn  # type: ignore[no-any-return]


def is_plain(path: Path) -> bool:
    """True when `path` is an unencrypted SQLite file (its header says so)."""
    try:
        with path.open("rb") as f:
            return f.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except OSError:
        return False


def _refusal(exc: Exception, target: Path | None, key: bytes | None) -> Exception:
    """Name what went wrong with the key, not just "not a database"."""
    if target is None or "not a database" not in str(exc).lower():
        return classify(exc, target)
    if key is None:
        return classify(exc, target)  # garbage, or encrypted (the caller knows: keyring)
    if is_plain(target):
        return AccessDenied("error.db.plain_with_key", path=str(target))
    return AccessDenied("error.db.wrong_key", path=str(target))


def unopenable(exc: Exception) -> bool:
    """The live file cannot be opened and a checked backup is the way back: damaged,
    or (with the key this folder's keyring unwrapped) not this folder's database at all —
    a damaged encrypted first page and another laptop's file look the same to SQLCipher."""
    if isinstance(exc, UnreadableFile):
        return True
    return isinstance(exc, AccessDenied) and exc.key == "error.db.wrong_key"


def database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's DatabaseError and, once an encrypted database was opened, SQLCipher's
    (the same hierarchy in a separate module: `except sqlite3.Error` misses it)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
    if cipher is not None:
        errors += (cipher.DatabaseError,)
    return errors


@contextmanager
def translate_sqlite_errors(where: Path | str | None = None) -> Iterator[None]:
    """Turn the environment's faults into errors the user can act on."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _PLACE_FAULTS:
            raise write_fault(exc, str(where)) from exc
        raise
    except Exception as exc:
        if not isinstance(exc, database_errors()):
            raise
        raise classify(exc, where) from exc


def classify(exc: Exception, where: Path | str | None) -> Exception:
    text = str(exc).lower()
    path = str(where) if where is not None else ":memory:"
    if "locked" in text or "busy" in text:
        return DatabaseLocked(path=path)
    if "full" in text:
        return DiskFull(path=path)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return ReadOnlyLocation(path=path)
    if "disk i/o" in text and _nearly_full(where):
        # A full disk often reaches SQLite as an I/O error (the -shm cannot grow).
        return DiskFull(path=path)
    if "not a database" in text or "malformed" in text or "disk i/o" in text:
        return UnreadableFile(path=path)
    if type(exc).__name__ == "OperationalError" and "no such" not in text:
        return EnvironmentFault(path=path, detail=str(exc))
    return exc


def _nearly_full(where: Path | str | None) -> bool:
    if where is None:
        return False
    try:
        return shutil.disk_usage(Path(where).parent).free < 256 * 1024
    except OSError:
        return False
