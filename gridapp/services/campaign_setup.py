"""Campaign set-up by office staff: the campaign's fields and scope, teams, workers and
which team walks which buildings. Each action is one call, one unit of work; bad input
raises before anything is written or rolls the whole action back.

Workers are never deleted (visits point at them): retiring sets `active = 0`, and a
retired worker can record nothing new (services/visits.py). Assigning a building that
another team holds moves it; unassigning removes the link row (its delete is logged).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gridapp import limits, places
from gridapp.codes import StaffRole
from gridapp.errors import InvalidInput, NotFound
from gridapp.model import Team, Worker
from gridapp.services.guard import active_worker, actor_of, requires
from gridapp.storage import content_queries, queries, records, setup_queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

TeamRef = int | str  # a team's number, or its id
CAMPAIGN_FIELDS = frozenset({"name", "description", "starts_on", "ends_on", "questionnaire_id"})
_WORKER_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,23}$")


@dataclass(frozen=True)
class AssignResult:
    assigned: int  # buildings newly given to the team
    moved: int  # taken from another team
    unchanged: int  # already the team's

    @property
    def total(self) -> int:
        return self.assigned + self.moved + self.unchanged


@dataclass(frozen=True)
class Scope:
    """What an assignment names: buildings, whole grids, whole compounds."""

    buildings: Sequence[str] = ()
    grids: Sequence[str] = ()
    compounds: Sequence[str] = ()


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise InvalidInput("error.setup.bad_date", value=value) from exc


class CampaignSetup:
    """Mixed into CampaignService (services/campaigns.py)."""

    store: Store

    def _id(self) -> str:
        return self.store.new_id(self.store.clock.now())

    # -- the campaign --------------------------------------------------------------
    @requires(Action.CAMPAIGN_SETUP)
    def edit_campaign(
        self,
        campaign_id: str,
        changes: Mapping[str, Any],
        compound_ids: Iterable[str] | None = None,
        policy_item_ids: Sequence[str] | None = None,
    ) -> None:
        """Change the campaign's fields, and, when given, its compounds (a compound whose
        buildings are assigned cannot leave) and its policy set (in the order given)."""
        actor = actor_of(self.store).code
        unknown = set(changes) - CAMPAIGN_FIELDS
        if unknown:
            raise InvalidInput("error.unknown_field", field=", ".join(sorted(unknown)))
        values = dict(changes)
        if "name" in values:
            values["name"] = str(values["name"]).strip()
            if not values["name"]:
                raise InvalidInput("error.setup.campaign_name_missing")
            limits.check_text("campaign_name", values["name"])
        if "description" in values:
            limits.check_text("campaign_description", str(values["description"]))
        for key in ("starts_on", "ends_on"):
            if key in values:
                values[key] = _day(values[key])
        with self.store.unit_of_work(actor) as db:
            current = setup_queries.campaign(db, campaign_id)
            if current is None:
                raise NotFound("error.setup.campaign_not_found", id=campaign_id)
            starts = values.get("starts_on", current["starts_on"])
            ends = values.get("ends_on", current["ends_on"])
            if ends < starts:
                raise InvalidInput("error.campaign_dates", starts=starts, ends=ends)
            questionnaire = values.get("questionnaire_id")
            if questionnaire and not records.exists(db, "questionnaire", questionnaire):
                raise InvalidInput("error.form.not_found", id=questionnaire)
            records.update(
                db,
                "campaign",
                campaign_id,
                {k: v for k, v in values.items() if current.get(k) != v},
            )
            if compound_ids is not None:
                self._set_compounds(db, campaign_id, list(dict.fromkeys(compound_ids)))
            if policy_item_ids is not None:
                for item_id in policy_item_ids:
                    if not records.exists(db, "policy_item", item_id):
                        raise InvalidInput("error.policy_item_not_found", id=item_id)
                self.set_campaign_policies(campaign_id, list(policy_item_ids))

    @requires(Action.CAMPAIGN_SETUP)
    def set_campaign_policies(self, campaign_id: str, item_ids: list[str]) -> None:
        """The campaign's policy set, in the order given."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            current = {
                row["policy_item_id"]: row
                for row in content_queries.campaign_policy_rows(db, campaign_id)
            }
            for position, item_id in enumerate(item_ids):
                row = current.pop(item_id, None)
                if row is None:
                    records.insert(
                        db,
                        "campaign_policy",
                        {
                            "id": self._id(),
                            "campaign_id": campaign_id,
                            "policy_item_id": item_id,
                            "position": position,
                        },
                    )
                elif row["position"] != position:
                    records.update(db, "campaign_policy", row["id"], {"position": position})
            for row in current.values():
                # A record of its own rather than a delete, so laptops and reports agree.
                records.update(db, "campaign_policy", row["id"], {"position": -1})

    def _set_compounds(self, db: Any, campaign_id: str, compound_ids: list[str]) -> None:
        if not compound_ids:
            raise InvalidInput("error.setup.no_compounds")
        current = setup_queries.campaign_compounds(db, campaign_id)
        for compound_id in compound_ids:
            if compound_id in current:
                continue
            if setup_queries.compound_name(db, compound_id) is None:
                raise InvalidInput("error.setup.compound_not_found", ref=compound_id)
            records.insert(
                db,
                "campaign_compound",
                {"id": self._id(), "campaign_id": campaign_id, "compound_id": compound_id},
            )
        for compound_id, row_id in current.items():
            if compound_id in compound_ids:
                continue
            held = setup_queries.assigned_in_compound(db, campaign_id, compound_id)
            if held:
                raise InvalidInput(
                    "error.setup.compound_assigned",
                    compound=setup_queries.compound_name(db, compound_id),
                    count=held,
                )
            setup_queries.delete(db, "campaign_compound", row_id)

    # -- teams ---------------------------------------------------------------------
    @requires(Action.CAMPAIGN_SETUP)
    def add_team(self, number: int, name: str) -> Team:
        actor = actor_of(self.store).code
        name = name.strip()
        if not 1 <= number <= limits.TEAM_NUMBER:
            raise InvalidInput("error.setup.bad_team_number", number=number)
        if not name:
            raise InvalidInput("error.setup.team_name_missing")
        limits.check_text("team_name", name)
        team = Team(self._id(), number, name)
        with self.store.unit_of_work(actor) as db:
            if setup_queries.team(db, number) is not None:
                raise InvalidInput("error.setup.team_exists", number=number)
            records.insert(db, "team", team)
        return team

    @requires(Action.CAMPAIGN_SETUP)
    def rename_team(self, team: TeamRef, name: str) -> None:
        actor = actor_of(self.store).code
        name = name.strip()
        if not name:
            raise InvalidInput("error.setup.team_name_missing")
        limits.check_text("team_name", name)
        with self.store.unit_of_work(actor) as db:
            row = _team(db, team)
            records.update(db, "team", row["id"], {"name": name} if row["name"] != name else {})

    # -- workers -------------------------------------------------------------------
    @requires(Action.CAMPAIGN_SETUP)
    def add_worker(
        self,
        code: str,
        name: str,
        team: TeamRef | None,
        role: str = StaffRole.FIELD,
    ) -> Worker:
        actor = actor_of(self.store).code
        if role not in {r.value for r in StaffRole}:
            raise InvalidInput("error.bad_role", role=role)
        code, name = code.strip().upper(), name.strip()
        if not _WORKER_CODE.match(code):
            raise InvalidInput("error.setup.bad_worker_code", code=code)
        if not name:
            raise InvalidInput("error.setup.worker_name_missing")
        limits.check_text("worker_name", name)
        with self.store.unit_of_work(actor) as db:
            team_id = _team(db, team)["id"] if team is not None else None
            if queries.worker_by_code(db, code) is not None:
                raise InvalidInput("error.duplicate_worker", code=code)
            worker = Worker(self._id(), code, name, team_id, role)
            records.insert(db, "worker", worker)
        return worker

    @requires(Action.CAMPAIGN_SETUP)
    def move_worker(self, code: str, team: TeamRef) -> None:
        self.move_workers([code], team)

    @requires(Action.CAMPAIGN_SETUP)
    def move_workers(self, codes: Sequence[str], team: TeamRef) -> None:
        """Move workers to a team, all or none (a retired one refuses the lot)."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            team_id = _team(db, team)["id"]
            for code in codes:
                worker = active_worker(db, code)
                if worker["team_id"] != team_id:
                    records.update(db, "worker", worker["id"], {"team_id": team_id})

    @requires(Action.CAMPAIGN_SETUP)
    def retire_worker(self, code: str) -> None:
        """The worker stays (visits point at them) but records nothing new."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            worker = active_worker(db, code)
            records.update(db, "worker", worker["id"], {"active": 0})

    # -- assignments ---------------------------------------------------------------
    @requires(Action.CAMPAIGN_SETUP)
    def assign(self, campaign_id: str, team: TeamRef, scope: Scope) -> AssignResult:
        """Give buildings (or every building of grids or compounds) to a team in one
        go; a building another team holds moves. Every building must lie in one of the
        campaign's compounds."""
        actor = actor_of(self.store).code
        assigned = moved = unchanged = 0
        with self.store.unit_of_work(actor) as db:
            team_id = _team(db, team)["id"]
            building_ids = _scope_buildings(db, campaign_id, scope)
            held = setup_queries.assignments(db, campaign_id, building_ids)
            for building_id in building_ids:
                current = held.get(building_id)
                if current is None:
                    records.insert(
                        db,
                        "assignment",
                        {
                            "id": self._id(),
                            "campaign_id": campaign_id,
                            "team_id": team_id,
                            "building_id": building_id,
                        },
                    )
                    assigned += 1
                elif current["team_id"] != team_id:
                    records.update(db, "assignment", current["id"], {"team_id": team_id})
                    moved += 1
                else:
                    unchanged += 1
        return AssignResult(assigned, moved, unchanged)

    @requires(Action.CAMPAIGN_SETUP)
    def unassign(self, campaign_id: str, scope: Scope) -> int:
        """Take buildings from whichever team holds them; returns how many were held."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            building_ids = _scope_buildings(db, campaign_id, scope)
            held = setup_queries.assignments(db, campaign_id, building_ids)
            for row in held.values():
                setup_queries.delete(db, "assignment", row["id"])
        return len(held)

    @requires(Action.CAMPAIGN_SETUP)
    def assign_buildings(self, campaign_id: str, team_id: str, building_ids: Iterable[str]) -> int:
        return self.assign(campaign_id, team_id, Scope(buildings=list(building_ids))).total

    # -- reads for the set-up screen and commands ----------------------------------
    @requires(Action.VIEW)
    def campaign(self, campaign_id: str | None = None) -> dict[str, Any] | None:
        """A campaign by id, or the active one."""
        db = self.store.db
        if campaign_id is None:
            return queries.active_campaign(db)
        return setup_queries.campaign(db, campaign_id)

    @requires(Action.VIEW)
    def compounds(self, campaign_id: str | None) -> list[dict[str, Any]]:
        return setup_queries.compounds_with_scope(self.store.db, campaign_id)

    @requires(Action.VIEW)
    def compound_id(self, ref: str) -> str:
        """A compound by id or name (full-width, spaces: as typed)."""
        found = setup_queries.compound_by_ref(self.store.db, ref.strip())
        if found is not None:
            return found
        rows = setup_queries.compound_names(self.store.db)
        try:
            return places.resolve("compound", ref, (places.compound(*r) for r in rows))
        except NotFound:
            raise InvalidInput("error.setup.compound_not_found", ref=ref[:80]) from None

    @requires(Action.VIEW)
    def campaign_ref(self, ref: str) -> str:
        """A campaign by id or name."""
        found = setup_queries.campaign_by_ref(self.store.db, ref.strip())
        if found is None:
            raise InvalidInput("error.campaign_not_found", ref=ref[:80])
        return found

    @requires(Action.VIEW)
    def building_id(self, ref: str) -> str:
        """A building by id or as people name it: 建业新村1号, 建业新村 1, or 1号 when
        only one compound has a building 1."""
        rows = setup_queries.building_names(self.store.db)
        return places.resolve("building", ref, (places.building(*r) for r in rows))

    @requires(Action.VIEW)
    def grid_choices(self) -> list[tuple[str, str]]:
        """(id, label) of every grid, for a chooser: 建业新村 · 建业新村第1网格."""
        rows = setup_queries.grid_names(self.store.db)
        return [(g.id, g.label) for g in (places.grid(*r) for r in rows)]

    @requires(Action.VIEW)
    def grid_id(self, ref: str) -> str:
        """A grid by id, name or code (with its compound's name before it if need be)."""
        rows = setup_queries.grid_names(self.store.db)
        return places.resolve("grid", ref, (places.grid(*r) for r in rows))

    @requires(Action.VIEW)
    def questionnaire_id(self, ref: str) -> str:
        """A published questionnaire by record id, or by form id (its latest version)."""
        found = content_queries.questionnaire_ref(self.store.db, ref.strip())
        if found is None:
            raise InvalidInput("error.form.not_found", id=ref)
        return found

    @requires(Action.VIEW)
    def teams(self, campaign_id: str | None) -> list[dict[str, Any]]:
        return setup_queries.teams(self.store.db, campaign_id)

    @requires(Action.VIEW)
    def workers(self) -> list[dict[str, Any]]:
        return setup_queries.workers(self.store.db)

    @requires(Action.VIEW)
    def assignment_tree(self, campaign_id: str | None) -> list[dict[str, Any]]:
        return setup_queries.assignment_tree(self.store.db, campaign_id)


def _team(db: Any, ref: TeamRef) -> dict[str, Any]:
    row = setup_queries.team(db, ref)
    if row is None:
        raise InvalidInput("error.setup.team_not_found", team=ref)
    return row


def _scope_buildings(db: Any, campaign_id: str, scope: Scope) -> list[str]:
    """The buildings a scope names, each checked to exist and lie in the campaign."""
    in_scope = setup_queries.campaign_compounds(db, campaign_id)
    if setup_queries.campaign(db, campaign_id) is None:
        raise NotFound("error.setup.campaign_not_found", id=campaign_id)
    wanted: list[str] = []
    for compound_id in scope.compounds:
        if setup_queries.compound_name(db, compound_id) is None:
            raise InvalidInput("error.setup.compound_not_found", ref=compound_id)
        wanted += setup_queries.buildings_of_compound(db, compound_id)
    for grid_id in scope.grids:
        found = setup_queries.buildings_of_grid(db, grid_id)
        if found is None:
            raise InvalidInput("error.setup.grid_not_found", id=grid_id)
        wanted += found
    wanted += scope.buildings
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        raise InvalidInput("error.setup.nothing_to_assign")
    compounds = setup_queries.building_compounds(db, wanted)
    for building_id in wanted:
        owner = compounds.get(building_id)
        if owner is None:
            raise InvalidInput("error.setup.building_not_found", id=building_id)
        if owner not in in_scope:
            raise InvalidInput(
                "error.setup.outside_campaign",
                compound=setup_queries.compound_name(db, owner),
                id=building_id,
            )
    return wanted
