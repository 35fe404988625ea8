"""The audit log is append-only and hash-chained."""

from __future__ import annotations

import sqlite3

import pytest

from gridapp.storage import audit
from gridapp.storage.database import open_database
from gridapp.storage.schema import migrate


def _db():  # type: ignore[no-untyped-def]
    db = open_database(None)
    migrate(db)
    return db


def test_entries_chain_and_read_newest_first() -> None:
    db = _db()
    audit.append(db, "2026-11-26T09:00:00+08:00", "W0101", "sign_in")
    audit.append(db, "2026-11-26T09:01:00+08:00", "W0101", "reveal_phone", "hh-1", field="phone")
    found = list(audit.entries(db))
    assert [e.action for e in found] == ["reveal_phone", "sign_in"]
    assert found[0].detail == {"field": "phone"} and found[0].target == "hh-1"
    assert audit.verify_chain(db) is None


def test_rows_cannot_be_changed_or_removed() -> None:
    db = _db()
    audit.append(db, "2026-11-26T09:00:00+08:00", "W0101", "sign_in")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE _audit SET actor = 'X'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM _audit")


def test_an_edit_behind_the_triggers_breaks_the_chain_where_it_happened() -> None:
    db = _db()
    for minute in range(3):
        audit.append(db, f"2026-11-26T09:0{minute}:00+08:00", "W0101", "export")
    db.execute("DROP TRIGGER _audit_append_only_update")
    db.execute("UPDATE _audit SET actor = 'someone else' WHERE seq = 2")
    assert audit.verify_chain(db) == 2
