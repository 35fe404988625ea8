"""SQL for the office dashboard: every figure aggregated in the database, so a
100,000-household campaign comes back as a few thousand small rows.

Definitions are figures.py's (CLI.md "The counts"), for the campaign shown: its visits,
its callbacks, its buildings' teams.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from gridapp.storage import figures
from gridapp.storage.figures import BUILDING_TEAM, LISTED, OPEN_CALLBACK, VISITED, in_campaign

#: Each household the campaign visited, with the moment of its first live in-person
#: visit (walks the index of m008_dashboard_indexes in household order).
_FIRST_VISIT = f"""
SELECT v.household_id, min(v.started_at) AS first_at FROM live_visit v
WHERE {VISITED} AND {in_campaign("v")} GROUP BY v.household_id
"""


@contextmanager
def one_snapshot(db: Database) -> Iterator[None]:
    """Run several reads on one database snapshot (WAL), so the tiles, the charts and
    the tables agree even while a bundle import commits beside them."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


campaign = figures.campaign


def buildings(db: Database, campaign_id: str | None) -> list[tuple[Any, ...]]:
    """(building id, compound id, compound name, number, team id, households) in walking
    order; the team is the one the campaign assigned (any assignment without one). Only
    the campaign's compounds when it names any."""
    return db.execute(
        f"""SELECT b.id, c.id, c.name, b.number, {BUILDING_TEAM},
                  (SELECT count(*) FROM household h WHERE h.building_id = b.id AND {LISTED})
           FROM building b JOIN compound c ON c.id = b.compound_id
           WHERE :campaign IS NULL
              OR NOT EXISTS (SELECT 1 FROM campaign_compound WHERE campaign_id = :campaign)
              OR c.id IN (SELECT compound_id FROM campaign_compound
                          WHERE campaign_id = :campaign)
           ORDER BY c.created_at, c.name, b.sort_key, b.number""",
        {"campaign": campaign_id},
    ).fetchall()


def first_visits_by_building_day(
    db: Database, campaign_id: str | None
) -> list[tuple[str, str, int]]:
    """(building id, day, households whose first live in-person visit fell on that day):
    coverage per place and the cumulative curve per day, from one pass over visits."""
    return db.execute(
        f"""SELECT h.building_id, substr(f.first_at, 1, 10) AS day, count(*)
            FROM ({_FIRST_VISIT}) f JOIN household h ON h.id = f.household_id
            GROUP BY h.building_id, day""",
        {"campaign": campaign_id},
    ).fetchall()


def visits_by_day_outcome_team(
    db: Database, campaign_id: str | None
) -> list[tuple[str, str, str | None, int]]:
    """(day, outcome, the visit's team, live visits of any mode): the day chart, the
    outcomes and each team's visits (review state) from one pass. Times are stored in
    China time, so the first ten characters are the local date."""
    return db.execute(
        f"""SELECT substr(v.started_at, 1, 10) AS day, v.outcome, v.team_id, count(*)
           FROM live_visit v WHERE {in_campaign("v")} GROUP BY day, v.outcome, v.team_id""",
        {"campaign": campaign_id},
    ).fetchall()


def teams(db: Database) -> list[tuple[str, int, str]]:
    return db.execute("SELECT id, number, name FROM team ORDER BY number").fetchall()


def open_callbacks(
    db: Database, now: str, limit: int, campaign_id: str | None
) -> tuple[int, list[dict[str, Any]]]:
    """(how many of the campaign's open callbacks are overdue, the first `limit` of them
    due first with where they are): the open set is computed once for both."""
    rows = list(
        db.query(
            f"""WITH due AS (
                  SELECT c.id, c.household_id, c.due_at, c.note,
                         sum(c.due_at < :now) OVER () AS overdue
                  FROM callback c WHERE {OPEN_CALLBACK} AND {in_campaign("c")}
                  ORDER BY c.due_at, c.id LIMIT :limit)
            SELECT due.*, h.code, co.name AS compound, b.number AS building, h.unit, h.room,
                   {figures.BUILDING_TEAM_NUMBER} AS team
            FROM due JOIN household h ON h.id = due.household_id
            JOIN building b ON b.id = h.building_id JOIN compound co ON co.id = b.compound_id
            ORDER BY due.due_at, due.id""",
            {"now": now, "limit": limit, "campaign": campaign_id},
        )
    )
    return (int(rows[0]["overdue"]) if rows else 0), rows
