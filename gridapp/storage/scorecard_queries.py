"""Reads behind the property-firm scorecard (gridapp/services/scorecard.py,
docs/scorecard.md).

A household's score on a dimension is its answer in its **latest live consultation** of
the campaign that answered that question: a live visit (`live_visit`: voided and
superseded visits never count) that is a consultation (figures.CONSULTATION's visit
part: in person, met). Ties on the start time go to the larger id (the later record).
Values come back as stored (JSON text): the service checks the range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from gridapp.storage.figures import LISTED, VISITED


@dataclass(frozen=True)
class ScoreRow:
    household_id: str
    household_code: str
    compound_id: str
    compound: str
    firm: str
    question: str
    value: str  # the stored JSON text


_SCORES = """
WITH latest AS MATERIALIZED (
    SELECT v.id AS visit_id, v.household_id, a.question, a.value,
           ROW_NUMBER() OVER (
               PARTITION BY v.household_id, a.question
               ORDER BY v.started_at DESC, v.id DESC) AS n
    FROM live_visit v
    JOIN answer a ON a.visit_id = v.id
    WHERE v.campaign_id = :campaign AND {visited} AND v.outcome = 'met'
      AND a.question IN ({questions})
)
SELECT h.id, h.code, c.id, c.name, c.property_firm, l.question, l.value
FROM latest l
JOIN household h ON h.id = l.household_id
JOIN building b ON b.id = h.building_id
JOIN compound c ON c.id = b.compound_id
WHERE l.n = 1 AND {listed}
ORDER BY c.created_at, c.name, h.code, l.question
"""


def scores(db: Database, campaign_id: str, questions: Sequence[str]) -> list[ScoreRow]:
    """Each household's latest live answer to each of `questions` in the campaign."""
    if not questions:
        return []
    marks = ", ".join(f":q{i}" for i in range(len(questions)))
    params: dict[str, Any] = {"campaign": campaign_id}
    params.update({f"q{i}": q for i, q in enumerate(questions)})
    sql = _SCORES.format(visited=VISITED, questions=marks, listed=LISTED)
    return [ScoreRow(*(str(x) for x in r)) for r in db.execute(sql, params).fetchall()]


def campaign_compounds(db: Database, campaign_id: str) -> list[dict[str, Any]]:
    """The campaign's compounds with their firm ('' when self-managed) and households."""
    return list(
        db.query(
            f"""SELECT c.id, c.name, c.property_firm AS firm,
                   (SELECT COUNT(*) FROM household h JOIN building b ON b.id = h.building_id
                     WHERE b.compound_id = c.id AND {LISTED}) AS households
               FROM campaign_compound cc JOIN compound c ON c.id = cc.compound_id
               WHERE cc.campaign_id = ?
               ORDER BY c.created_at, c.name""",
            [campaign_id],
        )
    )


def campaign_with_form(db: Database, campaign_id: str) -> dict[str, Any] | None:
    """The campaign, with its questionnaire's form id and definition (NULL when none)."""
    return next(
        db.query(
            """SELECT c.id, c.name, c.starts_on, c.ends_on, c.status, c.questionnaire_id,
                      q.form_id, q.definition
               FROM campaign c LEFT JOIN questionnaire q ON q.id = c.questionnaire_id
               WHERE c.id = ?""",
            [campaign_id],
        ),
        None,
    )


def previous_campaign(db: Database, campaign_id: str) -> dict[str, Any] | None:
    """The campaign before this one that asked the same questionnaire (its form id, any
    version): started earlier, the latest such."""
    return next(
        db.query(
            """SELECT p.id, p.name, p.starts_on, p.ends_on FROM campaign c
               JOIN questionnaire q ON q.id = c.questionnaire_id
               JOIN campaign p ON p.id != c.id AND p.starts_on < c.starts_on
               JOIN questionnaire pq ON pq.id = p.questionnaire_id AND pq.form_id = q.form_id
               WHERE c.id = ?
               ORDER BY p.starts_on DESC, p.id DESC LIMIT 1""",
            [campaign_id],
        ),
        None,
    )


def rated_campaigns(db: Database) -> list[dict[str, Any]]:
    """Every campaign with a questionnaire (id, name, status), latest started first: the
    scorecard screen's chooser (the service keeps those with rating questions)."""
    return list(
        db.query(
            """SELECT c.id, c.name, c.status, c.starts_on, q.definition FROM campaign c
               JOIN questionnaire q ON q.id = c.questionnaire_id
               ORDER BY c.starts_on DESC, c.id"""
        )
    )
