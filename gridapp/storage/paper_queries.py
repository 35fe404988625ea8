"""Reads and writes for receipts and visit sheets (gridapp/services/paper.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from gridapp.storage import figures, records


def receipt_for_visit(db: Database, visit_id: str) -> dict[str, Any] | None:
    return next(
        db.query(
            "SELECT * FROM receipt WHERE visit_id = ? ORDER BY issued_at, id LIMIT 1", [visit_id]
        ),
        None,
    )


def receipt_by_short_code(db: Database, code: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM receipt WHERE short_code = ?", [code]), None)


def insert_receipt(db: Database, row: dict[str, Any]) -> None:
    records.insert(db, "receipt", row)


def visit_content(db: Database, visit_id: str) -> dict[str, Any] | None:
    """What a receipt's digest covers: the visit row as stored, its answers, its
    explanations and its suggestions' words. Children are sorted by content, not by
    rowid, because sync may insert them in another order at the office. Suggestion
    status and response are left out: the office answering one is not an alteration."""
    visit = next(db.query("SELECT * FROM visit WHERE id = ?", [visit_id]), None)
    if visit is None:
        return None
    answers = sorted(
        [r["question"], r["value"], r["questionnaire_id"]]
        for r in db.query(
            "SELECT question, value, questionnaire_id FROM answer WHERE visit_id = ?", [visit_id]
        )
    )
    explained = sorted(
        [r["policy_item_id"], r["policy_version"], r["reaction"] or ""]
        for r in db.query(
            "SELECT policy_item_id, policy_version, reaction FROM explanation WHERE visit_id = ?",
            [visit_id],
        )
    )
    suggestions = sorted(
        [r["category"], r["text"]]
        for r in db.query("SELECT category, text FROM suggestion WHERE visit_id = ?", [visit_id])
    )
    return {"visit": visit, "answers": answers, "explained": explained, "suggestions": suggestions}


def household_code(db: Database, household_id: str) -> str | None:
    row = db.execute("SELECT code FROM household WHERE id = ?", [household_id]).fetchone()
    return str(row[0]) if row else None


def is_live_visit(db: Database, visit_id: str) -> bool:
    """False when the visit, or the correction that superseded it, is voided/superseded
    (the `live_visit` view decides)."""
    return db.execute("SELECT 1 FROM live_visit WHERE id = ?", [visit_id]).fetchone() is not None


def device_key(db: Database, device_id: str) -> dict[str, Any] | None:
    return next(
        db.query("SELECT id, sign_public_key, status FROM device WHERE id = ?", [device_id]), None
    )


def visit_summary(db: Database, visit_id: str) -> dict[str, Any] | None:
    """Everything a printed receipt or a verdict shows about one visit."""
    row = next(
        db.query(
            """SELECT v.id, v.household_id, v.started_at, v.ended_at, v.mode, v.outcome,
                      v.people_met, v.questionnaire_id, v.device_id,
                      h.code AS household_code, h.unit, h.floor, h.room,
                      b.number AS building, c.name AS compound,
                      w.name AS worker, w.code AS worker_code,
                      t.name AS team, t.number AS team_number,
                      q.title AS questionnaire_title, cp.name AS campaign
               FROM visit v
               JOIN household h ON h.id = v.household_id
               JOIN building b ON b.id = h.building_id
               JOIN compound c ON c.id = b.compound_id
               LEFT JOIN worker w ON w.id = v.worker_id
               LEFT JOIN team t ON t.id = v.team_id
               LEFT JOIN questionnaire q ON q.id = v.questionnaire_id
               LEFT JOIN campaign cp ON cp.id = v.campaign_id
               WHERE v.id = ?""",
            [visit_id],
        ),
        None,
    )
    if row is None:
        return None
    row["answers"] = {
        r["question"]: json.loads(r["value"])
        for r in db.query(
            "SELECT question, value FROM answer WHERE visit_id = ? ORDER BY rowid", [visit_id]
        )
    }
    row["explained"] = [
        (r["title"], r["reaction"])
        for r in db.query(
            """SELECT p.title, e.reaction FROM explanation e
               JOIN policy_item p ON p.id = e.policy_item_id
               WHERE e.visit_id = ? ORDER BY e.rowid""",
            [visit_id],
        )
    ]
    row["suggestions"] = [
        (r["category"], r["text"])
        for r in db.query(
            "SELECT category, text FROM suggestion WHERE visit_id = ? ORDER BY rowid", [visit_id]
        )
    ]
    phone = db.execute(
        """SELECT p.number FROM resident r JOIN phone p ON p.resident_id = r.id
           WHERE r.household_id = ?
           ORDER BY (r.relation = 'head') DESC, r.is_owner DESC, r.rowid, p.rowid LIMIT 1""",
        [row["household_id"]],
    ).fetchone()
    row["phone"] = str(phone[0]) if phone else ""
    return row


def building_label(db: Database, building_id: str) -> dict[str, Any] | None:
    return next(
        db.query(
            """SELECT b.id, b.number, c.name AS compound FROM building b
               JOIN compound c ON c.id = b.compound_id WHERE b.id = ?""",
            [building_id],
        ),
        None,
    )


def team_name(db: Database, team_number: int) -> str | None:
    row = db.execute("SELECT name FROM team WHERE number = ?", [team_number]).fetchone()
    return str(row[0]) if row else None


def sheet_campaign(db: Database, campaign_id: str | None) -> dict[str, Any] | None:
    """The campaign a visit sheet is for: the one chosen, else the one in progress."""
    return figures.campaign(db, campaign_id)


def device_certificate(db: Database, device_id: str) -> str:
    row = db.execute("SELECT certificate FROM device WHERE id = ?", [device_id]).fetchone()
    return str(row[0]) if row else ""


def live_visits_on(db: Database, device_id: str, day: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM live_visit WHERE device_id = ? AND substr(started_at, 1, 10) = ?"
            " ORDER BY started_at",
            [device_id, day],
        ).fetchall()
    ]
