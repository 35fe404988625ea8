"""Opening a database: the single door, so SQLCipher can later be swapped in here."""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from gridapp.errors import (
    DatabaseLocked,
    DiskFull,
    EnvironmentFault,
    ReadOnlyLocation,
    UnreadableFile,
)

log = logging.getLogger("gridapp.storage")

BUSY_TIMEOUT_MS = 5000


def open_database(path: Path | str | None) -> Database:
    """Open (creating if needed) the database at `path`; None means in memory.

    WAL keeps readers and the single writer apart and survives power loss; foreign
    keys are on; a busy writer is waited for instead of failing at once.
    """
    with translate_sqlite_errors(path):
        if path is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(target), check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path is not None:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                log.warning("journal_mode is %s, not wal", mode)
            # NORMAL is durable in WAL mode across application crashes; a power cut may
            # lose the last transactions but never corrupts the file.
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Probe: an encrypted or foreign file fails here with a clear error.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return Database(conn, execute_plugins=False)


@contextmanager
def translate_sqlite_errors(where: Path | str | None = None) -> Iterator[None]:
    """Turn the environment's faults into errors the user can act on."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise classify(exc, where) from exc
    except sqlite3.DatabaseError as exc:
        raise classify(exc, where) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull(path=str(where)) from exc
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST):
            raise ReadOnlyLocation(path=str(where)) from exc
        raise


def classify(exc: sqlite3.Error, where: Path | str | None) -> Exception:
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
    if isinstance(exc, sqlite3.OperationalError) and "no such" not in text:
        return EnvironmentFault(path=path, detail=str(exc))
    return exc


def _nearly_full(where: Path | str | None) -> bool:
    if where is None:
        return False
    try:
        return shutil.disk_usage(Path(where).parent).free < 256 * 1024
    except OSError:
        return False
