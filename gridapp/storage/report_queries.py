"""Reads behind the reports (gridapp/services/reports.py): per building, per team, per
day, and the visit and suggestion listings.

Counting follows stats.py: only live visits (`live_visit`), live suggestions (not
voided, not hanging off a dead visit); "visited" is a household with at least one
`in_person` visit; a consultation (入户征询) is an `in_person` visit, outcome `met`,
with answers. Listings carry household codes and addresses, never resident names or
phones (PIPL: the minimum a report needs).

A visit's day is its local (+08:00) date: the first ten characters of `started_at`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from gridapp.storage.stats import CONSULTATION as _CONSULTATION
from gridapp.storage.stats import LIVE_SUGGESTION as _LIVE_SUGGESTION

# The latest step of a suggestion (suggestion_status rows), else its own status.
_STATUS = """COALESCE((SELECT st.status FROM suggestion_status st
    WHERE st.suggestion_id = s.id ORDER BY st.at DESC, st.id DESC LIMIT 1), s.status)"""


def campaign(db: Database) -> dict[str, Any] | None:
    return next(
        db.query(
            "SELECT id, name, starts_on, ends_on FROM campaign WHERE status = 'active'"
            " ORDER BY starts_on DESC LIMIT 1"
        ),
        None,
    )


def building_progress(db: Database) -> list[dict[str, Any]]:
    """Per building in walking order: households, households visited, consultations."""
    sql = f"""
    WITH visited AS (
        SELECT h.building_id, count(DISTINCT v.household_id) AS n
        FROM live_visit v JOIN household h ON h.id = v.household_id
        WHERE v.mode = 'in_person' GROUP BY h.building_id
    ), consulted AS (
        SELECT h.building_id, count(*) AS n
        FROM live_visit v JOIN household h ON h.id = v.household_id
        WHERE {_CONSULTATION} GROUP BY h.building_id
    ), teams AS (
        SELECT a.building_id, min(t.number) AS number
        FROM assignment a JOIN team t ON t.id = a.team_id GROUP BY a.building_id
    )
    SELECT b.id, c.name AS compound, b.number AS building, teams.number AS team,
           (SELECT count(*) FROM household h WHERE h.building_id = b.id) AS households,
           COALESCE(visited.n, 0) AS visited, COALESCE(consulted.n, 0) AS consultations
    FROM building b
    JOIN compound c ON c.id = b.compound_id
    LEFT JOIN visited ON visited.building_id = b.id
    LEFT JOIN consulted ON consulted.building_id = b.id
    LEFT JOIN teams ON teams.building_id = b.id
    ORDER BY c.created_at, c.name, b.sort_key, b.number
    """
    return list(db.query(sql))


def team_coverage(db: Database) -> list[dict[str, Any]]:
    """Per team: households in its assigned buildings and how many were visited."""
    sql = """
    WITH buildings AS (SELECT DISTINCT team_id, building_id FROM assignment),
    visited AS (SELECT DISTINCT household_id FROM live_visit WHERE mode = 'in_person')
    SELECT t.number, t.name, count(h.id) AS households,
           count(visited.household_id) AS visited
    FROM team t
    LEFT JOIN buildings bt ON bt.team_id = t.id
    LEFT JOIN household h ON h.building_id = bt.building_id
    LEFT JOIN visited ON visited.household_id = h.id
    GROUP BY t.id ORDER BY t.number
    """
    return list(db.query(sql))


def daily_progress(db: Database, until: str) -> list[dict[str, Any]]:
    """Per day up to `until` (YYYY-MM-DD): visits, consultations, and households
    visited in person for the first time that day (so the days add up to coverage)."""
    sql = f"""
    WITH days AS (
        SELECT substr(v.started_at, 1, 10) AS day, count(*) AS visits,
               sum(CASE WHEN {_CONSULTATION} THEN 1 ELSE 0 END) AS consultations
        FROM live_visit v WHERE substr(v.started_at, 1, 10) <= :until GROUP BY day
    ), first AS (
        SELECT day, count(*) AS n FROM (
            SELECT min(substr(started_at, 1, 10)) AS day FROM live_visit
            WHERE mode = 'in_person' GROUP BY household_id)
        GROUP BY day
    )
    SELECT days.day, days.visits, days.consultations, COALESCE(first.n, 0) AS newly_visited
    FROM days LEFT JOIN first ON first.day = days.day ORDER BY days.day
    """
    return list(db.query(sql, {"until": until}))


def day_figures(db: Database, day: str) -> dict[str, int]:
    """The day's work, counted as stats.py counts the whole campaign."""
    on_day = "substr(v.started_at, 1, 10) = :day"
    sql = {
        "visits": f"SELECT count(*) FROM live_visit v WHERE {on_day}",
        "households_visited": f"""SELECT count(DISTINCT v.household_id) FROM live_visit v
            WHERE {on_day} AND v.mode = 'in_person'""",
        "consultations": f"SELECT count(*) FROM live_visit v WHERE {on_day} AND {_CONSULTATION}",
        "policy_explanations": f"""SELECT count(*) FROM live_visit v WHERE {on_day}
            AND EXISTS (SELECT 1 FROM explanation e WHERE e.visit_id = v.id)""",
        "online_answers": """SELECT count(*) FROM online_answer o
            WHERE substr(o.answered_at, 1, 10) = :day AND NOT EXISTS (
                SELECT 1 FROM void x WHERE x.entity = 'online_answer' AND x.record_id = o.id)""",
        "suggestions": f"""SELECT count(*) FROM suggestion s
            WHERE substr(s.created_at, 1, 10) = :day AND {_LIVE_SUGGESTION}""",
    }
    return {key: int(db.execute(q, {"day": day}).fetchone()[0]) for key, q in sql.items()}


def outcomes_on(db: Database, day: str) -> dict[str, int]:
    rows = db.execute(
        "SELECT outcome, count(*) FROM live_visit WHERE substr(started_at, 1, 10) = ?"
        " GROUP BY outcome",
        [day],
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def visit_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM live_visit").fetchone()[0])


def visit_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    """Live visits, oldest first: (started_at, compound, building, unit, room, household
    code, worker code, worker name, mode, outcome, policies explained, suggestions).
    A cursor, so a listing of any size streams into the file."""
    sql = f"""
    SELECT v.started_at, c.name, b.number, h.unit, h.room, h.code, w.code, w.name,
           v.mode, v.outcome,
           (SELECT count(*) FROM explanation e WHERE e.visit_id = v.id),
           (SELECT count(*) FROM suggestion s WHERE s.visit_id = v.id AND {_LIVE_SUGGESTION})
    FROM live_visit v
    JOIN household h ON h.id = v.household_id
    JOIN building b ON b.id = h.building_id
    JOIN compound c ON c.id = b.compound_id
    LEFT JOIN worker w ON w.id = v.worker_id
    ORDER BY v.started_at, v.id
    """
    yield from db.execute(sql)


def suggestion_count(db: Database) -> int:
    return int(
        db.execute(f"SELECT count(*) FROM suggestion s WHERE {_LIVE_SUGGESTION}").fetchone()[0]
    )


def suggestion_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    """Live suggestions, oldest first: (created_at, compound, household code, category,
    text, status)."""
    sql = f"""
    SELECT s.created_at, c.name, h.code, s.category, s.text, {_STATUS}
    FROM suggestion s
    LEFT JOIN household h ON h.id = s.household_id
    LEFT JOIN building b ON b.id = h.building_id
    LEFT JOIN compound c ON c.id = b.compound_id
    WHERE {_LIVE_SUGGESTION}
    ORDER BY s.created_at, s.id
    """
    yield from db.execute(sql)
