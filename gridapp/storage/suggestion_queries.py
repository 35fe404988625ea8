"""SQL for following suggestions up: the suggestion rows are immutable records from the
field; progress is the sequence of `suggestion_status` steps, the latest one current.

Voided suggestions and those of voided or superseded visits never appear
(`stats.LIVE_SUGGESTION`, as the counts define them). No resident names or phones are read.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from gridapp.storage.figures import LIVE_SUGGESTION, building_team_number

_LIVE = LIVE_SUGGESTION

_LATEST = """(SELECT st.{column} FROM suggestion_status st WHERE st.suggestion_id = s.id
              {extra} ORDER BY st.at DESC, st.id DESC LIMIT 1)"""

_ROWS = f"""
SELECT * FROM (
SELECT s.id, s.category, s.text, s.created_at, s.household_id,
       COALESCE(h.code, '') AS household_code, COALESCE(c.name, '') AS compound_name,
       c.id AS compound_id, b.id AS building_id, COALESCE(b.number, '') AS building_number,
       COALESCE(h.unit, '') AS unit, COALESCE(h.room, '') AS room,
       COALESCE((SELECT t.number FROM visit v JOIN team t ON t.id = v.team_id
                 WHERE v.id = s.visit_id),
                {building_team_number("s.campaign_id")}) AS team,
       COALESCE({_LATEST.format(column="status", extra="")}, 'new') AS status,
       COALESCE({_LATEST.format(column="at", extra="")}, s.created_at) AS status_at,
       COALESCE({_LATEST.format(column="handler", extra="AND st.handler <> ''")}, '')
         AS handler,
       COALESCE({_LATEST.format(column="response", extra="AND st.response <> ''")}, '')
         AS response
FROM suggestion s
LEFT JOIN household h ON h.id = s.household_id
LEFT JOIN building b ON b.id = h.building_id
LEFT JOIN compound c ON c.id = b.compound_id
WHERE {_LIVE}
) r
"""


def rows(
    db: Database,
    status: str | None = None,
    category: str | None = None,
    compound_id: str | None = None,
    building_id: str | None = None,
    team_number: int | None = None,
    text: str | None = None,
    suggestion_id: str | None = None,
) -> list[dict[str, Any]]:
    """Live suggestions with their current state, oldest first."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("status", status),
        ("category", category),
        ("compound_id", compound_id),
        ("building_id", building_id),
        ("team", team_number),
        ("id", suggestion_id),
    ):
        if value is not None:
            where.append(f"r.{column} = ?")
            params.append(value)
    if text:
        # instr, not FTS: a 1–2 character query must work too (FACTS.md).
        where.append(
            "(instr(r.text, ?) > 0 OR instr(r.handler, ?) > 0 OR instr(r.response, ?) > 0"
            " OR instr(r.household_code, ?) > 0)"
        )
        params += [text, text, text, text.upper()]
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return list(db.query(f"{_ROWS} {clause} ORDER BY r.created_at, r.id", params))


def steps(db: Database, suggestion_id: str) -> list[dict[str, Any]]:
    """The suggestion's progress, in order, with who recorded each step."""
    return list(
        db.query(
            """SELECT st.id, st.status, st.handler, st.response, st.at,
                      COALESCE(w.code, '') AS worker_code, COALESCE(w.name, '') AS worker_name
               FROM suggestion_status st LEFT JOIN worker w ON w.id = st.worker_id
               WHERE st.suggestion_id = ? ORDER BY st.at, st.id""",
            [suggestion_id],
        )
    )


def is_live(db: Database, suggestion_id: str) -> bool:
    return (
        db.execute(
            f"SELECT 1 FROM suggestion s WHERE s.id = ? AND {LIVE_SUGGESTION}", [suggestion_id]
        ).fetchone()
        is not None
    )


def ids_starting(db: Database, prefix: str) -> list[str]:
    """Suggestion ids beginning with `prefix` (staff type the first characters)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM suggestion WHERE substr(id, 1, ?) = ? LIMIT 2",
            [len(prefix), prefix],
        ).fetchall()
    ]
