"""SQL for campaign set-up: the campaign's scope, teams, workers (retired ones too) and
the compound → grid → building tree with each building's team."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from gridapp.storage.schema import SYNCED_TABLES


def delete(db: Database, table: str, record_id: str) -> None:
    """Remove a link row (a compound out of scope, an unassigned building); the trigger
    logs the delete like any other change."""
    if table not in SYNCED_TABLES:
        raise ValueError(f"not a synced table: {table}")
    db.execute(f"DELETE FROM {table} WHERE id = ?", [record_id])


def campaign(db: Database, campaign_id: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM campaign WHERE id = ?", [campaign_id]), None)


def campaign_compounds(db: Database, campaign_id: str) -> dict[str, str]:
    """compound id → the campaign_compound row's id."""
    return {
        row[0]: row[1]
        for row in db.execute(
            "SELECT compound_id, id FROM campaign_compound WHERE campaign_id = ?", [campaign_id]
        ).fetchall()
    }


def assigned_in_compound(db: Database, campaign_id: str, compound_id: str) -> int:
    return int(
        db.execute(
            """SELECT count(*) FROM assignment a JOIN building b ON b.id = a.building_id
               WHERE a.campaign_id = ? AND b.compound_id = ?""",
            [campaign_id, compound_id],
        ).fetchone()[0]
    )


def compound_name(db: Database, compound_id: str) -> str | None:
    row = db.execute("SELECT name FROM compound WHERE id = ?", [compound_id]).fetchone()
    return str(row[0]) if row else None


#: Id-or-name lookups, one statement per table (no table name ever comes from data).
_BY_REF = {
    table: f"SELECT id FROM {table} WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1"
    for table in ("compound", "campaign")
}


def compound_by_ref(db: Database, ref: str) -> str | None:
    """A compound by id or by its exact name."""
    return _by_ref(db, "compound", ref)


def campaign_by_ref(db: Database, ref: str) -> str | None:
    """A campaign by id or by its exact name."""
    return _by_ref(db, "campaign", ref)


def _by_ref(db: Database, table: str, ref: str) -> str | None:
    row = db.execute(_BY_REF[table], [ref, ref, ref]).fetchone()
    return str(row[0]) if row else None


def building_names(db: Database) -> list[tuple[str, str, str]]:
    """(id, compound name, number) of every building: what people call it."""
    return [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in db.execute(
            "SELECT b.id, c.name, b.number FROM building b JOIN compound c ON c.id = b.compound_id"
            " ORDER BY c.created_at, c.name, b.sort_key, b.number"
        ).fetchall()
    ]


def grid_names(db: Database) -> list[tuple[str, str, str, str]]:
    """(id, compound name, name, code) of every grid."""
    return [
        (str(r[0]), str(r[1]), str(r[2]), str(r[3]))
        for r in db.execute(
            "SELECT g.id, c.name, g.name, g.code FROM grid g"
            " JOIN compound c ON c.id = g.compound_id ORDER BY c.created_at, c.name, g.name"
        ).fetchall()
    ]


def compound_names(db: Database) -> list[tuple[str, str]]:
    return [
        (str(r[0]), str(r[1]))
        for r in db.execute("SELECT id, name FROM compound ORDER BY created_at, name").fetchall()
    ]


def team(db: Database, ref: int | str) -> dict[str, Any] | None:
    """A team by number (int) or id (str)."""
    column = "number" if isinstance(ref, int) else "id"
    return next(db.query(f"SELECT * FROM team WHERE {column} = ?", [ref]), None)


