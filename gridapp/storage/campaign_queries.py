"""Reads for creating and listing campaigns (services/campaign_create.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from gridapp.storage.figures import LISTED


def campaign_names(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every campaign, closed ones included: a name is never reused."""
    return [(str(r[0]), str(r[1])) for r in db.execute("SELECT id, name FROM campaign")]


def listed_households(db: Database, compound_id: str) -> int:
    """Households to visit in a compound (merged rooms are not)."""
    return int(
        db.execute(
            f"""SELECT count(*) FROM household h JOIN building b ON b.id = h.building_id
                WHERE b.compound_id = ? AND {LISTED}""",
            [compound_id],
        ).fetchone()[0]
    )


def overlapping(
    db: Database, form_id: str, compound_ids: Sequence[str], starts_on: str, ends_on: str
) -> dict[str, Any] | None:
    """An open campaign asking the same questionnaire in one of these compounds over
    days that overlap: a household would be asked the same questions twice."""
    if not compound_ids:
        return None
    marks = ", ".join("?" for _ in compound_ids)
    row = db.execute(
        f"""SELECT c.name, c.starts_on, c.ends_on, co.name FROM campaign c
            JOIN questionnaire q ON q.id = c.questionnaire_id
            JOIN campaign_compound cc ON cc.campaign_id = c.id
            JOIN compound co ON co.id = cc.compound_id
            WHERE c.status != 'closed' AND q.form_id = ? AND cc.compound_id IN ({marks})
              AND c.starts_on <= ? AND c.ends_on >= ?
            ORDER BY c.starts_on LIMIT 1""",
        [form_id, *compound_ids, ends_on, starts_on],
    ).fetchone()
    if row is None:
        return None
    return {"name": row[0], "starts": row[1], "ends": row[2], "compound": row[3]}


def campaign_list(db: Database) -> list[dict[str, Any]]:
    """Every campaign with how far it is: compounds, households in them, visits."""
    rows = db.execute(
        f"""SELECT c.id, c.name, c.status, c.starts_on, c.ends_on, c.description,
                   q.title, q.form_id, q.version,
                   (SELECT count(*) FROM campaign_compound cc WHERE cc.campaign_id = c.id),
                   (SELECT count(*) FROM household h JOIN building b ON b.id = h.building_id
                      JOIN campaign_compound cc ON cc.compound_id = b.compound_id
                      WHERE cc.campaign_id = c.id AND {LISTED}),
                   (SELECT count(*) FROM live_visit v WHERE v.campaign_id = c.id)
            FROM campaign c LEFT JOIN questionnaire q ON q.id = c.questionnaire_id
            ORDER BY c.starts_on, c.name"""
    ).fetchall()
    keys = (
        "id",
        "name",
        "status",
        "starts_on",
        "ends_on",
        "description",
        "questionnaire",
        "form_id",
        "form_version",
        "compounds",
        "households",
        "visits",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def open_campaigns_for(db: Database, household_id: str) -> list[dict[str, Any]]:
    """The active campaigns a visit to this household may belong to, latest started
    first: those covering its compound in which its building has a team (on a laptop:
    the laptop's team, the only assignments it holds); when no covering campaign has
    given the building a team yet, every covering one."""
    covering = list(
        db.query(
            """SELECT c.*, EXISTS (SELECT 1 FROM assignment a
                     WHERE a.campaign_id = c.id AND a.building_id = h.building_id) AS _staffed
               FROM campaign c
               JOIN campaign_compound cc ON cc.campaign_id = c.id
               JOIN building b ON b.compound_id = cc.compound_id
               JOIN household h ON h.building_id = b.id
               WHERE h.id = ? AND c.status = 'active'
               ORDER BY c.starts_on DESC, c.id""",
            [household_id],
        )
    )
    staffed = [c for c in covering if c["_staffed"]]
    return [{k: v for k, v in c.items() if k != "_staffed"} for c in (staffed or covering)]


def covers(db: Database, campaign_id: str, household_id: str) -> bool:
    """The household lies in one of the campaign's compounds."""
    return (
        db.execute(
            """SELECT 1 FROM campaign_compound cc
               JOIN building b ON b.compound_id = cc.compound_id
               JOIN household h ON h.building_id = b.id
               WHERE cc.campaign_id = ? AND h.id = ?""",
            [campaign_id, household_id],
        ).fetchone()
        is not None
    )


def open_campaigns(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM campaign WHERE status = 'active' ORDER BY starts_on DESC"))


def compound_firms(db: Database) -> list[dict[str, Any]]:
    """Every compound with its property firm ('' : self-managed) and its households."""
    return list(
        db.query(
            f"""SELECT c.id, c.name, c.property_firm,
                   (SELECT count(*) FROM household h JOIN building b ON b.id = h.building_id
                     WHERE b.compound_id = c.id AND {LISTED}) AS households
                FROM compound c ORDER BY c.created_at, c.name"""
        )
    )
