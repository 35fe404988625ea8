"""SQL of roster deltas on a laptop: what the team no longer holds leaves the laptop.

A roster bundle (format 2) lists what the team's laptops should hold now: households,
assignments, workers (docs/sync-bundles.md). Inside the roster's replaying transaction
(nothing is logged, so nothing travels back as an edit), a household that is not listed
is erased: its residents, phones, visit-side records, drafts, conflicts and search text
are deleted, and this laptop's own change-log entries about them lose their personal
values (as a purge redacts them, storage/purge.py). Unlike a campaign purge nothing is
remembered: a household that comes back to the team arrives whole in a later roster.

A household on which the laptop has work the office has not acknowledged stays, out of
the team's scope (its assignment goes), until a roster acknowledges that work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from gridapp.storage import purge, search_index


@dataclass(frozen=True)
class Erased:
    """What a roster's `holds` record took off this laptop (counts only: audit log)."""

    households: int = 0
    residents: int = 0
    phones: int = 0
    kept: int = 0  # not held any more, but with unsent work: erased once acknowledged
    assignments: int = 0
    workers: int = 0

    @property
    def personal(self) -> bool:
        """Personal data left the file: it is compacted, its backups scrubbed."""
        return bool(self.households or self.residents or self.phones or self.workers)

    @property
    def changed(self) -> bool:
        return self.personal or bool(self.assignments)


# -- unsent work ----------------------------------------------------------------------

#: Visit-side records reached through their visit.
_VIA_VISIT = ("answer", "explanation", "receipt")
#: Records that carry their household.
_WITH_HOUSEHOLD = ("visit", "callback", "suggestion", "online_answer")


def unsent_households(db: Database, device_id: str, after_seq: int) -> set[str]:
    """Households this laptop's change-log entries after `after_seq` are about (a
    visit, callback, suggestion, online answer, or an edit of the household, its
    residents or phones): work the office has not acknowledged."""
    found: set[str] = set()
    rows = db.execute(
        "SELECT entity, record_id, fields, base FROM change_log WHERE device_id = ? AND seq > ?",
        [device_id, after_seq],
    ).fetchall()
    for entity, record_id, fields, base in rows:
        values = {**json.loads(base or "{}"), **json.loads(fields or "{}")}
        household = _household(db, entity, record_id, values)
        if household:
            found.add(household)
    return found


def _household(db: Database, entity: str, record_id: str, values: dict[str, Any]) -> str | None:
    def given(key: str) -> str | None:
        value = values.get(key)
        return str(value) if value else None

    if entity == "household":
        return record_id
    if entity == "resident":
        return given("household_id") or _value(db, "resident", "household_id", record_id)
    if entity == "phone":
        resident = given("resident_id") or _value(db, "phone", "resident_id", record_id)
        return _value(db, "resident", "household_id", resident) if resident else None
    if entity in _WITH_HOUSEHOLD:
        household = given("household_id") or _value(db, entity, "household_id", record_id)
        if household:
            return household
        visit = given("visit_id")
        if visit is None and entity in ("suggestion", "callback"):
            visit = _value(db, entity, "visit_id", record_id)
        return _value(db, "visit", "household_id", visit) if visit else None
    if entity in _VIA_VISIT:
        visit = given("visit_id") or _value(db, entity, "visit_id", record_id)
        return _value(db, "visit", "household_id", visit) if visit else None
    if entity == "void" and values.get("entity") in _WITH_HOUSEHOLD:
        return _household(db, str(values["entity"]), str(values.get("record_id")), {})
    return None


def _value(db: Database, table: str, column: str, record_id: str) -> str | None:
    row = db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [record_id]).fetchone()
    return str(row[0]) if row and row[0] is not None else None


# -- letting go -------------------------------------------------------------------------


def _ids(db: Database, name: str, ids: Iterable[str]) -> None:
    db.execute(f"DROP TABLE IF EXISTS temp.{name}")
    db.execute(f"CREATE TEMP TABLE {name} (id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.{name} (id) VALUES (?)", [(i,) for i in ids])


_HELD = ("_held_h", "_held_a", "_held_w")

#: Workers' ids in the rows that stay: such a worker is detached, not deleted.
_WORKER_REFS = (
    ("visit", "worker_id"),
    ("visit", "recorded_by"),
    ("suggestion", "worker_id"),
    ("online_answer", "worker_id"),
    ("void", "worker_id"),
)