def building_compounds(db: Database, building_ids: Sequence[str]) -> dict[str, str]:
    """building id → compound id, for the ids that exist."""
    found: dict[str, str] = {}
    for start in range(0, len(building_ids), 500):
        chunk = list(building_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found.update(
            (row[0], row[1])
            for row in db.execute(
                f"SELECT id, compound_id FROM building WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def buildings_of_grid(db: Database, grid_id: str) -> list[str] | None:
    """The grid's buildings in walking order; None when there is no such grid."""
    if db.execute("SELECT 1 FROM grid WHERE id = ?", [grid_id]).fetchone() is None:
        return None
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM building WHERE grid_id = ? ORDER BY sort_key, number", [grid_id]
        ).fetchall()
    ]


def buildings_of_compound(db: Database, compound_id: str) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM building WHERE compound_id = ? ORDER BY sort_key, number",
            [compound_id],
        ).fetchall()
    ]


def assignments(db: Database, campaign_id: str, building_ids: Iterable[str]) -> dict[str, Any]:
    """building id → its assignment row (id, team_id) in this campaign."""
    ids = list(building_ids)
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT id, team_id, building_id FROM assignment"
            f" WHERE campaign_id = ? AND building_id IN ({marks})",
            [campaign_id, *chunk],
        ):
            found[row["building_id"]] = row
    return found


def teams(db: Database, campaign_id: str | None) -> list[dict[str, Any]]:
    """Every team with its active workers and the buildings and households it holds."""
    return list(
        db.query(
            """SELECT t.id, t.number, t.name,
                  (SELECT count(*) FROM worker w WHERE w.team_id = t.id AND w.active = 1)
                    AS workers,
                  (SELECT count(*) FROM assignment a WHERE a.team_id = t.id
                    AND a.campaign_id = :c) AS buildings,
                  (SELECT count(*) FROM household h JOIN assignment a
                    ON a.building_id = h.building_id
                    WHERE a.team_id = t.id AND a.campaign_id = :c
                    AND h.merged_into IS NULL) AS households
               FROM team t ORDER BY t.number""",
            {"c": campaign_id},
        )
    )


def workers(db: Database) -> list[dict[str, Any]]:
    """Every worker, retired ones too (visits point at them), active first."""
    return list(
        db.query(
            """SELECT w.id, w.code, w.name, w.role, w.active, w.team_id, t.number AS team,
                  t.name AS team_name,
                  (SELECT count(*) FROM live_visit v WHERE v.worker_id = w.id) AS visits
               FROM worker w LEFT JOIN team t ON t.id = w.team_id
               ORDER BY w.active DESC, t.number IS NULL, t.number, w.code"""
        )
    )


def assignment_tree(db: Database, campaign_id: str | None) -> list[dict[str, Any]]:
    """One row per building, compound → grid → building in walking order, with whether
    its compound is in the campaign and the team holding it (if any)."""
    return list(
        db.query(
            """SELECT c.id AS compound_id, c.name AS compound_name,
                  EXISTS (SELECT 1 FROM campaign_compound cc WHERE cc.campaign_id = :c
                          AND cc.compound_id = c.id) AS in_scope,
                  g.id AS grid_id, g.name AS grid_name,
                  b.id AS building_id, b.number AS building_number,
                  (SELECT count(*) FROM household h WHERE h.building_id = b.id
                    AND h.merged_into IS NULL) AS households,
                  t.number AS team, t.name AS team_name
               FROM building b
               JOIN compound c ON c.id = b.compound_id
               LEFT JOIN grid g ON g.id = b.grid_id
               LEFT JOIN assignment a ON a.building_id = b.id AND a.campaign_id = :c
               LEFT JOIN team t ON t.id = a.team_id
               ORDER BY c.created_at, c.name, g.code, g.name, b.sort_key, b.number""",
            {"c": campaign_id},
        )
    )


def compounds_with_scope(db: Database, campaign_id: str | None) -> list[dict[str, Any]]:
    return list(
        db.query(
            """SELECT c.id, c.name, EXISTS (SELECT 1 FROM campaign_compound cc
                  WHERE cc.campaign_id = :c AND cc.compound_id = c.id) AS in_scope
               FROM compound c ORDER BY c.created_at, c.name""",
            {"c": campaign_id},
        )
    )
