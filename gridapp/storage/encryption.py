"""Turning a plain database into an encrypted one, leaving nothing plain behind.

`sqlcipher_export` copies schema and rows (triggers, indexes, FTS tables too) into a new
encrypted file; the copy is verified table by table before it replaces the original,
and the original's blocks are overwritten with zeros (best effort: a journalling or
copy-on-write file system or an SSD may still keep old blocks; see docs/threat-model.md).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from gridapp.errors import InvalidInput, UnreadableFile
from gridapp.files import fsync_dir, fsync_file
from gridapp.private import create_private
from gridapp.storage.database import is_plain, open_database, translate_sqlite_errors

log = logging.getLogger("gridapp.storage")

SIDECARS = ("-wal", "-shm", "-journal")


def table_counts(conn: Any) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            " ORDER BY name"
        )
    ]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def encrypt_in_place(path: Path, key: bytes) -> dict[str, int]:
    """Replace the plain database at `path` by an encrypted copy under `key`.

    No other connection may be open on it. Returns the verified row count per table.
    """
    if not is_plain(path):
        raise InvalidInput("error.db.not_plain", path=str(path))
    work = path.with_name(path.name + ".encrypting")
    _remove_with_sidecars(work)
    with translate_sqlite_errors(path):
        plain = sqlite3.connect(str(path))
        try:
            # Fold the WAL into the file, so the export and the wipe see every page.
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            expected = table_counts(plain)
            user_version = plain.execute("PRAGMA user_version").fetchone()[0]
        finally:
            plain.close()
        create_private(work)  # ATTACH would make it with the umask's mode
        _export(path, work, key, int(user_version))
        copy = open_database(work, key)
        try:
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise UnreadableFile(path=str(work))
            found = table_counts(copy.conn)
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            copy.close()
    if found != expected:
        _remove_with_sidecars(work)
        raise InvalidInput("error.db.encrypt_mismatch", path=str(path))
    # Not gridapp.files.atomic_path: the plain original must first step aside under a
    # name `finish_interrupted` knows, to be wiped (or put back) after a crash.
    fsync_file(work)
    old = _set_aside(path)
    for suffix in SIDECARS:
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(path, old)
    os.replace(work, path)
    fsync_dir(path.parent)
    _wipe_and_remove(old)
    log.info("encrypted %s (%d tables)", path, len(found))
    return found


def _set_aside(path: Path) -> Path:
    return path.with_name(path.name + ".plain")


def finish_interrupted(path: Path) -> None:
    """After a crash in the middle of `encrypt_in_place`: wipe a plain original that was
    already replaced, or put it back when its encrypted copy never arrived."""
    old = _set_aside(path)
    if not old.exists():
        return
    if path.exists() and not is_plain(path):
        _wipe_and_remove(old)
        log.info("finished an interrupted encryption of %s", path)
    elif not path.exists():
        os.replace(old, path)
        log.warning("encryption of %s was interrupted; the plain file is back", path)


def wipe_plain_copies(folder: Path) -> list[Path]:
    """Overwrite and delete every plain SQLite file in `folder` (backups made before the
    database was encrypted, and their manifests): once encrypted, nothing plain stays
    beside it. Returns the files removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for candidate in sorted(folder.iterdir()):
        if candidate.is_file() and is_plain(candidate):
            _wipe_and_remove(candidate)
            manifest = candidate.with_name(candidate.name + ".manifest.json")
            manifest.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _wipe_and_remove(path: Path) -> None:
    """Overwrite the plain file's blocks with zeros, then delete it."""
    with path.open("r+b") as handle:
        _wipe(handle)
    path.unlink()
    fsync_dir(path.parent)


def _export(plain_path: Path, target: Path, key: bytes, user_version: int) -> None:
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(str(plain_path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("ATTACH DATABASE ? AS encrypted KEY \"x'" + key.hex() + "'\"", [str(target)])
        conn.execute("SELECT sqlcipher_export('encrypted')").fetchone()
        conn.execute(f"PRAGMA encrypted.user_version = {user_version}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def _wipe(handle: Any) -> None:
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    block = b"\0" * 65536
    written = 0
    while written < size:
        written += handle.write(block[: min(len(block), size - written)])
    handle.flush()
    os.fsync(handle.fileno())


def _remove_with_sidecars(path: Path) -> None:
    path.unlink(missing_ok=True)
    for suffix in SIDECARS:
        Path(str(path) + suffix).unlink(missing_ok=True)
