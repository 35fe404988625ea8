"""The counts of CLI.md ("The counts"), each computed exactly as defined there.

Voided and superseded visits never count (`live_visit`); children of a voided visit
don't either; a voided online answer or suggestion doesn't count.
"""

from __future__ import annotations

from sqlite_utils import Database

from gridapp.model import Counts

_LIVE_SUGGESTION = """
SELECT s.id FROM suggestion s
WHERE NOT EXISTS (SELECT 1 FROM void x WHERE x.entity = 'suggestion' AND x.record_id = s.id)
  AND (s.visit_id IS NULL OR s.visit_id IN (SELECT id FROM live_visit))
"""

# A callback (alias c) is open until a live visit to the same household starts after it
# was scheduled: computed, not stored, so it stays right whatever order sync delivers.
OPEN_CALLBACK = """
    NOT EXISTS (SELECT 1 FROM void x WHERE x.entity = 'callback' AND x.record_id = c.id)
    AND NOT EXISTS (
        SELECT 1 FROM live_visit v
        WHERE v.household_id = c.household_id AND v.started_at > c.created_at)"""

_QUERIES: dict[str, str] = {
    "compounds": "SELECT count(*) FROM compound",
    "buildings": "SELECT count(*) FROM building",
    "households": "SELECT count(*) FROM household",
    "residents": "SELECT count(*) FROM resident",
    "teams": "SELECT count(*) FROM team",
    "workers": "SELECT count(*) FROM worker",
    "visits": "SELECT count(*) FROM live_visit",
    "households_visited": (
        "SELECT count(DISTINCT household_id) FROM live_visit WHERE mode = 'in_person'"
    ),
    "consultations": """
        SELECT count(*) FROM live_visit v
        WHERE v.mode = 'in_person' AND v.outcome = 'met'
          AND EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id)""",
    "online_answers": """
        SELECT count(*) FROM online_answer o
        WHERE NOT EXISTS (
            SELECT 1 FROM void x WHERE x.entity = 'online_answer' AND x.record_id = o.id)""",
    "policy_explanations": """
        SELECT count(*) FROM live_visit v
        WHERE EXISTS (SELECT 1 FROM explanation e WHERE e.visit_id = v.id)""",
    "suggestions": f"SELECT count(*) FROM ({_LIVE_SUGGESTION})",
    "callbacks_open": f"SELECT count(*) FROM callback c WHERE {OPEN_CALLBACK}",
    "conflicts_open": "SELECT count(*) FROM conflict WHERE resolved_at IS NULL",
}


def counts(db: Database) -> Counts:
    values = {key: int(db.execute(sql).fetchone()[0]) for key, sql in _QUERIES.items()}
    return Counts(**values)
