"""The counts of CLI.md ("The counts"), each computed exactly as defined there.

Voided and superseded visits never count (`live_visit`); children of a voided visit
don't either; a voided online answer or suggestion doesn't count.
"""

from __future__ import annotations

from sqlite_utils import Database

from gridapp.model import Counts

# The definitions live in figures.py, shared by every surface that counts.
from gridapp.storage.figures import (
    CONSULTATION,
    EXPLAINED,
    LISTED,
    LIVE_ONLINE_ANSWER,
    LIVE_SUGGESTION,
    OPEN_CALLBACK,
    VISITED,
    in_campaign,
)

_QUERIES: dict[str, str] = {
    "compounds": "SELECT count(*) FROM compound",
    "buildings": "SELECT count(*) FROM building",
    "households": f"SELECT count(*) FROM household h WHERE {LISTED}",
    "residents": "SELECT count(*) FROM resident",
    "teams": "SELECT count(*) FROM team",
    "workers": "SELECT count(*) FROM worker",
    "visits": f"SELECT count(*) FROM live_visit v WHERE {in_campaign('v')}",
    "households_visited": f"""SELECT count(DISTINCT v.household_id) FROM live_visit v
        WHERE {VISITED} AND {in_campaign("v")}""",
    "consultations": f"""SELECT count(*) FROM live_visit v
        WHERE {CONSULTATION} AND {in_campaign("v")}""",
    "online_answers": f"""SELECT count(*) FROM online_answer o
        WHERE {LIVE_ONLINE_ANSWER} AND {in_campaign("o")}""",
    "policy_explanations": f"""SELECT count(*) FROM live_visit v
        WHERE {EXPLAINED} AND {in_campaign("v")}""",
    "suggestions": f"""SELECT count(*) FROM suggestion s
        WHERE {LIVE_SUGGESTION} AND {in_campaign("s")}""",
    "callbacks_open": f"""SELECT count(*) FROM callback c
        WHERE {OPEN_CALLBACK} AND {in_campaign("c")}""",
    "conflicts_open": "SELECT count(*) FROM conflict WHERE resolved_at IS NULL",
}


def counts(db: Database, campaign_id: str | None = None) -> Counts:
    """The counts of every campaign (None), or of one: its visits, online answers,
    suggestions and callbacks; the places, people and conflicts are the database's."""
    values = {
        key: int(db.execute(sql, _params(sql, campaign_id)).fetchone()[0])
        for key, sql in _QUERIES.items()
    }
    return Counts(**values)


def _params(sql: str, campaign_id: str | None) -> dict[str, str | None]:
    return {"campaign": campaign_id} if ":campaign" in sql else {}
