"""Reads for screens and commands. Lists return ids first; rows are fetched by id in
pages, so a 100,000-household campaign never loads whole."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from gridapp.model import (
    BuildingSummary,
    CompoundSummary,
    HouseholdDetail,
    HouseholdRow,
    ResidentView,
    TimelineEvent,
)
from gridapp.storage import figures
from gridapp.storage.figures import OPEN_CALLBACK, VISITED

_VISITED_BY_BUILDING = f"""
SELECT h.building_id AS building_id, count(*) AS visited
FROM household h
WHERE EXISTS (SELECT 1 FROM live_visit v WHERE v.household_id = h.id AND {VISITED})
GROUP BY h.building_id
"""

WALK_ORDER = "h.unit, h.floor, CAST(h.room AS INTEGER), h.room"


def compound_summaries(db: Database) -> list[CompoundSummary]:
    sql = f"""
    SELECT c.id, c.name,
           (SELECT count(*) FROM building b WHERE b.compound_id = c.id) AS buildings,
           (SELECT count(*) FROM household h JOIN building b ON b.id = h.building_id
             WHERE b.compound_id = c.id AND {figures.LISTED}) AS households,
           COALESCE((SELECT sum(vb.visited) FROM ({_VISITED_BY_BUILDING}) vb
             JOIN building b ON b.id = vb.building_id WHERE b.compound_id = c.id), 0) AS visited
    FROM compound c ORDER BY c.created_at, c.name
    """
    return [CompoundSummary(*row) for row in db.execute(sql).fetchall()]


def compound_names(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every compound in creation order: cheap, for trees and pickers."""
    return [
        (r[0], r[1])
        for r in db.execute("SELECT id, name FROM compound ORDER BY created_at, name").fetchall()
    ]


def building_summaries(
    db: Database,
    compound_id: str | None = None,
    team_number: int | None = None,
    with_progress: bool = True,
) -> list[BuildingSummary]:
    """Buildings in walking order with household totals; `with_progress=False` skips the
    visited counts (the costly part on a large campaign: screens fetch it apart)."""
    where: list[str] = []
    params: list[Any] = []
    if compound_id is not None:
        where.append("b.compound_id = ?")
        params.append(compound_id)
    if team_number is not None:
        where.append("t.number = ?")
        params.append(team_number)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    # A correlated count walks the household_walk index per building: cheaper than
    # grouping every household when only some buildings are asked for, and no worse
    # when all are.
    sql = f"""
    SELECT b.id, b.compound_id, c.name, b.number, b.kind, b.floors,
           (SELECT count(*) FROM household h WHERE h.building_id = b.id AND {figures.LISTED}),
           NULL, t.number
    FROM building b
    JOIN compound c ON c.id = b.compound_id
    LEFT JOIN assignment a ON a.building_id = b.id
    LEFT JOIN team t ON t.id = a.team_id
    {clause}
    ORDER BY c.created_at, c.name, b.sort_key, b.number
    """
    rows = [BuildingSummary(*row) for row in db.execute(sql, params).fetchall()]
    if with_progress:
        visited = visited_by_building(db)
        rows = [dataclasses.replace(r, households_visited=visited.get(r.id, 0)) for r in rows]
    return rows


def visited_by_building(db: Database) -> dict[str, int]:
    """Households with at least one live in-person visit, per building."""
    return {row[0]: int(row[1]) for row in db.execute(_VISITED_BY_BUILDING).fetchall()}


def household_ids(
    db: Database,
    building_id: str | None = None,
    team_number: int | None = None,
    compound_id: str | None = None,
    grid_id: str | None = None,
) -> list[str]:
    """Household ids in walking order (building, unit, floor, room)."""
    where: list[str] = [figures.LISTED]
    params: list[Any] = []
    join = "JOIN building b ON b.id = h.building_id JOIN compound c ON c.id = b.compound_id"
    if building_id is not None:
        where.append("h.building_id = ?")
        params.append(building_id)
    if grid_id is not None:
        where.append("b.grid_id = ?")
        params.append(grid_id)
    if compound_id is not None:
        where.append("b.compound_id = ?")
        params.append(compound_id)
    if team_number is not None:
        join += " JOIN assignment a ON a.building_id = b.id JOIN team t ON t.id = a.team_id"
        where.append("t.number = ?")
        params.append(team_number)
    clause = "WHERE " + " AND ".join(where)
    sql = f"""SELECT h.id FROM household h {join} {clause}
              ORDER BY c.created_at, c.name, b.sort_key, b.number, {WALK_ORDER}"""
    return [row[0] for row in db.execute(sql, params).fetchall()]


