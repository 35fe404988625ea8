"""Reads behind the reports (gridapp/services/reports.py): per building, per team, per
day, and the visit and suggestion listings.

Every figure is figures.py's, for one campaign (`:campaign`, as the dashboard shows it):
its visits, suggestions and online answers, its buildings' teams. Listings carry
household codes and addresses, never resident names or phones (PIPL: the minimum a
report needs).

A visit's day is its local (+08:00) date: the first ten characters of `started_at`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from gridapp.storage import figures
from gridapp.storage.figures import (
    BUILDING_TEAM_NUMBER,
    CONSULTATION,
    EXPLAINED,
    LIVE_ONLINE_ANSWER,
    LIVE_SUGGESTION,
    VISITED,
    in_campaign,
)

#: The campaign's live visits (alias v), and with their households (alias h).
_VISITS = f"live_visit v WHERE {in_campaign('v')}"
_VISITS_AT_HOME = f"live_visit v JOIN household h ON h.id = v.household_id WHERE {in_campaign('v')}"

# The latest step of a suggestion (suggestion_status rows), else its own status.
_STATUS = """COALESCE((SELECT st.status FROM suggestion_status st
    WHERE st.suggestion_id = s.id ORDER BY st.at DESC, st.id DESC LIMIT 1), s.status)"""


def campaign(db: Database, campaign_id: str | None = None) -> dict[str, Any] | None:
    """The campaign asked for, else the active one: the report's title and scope."""
    return figures.campaign(db, campaign_id)


def building_progress(db: Database, campaign_id: str | None) -> list[dict[str, Any]]:
    """Per building in walking order: households, households visited, consultations."""
    sql = f"""
    WITH visited AS (
        SELECT h.building_id, count(DISTINCT v.household_id) AS n
        FROM {_VISITS_AT_HOME} AND {VISITED} GROUP BY h.building_id
    ), consulted AS (
        SELECT h.building_id, count(*) AS n
        FROM {_VISITS_AT_HOME} AND {CONSULTATION} GROUP BY h.building_id
    )
    SELECT b.id, c.name AS compound, b.number AS building, {BUILDING_TEAM_NUMBER} AS team,
           (SELECT count(*) FROM household h WHERE h.building_id = b.id AND {figures.LISTED})
             AS households,
           COALESCE(visited.n, 0) AS visited, COALESCE(consulted.n, 0) AS consultations
    FROM building b
    JOIN compound c ON c.id = b.compound_id
    LEFT JOIN visited ON visited.building_id = b.id
    LEFT JOIN consulted ON consulted.building_id = b.id
    ORDER BY c.created_at, c.name, b.sort_key, b.number
    """
    return list(db.query(sql, {"campaign": campaign_id}))


def team_coverage(db: Database, campaign_id: str | None) -> list[dict[str, Any]]:
    """Per team: households in the buildings the campaign gave it, and how many of them
    the campaign visited."""
    sql = f"""
    WITH buildings AS (
        SELECT {figures.BUILDING_TEAM} AS team_id, b.id AS building_id FROM building b
    ), visited AS (SELECT DISTINCT v.household_id FROM {_VISITS} AND {VISITED})
    SELECT t.number, t.name, count(h.id) AS households,
           count(visited.household_id) AS visited
    FROM team t
    LEFT JOIN buildings bt ON bt.team_id = t.id
    LEFT JOIN household h ON h.building_id = bt.building_id AND {figures.LISTED}
    LEFT JOIN visited ON visited.household_id = h.id
    GROUP BY t.id ORDER BY t.number
    """
    return list(db.query(sql, {"campaign": campaign_id}))


def daily_progress(db: Database, until: str, campaign_id: str | None) -> list[dict[str, Any]]:
    """Per day up to `until` (YYYY-MM-DD): visits, consultations, and households
    visited in person for the first time that day (so the days add up to coverage)."""
    sql = f"""
    WITH days AS (
        SELECT substr(v.started_at, 1, 10) AS day, count(*) AS visits,
               sum(CASE WHEN {CONSULTATION} THEN 1 ELSE 0 END) AS consultations
        FROM {_VISITS} AND substr(v.started_at, 1, 10) <= :until GROUP BY day
    ), first AS (
        SELECT day, count(*) AS n FROM (
            SELECT min(substr(v.started_at, 1, 10)) AS day FROM {_VISITS} AND {VISITED}
            GROUP BY v.household_id)
        GROUP BY day
    )
    SELECT days.day, days.visits, days.consultations, COALESCE(first.n, 0) AS newly_visited
    FROM days LEFT JOIN first ON first.day = days.day ORDER BY days.day
    """
    return list(db.query(sql, {"until": until, "campaign": campaign_id}))


