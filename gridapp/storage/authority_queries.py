"""What the office knows that decides what a laptop may write (sync/authority.py): its
team's buildings, now and in the past, its workers, who created a record. Identifiers
in these statements are our own; values are bound parameters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from gridapp.storage import records
from gridapp.storage.schema import SYNCED_TABLES

_TABLES = frozenset(SYNCED_TABLES)


def team_buildings(db: Database, team_id: str) -> set[str]:
    return {
        row[0]
        for row in db.execute("SELECT building_id FROM assignment WHERE team_id = ?", [team_id])
    }


def team_workers(db: Database, team_id: str) -> set[str]:
    """Workers in the team now, or at any time the office's log remembers (a worker
    moved to another team yesterday still signed yesterday's visits)."""
    now = {row[0] for row in db.execute("SELECT id FROM worker WHERE team_id = ?", [team_id])}
    logged = {
        row[0]
        for row in db.execute(
            "SELECT record_id FROM change_log WHERE entity = 'worker'"
            " AND json_extract(fields, '$.team_id') = ?",
            [team_id],
        )
    }
    return now | logged


def assignment_history(db: Database) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every logged assignment change in clock order: (hlc, record id, op, fields)."""
    for hlc, record_id, op, fields in db.execute(
        "SELECT hlc, record_id, op, fields FROM change_log WHERE entity = 'assignment'"
        " ORDER BY hlc, device_id, seq"
    ):
        yield hlc, record_id, op, json.loads(fields) if fields else {}


def parents(db: Database, table: str, column: str, ids: Iterable[str]) -> dict[str, Any]:
    """`column` of each existing row of `table` among `ids` (a household's building, a
    resident's household, a visit's device or questionnaire)."""
    if table not in _TABLES or column not in _PARENT_COLUMNS:
        raise ValueError(f"not a parent link: {table}.{column}")
    found: dict[str, Any] = {}
    for chunk, marks in records.chunks(list(ids)):
        found.update(
            db.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", chunk).fetchall()
        )
    return found


_PARENT_COLUMNS = frozenset(
    {"building_id", "household_id", "resident_id", "device_id", "questionnaire_id"}
)


def creator(db: Database, entity: str, record_id: str) -> str | None:
    """The device whose change log first inserted the record, as the office merged it."""
    row = db.execute(
        "SELECT device_id FROM change_log WHERE entity = ? AND record_id = ? AND op = 'insert'"
        " ORDER BY hlc LIMIT 1",
        [entity, record_id],
    ).fetchone()
    return None if row is None else str(row[0])
