"""What a purge removes when a campaign closes (PIPL: keep personal data no longer than
needed), as plain data and pure functions shared by the office, the laptops and the
merge rules. See docs/privacy.md.

A purged household keeps its address (compound, building, unit, room), area, status
and population, and every visit-side record, so the campaign's statistics survive;
its people lose their names, birth years, phone numbers and the free-text notes that
may name them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gridapp.storage.changelog import ChangeEntry

#: The office keeps a closed campaign's personal data this long after its end date
#: (for complaints and the owners' meeting), then purges it.
RETENTION_DAYS = 180

#: Per synced table, each personal field and the value it takes once purged. Phones
#: are deleted outright (a phone row is nothing but the number).
PERSONAL: dict[str, dict[str, Any]] = {
    "resident": {"name": "", "birth_year": None, "note": ""},
    "phone": {"number": "", "label": ""},
    "household": {"note": "", "tags": "[]"},
    "visit": {"notes": ""},
    "callback": {"note": ""},
}

#: Set in a redacted change-log entry's `base`: the entry's personal values are gone,
#: so the office applies what is left and never takes the blanks for edits.
PURGED_MARK = "_purged"


@dataclass(frozen=True)
class PurgeCounts:
    """What a purge touched; counts only (they go to the audit log)."""

    campaign_id: str
    households: int = 0
    residents: int = 0
    phones: int = 0
    notes: int = 0
    log_entries: int = 0
    drafts: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.residents or self.phones or self.notes or self.log_entries or self.drafts)


def retention_date(ends_on: str, days: int = RETENTION_DAYS) -> date:
    return date.fromisoformat(ends_on[:10]) + timedelta(days=days)


def redact_row(entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its personal fields (those present) blanked."""
    blanks = PERSONAL.get(entity, {})
    return {k: blanks.get(k, v) for k, v in row.items()}


def is_marked(entry: ChangeEntry) -> bool:
    return bool(entry.base and entry.base.get(PURGED_MARK))


def redact_entry(entry: ChangeEntry) -> ChangeEntry:
    """The entry as a purge leaves it: personal values blanked, marked in `base`."""
    if entry.entity not in PERSONAL:
        return entry
    fields = redact_row(entry.entity, entry.fields) if entry.fields is not None else None
    base = redact_row(entry.entity, entry.base or {})
    base[PURGED_MARK] = 1
    return replace(entry, fields=fields, base=base)


def comparable(entry: ChangeEntry) -> ChangeEntry:
    """The entry without its personal values: the same change before and after a purge
    on either side compares equal (the office's check for a cloned laptop)."""
    if entry.entity not in PERSONAL:
        return entry
    redacted = redact_entry(entry)
    base = {k: v for k, v in (redacted.base or {}).items() if k != PURGED_MARK}
    return replace(redacted, base=base or None)


def personal_fields(entity: str) -> frozenset[str]:
    return frozenset(PERSONAL.get(entity, ()))


def filter_roster(
    rows: Iterable[tuple[str, dict[str, Any]]], purged: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A roster's rows with the personal data of households under a purge order left
    out: a laptop that has purged is never sent the names again. Rows come parents
    first (residents before their phones, records before conflicts about them)."""
    if not purged:
        yield from rows
        return
    ids: dict[str, set[str]] = {"household": purged, "resident": set(), "phone": set()}
    for table, row in rows:
        if table == "resident" and row["household_id"] in purged:
            ids["resident"].add(row["id"])
        elif table == "phone" and row["resident_id"] in ids["resident"]:
            ids["phone"].add(row["id"])
            continue  # deleted on the laptop by the order
        elif table == "conflict" and row["record_id"] in ids.get(row["entity"], ()):
            row = _redacted_conflict(row)
        own = table in ("household", "resident") and row["id"] in ids[table]
        if own or (table in ("visit", "callback") and row["household_id"] in purged):
            row = redact_row(table, row)
        yield table, row


def _redacted_conflict(row: dict[str, Any]) -> dict[str, Any]:
    blanks = PERSONAL.get(row["entity"], {})
    if row["field"] not in blanks:
        return row
    dumped = json.dumps(blanks[row["field"]], ensure_ascii=False, sort_keys=True)
    return {
        **row,
        "candidates": json.dumps([dumped]),
        "provisional_value": dumped,
        "resolution": None if row["resolution"] is None else dumped,
    }
