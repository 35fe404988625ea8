"""Checked records into the database: compounds and buildings made when first named,
households with their code (gridapp.addresses, as the demo makes them), the owner as a
resident (户主, is_owner) and their phones. The caller holds the unit of work."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from gridapp.addresses import compound_abbr, household_code
from gridapp.clock import iso
from gridapp.codes import BuildingKind, HouseholdStatus, Relation
from gridapp.model import Building, Compound, Phone, Resident
from gridapp.roster import normalise
from gridapp.roster.check import RosterRecord
from gridapp.roster.normalise import ValueProblem
from gridapp.storage import records, roster_queries
from gridapp.storage.roster_queries import BuildingRow
from gridapp.storage.store import Store

#: Above this many floors a building has lifts (高层); up to it, stairs (多层).
WALKUP_MAX_FLOORS = 7
_LEADING_DIGITS = re.compile(r"\d+")


def _building_key(number: str) -> str:
    try:
        return normalise.building(number)
    except ValueProblem:
        return number


def _sort_key(number: str) -> int:
    found = _LEADING_DIGITS.match(number)
    return int(found.group()) if found else 0


@dataclass
class _Growth:
    """What an import learnt about a building: its floors and units so far."""

    row: BuildingRow
    created: bool
    floors: int = 0
    units: set[str] = field(default_factory=set)


class Places:
    """Compounds by normalised name and buildings by normalised number: those in the
    database, then those an import adds."""

    def __init__(self, db: Database) -> None:
        self.compounds: dict[str, str] = {}
        for compound_id, name in roster_queries.compounds(db):
            self.compounds.setdefault(normalise.compact(name), compound_id)
        self.buildings: dict[tuple[str, str], BuildingRow] = {}
        for b in roster_queries.buildings(db):
            self.buildings.setdefault((b.compound_id, _building_key(b.number)), b)

    def building_id(self, compound: str, building: str) -> str | None:
        compound_id = self.compounds.get(compound)
        if compound_id is None:
            return None
        row = self.buildings.get((compound_id, building))
        return row.id if row else None


class RosterWriter:
    def __init__(self, store: Store, db: Database, places: Places) -> None:
        self.store = store
        self.db = db
        self.places = places
        self.now = store.clock.now()
        self.created_at = iso(self.now)
        self.prefixes = roster_queries.code_prefixes(db)
        self.new_compounds: list[str] = []
        self.growth: dict[str, _Growth] = {}
        self.households = self.residents = self.phones = 0

    @property
    def new_buildings(self) -> int:
        return sum(g.created for g in self.growth.values())

    def _abbr(self, compound_id: str, name: str) -> str:
        abbr = self.prefixes.get(compound_id)
        if abbr is None:
            # A new compound whose initials another one already uses gets a number
            # (建业新村 JYXC, 金园新村 JYXC2): codes stay unique across compounds.
            taken = set(self.prefixes.values())
            base = abbr = compound_abbr(name)
            n = 1
            while abbr in taken:
                n += 1
                abbr = f"{base}{n}"
            self.prefixes[compound_id] = abbr
        return abbr

    def _compound(self, name: str) -> str:
        compound_id = self.places.compounds.get(name)
        if compound_id is None:
            compound = Compound(self.store.new_id(self.now), name, self.created_at)
            records.insert(self.db, "compound", compound)
            compound_id = self.places.compounds[name] = compound.id
            self.new_compounds.append(name)
        return compound_id

    def _building(self, compound_id: str, record: RosterRecord) -> _Growth:
        key = (compound_id, record.building)
        row = self.places.buildings.get(key)
        if row is None:
            row = BuildingRow(
                self.store.new_id(self.now),
                compound_id,
                record.building,
                max(record.floor, 1),
                1,
                BuildingKind.WALKUP,
            )
            building = Building(
                row.id,
                compound_id,
                row.number,
                row.kind,
                row.floors,
                sort_key=_sort_key(row.number),
            )
            records.insert(self.db, "building", building)
            self.places.buildings[key] = row
            growth = self.growth[row.id] = _Growth(row, created=True)
        else:
            growth = self.growth.setdefault(row.id, _Growth(row, created=False))
        growth.floors = max(growth.floors, record.floor)
        if record.unit:
            growth.units.add(record.unit)
        return growth

    def write(self, batch: Sequence[RosterRecord]) -> None:
        new_id = self.store.new_id
        now = self.now
        households: list[dict[str, Any]] = []
        residents: list[Resident] = []
        phones: list[Phone] = []
        for r in batch:
            compound_id = self._compound(r.compound)
            building_id = self._building(compound_id, r).row.id
            hid = new_id(now)
            households.append(
                {
                    "id": hid,
                    "building_id": building_id,
                    "unit": r.unit,
                    "floor": r.floor,
                    "room": r.room,
                    "area": r.area,
                    "status": HouseholdStatus.OWNER_OCCUPIED.value,
                    "tags": "[]",
                    "code": household_code(
                        self._abbr(compound_id, r.compound), r.building, r.unit, r.room
                    ),
                    "note": r.note,
                    "population": r.population,
                    "created_at": self.created_at,
                }
            )
            if r.owner or r.phones:
                rid = new_id(now)
                residents.append(Resident(rid, hid, r.owner, Relation.HEAD.value, 1))
                phones.extend(Phone(new_id(now), rid, number) for number in r.phones)
        records.insert_many(self.db, "household", households)
        records.insert_many(self.db, "resident", residents)
        records.insert_many(self.db, "phone", phones)
        self.households += len(households)
        self.residents += len(residents)
        self.phones += len(phones)

    def finish(self) -> None:
        """Buildings take the floors and units their households showed: floors = the
        highest floor seen, 高层 above WALKUP_MAX_FLOORS."""
        for growth in self.growth.values():
            row = growth.row
            floors = max(row.floors, growth.floors)
            numeric = [int(u) for u in growth.units if u.isdigit()]
            units = max(row.units, max(numeric, default=0), len(growth.units), 1)
            kind = row.kind
            if growth.created:
                kind = BuildingKind.HIGHRISE if floors > WALKUP_MAX_FLOORS else BuildingKind.WALKUP
            changes = {
                k: v
                for k, v in (("floors", floors), ("units", units), ("kind", kind))
                if getattr(row, k) != v
            }
            if changes:
                records.update(self.db, "building", row.id, changes)