def day_figures(db: Database, day: str, campaign_id: str | None) -> dict[str, int]:
    """The day's work, counted as stats.py counts the whole campaign."""
    on_day = "substr(v.started_at, 1, 10) = :day"
    sql = {
        "visits": f"SELECT count(*) FROM {_VISITS} AND {on_day}",
        "households_visited": f"""SELECT count(DISTINCT v.household_id) FROM {_VISITS}
            AND {on_day} AND {VISITED}""",
        "consultations": f"SELECT count(*) FROM {_VISITS} AND {on_day} AND {CONSULTATION}",
        "policy_explanations": f"SELECT count(*) FROM {_VISITS} AND {on_day} AND {EXPLAINED}",
        "online_answers": f"""SELECT count(*) FROM online_answer o
            WHERE substr(o.answered_at, 1, 10) = :day AND {LIVE_ONLINE_ANSWER}
            AND {in_campaign("o")}""",
        "suggestions": f"""SELECT count(*) FROM suggestion s
            WHERE substr(s.created_at, 1, 10) = :day AND {LIVE_SUGGESTION}
            AND {in_campaign("s")}""",
    }
    params = {"day": day, "campaign": campaign_id}
    return {key: int(db.execute(q, params).fetchone()[0]) for key, q in sql.items()}


def outcomes_on(db: Database, day: str, campaign_id: str | None) -> dict[str, int]:
    rows = db.execute(
        f"SELECT v.outcome, count(*) FROM {_VISITS} AND substr(v.started_at, 1, 10) = :day"
        " GROUP BY v.outcome",
        {"day": day, "campaign": campaign_id},
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def visit_count(db: Database, campaign_id: str | None) -> int:
    row = db.execute(f"SELECT count(*) FROM {_VISITS}", {"campaign": campaign_id}).fetchone()
    return int(row[0])


def visit_rows(db: Database, campaign_id: str | None) -> Iterator[tuple[Any, ...]]:
    """Live visits, oldest first: (started_at, compound, building, unit, room, household
    code, worker code, worker name, mode, outcome, policies explained, suggestions).
    A cursor, so a listing of any size streams into the file."""
    sql = f"""
    SELECT v.started_at, c.name, b.number, h.unit, h.room, h.code, w.code, w.name,
           v.mode, v.outcome,
           (SELECT count(*) FROM explanation e WHERE e.visit_id = v.id),
           (SELECT count(*) FROM suggestion s WHERE s.visit_id = v.id AND {LIVE_SUGGESTION})
    FROM live_visit v
    JOIN household h ON h.id = v.household_id
    JOIN building b ON b.id = h.building_id
    JOIN compound c ON c.id = b.compound_id
    LEFT JOIN worker w ON w.id = v.worker_id
    WHERE {in_campaign("v")}
    ORDER BY v.started_at, v.id
    """
    yield from db.execute(sql, {"campaign": campaign_id})


def suggestion_count(db: Database, campaign_id: str | None) -> int:
    row = db.execute(
        f"SELECT count(*) FROM suggestion s WHERE {LIVE_SUGGESTION} AND {in_campaign('s')}",
        {"campaign": campaign_id},
    ).fetchone()
    return int(row[0])


def suggestion_rows(db: Database, campaign_id: str | None) -> Iterator[tuple[Any, ...]]:
    """Live suggestions, oldest first: (created_at, compound, household code, category,
    text, status)."""
    sql = f"""
    SELECT s.created_at, c.name, h.code, s.category, s.text, {_STATUS}
    FROM suggestion s
    LEFT JOIN household h ON h.id = s.household_id
    LEFT JOIN building b ON b.id = h.building_id
    LEFT JOIN compound c ON c.id = b.compound_id
    WHERE {LIVE_SUGGESTION} AND {in_campaign("s")}
    ORDER BY s.created_at, s.id
    """
    yield from db.execute(sql, {"campaign": campaign_id})
