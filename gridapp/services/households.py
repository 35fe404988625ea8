"""Master data: compounds, grids, buildings, households, residents, phones."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gridapp.audit_actions import (
    HOUSEHOLD_MERGED,
    HOUSEHOLD_MOVED_IN,
    HOUSEHOLD_MOVED_OUT,
    HOUSEHOLD_SPLIT,
    PHONE_REVEALED,
)
from gridapp.clock import iso
from gridapp.codes import HouseholdStatus
from gridapp.errors import InvalidInput, NotFound
from gridapp.model import (
    Building,
    Compound,
    Grid,
    Household,
    HouseholdEvent,
    Phone,
    Resident,
)
from gridapp.services.audit import note
from gridapp.services.guard import actor_of, household_in_scope, requires
from gridapp.storage import lifecycle_queries as lq
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


class HouseholdService:
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
                rid = self.store.new_id(now)
                residents.append(
                    Resident(
                        rid,
                        hid,
                        person.name,
                        person.relation,
                        int(person.is_owner),
                        person.birth_year,
                    )
                )
                phones.extend(
                    Phone(self.store.new_id(now), rid, number) for number in person.phones
                )
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
        rid = self.store.new_id(now)
        with self.store.unit_of_work(actor) as db:
            if not records.exists(db, "household", household_id):
                raise NotFound("error.household_not_found", id=household_id)
            household_in_scope(self.store, who, household_id)
            records.insert(
                db,
                "resident",
                Resident(
                    rid,
                    household_id,
                    person.name,
                    person.relation,
                    int(person.is_owner),
                    person.birth_year,
                ),
            )
            for number in person.phones:
                records.insert(db, "phone", Phone(self.store.new_id(now), rid, number))
        return rid

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

    # -- lifecycle (the office's master data; docs/household-lifecycle.md) -------------

    @requires(Action.ROSTER_IMPORT)
    def move_out(self, household_id: str) -> int:
        """The residents leave: they and their phones are deleted (and forgotten by the
        change log, docs/privacy.md), the household is vacant, an event says how many
        left. Returns that count."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            current = _household(db, household_id)
            people = lq.resident_ids(db, household_id)
            if not people:
                raise InvalidInput("error.household.empty", code=current["code"])
            phones = lq.phone_ids(db, people)
            for phone_id in phones:
                records.delete(db, "phone", phone_id)
            for resident_id in people:
                records.delete(db, "resident", resident_id)
            lq.forget(db, people, phones)
            records.update(db, "household", household_id, {"status": HouseholdStatus.VACANT})
            self._event(db, actor, household_id, "moved_out", None, len(people))
            note(self.store, db, actor, HOUSEHOLD_MOVED_OUT, household_id, residents=len(people))
        return len(people)

    @requires(Action.ROSTER_IMPORT)
    def move_in(
        self,
        household_id: str,
        residents: Sequence[NewResident],
        status: str = HouseholdStatus.OWNER_OCCUPIED,
    ) -> list[str]:
        """New residents in a household with none; returns their ids."""
        if status not in (HouseholdStatus.OWNER_OCCUPIED, HouseholdStatus.RENTED):
            raise InvalidInput("error.bad_status", value=status)
        if not residents:
            raise InvalidInput("error.household.no_residents")
        actor = actor_of(self.store).code
        now = self.store.clock.now()
        with self.store.unit_of_work(actor) as db:
            current = _household(db, household_id)
            if lq.resident_ids(db, household_id):
                raise InvalidInput("error.household.not_empty", code=current["code"])
            ids = []
            for person in residents:
                rid = self.store.new_id(now)
                ids.append(rid)
                records.insert(
                    db,
                    "resident",
                    Resident(
                        rid,
                        household_id,
                        person.name,
                        person.relation,
                        int(person.is_owner),
                        person.birth_year,
                    ),
                )
                for number in person.phones:
                    records.insert(db, "phone", Phone(self.store.new_id(now), rid, number))
            records.update(db, "household", household_id, {"status": status})
            self._event(db, actor, household_id, "moved_in", None, len(ids))
            note(self.store, db, actor, HOUSEHOLD_MOVED_IN, household_id, residents=len(ids))
        return ids

    @requires(Action.ROSTER_IMPORT)
    def merge(self, keep_id: str, other_id: str, room: str = "") -> str:
        """Two rooms of one building become one household: `other`'s residents move to
        `keep`, whose room becomes "301+302" (or `room`) and whose area is the sum when
        both are known. `other` stays for its visits, marked `merged_into` (listed no
        more). Returns keep's new room."""
        if keep_id == other_id:
            raise InvalidInput("error.household.same")
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            keep, other = _household(db, keep_id), _household(db, other_id)
            if keep["building_id"] != other["building_id"]:
                raise InvalidInput(
                    "error.household.other_building", code=keep["code"], other=other["code"]
                )
            label = (room or f"{keep['room']}+{other['room']}").strip()
            _check_room(label)
            people = lq.resident_ids(db, other_id)
            for resident_id in people:
                records.update(db, "resident", resident_id, {"household_id": keep_id})
            changes: dict[str, Any] = {"room": label}
            if keep["area"] is not None and other["area"] is not None:
                changes["area"] = round(keep["area"] + other["area"], 2)
            if keep["status"] == HouseholdStatus.VACANT and people:
                changes["status"] = other["status"]
            records.update(db, "household", keep_id, changes)
            records.update(db, "household", other_id, {"merged_into": keep_id})
            self._event(db, actor, keep_id, "merged", other_id, len(people))
            self._event(db, actor, other_id, "merged_into", keep_id, len(people))
            note(
                self.store,
                db,
                actor,
                HOUSEHOLD_MERGED,
                keep_id,
                other=other["code"],
                residents=len(people),
            )
        return label

    @requires(Action.ROSTER_IMPORT)
    def split(self, household_id: str, room: str, resident_ids: Sequence[str]) -> str:
        """A new household in the same building and floor, with room `room`, takes the
        chosen residents (and their phones). Returns the new household's id."""
        room = room.strip()
        _check_room(room)
        chosen = list(dict.fromkeys(resident_ids))
        if not chosen:
            raise InvalidInput("error.household.no_residents")
        actor = actor_of(self.store).code
        now = self.store.clock.now()
        with self.store.unit_of_work(actor) as db:
            current = _household(db, household_id)
            living = set(lq.resident_ids(db, household_id))
            strangers = [r for r in chosen if r not in living]
            if strangers:
                raise InvalidInput(
                    "error.household.not_resident", id=strangers[0], code=current["code"]
                )
            if lq.room_taken(db, current["building_id"], current["unit"], room):
                raise InvalidInput("error.household.room_taken", room=room)
            code = _code_for(current["code"], current["room"], room)
            if lq.code_taken(db, code):
                raise InvalidInput("error.household.room_taken", room=room)
            new_id = self.store.new_id(now)
            records.insert(
                db,
                "household",
                Household(
                    id=new_id,
                    building_id=current["building_id"],
                    floor=current["floor"],
                    room=room,
                    code=code,
                    created_at=iso(now),
                    unit=current["unit"],
                    status=current["status"],
                ),
            )
            for resident_id in chosen:
                records.update(db, "resident", resident_id, {"household_id": new_id})
            if len(chosen) == len(living):
                records.update(db, "household", household_id, {"status": HouseholdStatus.VACANT})
            self._event(db, actor, household_id, "split", new_id, len(chosen))
            self._event(db, actor, new_id, "split_from", household_id, len(chosen))
            note(
                self.store,
                db,
                actor,
                HOUSEHOLD_SPLIT,
                household_id,
                code=code,
                residents=len(chosen),
            )
        return new_id

    def _event(
        self,
        db: Any,
        actor: str,
        household_id: str,
        kind: str,
        other: str | None,
        residents: int,
    ) -> None:
        now = self.store.clock.now()
        records.insert(
            db,
            "household_event",
            HouseholdEvent(
                id=self.store.new_id(now),
                household_id=household_id,
                kind=kind,
                at=iso(now),
                other_household_id=other,
                residents=residents,
                actor=actor,
            ),
        )


def _household(db: Any, household_id: str) -> dict[str, Any]:
    """A household the lifecycle may change: one that exists and is not merged away."""
    current = records.get(db, "household", household_id)
    if current is None:
        raise NotFound("error.household_not_found", id=household_id)
    if current.get("merged_into"):
        raise InvalidInput("error.household.merged", code=current["code"])
    return current


def _check_room(room: str) -> None:
    if not room.strip():
        raise InvalidInput("error.missing_room")
    if len(room) > 20:
        raise InvalidInput("error.household.room_too_long", room=room, max=20)


def _code_for(code: str, old_room: str, new_room: str) -> str:
    """The split household's code: the old one with the new room (codes end in the
    room, addresses.household_code)."""
    if old_room and code.endswith(old_room):
        return code[: -len(old_room)] + new_room
    return f"{code}-{new_room}"


def _check_household(status: str, floor: int, room: str) -> None:
    if status not in {s.value for s in HouseholdStatus}:
        raise InvalidInput("error.bad_status", value=status)
    if not room.strip():
        raise InvalidInput("error.missing_room")
    if floor < -5 or floor > 200:
        raise InvalidInput("error.bad_floor", value=floor)
