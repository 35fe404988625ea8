"""The counts of CLI.md ("The counts"), each computed exactly as defined there.

Voided and superseded visits never count (`live_visit`); children of a voided visit
don't either; a voided online answer or suggestion doesn't count.
"""

from __future__ import annotations

from sqlite_utils import Database

from gridapp.model import Counts

# The definitions of CLI.md as SQL conditions, shared by every surface that counts
# (stats, dashboard, reports), so no two places can disagree about what counts.

#: A suggestion (alias s) that counts: not voided, not hanging off a dead visit (voided,
#: or superseded by a live correction: `live_visit`, written per row so that checking a
#: few suggestions never lists every live visit first, ~2× faster on 20,000 households).
LIVE_SUGGESTION = """NOT EXISTS (
        SELECT 1 FROM void x WHERE x.entity = 'suggestion' AND x.record_id = s.id)
    AND (s.visit_id IS NULL OR (
        NOT EXISTS (SELECT 1 FROM void x WHERE x.entity = 'visit' AND x.record_id = s.visit_id)
        AND NOT EXISTS (
            SELECT 1 FROM visit sv WHERE sv.supersedes_id = s.visit_id
              AND NOT EXISTS (
                  SELECT 1 FROM void y WHERE y.entity = 'visit' AND y.record_id = sv.id))))"""

#: A live visit (alias v) that is a consultation (入户征询).
CONSULTATION = """v.mode = 'in_person' AND v.outcome = 'met'
    AND EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id)"""

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
    "consultations": f"SELECT count(*) FROM live_visit v WHERE {CONSULTATION}",
    "online_answers": """
        SELECT count(*) FROM online_answer o
        WHERE NOT EXISTS (
            SELECT 1 FROM void x WHERE x.entity = 'online_answer' AND x.record_id = o.id)""",
    "policy_explanations": """
        SELECT count(*) FROM live_visit v
        WHERE EXISTS (SELECT 1 FROM explanation e WHERE e.visit_id = v.id)""",
    "suggestions": f"SELECT count(*) FROM suggestion s WHERE {LIVE_SUGGESTION}",
    "callbacks_open": f"SELECT count(*) FROM callback c WHERE {OPEN_CALLBACK}",
    "conflicts_open": "SELECT count(*) FROM conflict WHERE resolved_at IS NULL",
}


def counts(db: Database) -> Counts:
    values = {key: int(db.execute(sql).fetchone()[0]) for key, sql in _QUERIES.items()}
    return Counts(**values)