#: The name a household goes by (its head, else an owner, else the first resident), for
#: a query where the household is `h`.
HEAD_NAME = """COALESCE((SELECT r.name FROM resident r WHERE r.household_id = h.id
                 ORDER BY (r.relation = 'head') DESC, r.is_owner DESC, r.rowid LIMIT 1), '')"""

_HOUSEHOLD_ROW = f"""
SELECT h.id, h.code, c.name, b.number, h.unit, h.floor, h.room, h.area, h.status, h.tags,
       {HEAD_NAME},
       (SELECT count(*) FROM live_visit v WHERE v.household_id = h.id),
       (SELECT v.outcome FROM live_visit v WHERE v.household_id = h.id
         ORDER BY v.started_at DESC LIMIT 1)
FROM household h
JOIN building b ON b.id = h.building_id
JOIN compound c ON c.id = b.compound_id
"""


def _household_row(row: Sequence[Any]) -> HouseholdRow:
    values = list(row)
    values[9] = json.loads(values[9] or "[]")
    return HouseholdRow(*values)


def household_rows(db: Database, ids: Sequence[str]) -> list[HouseholdRow]:
    """Rows for the given ids, in the order given."""
    found: dict[str, HouseholdRow] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"{_HOUSEHOLD_ROW} WHERE h.id IN ({marks})", chunk).fetchall():
            found[row[0]] = _household_row(row)
    return [found[i] for i in ids if i in found]


def neighbours(db: Database, household_id: str) -> list[str]:
    """The other households to visit in the same building, in walking order (what a
    household may merge with)."""
    return [
        r[0]
        for r in db.execute(
            f"""SELECT h.id FROM household h JOIN household me ON me.id = ?
                WHERE h.building_id = me.building_id AND h.id != me.id AND {figures.LISTED}
                ORDER BY {WALK_ORDER}""",
            [household_id],
        ).fetchall()
    ]


def household_by_code(db: Database, code: str) -> str | None:
    row = db.execute("SELECT id FROM household WHERE code = ?", [code]).fetchone()
    return row[0] if row else None


def household_detail(db: Database, household_id: str) -> HouseholdDetail | None:
    rows = household_rows(db, [household_id])
    if not rows:
        return None
    residents = []
    for rid, name, relation, is_owner in db.execute(
        "SELECT id, name, relation, is_owner FROM resident WHERE household_id = ?"
        " ORDER BY (relation = 'head') DESC, is_owner DESC, rowid",
        [household_id],
    ).fetchall():
        phones = [
            p[0]
            for p in db.execute(
                "SELECT number FROM phone WHERE resident_id = ? ORDER BY rowid", [rid]
            ).fetchall()
        ]
        residents.append(ResidentView(rid, name, relation, bool(is_owner), phones))
    return HouseholdDetail(
        row=rows[0],
        residents=residents,
        timeline=_timeline(db, household_id),
        open_callbacks=[
            r[0]
            for r in db.execute(
                f"SELECT c.due_at FROM callback c WHERE c.household_id = ? AND {OPEN_CALLBACK}"
                " ORDER BY c.due_at",
                [household_id],
            ).fetchall()
        ],
    )


