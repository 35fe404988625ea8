"""The office's merge rules for one change entry from a laptop (DESIGN.md §4).

- Visit-side records are immutable: same id + same content is a no-op; different
  content, an edit or a delete is quarantined (kept, never applied) with an alarm.
- Household master data merges per field, three-way: the base the laptop saw equals
  the office's value → apply; otherwise a conflict keeps every candidate value and a
  deterministic provisional winner (the later HLC, then the device id) is applied.
- Office-owned tables (teams, campaigns, devices…) are not the laptop's to change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from gridapp.clock import Hlc, iso
from gridapp.privacy import is_marked, personal_fields, redact_row
from gridapp.storage import records, sync_store
from gridapp.storage.changelog import ChangeEntry
from gridapp.storage.schema import IMMUTABLE, MASTER_DATA


class Outcome(StrEnum):
    APPLIED = "applied"
    NOOP = "noop"
    CONFLICT = "conflict"
    QUARANTINED = "quarantined"
    IGNORED = "ignored"


def _same(current: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
    return all(current.get(k) == v for k, v in fields.items())


def apply(db: Database, entry: ChangeEntry, received_at: str) -> Outcome:
    """Apply one entry inside the caller's transaction (replaying mode)."""
    if entry.entity == "device" and entry.op == "insert":
        return Outcome.IGNORED  # the office's registry is the truth about devices
    if entry.op == "delete":
        return _quarantine(db, entry, "delete", received_at)
    if entry.entity in IMMUTABLE:
        return _immutable(db, entry, received_at)
    if entry.entity in MASTER_DATA:
        return _master(db, entry, received_at)
    return _quarantine(db, entry, "office_owned", received_at)


def apply_batch(db: Database, entries: list[ChangeEntry], received_at: str) -> None:
    """Apply entries in order; runs of new immutable records go in bulk (one existence
    check and one executemany per table), which is most of what laptops send."""
    run: list[ChangeEntry] = []
    for entry in entries:
        if entry.op == "insert" and entry.entity in IMMUTABLE:
            run.append(entry)
            continue
        _bulk_inserts(db, run, received_at)
        run = []
        apply(db, entry, received_at)
    _bulk_inserts(db, run, received_at)


def _bulk_inserts(db: Database, run: list[ChangeEntry], received_at: str) -> None:
    by_entity: dict[str, list[ChangeEntry]] = {}
    for entry in run:
        by_entity.setdefault(entry.entity, []).append(entry)
    for entity, items in by_entity.items():
        existing = records.existing_ids(db, entity, [e.record_id for e in items])
        fresh: dict[str, ChangeEntry] = {}
        later: list[ChangeEntry] = []
        for entry in items:
            if entry.record_id in existing or entry.record_id in fresh:
                later.append(entry)  # compared with what is there: no-op or quarantine
            else:
                fresh[entry.record_id] = entry
        records.insert_many(db, entity, (e.fields for e in fresh.values()))
        for entry in later:
            apply(db, entry, received_at)


def _quarantine(db: Database, entry: ChangeEntry, reason: str, at: str) -> Outcome:
    sync_store.quarantine(db, entry, reason, at)
    return Outcome.QUARANTINED


def _immutable(db: Database, entry: ChangeEntry, at: str) -> Outcome:
    current = records.get(db, entry.entity, entry.record_id)
    if entry.op == "update":
        # A laptop never edits these; an edit (perhaps to a voided record) must not
        # resurrect or rewrite anything.
        return _quarantine(db, entry, "immutable_edit", at)
    assert entry.fields is not None
    if current is None:
        records.insert(db, entry.entity, entry.fields)
        return Outcome.APPLIED
    if _same(current, entry.fields) or _same_but_purged(entry, current):
        return Outcome.NOOP
    return _quarantine(db, entry, "different_content", at)