def let_go(
    db: Database,
    households: Iterable[str],
    assignments: Iterable[str],
    workers: Iterable[str],
    unsent: set[str],
) -> Erased:
    """Inside the caller's replaying transaction (foreign keys deferred): remove what
    is not listed, keeping the households in `unsent` (and their buildings)."""
    _ids(db, "_held_h", households)
    _ids(db, "_held_a", assignments)
    _ids(db, "_held_w", workers)
    try:
        outside = [
            r[0]
            for r in db.execute(
                "SELECT id FROM household WHERE id NOT IN (SELECT id FROM temp._held_h)"
            )
        ]
        gone = [h for h in outside if h not in unsent]
        dropped = db.execute(
            "DELETE FROM assignment WHERE id NOT IN (SELECT id FROM temp._held_a)"
        ).rowcount
        residents, phones = erase(db, gone) if gone else (0, 0)
        _let_places_go(db)
        moved = _let_workers_go(db)
    finally:
        for name in _HELD:
            db.execute(f"DROP TABLE IF EXISTS temp.{name}")
    return Erased(len(gone), residents, phones, len(outside) - len(gone), max(dropped, 0), moved)


def _let_places_go(db: Database) -> None:
    """Buildings left with neither an assignment nor a household go, and the grids
    and compounds (with their campaign links) left with no building: the place
    navigator lists every compound the laptop has."""
    db.execute(
        """DELETE FROM building WHERE id NOT IN (SELECT building_id FROM assignment)
           AND id NOT IN (SELECT building_id FROM household)"""
    )
    db.execute(
        "DELETE FROM grid WHERE id NOT IN (SELECT grid_id FROM building WHERE grid_id IS NOT NULL)"
    )
    empty = "SELECT id FROM compound WHERE id NOT IN (SELECT compound_id FROM building)"
    db.execute(f"DELETE FROM campaign_compound WHERE compound_id IN ({empty})")
    db.execute(f"DELETE FROM grid WHERE compound_id IN ({empty})")
    db.execute(f"DELETE FROM compound WHERE id IN ({empty})")


