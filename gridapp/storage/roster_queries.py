"""What a roster import reads: the places already there, the addresses already taken,
and the addresses seen so far in the file (a temporary table, so a 100,000-row file
costs no Python memory for them)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

Address = tuple[str, str, str, str]

_SEEN = """CREATE TEMP TABLE IF NOT EXISTS _roster_seen (
    address TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID"""


@dataclass(frozen=True)
class BuildingRow:
    id: str
    compound_id: str
    number: str
    floors: int
    units: int
    kind: str


@contextmanager
def snapshot(db: Database) -> Iterator[Database]:
    """A read transaction that is always rolled back: a preview sees one state of the
    database and leaves nothing behind (not even its scratch table's rows)."""
    conn = db.conn
    if conn.in_transaction:
        raise RuntimeError("transaction already open on this connection")
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def compounds(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every compound."""
    return [(r[0], r[1]) for r in db.execute("SELECT id, name FROM compound ORDER BY created_at")]


def buildings(db: Database) -> list[BuildingRow]:
    return [
        BuildingRow(*row)
        for row in db.execute(
            "SELECT id, compound_id, number, floors, units, kind FROM building ORDER BY sort_key"
        )
    ]


def code_prefixes(db: Database) -> dict[str, str]:
    """Each compound's household-code prefix as its households already carry it."""
    return {
        compound_id: code.split("-", 1)[0]
        for compound_id, code in db.execute(
            "SELECT b.compound_id, min(h.code) FROM household h"
            " JOIN building b ON b.id = h.building_id GROUP BY b.compound_id"
        )
        if code
    }


class AddressBook:
    """Duplicate finding for one pass over a file (see gridapp.roster.check)."""

    def __init__(self, db: Database, building_of: Callable[[str, str], str | None]) -> None:
        self.conn = db.conn
        #: (compound, building) → building id, or None for a building not there yet.
        self.building_of = building_of
        self.conn.execute(_SEEN)
        self.conn.execute("DELETE FROM temp._roster_seen")

    @staticmethod
    def _key(address: Address) -> str:
        return "\x1f".join(address)

    def earlier_lines(self, items: list[tuple[Address, int]]) -> dict[int, int]:
        if not items:
            return {}
        keys = {self._key(a): line for a, line in items}
        earlier = {
            keys[key]: int(line)
            for key, line in self.conn.execute(
                "SELECT address, line FROM temp._roster_seen"
                " WHERE address IN (SELECT value FROM json_each(?))",
                [json.dumps(list(keys), ensure_ascii=False)],
            )
        }
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp._roster_seen (address, line) VALUES (?, ?)",
            keys.items(),
        )
        return earlier

    def existing_codes(self, addresses: list[Address]) -> dict[Address, str]:
        wanted: list[list[Any]] = []
        for i, (compound, building, unit, room) in enumerate(addresses):
            building_id = self.building_of(compound, building)
            if building_id is not None:
                wanted.append([i, building_id, unit, room])
        if not wanted:
            return {}
        found: dict[Address, str] = {}
        for i, code in self.conn.execute(
            "SELECT json_extract(w.value, '$[0]'), h.code FROM json_each(?) w"
            " JOIN household h ON h.building_id = json_extract(w.value, '$[1]')"
            " AND h.unit = json_extract(w.value, '$[2]')"
            " AND h.room = json_extract(w.value, '$[3]')",
            [json.dumps(wanted, ensure_ascii=False)],
        ):
            found.setdefault(addresses[int(i)], str(code))
        return found

    def forget(self) -> None:
        self.conn.execute("DELETE FROM temp._roster_seen")
