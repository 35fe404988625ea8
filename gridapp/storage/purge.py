"""SQL of the purge: which households a closed campaign's purge covers, removing their
personal data from every table that holds it (records, change log, conflicts,
quarantine, drafts, the search index), and leaving no copy in the file's free pages.

The caller holds a `Store.replaying()` transaction: the synced tables' triggers stand
aside, so a purge writes no change-log entries a laptop would send as edits. The change
log itself is append-only; `redacting` lets this module, and only while it runs,
rewrite the `fields`/`base` of existing entries (never their identity, never delete).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from gridapp.audit_actions import PURGED
from gridapp.clock import Hlc
from gridapp.privacy import PERSONAL, PURGED_MARK, PurgeCounts, is_marked, redact_entry
from gridapp.storage import audit, search_index
from gridapp.storage.changelog import ChangeEntry

log = logging.getLogger("gridapp.storage")


def create(db: Database) -> None:
    """Migration body: remembered purges, and the change log's one exception."""
    db.execute(
        """CREATE TABLE _purged_household (
            household_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            hlc TEXT NOT NULL,
            purged_at TEXT NOT NULL
        )"""
    )
    db.execute("ALTER TABLE _write_context ADD COLUMN redacting INTEGER NOT NULL DEFAULT 0")
    db.execute("DROP TRIGGER change_log_append_only_update")
    db.execute(
        """CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log
        WHEN (SELECT redacting FROM _write_context) = 0
        BEGIN SELECT RAISE(ABORT, 'gridapp: change_log is append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER change_log_identity_fixed
        BEFORE UPDATE OF device_id, seq, hlc, actor, entity, record_id, op ON change_log
        BEGIN SELECT RAISE(ABORT, 'gridapp: change_log is append-only'); END"""
    )


# -- scope ------------------------------------------------------------------------------

_SCOPE = """WITH scope (campaign_id, household_id) AS (
    SELECT cc.campaign_id, h.id FROM campaign_compound cc
      JOIN building b ON b.compound_id = cc.compound_id JOIN household h ON h.building_id = b.id
    UNION SELECT a.campaign_id, h.id FROM assignment a
      JOIN household h ON h.building_id = a.building_id
)"""


def campaign_households(db: Database, campaign_id: str, team_id: str | None = None) -> list[str]:
    """The households a purge of this campaign covers: its compounds' and assigned
    buildings', less any another campaign still open needs; with `team_id`, only those
    the team's laptops can hold."""
    team = ""
    params: list[Any] = [campaign_id]
    if team_id is not None:
        team = (
            " AND household_id IN (SELECT h.id FROM household h JOIN assignment a"
            " ON a.building_id = h.building_id WHERE a.team_id = ?)"
        )
        params.append(team_id)
    params.append(campaign_id)
    sql = f"""{_SCOPE}
        SELECT household_id FROM scope WHERE campaign_id = ?{team}
        EXCEPT SELECT s.household_id FROM scope s JOIN campaign c ON c.id = s.campaign_id
               WHERE c.status <> 'closed' AND c.id <> ?
        ORDER BY 1"""
    return [row[0] for row in db.execute(sql, params)]