def _let_workers_go(db: Database) -> int:
    """Workers no longer on the team leave the laptop; one that records kept here still
    name stays, in no team and not active (in no list), so those records show whom."""
    leaving = [
        r[0]
        for r in db.execute(
            "SELECT id FROM worker WHERE id NOT IN (SELECT id FROM temp._held_w)"
            " AND (team_id IS NOT NULL OR active = 1)"
        )
    ]
    for worker_id in leaving:
        named = any(
            db.execute(f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", [worker_id]).fetchone()
            for table, column in _WORKER_REFS
        )
        if named:
            db.execute("UPDATE worker SET team_id = NULL, active = 0 WHERE id = ?", [worker_id])
        else:
            db.execute("DELETE FROM worker WHERE id = ?", [worker_id])
    return len(leaving)


_MASTER_STAGED = (("household", "_purge_h"), ("resident", "_purge_r"), ("phone", "_purge_p"))


def erase(db: Database, household_ids: list[str]) -> tuple[int, int]:
    """Delete the households and everything of theirs from this laptop, and blank the
    personal values of this laptop's change-log entries about them. Returns (residents,
    phones) deleted. The caller compacts the file after the commit (purge.compact)."""
    db.execute("PRAGMA secure_delete = ON")
    purge.stage(db, household_ids)
    try:
        purge.redact_log(db)
        for entity, temp in _MASTER_STAGED:
            db.execute(
                "DELETE FROM conflict WHERE entity = ?"
                f" AND record_id IN (SELECT id FROM temp.{temp})",
                [entity],
            )
        db.execute("DELETE FROM _draft WHERE household_id IN (SELECT id FROM temp._purge_h)")
        db.execute(
            """DELETE FROM household_event WHERE household_id IN (SELECT id FROM temp._purge_h)
               OR other_household_id IN (SELECT id FROM temp._purge_h)"""
        )
        _ids(db, "_erase_s", [])
        db.execute(
            """INSERT OR IGNORE INTO temp._erase_s SELECT id FROM suggestion
               WHERE household_id IN (SELECT id FROM temp._purge_h)
                  OR visit_id IN (SELECT id FROM temp._purge_v)"""
        )
        db.execute(
            """DELETE FROM void WHERE record_id IN (SELECT id FROM temp._purge_v
                 UNION ALL SELECT id FROM temp._purge_c UNION ALL SELECT id FROM temp._erase_s
                 UNION ALL SELECT id FROM online_answer
                   WHERE household_id IN (SELECT id FROM temp._purge_h))"""
        )
        for table in ("receipt", "answer", "explanation", "review"):
            db.execute(f"DELETE FROM {table} WHERE visit_id IN (SELECT id FROM temp._purge_v)")
        db.execute(
            "DELETE FROM suggestion_status WHERE suggestion_id IN (SELECT id FROM temp._erase_s)"
        )
        db.execute("DELETE FROM suggestion WHERE id IN (SELECT id FROM temp._erase_s)")
        db.execute("DELETE FROM online_answer WHERE household_id IN (SELECT id FROM temp._purge_h)")
        db.execute("DELETE FROM callback WHERE id IN (SELECT id FROM temp._purge_c)")
        db.execute("DELETE FROM visit WHERE id IN (SELECT id FROM temp._purge_v)")
        phones = db.execute("DELETE FROM phone WHERE id IN (SELECT id FROM temp._purge_p)").rowcount
        residents = db.execute(
            "DELETE FROM resident WHERE id IN (SELECT id FROM temp._purge_r)"
        ).rowcount
        db.execute("DELETE FROM household WHERE id IN (SELECT id FROM temp._purge_h)")
    finally:
        db.execute("DROP TABLE IF EXISTS temp._erase_s")
        purge.drop_stage(db)
    # The deletes marked the households: forgetting their text now and merging the
    # index's segments leaves no name in an index page (as a purge does).
    search_index.refresh_dirty(db)
    db.execute("INSERT INTO _search_fts (_search_fts) VALUES ('optimize')")
    return max(residents, 0), max(phones, 0)


def let_residents_go(
    db: Database, households: Iterable[str], residents: set[str], phones: set[str], unsent: set[str]
) -> tuple[int, int]:
    """After a format 2 roster's rows: residents (and phones) of the households the
    team holds that the roster no longer carries moved out at the office; they leave
    this laptop, their log entries redacted. Households with unsent work keep theirs."""
    _ids(db, "_held_h", [h for h in households if h not in unsent])
    try:
        gone_r = [
            r[0]
            for r in db.execute(
                "SELECT id FROM resident WHERE household_id IN (SELECT id FROM temp._held_h)"
            )
            if r[0] not in residents
        ]
        gone_p = [
            r[0]
            for r in db.execute(
                """SELECT p.id FROM phone p JOIN resident r ON r.id = p.resident_id
                   WHERE r.household_id IN (SELECT id FROM temp._held_h)"""
            )
            if r[0] not in phones
        ]
    finally:
        db.execute("DROP TABLE IF EXISTS temp._held_h")
    if not gone_r and not gone_p:
        return 0, 0
    purge.stage(db, [])
    try:
        db.conn.executemany("INSERT INTO temp._purge_r (id) VALUES (?)", [(i,) for i in gone_r])
        db.conn.executemany("INSERT INTO temp._purge_p (id) VALUES (?)", [(i,) for i in gone_p])
        db.execute(
            """INSERT OR IGNORE INTO temp._purge_p SELECT id FROM phone
               WHERE resident_id IN (SELECT id FROM temp._purge_r)"""
        )
        purge.redact_log(db)
        db.execute(
            "DELETE FROM conflict WHERE entity = 'resident'"
            " AND record_id IN (SELECT id FROM temp._purge_r)"
        )
        db.execute(
            "DELETE FROM conflict WHERE entity = 'phone'"
            " AND record_id IN (SELECT id FROM temp._purge_p)"
        )
        phone_count = db.execute(
            "DELETE FROM phone WHERE id IN (SELECT id FROM temp._purge_p)"
        ).rowcount
        resident_count = db.execute(
            "DELETE FROM resident WHERE id IN (SELECT id FROM temp._purge_r)"
        ).rowcount
    finally:
        purge.drop_stage(db)
    return max(resident_count, 0), max(phone_count, 0)