def _timeline(db: Database, household_id: str) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    live = {
        r[0]
        for r in db.execute(
            "SELECT id FROM live_visit WHERE household_id = ?", [household_id]
        ).fetchall()
    }
    for row in db.query(
        """SELECT v.id, v.started_at, v.ended_at, v.mode, v.outcome, v.people_met, v.notes,
                  w.name AS worker, v.supersedes_id,
                  (SELECT count(*) FROM answer a WHERE a.visit_id = v.id) AS answers,
                  (SELECT count(*) FROM explanation e WHERE e.visit_id = v.id) AS explained
           FROM visit v LEFT JOIN worker w ON w.id = v.worker_id
           WHERE v.household_id = ? ORDER BY v.started_at""",
        [household_id],
    ):
        vid = row.pop("id")
        at = row.pop("started_at")
        events.append(TimelineEvent(at, "visit", vid, row, voided=vid not in live))
    for row in db.query(
        """SELECT o.id, o.answered_at, o.channel, o.question, o.answer, w.name AS worker
           FROM online_answer o LEFT JOIN worker w ON w.id = o.worker_id
           WHERE o.household_id = ?""",
        [household_id],
    ):
        oid = row.pop("id")
        events.append(TimelineEvent(row.pop("answered_at"), "online_answer", oid, row))
    for row in db.query(
        # The status is the office's latest follow-up step; the record keeps its own.
        """SELECT s.id, s.created_at, s.category, s.text,
                  COALESCE((SELECT st.status FROM suggestion_status st
                            WHERE st.suggestion_id = s.id ORDER BY st.at DESC, st.id DESC
                            LIMIT 1), s.status) AS status
           FROM suggestion s WHERE s.household_id = ?""",
        [household_id],
    ):
        sid = row.pop("id")
        events.append(TimelineEvent(row.pop("created_at"), "suggestion", sid, row))
    for row in db.query(
        # The office's lifecycle steps: counts and the other room, never names.
        """SELECT e.id, e.at, e.kind AS event, e.residents, o.room
           FROM household_event e LEFT JOIN household o ON o.id = e.other_household_id
           WHERE e.household_id = ? ORDER BY e.at, e.rowid""",
        [household_id],
    ):
        eid = row.pop("id")
        events.append(TimelineEvent(row.pop("at"), "household_event", eid, row))
    events.sort(key=lambda e: e.at)
    return events


def worker_by_code(db: Database, code: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM worker WHERE code = ?", [code]), None)


active_campaign = figures.active_campaign


def team_of_building(db: Database, building_id: str, campaign_id: str | None = None) -> int | None:
    """The building's team number in the campaign (any campaign's when None)."""
    row = db.execute(
        f"SELECT {figures.BUILDING_TEAM_NUMBER} FROM building b WHERE b.id = :building",
        {"building": building_id, "campaign": campaign_id},
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def is_empty(db: Database) -> bool:
    return db.execute("SELECT 1 FROM household LIMIT 1").fetchone() is None


def assignment(db: Database, campaign_id: str, building_id: str) -> dict[str, Any] | None:
    return next(
        db.query(
            "SELECT id, team_id FROM assignment WHERE campaign_id = ? AND building_id = ?",
            [campaign_id, building_id],
        ),
        None,
    )


def is_voided(db: Database, entity: str, record_id: str) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM void WHERE entity = ? AND record_id = ?", [entity, record_id]
        ).fetchone()
        is not None
    )


def household_phones(db: Database, ids: Sequence[str]) -> dict[str, list[str]]:
    """Each household's phone numbers (head first, as the household page lists them).
    Full numbers: callers mask them, or reveal them through an audited service."""
    found: dict[str, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for household_id, number in db.execute(
            f"""SELECT r.household_id, p.number FROM resident r JOIN phone p
                ON p.resident_id = r.id WHERE r.household_id IN ({marks})
                ORDER BY r.household_id, (r.relation = 'head') DESC, r.is_owner DESC,
                         r.rowid, p.rowid""",
            chunk,
        ):
            found[household_id].append(number)
    return found


def household_of_phone(db: Database, phone_id: str) -> str | None:
    row = db.execute(
        "SELECT r.household_id FROM phone p JOIN resident r ON r.id = p.resident_id WHERE p.id = ?",
        [phone_id],
    ).fetchone()
    return None if row is None else str(row[0])
