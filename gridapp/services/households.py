"""Master data: compounds, grids, buildings, households, residents, phones."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gridapp.audit_actions import PHONE_REVEALED
from gridapp.clock import iso
from gridapp.codes import HouseholdStatus
from gridapp.errors import InvalidInput, NotFound
from gridapp.model import Building, Compound, Grid, Household, Phone, Resident
from gridapp.services.audit import note
from gridapp.services.guard import actor_of, household_in_scope, requires
from gridapp.services.household_lifecycle import HouseholdLifecycle
from gridapp.storage import queries, records
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

EDITABLE_HOUSEHOLD_FIELDS = frozenset({"area", "status", "tags", "note", "unit", "floor", "room"})


@dataclass(frozen=True)
class NewResident:
    name: str
    relation: str = "other"
    is_owner: bool = False
    birth_year: int | None = None
    phones: tuple[str, ...] = ()

    def rows(self, household_id: str, new_id: Callable[[], str]) -> tuple[Resident, list[Phone]]:
        """The resident's record in `household_id` and its phones', with fresh ids."""
        rid = new_id()
        person = Resident(
            rid, household_id, self.name, self.relation, int(self.is_owner), self.birth_year
        )
        return person, [Phone(new_id(), rid, number) for number in self.phones]


@dataclass(frozen=True)
class NewHousehold:
    building_id: str
    floor: int
    room: str
    code: str
    unit: str = ""
    area: float | None = None
    status: str = HouseholdStatus.OWNER_OCCUPIED
    tags: tuple[str, ...] = ()
    note: str = ""
    residents: tuple[NewResident, ...] = field(default_factory=tuple)


class HouseholdService(HouseholdLifecycle):
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.ROSTER_IMPORT)
    def add_compound(self, name: str, **details: Any) -> Compound:
        actor = actor_of(self.store).code
        now = self.store.clock.now()
        compound = Compound(id=self.store.new_id(now), name=name, created_at=iso(now), **details)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "compound", compound)
        return compound

    @requires(Action.ROSTER_IMPORT)
    def add_grid(self, compound_id: str, name: str, code: str = "") -> Grid:
        actor = actor_of(self.store).code
        grid = Grid(self.store.new_id(self.store.clock.now()), compound_id, name, code)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "grid", grid)
        return grid

    @requires(Action.ROSTER_IMPORT)
    def add_building(self, building: Mapping[str, Any]) -> Building:
        actor = actor_of(self.store).code
        record = Building(id=self.store.new_id(self.store.clock.now()), **building)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "building", record)
        return record

    @requires(Action.ROSTER_IMPORT)
    def add_households(self, households: Iterable[NewHousehold]) -> list[str]:
        """Add households with their residents and phones in one unit of work."""
        actor = actor_of(self.store).code
        now = self.store.clock.now()
        created = iso(now)
        rows: list[Household] = []
        residents: list[Resident] = []
        phones: list[Phone] = []
        for new in households:
            _check_household(new.status, new.floor, new.room)
            hid = self.store.new_id(now)
            rows.append(
                Household(
                    id=hid,
                    building_id=new.building_id,
                    floor=new.floor,
                    room=new.room,
                    code=new.code,
                    created_at=created,
                    unit=new.unit,
                    area=new.area,
                    status=new.status,
                    tags=json.dumps(list(new.tags), ensure_ascii=False),
                    note=new.note,
                )
            )
            for person in new.residents:
                resident, its_phones = person.rows(hid, lambda: self.store.new_id(now))
                residents.append(resident)
                phones.extend(its_phones)
        with self.store.unit_of_work(actor) as db:
            records.insert_many(db, "household", rows)
            records.insert_many(db, "resident", residents)
            records.insert_many(db, "phone", phones)
        return [h.id for h in rows]

    @requires(Action.RECORD_VISITS)
    def update_household(self, household_id: str, changes: Mapping[str, Any]) -> None:
        who = actor_of(self.store)
        actor = who.code
        unknown = set(changes) - EDITABLE_HOUSEHOLD_FIELDS
        if unknown:
            raise InvalidInput("error.unknown_field", field=", ".join(sorted(unknown)))
        values = dict(changes)
        if "tags" in values and not isinstance(values["tags"], str):
            values["tags"] = json.dumps(list(values["tags"]), ensure_ascii=False)
        with self.store.unit_of_work(actor) as db:
            current = records.get(db, "household", household_id)
            if current is None:
                raise NotFound("error.household_not_found", id=household_id)
            household_in_scope(self.store, who, household_id)
            _check_household(
                values.get("status", current["status"]),
                values.get("floor", current["floor"]),
                values.get("room", current["room"]),
            )
            records.update(db, "household", household_id, values)

    @requires(Action.RECORD_VISITS)
    def add_resident(self, household_id: str, person: NewResident) -> str:
        who = actor_of(self.store)
        actor = who.code
        now = self.store.clock.now()
        resident, phones = person.rows(household_id, lambda: self.store.new_id(now))
        with self.store.unit_of_work(actor) as db:
            if not records.exists(db, "household", household_id):
                raise NotFound("error.household_not_found", id=household_id)
            household_in_scope(self.store, who, household_id)
            records.insert(db, "resident", resident)
            records.insert_many(db, "phone", phones)
        return resident.id

    @requires(Action.VIEW)
    def reveal_phone(self, household_id: str) -> dict[str, list[str]]:
        """A household's full numbers, resident by resident; the reveal is audited
        (which household, how many numbers: never the numbers). A field worker sees
        only their own team's."""
        who = actor_of(self.store)
        actor = who.code
        with self.store.unit_of_work(actor) as db:
            detail = queries.household_detail(db, household_id)
            if detail is None:
                raise NotFound("error.household_not_found", id=household_id)
            household_in_scope(self.store, who, household_id)
            phones = {r.id: list(r.phones) for r in detail.residents}
            count = sum(len(p) for p in phones.values())
            note(self.store, db, actor, PHONE_REVEALED, household_id, phones=count)
        return phones

    @requires(Action.VIEW)
    def reveal_phones(self, household_ids: Sequence[str]) -> dict[str, list[str]]:
        """Full numbers of many households (`household list --reveal`): one audit
        entry per household shown, all in one transaction."""
        who = actor_of(self.store)
        actor = who.code
        for household_id in household_ids:
            household_in_scope(self.store, who, household_id)
        with self.store.unit_of_work(actor) as db:
            phones = queries.household_phones(db, household_ids)
            for household_id, numbers in phones.items():
                note(self.store, db, actor, PHONE_REVEALED, household_id, phones=len(numbers))
        return phones

    @requires(Action.RECORD_VISITS)
    def change_phone(self, phone_id: str, number: str) -> None:
        who = actor_of(self.store)
        actor = who.code
        digits = "".join(ch for ch in number if ch.isdigit())
        if len(digits) < 7:
            raise InvalidInput("error.bad_phone", value=number)
        with self.store.unit_of_work(actor) as db:
            household_id = queries.household_of_phone(db, phone_id)
            if household_id is None:
                raise NotFound("error.phone_not_found", id=phone_id)
            household_in_scope(self.store, who, household_id)
            records.update(db, "phone", phone_id, {"number": digits})


def _check_household(status: str, floor: int, room: str) -> None:
    if status not in {s.value for s in HouseholdStatus}:
        raise InvalidInput("error.bad_status", value=status)
    if not room.strip():
        raise InvalidInput("error.missing_room")
    if floor < -5 or floor > 200:
        raise InvalidInput("error.bad_floor", value=floor)
