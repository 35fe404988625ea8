"""Reads about campaign content: questionnaires, policy items, campaigns, workers."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def campaign_overview(db: Database) -> list[dict[str, Any]]:
    """Every campaign with its questionnaire, policy items, teams and assignments."""
    result = []
    for campaign in db.query("SELECT * FROM campaign ORDER BY starts_on"):
        cid = campaign["id"]
        questionnaire = next(
            db.query(
                "SELECT id, form_id, version, title FROM questionnaire WHERE id = ?",
                [campaign["questionnaire_id"]],
            ),
            None,
        )
        policy = list(
            db.query(
                """SELECT p.id, p.code, p.title, p.category, p.version FROM campaign_policy cp
                   JOIN policy_item p ON p.id = cp.policy_item_id
                   WHERE cp.campaign_id = ? AND cp.position >= 0 ORDER BY cp.position""",
                [cid],
            )
        )
        compounds = [
            r[0]
            for r in db.execute(
                """SELECT c.name FROM campaign_compound cc JOIN compound c ON c.id = cc.compound_id
                   WHERE cc.campaign_id = ? ORDER BY c.created_at""",
                [cid],
            ).fetchall()
        ]
        teams = []
        for team in db.query("SELECT id, number, name FROM team ORDER BY number"):
            workers = list(
                db.query(
                    "SELECT code, name, role FROM worker WHERE team_id = ? AND active = 1"
                    " ORDER BY code",
                    [team["id"]],
                )
            )
            buildings = [
                f"{r[0]}{r[1]}号"
                for r in db.execute(
                    """SELECT c.name, b.number FROM assignment a
                       JOIN building b ON b.id = a.building_id
                       JOIN compound c ON c.id = b.compound_id
                       WHERE a.campaign_id = ? AND a.team_id = ?
                       ORDER BY c.created_at, b.sort_key""",
                    [cid, team.pop("id")],
                ).fetchall()
            ]
            teams.append({**team, "workers": workers, "buildings": buildings})
        result.append(
            {
                **campaign,
                "compounds": compounds,
                "questionnaire": questionnaire,
                "policy_items": policy,
                "teams": teams,
            }
        )
    return result


def questionnaire_definition(db: Database, questionnaire_id: str) -> dict[str, Any]:
    row = db.execute(
        "SELECT definition FROM questionnaire WHERE id = ?", [questionnaire_id]
    ).fetchone()
    return dict(json.loads(row[0])) if row else {}


def policy_item_id(db: Database, ref: str) -> str | None:
    """A policy item by id, by code, or by its title when no other item has that title."""
    row = db.execute(
        "SELECT id FROM policy_item WHERE id = ? OR code = ? ORDER BY version DESC LIMIT 1",
        [ref, ref.upper()],
    ).fetchone()
    if row:
        return str(row[0])
    titled = db.execute("SELECT id FROM policy_item WHERE title = ? LIMIT 2", [ref]).fetchall()
    return str(titled[0][0]) if len(titled) == 1 else None


def latest_questionnaire_version(db: Database, form_id: str) -> int | None:
    row = db.execute(
        "SELECT max(version) FROM questionnaire WHERE form_id = ?", [form_id]
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def questionnaire_ref(db: Database, ref: str) -> str | None:
    """A questionnaire by record id, or by form id (its latest version)."""
    row = db.execute(
        "SELECT id FROM questionnaire WHERE id = ? OR form_id = ? ORDER BY version DESC LIMIT 1",
        [ref, ref],
    ).fetchone()
    return row[0] if row else None


def questionnaires(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT id, form_id, version, title, published_at FROM questionnaire"
            " ORDER BY form_id, version"
        )
    )


def campaign_policy_rows(db: Database, campaign_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT * FROM campaign_policy WHERE campaign_id = ? ORDER BY position", [campaign_id]
        )
    )


def policy_items(db: Database, campaign_id: str | None = None) -> list[dict[str, Any]]:
    """Every policy item, with its position in the campaign's set (-1: not in it)."""
    return list(
        db.query(
            """SELECT p.*, COALESCE((SELECT cp.position FROM campaign_policy cp
                  WHERE cp.policy_item_id = p.id AND cp.campaign_id = ?), -1) AS position
           FROM policy_item p ORDER BY position < 0, position, p.title""",
            [campaign_id],
        )
    )


def visit_answers(db: Database, visit_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT question, value, questionnaire_id FROM answer WHERE visit_id = ?"
            " ORDER BY rowid",
            [visit_id],
        )
    )


def workers(db: Database, team_number: int | None = None) -> list[dict[str, Any]]:
    if team_number is None:
        return list(
            db.query(
                # Office staff first: at the office, they are who records.
                "SELECT w.code, w.name, w.role, t.number AS team FROM worker w LEFT JOIN team t"
                " ON t.id = w.team_id WHERE w.active = 1"
                " ORDER BY w.role != 'office', w.role = 'admin', t.number, w.code"
            )
        )
    return list(
        db.query(
            "SELECT w.code, w.name, w.role, t.number AS team FROM worker w"
            " JOIN team t ON t.id = w.team_id"
            " WHERE w.active = 1 AND t.number = ? ORDER BY w.code",
            [team_number],
        )
    )
