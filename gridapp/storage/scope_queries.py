"""What a signed-in worker's team covers (services/guard.py)."""

from __future__ import annotations

from sqlite_utils import Database

from gridapp.storage.records import chunks


def household_in_team(db: Database, household_id: str, team_id: str | None) -> bool:
    if not team_id:
        return False
    return (
        db.execute(
            "SELECT 1 FROM household h JOIN assignment a ON a.building_id = h.building_id"
            " WHERE h.id = ? AND a.team_id = ? LIMIT 1",
            [household_id, team_id],
        ).fetchone()
        is not None
    )


def in_team(db: Database, ids: list[str], team_id: str) -> set[str]:
    """Those of `ids` whose building is assigned to `team_id`."""
    found: set[str] = set()
    for chunk, marks in chunks(ids):
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT h.id FROM household h WHERE h.id IN ({marks}) AND h.building_id IN"
                " (SELECT building_id FROM assignment WHERE team_id = ?)",
                [*chunk, team_id],
            )
        )
    return found


def team_number(db: Database, team_id: str | None) -> int | None:
    row = db.execute("SELECT number FROM team WHERE id = ?", [team_id]).fetchone()
    return None if row is None else int(row[0])


def visit_household(db: Database, visit_id: str) -> str | None:
    row = db.execute("SELECT household_id FROM visit WHERE id = ?", [visit_id]).fetchone()
    return None if row is None else str(row[0])


def made_here(db: Database, entity: str, record_id: str, device_id: str) -> bool:
    """The record was created on this device: a visit by its device id; another
    visit-side record by this device's own change log (a roster's rows are not logged)."""
    if entity == "visit":
        row = db.execute("SELECT device_id FROM visit WHERE id = ?", [record_id]).fetchone()
        return row is not None and row[0] == device_id
    row = db.execute(
        "SELECT 1 FROM change_log WHERE entity = ? AND record_id = ? AND op = 'insert'"
        " AND device_id = ? LIMIT 1",
        [entity, record_id, device_id],
    ).fetchone()
    return row is not None
