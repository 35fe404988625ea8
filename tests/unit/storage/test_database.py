"""Opening databases, and the environment's faults turned into clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gridapp.errors import DatabaseLocked, ReadOnlyLocation, UnreadableFile
from gridapp.storage.database import BUSY_TIMEOUT_MS, open_database
from gridapp.storage.schema import migrate, schema_version
from gridapp.storage.store import LocalDevice, Store


def test_file_database_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = open_database(tmp_path / "g.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_migrations_are_named_and_applied_once(tmp_path: Path) -> None:
    db = open_database(tmp_path / "g.db")
    applied = migrate(db)
    assert applied[:3] == ["m001_initial", "m002_sync", "m003_drafts"]
    assert migrate(db) == []
    assert schema_version(db) == applied[-1]


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(UnreadableFile) as info:
        Store.open(path)
    assert info.value.params["path"] == str(path)


def test_a_locked_database_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = Store.open(path)
    store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked):
            store.claim_identity(LocalDevice("d", "office", "o", "s", "b"))
    finally:
        other.rollback()
        other.close()


def test_an_unwritable_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReadOnlyLocation):
        Store.open(blocker / "sub" / "g.db")
