"""SQL for the office's review of visits (docs/office-review.md): the queue, with its
filters and flags, the review state of each team's visits, and the visits returned to a
laptop's workers.

A visit's review state is its latest `review` step ('approved' or 'returned'), or 'new'
when it has none. Only live visits are reviewed (`live_visit`: neither voided nor
superseded by a live correction): a correction is a new visit, so it is 'new' again,
and the visit it corrects drops out of the queue and out of the counts.
"""

from __future__ import annotations

from typing import Any, Final

from sqlite_utils import Database

from gridapp.storage.figures import in_campaign

#: The states a visit's review can be in.
STATES: Final = ("new", "approved", "returned")
#: The flags a visit may raise, each a condition on a live visit (alias v).
FLAGS: Final[dict[str, str]] = {
    # An in-person visit that met someone and lasted under 2 minutes: too short for the
    # questionnaire and the explanations it claims (a nobody-home knock is short anyway).
    "short": """v.mode = 'in_person' AND v.outcome = 'met'
        AND (julianday(v.ended_at) - julianday(v.started_at)) * 86400.0 < 120""",
    # Met in person, the campaign has a questionnaire, and not one answer was recorded.
    "no_answers": """v.mode = 'in_person' AND v.outcome = 'met'
        AND EXISTS (SELECT 1 FROM campaign c WHERE c.id = v.campaign_id
                    AND c.questionnaire_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id)""",
    # The stance contradicts the other answers of the fee consultation: agreeing with a
    # satisfaction of 1 (of 5), opposing with a satisfaction of 5, or opposing without
    # a reason given.
    "contradiction": """EXISTS (SELECT 1 FROM answer st WHERE st.visit_id = v.id
            AND st.question = 'stance' AND (
              (json_extract(st.value, '$') = 'agree' AND EXISTS (
                  SELECT 1 FROM answer sa WHERE sa.visit_id = v.id
                  AND sa.question = 'satisfaction' AND json_extract(sa.value, '$') <= 1))
              OR (json_extract(st.value, '$') = 'oppose' AND EXISTS (
                  SELECT 1 FROM answer sa WHERE sa.visit_id = v.id
                  AND sa.question = 'satisfaction' AND json_extract(sa.value, '$') >= 5))
              OR (json_extract(st.value, '$') = 'oppose' AND NOT EXISTS (
                  SELECT 1 FROM answer re WHERE re.visit_id = v.id AND re.question = 'reasons'
                  AND json_array_length(re.value) > 0))))""",
}

_LATEST = """(SELECT r.{column} FROM review r WHERE r.visit_id = v.id
              ORDER BY r.at DESC, r.id DESC LIMIT 1)"""
_STATE = f"COALESCE({_LATEST.format(column='status')}, 'new')"

_FLAG_COLUMNS = ", ".join(
    f"CASE WHEN {sql} THEN 1 ELSE 0 END AS flag_{name}" for name, sql in FLAGS.items()
)

_QUEUE = f"""
SELECT * FROM (
SELECT v.id, v.household_id, v.mode, v.outcome, v.started_at, v.ended_at,
       v.supersedes_id, v.device_id,
       COALESCE(h.code, '') AS household_code, COALESCE(c.name, '') AS compound_name,
       COALESCE(b.number, '') AS building_number, COALESCE(h.unit, '') AS unit,
       COALESCE(h.room, '') AS room,
       t.number AS team, w.code AS worker_code, w.name AS worker_name,
       {_STATE} AS state,
       COALESCE({_LATEST.format(column="comment")}, '') AS comment,
       {_LATEST.format(column="at")} AS reviewed_at,
       {_FLAG_COLUMNS}
FROM live_visit v
JOIN household h ON h.id = v.household_id
JOIN building b ON b.id = h.building_id
JOIN compound c ON c.id = b.compound_id
LEFT JOIN team t ON t.id = v.team_id
LEFT JOIN worker w ON w.id = v.worker_id
WHERE {in_campaign("v")}
  AND (:team IS NULL OR t.number = :team)
  AND (:worker IS NULL OR w.code = :worker)
  AND (:day IS NULL OR substr(v.started_at, 1, 10) = :day)
  AND (:visit IS NULL OR v.id = :visit)
) WHERE (:state IS NULL OR state = :state)
"""


def queue(
    db: Database,
    *,
    campaign: str | None = None,
    team: int | None = None,
    worker: str | None = None,
    day: str | None = None,
    state: str | None = None,
    flag: str | None = None,
    visit_id: str | None = None,
    limit: int = 5000,
) -> list[dict[str, Any]]:
    """Live visits with their review state and flags, oldest first (the order they came
    in); `flag` one of FLAGS."""
    sql = _QUEUE
    if flag is not None:
        sql += f" AND flag_{flag} = 1" if flag in FLAGS else " AND 0"
    sql += " ORDER BY started_at, id LIMIT :limit"
    params = {
        "campaign": campaign,
        "team": team,
        "worker": worker,
        "day": day,
        "state": state,
        "visit": visit_id,
        "limit": limit,
    }
    rows = []
    for row in db.query(sql, params):
        row["flags"] = [name for name in FLAGS if row.pop(f"flag_{name}")]
        rows.append(row)
    return rows


def visit_state(db: Database, visit_id: str) -> dict[str, Any] | None:
    """The visit (any, live or not) with whether it is live, voided, superseded, and
    its review state and the time of its latest review."""
    return next(
        db.query(
            f"""SELECT v.id, v.household_id, v.team_id,
                   EXISTS (SELECT 1 FROM void x WHERE x.entity = 'visit'
                           AND x.record_id = v.id) AS voided,
                   NOT EXISTS (SELECT 1 FROM live_visit l WHERE l.id = v.id) AS dead,
                   {_STATE} AS state, {_LATEST.format(column="at")} AS reviewed_at
                FROM visit v WHERE v.id = ?""",
            [visit_id],
        ),
        None,
    )


def reviewed_states(db: Database, campaign: str | None) -> dict[str, tuple[int, int]]:
    """Per team id: (approved, returned) live visits of the campaign. Reviews are few
    beside visits, so only reviewed visits are looked at (a review lookup per visit cost
    400 ms on 200,000 visits); the rest of a team's visits are new."""
    rows = db.execute(
        f"""SELECT team_id, SUM(state = 'approved'), SUM(state = 'returned') FROM (
                SELECT v.team_id, {_STATE} AS state
                FROM (SELECT DISTINCT visit_id FROM review) r
                JOIN live_visit v ON v.id = r.visit_id
                WHERE {in_campaign("v")})
            GROUP BY team_id""",
        {"campaign": campaign},
    ).fetchall()
    return {str(r[0]): (int(r[1]), int(r[2])) for r in rows if r[0] is not None}


def visits_by_team(db: Database, campaign: str | None) -> list[tuple[str, int, str, int]]:
    """(team id, number, name, the campaign's live visits by the team's workers)."""
    return db.execute(
        f"""SELECT t.id, t.number, t.name, n FROM (
                SELECT v.team_id, count(*) AS n FROM live_visit v
                WHERE {in_campaign("v")} GROUP BY v.team_id) s
            JOIN team t ON t.id = s.team_id ORDER BY t.number""",
        {"campaign": campaign},
    ).fetchall()


def ids_starting(db: Database, prefix: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM visit WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
            [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        ).fetchall()
    ]
