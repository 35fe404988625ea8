"""Reads behind the report's answer sheets (gridapp/reports/answer_sheets.py): the
campaign's live visits with their answers, one visit at a time, and the questionnaire
versions they answered. Households by code and address, never a resident's name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlite_utils import Database

from gridapp.storage.figures import in_campaign


class AnsweredVisit(NamedTuple):
    visit_id: str
    started_at: str
    compound: str
    building: str
    unit: str
    room: str
    household_code: str
    questionnaire_id: str | None
    answers: dict[str, Any]  # question → value (a repeat: the list of its entries)


_ANSWERED = f"""live_visit v WHERE {in_campaign("v")}
    AND EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id)"""


def answered_visit_count(db: Database, campaign_id: str | None) -> int:
    row = db.execute(f"SELECT count(*) FROM {_ANSWERED}", {"campaign": campaign_id}).fetchone()
    return int(row[0])


def questionnaire_ids(db: Database, campaign_id: str | None) -> list[str]:
    """The questionnaire versions the campaign's live visits answered."""
    sql = f"SELECT DISTINCT v.questionnaire_id FROM {_ANSWERED} AND v.questionnaire_id IS NOT NULL"
    return [str(r[0]) for r in db.execute(sql, {"campaign": campaign_id})]


def answered_visits(db: Database, campaign_id: str | None) -> Iterator[AnsweredVisit]:
    """Live visits with answers, oldest first. A cursor, read one visit at a time: a
    campaign of any size streams into the file."""
    sql = f"""
    SELECT v.id, v.started_at, c.name, b.number, h.unit, h.room, h.code,
           v.questionnaire_id, a.question, a.value
    FROM (SELECT * FROM {_ANSWERED}) v
    JOIN answer a ON a.visit_id = v.id
    JOIN household h ON h.id = v.household_id
    JOIN building b ON b.id = h.building_id
    JOIN compound c ON c.id = b.compound_id
    ORDER BY v.started_at, v.id, a.rowid
    """
    current: AnsweredVisit | None = None
    for row in db.execute(sql, {"campaign": campaign_id}):
        if current is None or current.visit_id != row[0]:
            if current is not None:
                yield current
            current = AnsweredVisit(
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], {}
            )
        current.answers[row[8]] = json.loads(row[9])
    if current is not None:
        yield current
