"""SQL for sync: peers, held and imported bundles, quarantine, conflicts, roster
selection, the field's trust anchor and acknowledgement."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from gridapp.storage import records
from gridapp.storage.changelog import ChangeEntry

# -- office: peers and bundles ------------------------------------------------------


def peer(db: Database, device_id: str) -> dict[str, Any]:
    row = next(db.query("SELECT * FROM _sync_peer WHERE device_id = ?", [device_id]), None)
    return row or {
        "device_id": device_id,
        "applied_seq": 0,
        "highest_seq": 0,
        "last_bundle_id": None,
        "last_bundle_at": None,
        "clock_skew_ms": 0,
    }


def save_peer(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        """INSERT INTO _sync_peer (device_id, applied_seq, highest_seq, last_bundle_id,
                                   last_bundle_at, clock_skew_ms)
           VALUES (:device_id, :applied_seq, :highest_seq, :last_bundle_id, :last_bundle_at,
                   :clock_skew_ms)
           ON CONFLICT (device_id) DO UPDATE SET applied_seq = excluded.applied_seq,
             highest_seq = excluded.highest_seq, last_bundle_id = excluded.last_bundle_id,
             last_bundle_at = excluded.last_bundle_at, clock_skew_ms = excluded.clock_skew_ms""",
        row,
    )


def peers(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            """SELECT d.id AS device_id, d.name, d.status, t.number AS team_number,
                  COALESCE(p.applied_seq, 0) AS applied_seq,
                  COALESCE(p.highest_seq, 0) AS highest_seq,
                  p.last_bundle_at, COALESCE(p.clock_skew_ms, 0) AS clock_skew_ms,
                  (SELECT count(*) FROM _held_bundle h WHERE h.device_id = d.id) AS held,
                  (SELECT count(*) FROM _quarantine q WHERE q.device_id = d.id) AS quarantined,
                  (SELECT count(*) FROM _sync_alarm a WHERE a.device_id = d.id) AS alarms,
                  (SELECT a.detail FROM _sync_alarm a WHERE a.device_id = d.id
                   ORDER BY a.id DESC LIMIT 1) AS last_alarm
           FROM device d LEFT JOIN _sync_peer p ON p.device_id = d.id
           LEFT JOIN team t ON t.id = d.team_id
           WHERE d.role = 'field' ORDER BY t.number, d.name"""
        )
    )


def raise_alarm(db: Database, at: str, device_id: str, file: str, reason: str, detail: str) -> None:
    db.execute(
        "INSERT INTO _sync_alarm (at, device_id, file, reason, detail) VALUES (?, ?, ?, ?, ?)",
        [at, device_id, file, reason, detail],
    )


def alarms(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM _sync_alarm ORDER BY id DESC LIMIT ?", [limit]))


def was_imported(db: Database, bundle_id: str) -> bool:
    return (
        db.execute("SELECT 1 FROM _imported_bundle WHERE bundle_id = ?", [bundle_id]).fetchone()
        is not None
    )


def mark_imported(
    db: Database, bundle_id: str, sender: str, kind: str, applied: int, at: str
) -> None:
    db.execute(
        "INSERT OR IGNORE INTO _imported_bundle (bundle_id, sender, kind, applied, received_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [bundle_id, sender, kind, applied, at],
    )


def hold(
    db: Database, bundle_id: str, device_id: str, seq_from: int, seq_to: int, path: str, at: str
) -> None:
    db.execute(
        "INSERT OR IGNORE INTO _held_bundle (bundle_id, device_id, seq_from, seq_to, path,"
        " received_at) VALUES (?, ?, ?, ?, ?, ?)",
        [bundle_id, device_id, seq_from, seq_to, path, at],
    )


def held(db: Database, device_id: str | None = None) -> list[dict[str, Any]]:
    if device_id is None:
        return list(db.query("SELECT * FROM _held_bundle ORDER BY device_id, seq_from"))
    return list(
        db.query("SELECT * FROM _held_bundle WHERE device_id = ? ORDER BY seq_from", [device_id])
    )


def release(db: Database, bundle_id: str) -> None:
    db.execute("DELETE FROM _held_bundle WHERE bundle_id = ?", [bundle_id])


def quarantine(db: Database, entry: ChangeEntry, reason: str, at: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO _quarantine (device_id, seq, entity, record_id, reason, entry,"
        " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            entry.device_id,
            entry.seq,
            entry.entity,
            entry.record_id,
            reason,
            json.dumps(entry.__dict__, ensure_ascii=False, sort_keys=True),
            at,
        ],
    )


def quarantined(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM _quarantine ORDER BY device_id, seq"))


def logged_entry(db: Database, device_id: str, seq: int) -> ChangeEntry | None:
    row = next(
        db.query("SELECT * FROM change_log WHERE device_id = ? AND seq = ?", [device_id, seq]), None
    )
    return ChangeEntry.from_row(row) if row else None


def field_stamp(db: Database, entity: str, record_id: str, field: str) -> tuple[str, str]:
    """(hlc, device_id) of the last logged change that wrote this field."""
    row = db.execute(
        """SELECT hlc, device_id FROM change_log
           WHERE entity = ? AND record_id = ? AND op IN ('insert', 'update')
             AND json_type(fields, '$."' || ? || '"') IS NOT NULL
           ORDER BY hlc DESC, device_id DESC LIMIT 1""",
        [entity, record_id, field],
    ).fetchone()
    return (row[0], row[1]) if row else ("", "")


# -- conflicts ------------------------------------------------------------------------


def open_conflict(db: Database, entity: str, record_id: str, field: str) -> dict[str, Any] | None:
    return next(
        db.query(
            "SELECT * FROM conflict WHERE entity = ? AND record_id = ? AND field = ?"
            " AND resolved_at IS NULL",
            [entity, record_id, field],
        ),
        None,
    )


def conflicts(db: Database, include_resolved: bool = False) -> list[dict[str, Any]]:
    where = "" if include_resolved else "WHERE c.resolved_at IS NULL"
    return list(
        db.query(
            f"""SELECT c.*, h.code AS household_code FROM conflict c
            LEFT JOIN household h ON h.id = CASE c.entity
                WHEN 'household' THEN c.record_id
                WHEN 'resident' THEN (SELECT household_id FROM resident WHERE id = c.record_id)
                WHEN 'phone' THEN (SELECT r.household_id FROM phone p
                                   JOIN resident r ON r.id = p.resident_id
                                   WHERE p.id = c.record_id) END
            {where} ORDER BY c.created_at, c.id"""
        )
    )


# -- roster (office → field) ------------------------------------------------------------

#: Tables sent to a team's laptop, each with the rows that team may hold.
_ROSTER_SQL: dict[str, str] = {
    # A building that moved brings its past visits: the team and the workers that made
    # them come along, those workers in no team and not active (in no list there).
    "team": """SELECT * FROM team WHERE id = :team OR id IN (SELECT team_id FROM visit
               WHERE household_id IN (SELECT id FROM _roster_household))""",
    "worker": """SELECT id, code, name, team_id, role, active FROM worker WHERE team_id = :team
                 UNION ALL SELECT id, code, name, NULL, role, 0 FROM worker
                 WHERE team_id IS NOT :team AND id IN (SELECT worker_id FROM visit
                   WHERE household_id IN (SELECT id FROM _roster_household)
                   UNION SELECT recorded_by FROM visit
                   WHERE household_id IN (SELECT id FROM _roster_household)
                   UNION SELECT worker_id FROM suggestion
                   WHERE household_id IN (SELECT id FROM _roster_household)
                   UNION SELECT worker_id FROM void WHERE record_id IN (SELECT id FROM visit
                     WHERE household_id IN (SELECT id FROM _roster_household)))""",
    # The campaign's questionnaire as last published, and every version the held visits
    # were answered under: an older visit reads on the laptop with its own labels.
    "questionnaire": """SELECT q.* FROM questionnaire q WHERE q.id IN
                        (SELECT questionnaire_id FROM campaign WHERE status = 'active')
                        OR q.id IN (SELECT questionnaire_id FROM visit
                          WHERE household_id IN (SELECT id FROM _roster_household))
                        OR q.id IN (SELECT a.questionnaire_id FROM answer a JOIN visit v
                          ON v.id = a.visit_id
                          WHERE v.household_id IN (SELECT id FROM _roster_household))""",
    "policy_item": """SELECT DISTINCT p.* FROM policy_item p JOIN campaign_policy cp
                      ON cp.policy_item_id = p.id JOIN campaign c ON c.id = cp.campaign_id
                      WHERE c.status = 'active'""",
    "campaign": "SELECT * FROM campaign WHERE status = 'active'",
    "campaign_policy": """SELECT cp.* FROM campaign_policy cp JOIN campaign c
                          ON c.id = cp.campaign_id WHERE c.status = 'active'""",
    "building": """SELECT b.* FROM building b WHERE b.id IN
                   (SELECT building_id FROM assignment WHERE team_id = :team)""",
    "compound": """SELECT * FROM compound WHERE id IN (SELECT compound_id FROM building WHERE id IN
                   (SELECT building_id FROM assignment WHERE team_id = :team))""",
    "campaign_compound": """SELECT cc.* FROM campaign_compound cc JOIN campaign c
                            ON c.id = cc.campaign_id WHERE c.status = 'active' AND cc.compound_id
                            IN (SELECT compound_id FROM building WHERE id IN
                            (SELECT building_id FROM assignment WHERE team_id = :team))""",
    "grid": """SELECT * FROM grid WHERE id IN (SELECT grid_id FROM building WHERE id IN
               (SELECT building_id FROM assignment WHERE team_id = :team))""",
    "assignment": "SELECT * FROM assignment WHERE team_id = :team",
    "household": "SELECT * FROM household WHERE building_id IN (SELECT building_id FROM assignment"
    " WHERE team_id = :team)",
    "resident": "SELECT * FROM resident WHERE household_id IN (SELECT id FROM _roster_household)",
    "phone": """SELECT p.* FROM phone p JOIN resident r ON r.id = p.resident_id
                WHERE r.household_id IN (SELECT id FROM _roster_household)""",
    "visit": "SELECT * FROM visit WHERE household_id IN (SELECT id FROM _roster_household)",
    "answer": """SELECT a.* FROM answer a JOIN visit v ON v.id = a.visit_id
                 WHERE v.household_id IN (SELECT id FROM _roster_household)""",
    "explanation": """SELECT e.* FROM explanation e JOIN visit v ON v.id = e.visit_id
                      WHERE v.household_id IN (SELECT id FROM _roster_household)""",
    "suggestion": """SELECT * FROM suggestion
                     WHERE household_id IN (SELECT id FROM _roster_household)""",
    # The office's follow-up of the team's suggestions, so the laptop can tell a
    # resident at the door where their suggestion stands. Which staff member recorded
    # a step stays at the office: office staff are not on the team's laptop.
    "suggestion_status": """SELECT st.id, st.suggestion_id, st.status, st.handler,
                            st.response, NULL AS worker_id, st.at
                            FROM suggestion_status st JOIN suggestion s
                            ON s.id = st.suggestion_id
                            WHERE s.household_id IN (SELECT id FROM _roster_household)""",
    "callback": "SELECT * FROM callback WHERE household_id IN (SELECT id FROM _roster_household)",
    "void": """SELECT x.* FROM void x WHERE x.record_id IN (
                 SELECT id FROM visit WHERE household_id IN (SELECT id FROM _roster_household)
                 UNION ALL SELECT id FROM callback
                   WHERE household_id IN (SELECT id FROM _roster_household)
                 UNION ALL SELECT id FROM suggestion
                   WHERE household_id IN (SELECT id FROM _roster_household))""",
    # The office's review of the team's visits: a returned one is corrected on the laptop.
    "review": """SELECT r.id, r.visit_id, r.status, r.comment, NULL AS worker_id, r.at
                 FROM review r JOIN visit v ON v.id = r.visit_id
                 WHERE v.household_id IN (SELECT id FROM _roster_household)""",
    # The office's record of the team's households' lifecycle (counts and ids only).
    # The other household of a merge or split is in the same building, so held too.
    "household_event": """SELECT * FROM household_event
                          WHERE household_id IN (SELECT id FROM _roster_household)""",
    "conflict": """SELECT c.* FROM conflict c WHERE c.resolved_at IS NOT NULL AND (
                     (c.entity = 'household' AND c.record_id IN (SELECT id FROM _roster_household))
                     OR (c.entity = 'resident' AND c.record_id IN (SELECT id FROM resident
                         WHERE household_id IN (SELECT id FROM _roster_household)))
                     OR (c.entity = 'phone' AND c.record_id IN (SELECT p.id FROM phone p JOIN
                         resident r ON r.id = p.resident_id
                         WHERE r.household_id IN (SELECT id FROM _roster_household))))""",
}

#: Parents first, so foreign keys hold as the laptop inserts.
ROSTER_ORDER = (
    "team",
    "worker",
    "questionnaire",
    "policy_item",
    "campaign",
    "campaign_policy",
    "compound",
    "campaign_compound",
    "grid",
    "building",
    "assignment",
    "household",
    "resident",
    "phone",
    "visit",
    "answer",
    "explanation",
    "suggestion",
    "suggestion_status",
    "callback",
    "void",
    "review",
    "household_event",
    "conflict",
)


def roster_rows(db: Database, team_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
    db.execute("DROP TABLE IF EXISTS temp._roster_household")
    db.execute(
        "CREATE TEMP TABLE _roster_household AS SELECT id FROM household WHERE building_id IN"
        " (SELECT building_id FROM assignment WHERE team_id = ?)",
        [team_id],
    )
    try:
        for table in ROSTER_ORDER:
            for row in db.query(_ROSTER_SQL[table], {"team": team_id}):
                yield table, row
    finally:
        db.execute("DROP TABLE IF EXISTS temp._roster_household")


def holdings(db: Database, team_id: str) -> dict[str, list[str]]:
    """The ids of what the team's laptops should hold now: the roster's `holds` record
    (households of its buildings, its assignments, its workers)."""
    sql = {
        "households": "SELECT id FROM household WHERE building_id IN (SELECT building_id"
        " FROM assignment WHERE team_id = ?) ORDER BY id",
        "assignments": "SELECT id FROM assignment WHERE team_id = ? ORDER BY id",
        "workers": "SELECT id FROM worker WHERE team_id = ? ORDER BY id",
    }
    return {kind: [r[0] for r in db.execute(q, [team_id])] for kind, q in sql.items()}


def team_id_by_number(db: Database, number: int) -> str | None:
    row = db.execute("SELECT id FROM team WHERE number = ?", [number]).fetchone()
    return row[0] if row else None


def device(db: Database, device_id: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM device WHERE id = ?", [device_id]), None)


def devices(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM device ORDER BY created_at"))


# -- field: trust anchor and acknowledgement -------------------------------------------


def office_anchor(db: Database) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM _office_anchor WHERE id = 1"), None)


def set_office_anchor(db: Database, device_id: str, name: str, sign_pk: str, box_pk: str) -> None:
    db.execute(
        "INSERT INTO _office_anchor (id, device_id, name, sign_public_key, box_public_key)"
        " VALUES (1, ?, ?, ?, ?)",
        [device_id, name, sign_pk, box_pk],
    )


def set_acked(db: Database, seq: int, at: str) -> None:
    db.execute(
        "UPDATE _office_anchor SET acked_seq = max(acked_seq, ?), acked_at = ? WHERE id = 1",
        [seq, at],
    )


def own_entries_after(db: Database, device_id: str, seq: int) -> Iterator[dict[str, Any]]:
    yield from db.query(
        "SELECT * FROM change_log WHERE device_id = ? AND seq > ? ORDER BY seq", [device_id, seq]
    )


def unsent_fields(db: Database, device_id: str, after_seq: int) -> set[tuple[str, str, str]]:
    """(entity, record_id, field) this laptop changed and the office has not acknowledged."""
    found: set[tuple[str, str, str]] = set()
    for entity, record_id, fields in db.execute(
        "SELECT entity, record_id, fields FROM change_log WHERE device_id = ? AND seq > ?"
        " AND op = 'update'",
        [device_id, after_seq],
    ).fetchall():
        found.update((entity, record_id, f) for f in json.loads(fields or "{}"))
    return found


def upsert_rows(
    db: Database, table: str, rows: Iterable[dict[str, Any]], keep: set[tuple[str, str, str]]
) -> int:
    """Insert or update rows from the office, leaving fields listed in `keep` alone."""
    count = 0
    for row in rows:
        current = records.get(db, table, row["id"])
        if current is None:
            records.insert(db, table, row)
        else:
            changes = {
                k: v
                for k, v in row.items()
                if k != "id" and current.get(k) != v and (table, row["id"], k) not in keep
            }
            if changes:
                records.update(db, table, row["id"], changes)
        count += 1
    return count
