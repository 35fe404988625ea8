"""Reads behind consultation results and the owners'-vote forecast
(gridapp/services/consultation.py).

A household's stance is the answer to the stance question in its **latest live
consultation** that answered it: an `in_person` visit with outcome `met` (stats.py's
definition of 入户征询), read through `live_visit`, so voided and superseded visits
never count and a corrected visit counts as its correction. Ties on the start time go
to the larger id (UUIDv7: the later record).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from gridapp.storage.figures import VISITED

_LATEST = """
WITH latest AS MATERIALIZED (
    SELECT v.id AS visit_id, v.household_id,
           ROW_NUMBER() OVER (
               PARTITION BY v.household_id ORDER BY v.started_at DESC, v.id DESC) AS n
    FROM live_visit v
    WHERE {visited} AND v.outcome = 'met'
      AND EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id AND a.question = :question)
)
SELECT h.id, h.code, h.area, b.id AS building_id, b.number AS building,
       c.id AS compound_id, c.name AS compound,
       (SELECT a.value FROM answer a
         WHERE a.visit_id = l.visit_id AND a.question = :question) AS stance,
       (SELECT a.value FROM answer a
         WHERE a.visit_id = l.visit_id AND a.question = :attend) AS attends
FROM household h
JOIN building b ON b.id = h.building_id
JOIN compound c ON c.id = b.compound_id
LEFT JOIN latest l ON l.household_id = h.id AND l.n = 1
{where}
ORDER BY c.created_at, c.name, b.sort_key, b.number, h.unit, h.floor, h.room
"""


@dataclass(frozen=True)
class HouseholdStance:
    household_id: str
    code: str
    area: float | None
    building_id: str
    building: str
    compound_id: str
    compound: str
    answer: Any  # the stance answer's value (a choice code), None when never consulted
    attends: Any  # the attendance answer of the same consultation, None when absent


def household_stances(
    db: Database,
    question: str = "stance",
    attend_question: str = "attend_meeting",
    compound_id: str | None = None,
) -> list[HouseholdStance]:
    """Every household (of one compound, or all) with its latest consulted stance."""
    where = "WHERE c.id = :compound" if compound_id is not None else ""
    params = {"question": question, "attend": attend_question, "compound": compound_id}
    rows = db.execute(_LATEST.format(where=where, visited=VISITED), params).fetchall()
    return [
        HouseholdStance(
            household_id=r[0],
            code=r[1],
            area=r[2],
            building_id=r[3],
            building=r[4],
            compound_id=r[5],
            compound=r[6],
            answer=json.loads(r[7]) if r[7] is not None else None,
            attends=json.loads(r[8]) if r[8] is not None else None,
        )
        for r in rows
    ]


def compound_ref(db: Database, ref: str) -> tuple[str, str] | None:
    """(id, name) of a compound given its id or its exact name."""
    row = db.execute(
        "SELECT id, name FROM compound WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
        [ref, ref, ref],
    ).fetchone()
    return (row[0], row[1]) if row else None