def closed_campaign_ids(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM campaign WHERE status = 'closed' ORDER BY id")]


def get_campaign(db: Database, campaign_id: str | None) -> dict[str, Any] | None:
    """The campaign by id; without one, the only campaign, else the latest closed."""
    if campaign_id:
        return next(db.query("SELECT * FROM campaign WHERE id = ?", [campaign_id]), None)
    rows = list(db.query("SELECT * FROM campaign ORDER BY status = 'closed' DESC, ends_on DESC"))
    return rows[0] if rows else None


def set_status_quietly(db: Database, campaign_id: str, status: str) -> None:
    """A laptop learns a campaign closed (inside a replaying transaction: not logged)."""
    db.execute("UPDATE campaign SET status = ? WHERE id = ?", [status, campaign_id])


# -- the purge ---------------------------------------------------------------------------

_TEMP = ("_purge_h", "_purge_r", "_purge_p", "_purge_v", "_purge_c")


def stage(db: Database, household_ids: Iterable[str]) -> None:
    for name in _TEMP:
        db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        db.execute(f"CREATE TEMP TABLE {name} (id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.conn.executemany(
        "INSERT OR IGNORE INTO temp._purge_h (id) VALUES (?)", [(h,) for h in household_ids]
    )
    # From the tables and from the log: a record deleted earlier still has entries.
    db.execute(
        """INSERT OR IGNORE INTO temp._purge_r SELECT id FROM resident
           WHERE household_id IN (SELECT id FROM temp._purge_h)
           UNION SELECT record_id FROM change_log WHERE entity = 'resident' AND op = 'insert'
             AND json_extract(fields, '$.household_id') IN (SELECT id FROM temp._purge_h)"""
    )
    db.execute(
        """INSERT OR IGNORE INTO temp._purge_p SELECT id FROM phone
           WHERE resident_id IN (SELECT id FROM temp._purge_r)
           UNION SELECT record_id FROM change_log WHERE entity = 'phone' AND op = 'insert'
             AND json_extract(fields, '$.resident_id') IN (SELECT id FROM temp._purge_r)"""
    )
    for temp, table in (("_purge_v", "visit"), ("_purge_c", "callback")):
        db.execute(
            f"""INSERT OR IGNORE INTO temp.{temp} SELECT id FROM {table}
                WHERE household_id IN (SELECT id FROM temp._purge_h)"""
        )


def drop_stage(db: Database) -> None:
    for name in _TEMP:
        db.execute(f"DROP TABLE IF EXISTS temp.{name}")


_STAGED = {
    "household": "_purge_h",
    "resident": "_purge_r",
    "phone": "_purge_p",
    "visit": "_purge_v",
    "callback": "_purge_c",
}


def _has_personal(entity: str) -> str:
    """SQL: the row still holds some personal value."""
    return " OR ".join(
        f"{field} IS NOT NULL" if blank is None else f"{field} <> {_literal(blank)}"
        for field, blank in PERSONAL[entity].items()
    )


def _literal(value: Any) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def preview(db: Database, campaign_id: str, household_ids: list[str]) -> PurgeCounts:
    """What `purge` would do, changing nothing (its scratch tables roll back)."""
    own = not db.conn.in_transaction
    if own:
        db.execute("BEGIN")
    stage(db, household_ids)
    try:
        return PurgeCounts(
            campaign_id=campaign_id,
            households=len(household_ids),
            residents=_count(db, "resident", f"({_has_personal('resident')})"),
            phones=_count(db, "phone", "1"),
            notes=sum(
                _count(db, t, f"({_has_personal(t)})") for t in ("household", "visit", "callback")
            ),
        )
    finally:
        drop_stage(db)
        if own:
            db.execute("ROLLBACK")


def _count(db: Database, entity: str, where: str) -> int:
    sql = f"SELECT count(*) FROM {entity} WHERE id IN (SELECT id FROM temp.{_STAGED[entity]})"
    return int(db.execute(f"{sql} AND {where}").fetchone()[0])


def stamp(db: Database, now_ms: int) -> str:
    """The purge's HLC stamp: now, and never before this device's last write."""
    local = Hlc.decode(db.execute("SELECT hlc FROM _local_device").fetchone()[0])
    return max(local, Hlc(now_ms)).encode()


def purge(
    db: Database, campaign_id: str, household_ids: list[str], stamp: str, at: str
) -> PurgeCounts:
    """Remove the households' personal data everywhere in this database (inside the
    caller's replaying transaction). `stamp` (an HLC) dates the purge: a late entry
    older than it is redacted on arrival (`redact_late`)."""
    db.execute("PRAGMA secure_delete = ON")
    stage(db, household_ids)
    try:
        households = int(
            db.execute(
                "SELECT count(*) FROM household WHERE id IN (SELECT id FROM temp._purge_h)"
            ).fetchone()[0]
        )
        residents = _blank(db, "resident")
        phones = db.execute("DELETE FROM phone WHERE id IN (SELECT id FROM temp._purge_p)").rowcount
        notes = sum(_blank(db, t) for t in ("household", "visit", "callback"))
        _redact_conflicts(db)
        _redact_quarantine(db)
        entries = redact_log(db)
        drafts = db.execute(
            "DELETE FROM _draft WHERE household_id IN (SELECT id FROM temp._purge_h)"
        ).rowcount
        db.conn.executemany(
            "INSERT OR IGNORE INTO _purged_household (household_id, campaign_id, hlc, purged_at)"
            " VALUES (?, ?, ?, ?)",
            [(h, campaign_id, stamp, at) for h in household_ids],
        )
    finally:
        drop_stage(db)
    counts = PurgeCounts(campaign_id, households, residents, phones, notes, entries, max(drafts, 0))
    if counts.changed:
        # Re-derive the search text now and merge the index's segments, so the old
        # names leave the full-text index's pages too (the commit hook is too late).
        search_index.refresh_dirty(db)
        db.execute("INSERT INTO _search_fts (_search_fts) VALUES ('optimize')")
    return counts


def apply_orders(
    db: Database, orders: list[tuple[str, list[str]]], stamp: str, at: str, actor: str
) -> bool:
    """A laptop obeys the purge orders of a roster bundle (inside its replaying
    transaction: nothing is logged, so nothing goes back to the office as an edit).
    Orders repeat in every roster; one already obeyed changes nothing. True when
    something was removed (the caller compacts the file after commit)."""
    changed = False
    for campaign_id, households in orders:
        set_status_quietly(db, campaign_id, "closed")
        counts = purge(db, campaign_id, households, stamp, at)
        if counts.changed:
            changed = True
            audit.append(
                db,
                at,
                actor,
                PURGED,
                campaign_id,
                households=counts.households,
                residents=counts.residents,
                phones=counts.phones,
            )
    return changed


def _blank(db: Database, entity: str) -> int:
    sets = ", ".join(f"{f} = {_literal(v)}" for f, v in PERSONAL[entity].items())
    return int(
        db.execute(
            f"UPDATE {entity} SET {sets} WHERE id IN (SELECT id FROM temp.{_STAGED[entity]})"
            f" AND ({_has_personal(entity)})"
        ).rowcount
    )


def _redact_conflicts(db: Database) -> None:
    for entity in ("household", "resident", "phone"):
        for field, blank in PERSONAL[entity].items():
            dumped = json.dumps(blank, ensure_ascii=False, sort_keys=True)
            db.execute(
                f"""UPDATE conflict SET candidates = ?, provisional_value = ?,
                    resolution = CASE WHEN resolution IS NULL THEN NULL ELSE ? END
                    WHERE entity = ? AND field = ?
                      AND record_id IN (SELECT id FROM temp.{_STAGED[entity]})""",
                [json.dumps([dumped]), dumped, dumped, entity, field],
            )


def _redact_quarantine(db: Database) -> None:
    for entity, temp in _STAGED.items():
        rows = db.execute(
            f"SELECT id, entry FROM _quarantine WHERE entity = ?"
            f" AND record_id IN (SELECT id FROM temp.{temp})",
            [entity],
        ).fetchall()
        for row_id, text in rows:
            entry = ChangeEntry(**json.loads(text))
            redacted = json.dumps(redact_entry(entry).__dict__, ensure_ascii=False, sort_keys=True)
            db.execute("UPDATE _quarantine SET entry = ? WHERE id = ?", [redacted, row_id])


def redact_log(db: Database) -> int:
    db.execute("UPDATE _write_context SET redacting = 1 WHERE id = 1")
    count = 0
    for entity, temp in _STAGED.items():
        paths = ", ".join(f"'$.{f}', {_literal(v)}" for f, v in PERSONAL[entity].items())
        count += db.execute(
            f"""UPDATE change_log SET
                  fields = CASE WHEN fields IS NULL THEN NULL
                           ELSE json_replace(fields, {paths}) END,
                  base = json_replace(json_set(COALESCE(base, '{{}}'), '$.{PURGED_MARK}', 1),
                                      {paths})
                WHERE entity = ? AND record_id IN (SELECT id FROM temp.{temp})
                  AND json_extract(COALESCE(base, '{{}}'), '$.{PURGED_MARK}') IS NULL""",
            [entity],
        ).rowcount
    db.execute("UPDATE _write_context SET redacting = 0 WHERE id = 1")
    return count


def compact(db: Database) -> None:
    """After the purge committed: rewrite the file so no free page keeps a deleted
    name, and fold the write-ahead log back in. A reader elsewhere may delay the
    checkpoint; the next one folds the rest."""
    try:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        # The purge has committed and secure_delete zeroed what it freed; a busy file
        # only postpones the rewrite (the next purge or VACUUM does it).
        log.warning("compacting after a purge failed: %s", exc)


# -- late entries at the office ---------------------------------------------------------


def redact_late(db: Database, entries: list[ChangeEntry]) -> list[ChangeEntry]:
    """Entries from laptops about a purged household, written before its purge, arrive
    with their personal values removed (they are merged and logged without them)."""
    if db.execute("SELECT 1 FROM _purged_household LIMIT 1").fetchone() is None:
        return entries
    out = []
    for entry in entries:
        if entry.entity in PERSONAL and not is_marked(entry):
            household = _household_of(db, entry)
            row = (
                db.execute(
                    "SELECT hlc FROM _purged_household WHERE household_id = ?", [household]
                ).fetchone()
                if household
                else None
            )
            if row is not None and entry.hlc < row[0]:
                entry = redact_entry(entry)
        out.append(entry)
    return out


def _household_of(db: Database, entry: ChangeEntry) -> str | None:
    fields = entry.fields or {}
    if entry.entity == "household":
        return entry.record_id
    if entry.entity == "phone":
        resident = (
            fields.get("resident_id")
            or _value(db, "phone", "resident_id", entry.record_id)
            or _logged_resident(db, entry.record_id)  # the purge deleted the phone
        )
        household = _value(db, "resident", "household_id", resident) if resident else None
        return str(household) if household else None
    found = fields.get("household_id") or _value(db, entry.entity, "household_id", entry.record_id)
    return str(found) if found else None


def _logged_resident(db: Database, phone_id: str) -> str | None:
    row = db.execute(
        "SELECT json_extract(fields, '$.resident_id') FROM change_log"
        " WHERE entity = 'phone' AND record_id = ? AND op = 'insert' LIMIT 1",
        [phone_id],
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _value(db: Database, table: str, column: str, record_id: str) -> Any:
    row = db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [record_id]).fetchone()
    return row[0] if row else None
