"""Rows to records: every cell normalised, every problem named by row and column,
duplicates found inside the file and against the database (never merged)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from gridapp.roster import normalise
from gridapp.roster.fields import ColumnMap, Field
from gridapp.roster.normalise import ValueProblem
from gridapp.roster.source import RawRow

BATCH = 1000
DUPLICATE_IN_FILE = "error.roster.duplicate_in_file"
DUPLICATE_IN_DATABASE = "error.roster.duplicate_in_database"

Address = tuple[str, str, str, str]  # compound, building, unit, room (normalised)


@dataclass(frozen=True, slots=True)
class RosterRecord:
    line: int
    compound: str
    building: str
    unit: str
    room: str
    floor: int
    owner: str = ""
    phones: tuple[str, ...] = ()
    area: float | None = None
    population: int | None = None
    note: str = ""

    @property
    def address(self) -> Address:
        return (self.compound, self.building, self.unit, self.room)


@dataclass(frozen=True)
class RowProblem:
    line: int  # as Excel shows it
    column: str  # the header cell as written in the file; "" for the whole row
    key: str  # catalog key
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def duplicate(self) -> bool:
        return self.key in (DUPLICATE_IN_FILE, DUPLICATE_IN_DATABASE)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.line, "column": self.column, "key": self.key, **self.params}


@dataclass(frozen=True)
class CheckedRow:
    raw: RawRow
    record: RosterRecord | None  # None when any problem stands
    problems: tuple[RowProblem, ...]


class AddressBook(Protocol):
    """What duplicate finding needs from storage (gridapp.storage.roster_queries)."""

    def earlier_lines(self, items: list[tuple[Address, int]]) -> dict[int, int]:
        """Remember these addresses; for each line whose address an earlier batch
        already had, that earlier line."""

    def existing_codes(self, addresses: list[Address]) -> dict[Address, str]:
        """Addresses already in the database, with their household's code."""


def check_row(raw: RawRow, cmap: ColumnMap) -> tuple[RosterRecord | None, list[RowProblem]]:
    """One row's record, or the problems that stop it (all of them, not the first)."""
    problems: list[RowProblem] = []

    def read(f: Field, parse: Callable[[str], Any], default: Any = None) -> Any:
        i = cmap.index(f)
        if i is None:
            return default
        try:
            return parse(raw.values[i])
        except ValueProblem as p:
            problems.append(RowProblem(raw.line, cmap.headers[i], p.key, p.params))
            return default

    compound = read(Field.COMPOUND, normalise.compound_name, "")
    building = read(Field.BUILDING, normalise.building, "")
    unit = read(Field.UNIT, normalise.unit, "")
    room = read(Field.ROOM, normalise.room, "")
    given_floor = read(Field.FLOOR, normalise.floor)
    owner = read(Field.OWNER, normalise.person_name, "")
    phones = read(Field.PHONE, normalise.phones, ())
    area = read(Field.AREA, normalise.area)
    population = read(Field.POPULATION, normalise.population)
    note = read(Field.NOTE, normalise.note, "")
    if problems:
        return None, problems
    # A 楼层 column wins; else the room says it (301 → 3); a lane house's 5号 is floor 1.
    floor = given_floor if given_floor is not None else normalise.floor_of_room(room) or 1
    record = RosterRecord(
        raw.line, compound, building, unit, room, floor, owner, phones, area, population, note
    )
    return record, []


def _duplicates(
    records: list[RosterRecord], book: AddressBook, cmap: ColumnMap
) -> dict[int, RowProblem]:
    """Problems of the records whose address came earlier in the file or is already
    in the database, by line."""
    column = cmap.header(Field.ROOM)
    found: dict[int, RowProblem] = {}
    first_in_batch: dict[Address, int] = {}
    fresh: list[tuple[Address, int]] = []
    for r in records:
        if r.address in first_in_batch:
            found[r.line] = RowProblem(
                r.line, column, DUPLICATE_IN_FILE, {"first": first_in_batch[r.address]}
            )
        else:
            first_in_batch[r.address] = r.line
            fresh.append((r.address, r.line))
    for line, earlier in book.earlier_lines(fresh).items():
        found[line] = RowProblem(line, column, DUPLICATE_IN_FILE, {"first": earlier})
    unseen = [a for a, line in fresh if line not in found]
    for address, code in book.existing_codes(unseen).items():
        line = first_in_batch[address]
        found[line] = RowProblem(line, column, DUPLICATE_IN_DATABASE, {"code": code})
    return found


def check_rows(
    rows: Iterable[RawRow], cmap: ColumnMap, book: AddressBook, batch: int = BATCH
) -> Iterator[list[CheckedRow]]:
    """The rows checked in batches (a batch's lookups are one round trip each)."""
    source = iter(rows)
    while chunk := list(islice(source, batch)):
        checked = [(raw, *check_row(raw, cmap)) for raw in chunk]
        records = [record for _, record, _ in checked if record is not None]
        duplicates = _duplicates(records, book, cmap)
        out: list[CheckedRow] = []
        for raw, record, problems in checked:
            if raw.line in duplicates:
                out.append(CheckedRow(raw, None, (duplicates[raw.line],)))
            else:
                out.append(CheckedRow(raw, record, tuple(problems)))
        yield out