def _same_but_purged(entry: ChangeEntry, current: Mapping[str, Any]) -> bool:
    """A redacted entry (docs/privacy.md) equals the record it came from but for the
    personal values a purge removed."""
    return (
        is_marked(entry)
        and entry.fields is not None
        and _same(redact_row(entry.entity, current), entry.fields)
    )


def _master(db: Database, entry: ChangeEntry, at: str) -> Outcome:
    assert entry.fields is not None
    current = records.get(db, entry.entity, entry.record_id)
    purged = personal_fields(entry.entity) if is_marked(entry) else frozenset()
    if entry.op == "insert":
        if current is None:
            if purged and entry.entity == "phone":
                return Outcome.IGNORED  # a phone whose number was purged is nothing
            records.insert(db, entry.entity, entry.fields)
            return Outcome.APPLIED
        return (
            Outcome.NOOP
            if _same(current, entry.fields) or _same_but_purged(entry, current)
            else _quarantine(db, entry, "different_content", at)
        )
    if current is None:
        if purged and entry.entity == "phone":
            return Outcome.IGNORED  # deleted by the purge
        return _quarantine(db, entry, "missing_record", at)
    base = entry.base or {}
    changes: dict[str, Any] = {}
    outcome = Outcome.NOOP
    for field, new in entry.fields.items():
        if field not in current:
            return _quarantine(db, entry, "unknown_field", at)
        if field in purged:
            continue  # a blank left by a purge, not an edit
        now = current[field]
        if now == new:
            continue
        if field in base and now == base[field]:
            changes[field] = new
            outcome = Outcome.APPLIED if outcome is Outcome.NOOP else outcome
            continue
        if _conflict(db, entry, field, now, new):
            changes[field] = new
        outcome = Outcome.CONFLICT
    if changes:
        records.update(db, entry.entity, entry.record_id, changes)
    return outcome


def _conflict(db: Database, entry: ChangeEntry, field: str, current: Any, incoming: Any) -> bool:
    """Record the conflict; True when the incoming value is the provisional winner."""
    current_stamp = sync_store.field_stamp(db, entry.entity, entry.record_id, field)
    incoming_stamp = (entry.hlc, entry.device_id)
    incoming_wins = incoming_stamp > current_stamp
    winner = incoming if incoming_wins else current
    later = max(incoming_stamp, current_stamp)[0]
    created = iso_from_hlc(later) if later else ""
    existing = sync_store.open_conflict(db, entry.entity, entry.record_id, field)
    values = {_dump(current), _dump(incoming)}
    if existing is not None:
        values |= set(json.loads(existing["candidates"]))
        records.update(
            db,
            "conflict",
            existing["id"],
            {
                "candidates": json.dumps(sorted(values), ensure_ascii=False),
                "provisional_value": _dump(winner),
                "created_at": max(existing["created_at"], created),
            },
        )
    else:
        base = (entry.base or {}).get(field)
        records.insert(
            db,
            "conflict",
            {
                "id": _conflict_id(entry.entity, entry.record_id, field, base),
                "entity": entry.entity,
                "record_id": entry.record_id,
                "field": field,
                "candidates": json.dumps(sorted(values), ensure_ascii=False),
                "provisional_value": _dump(winner),
                "created_at": created,
            },
        )
    return incoming_wins


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_CONFLICT_NAMESPACE = uuid.UUID("6f1d9a52-4c1e-4d8b-9a43-0b2f3c6e7a10")


def _conflict_id(entity: str, record_id: str, field: str, base: Any) -> str:
    """The same conflict gets the same id whatever order the bundles arrive in (UUIDv5:
    a derived record, not one born on a device)."""
    return str(uuid.uuid5(_CONFLICT_NAMESPACE, f"{entity}|{record_id}|{field}|{_dump(base)}"))


def iso_from_hlc(hlc: str) -> str:
    return iso(datetime.fromtimestamp(Hlc.decode(hlc).wall_ms / 1000, UTC))
