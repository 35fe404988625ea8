"""Reads for the field's home screen: callbacks due, households not yet reached."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from gridapp.storage.figures import LISTED, OPEN_CALLBACK, VISITED
from gridapp.storage.queries import HEAD_NAME, WALK_ORDER

_TEAM_BUILDINGS = """SELECT a.building_id FROM assignment a JOIN team t ON t.id = a.team_id
                     WHERE t.number = :team"""


def team_of_device(db: Database, device_id: str) -> int | None:
    row = db.execute(
        "SELECT t.number FROM device d JOIN team t ON t.id = d.team_id WHERE d.id = ?", [device_id]
    ).fetchone()
    return int(row[0]) if row else None


def callbacks_due(db: Database, team: int | None, until: str) -> list[dict[str, Any]]:
    """Open callbacks due by `until` (overdue ones included), soonest first, with the
    household's address and the name it goes by."""
    scope = f"AND h.building_id IN ({_TEAM_BUILDINGS})" if team is not None else ""
    return list(
        db.query(
            f"""SELECT c.id, c.household_id, c.due_at, c.note, h.code,
                   co.name AS compound, b.number AS building, h.unit, h.room,
                   {HEAD_NAME} AS head_name,
                   (SELECT count(*) FROM live_visit v WHERE v.household_id = c.household_id)
                       AS attempts
            FROM callback c JOIN household h ON h.id = c.household_id
            JOIN building b ON b.id = h.building_id JOIN compound co ON co.id = b.compound_id
            WHERE {OPEN_CALLBACK} AND c.due_at <= :until {scope}
            ORDER BY c.due_at""",
            {"until": until, "team": team},
        )
    )


def unreached(db: Database, team: int | None, limit: int = 500) -> list[str]:
    """Households nobody has visited in person yet, in walking order."""
    scope = f"AND h.building_id IN ({_TEAM_BUILDINGS})" if team is not None else ""
    rows = db.execute(
        f"""SELECT h.id FROM household h JOIN building b ON b.id = h.building_id
            JOIN compound c ON c.id = b.compound_id
            WHERE NOT EXISTS (SELECT 1 FROM live_visit v WHERE v.household_id = h.id
                              AND {VISITED}) AND {LISTED} {scope}
            ORDER BY c.created_at, c.name, b.sort_key, b.number, {WALK_ORDER}
            LIMIT :limit""",
        {"team": team, "limit": limit},
    ).fetchall()
    return [r[0] for r in rows]


def visit_for_correction(db: Database, visit_id: str) -> dict[str, Any] | None:
    """A visit with its answers, explanations and suggestions, to prefill a correction."""
    visit = next(db.query("SELECT * FROM visit WHERE id = ?", [visit_id]), None)
    if visit is None:
        return None
    visit["answers"] = {
        r["question"]: r["value"]
        for r in db.query("SELECT question, value FROM answer WHERE visit_id = ?", [visit_id])
    }
    visit["explained"] = [
        (r["policy_item_id"], r["reaction"])
        for r in db.query(
            "SELECT policy_item_id, reaction FROM explanation WHERE visit_id = ?", [visit_id]
        )
    ]
    visit["suggestions"] = [
        (r["category"], r["text"])
        for r in db.query("SELECT category, text FROM suggestion WHERE visit_id = ?", [visit_id])
    ]
    worker = db.execute("SELECT code FROM worker WHERE id = ?", [visit["worker_id"]]).fetchone()
    visit["worker_code"] = worker[0] if worker else ""
    return visit
