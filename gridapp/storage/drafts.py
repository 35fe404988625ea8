"""Drafts: a visit being typed, saved as it is typed, so a crash, a flat battery or a
closed lid loses nothing. Local to this laptop (never synced, never logged); a draft
becomes a visit only through the visit service."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

_DDL = """
CREATE TABLE _draft (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    household_id TEXT,
    payload TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


def create(db: Database) -> None:
    db.execute(_DDL)
    db.execute("CREATE INDEX _draft_household ON _draft(kind, household_id)")


def save(
    db: Database,
    draft_id: str,
    kind: str,
    household_id: str | None,
    payload: dict[str, Any],
    started_at: str,
    updated_at: str,
) -> None:
    """One statement in its own transaction: each keystroke's state is durable (WAL)."""
    with db.conn:
        db.conn.execute(
            """INSERT INTO _draft (id, kind, household_id, payload, started_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET payload = excluded.payload,
                   updated_at = excluded.updated_at""",
            [
                draft_id,
                kind,
                household_id,
                json.dumps(payload, ensure_ascii=False),
                started_at,
                updated_at,
            ],
        )


def for_household(db: Database, kind: str, household_id: str) -> dict[str, Any] | None:
    row = next(
        db.query(
            "SELECT * FROM _draft WHERE kind = ? AND household_id = ? ORDER BY updated_at DESC"
            " LIMIT 1",
            [kind, household_id],
        ),
        None,
    )
    if row is not None:
        row["payload"] = json.loads(row["payload"])
    return row


def delete(db: Database, draft_id: str) -> None:
    with db.conn:
        db.conn.execute("DELETE FROM _draft WHERE id = ?", [draft_id])


def all_drafts(db: Database) -> list[dict[str, Any]]:
    rows = list(
        db.query(
            """SELECT d.id, d.kind, d.household_id, d.started_at, d.updated_at, h.code,
                  co.name AS compound, b.number AS building, h.unit, h.room
           FROM _draft d LEFT JOIN household h ON h.id = d.household_id
           LEFT JOIN building b ON b.id = h.building_id
           LEFT JOIN compound co ON co.id = b.compound_id
           ORDER BY d.updated_at DESC"""
        )
    )
    return rows
