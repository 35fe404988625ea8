"""The office's household lifecycle (docs/household-lifecycle.md): residents move out or
in, rooms merge or split; each one transaction with events on both households (counts
and ids, never names) and an audit line. Mixed into HouseholdService."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gridapp.audit_actions import (
    HOUSEHOLD_MERGED,
    HOUSEHOLD_MOVED_IN,
    HOUSEHOLD_MOVED_OUT,
    HOUSEHOLD_SPLIT,
)
from gridapp.clock import iso
from gridapp.codes import HouseholdStatus
from gridapp.errors import InvalidInput, NotFound
from gridapp.model import Household, HouseholdEvent
from gridapp.services.audit import note
from gridapp.services.guard import actor_of, requires
from gridapp.storage import lifecycle_queries as lq
from gridapp.storage import records
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

if TYPE_CHECKING:
    from gridapp.services.households import NewResident


class HouseholdLifecycle:
    store: Store

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
                resident, phones = person.rows(household_id, lambda: self.store.new_id(now))
                ids.append(resident.id)
                records.insert(db, "resident", resident)
                records.insert_many(db, "phone", phones)
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
