"""SQL of a household's lifecycle at the office (services/households.py): who lives
there, who leaves, and forgetting those who left (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from gridapp.storage import purge


def resident_ids(db: Database, household_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM resident WHERE household_id = ? ORDER BY rowid", [household_id]
        ).fetchall()
    ]


def phone_ids(db: Database, resident_ids: Iterable[str]) -> list[str]:
    ids = list(resident_ids)
    found: list[str] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.extend(
            r[0]
            for r in db.execute(
                f"SELECT id FROM phone WHERE resident_id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def room_taken(db: Database, building_id: str, unit: str, room: str) -> bool:
    """Another household of the building already has this room (merged ones aside)."""
    return (
        db.execute(
            "SELECT 1 FROM household WHERE building_id = ? AND unit = ? AND room = ?"
            " AND merged_into IS NULL LIMIT 1",
            [building_id, unit, room],
        ).fetchone()
        is not None
    )


def code_taken(db: Database, code: str) -> bool:
    return (
        db.execute("SELECT 1 FROM household WHERE code = ? LIMIT 1", [code]).fetchone() is not None
    )


def forget(db: Database, resident_ids: Iterable[str], phone_ids: Iterable[str]) -> int:
    """Inside the caller's transaction, after the rows were deleted: blank the personal
    values of the change log's entries about these residents and phones (as a purge
    does), so the names that left leave the log too. Returns the entries redacted."""
    purge.stage(db, [])
    try:
        db.conn.executemany(
            "INSERT OR IGNORE INTO temp._purge_r (id) VALUES (?)", [(i,) for i in resident_ids]
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO temp._purge_p (id) VALUES (?)", [(i,) for i in phone_ids]
        )
        return purge.redact_log(db)
    finally:
        purge.drop_stage(db)
