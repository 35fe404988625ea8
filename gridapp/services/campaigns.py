"""Campaign set-up: teams, workers, content (questionnaires, policy items), assignments."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from gridapp.clock import iso
from gridapp.codes import WorkerRole
from gridapp.errors import InvalidInput
from gridapp.model import Campaign, PolicyItem, Questionnaire, Team, Worker
from gridapp.storage import content_queries, queries, records
from gridapp.storage.store import Store


class CampaignService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _id(self) -> str:
        return self.store.new_id(self.store.clock.now())

    def add_team(self, actor: str, number: int, name: str) -> Team:
        team = Team(self._id(), number, name)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "team", team)
        return team

    def add_worker(
        self, actor: str, code: str, name: str, team_id: str | None, role: str = WorkerRole.FIELD
    ) -> Worker:
        if role not in {r.value for r in WorkerRole}:
            raise InvalidInput("error.bad_role", role=role)
        worker = Worker(self._id(), code.strip().upper(), name.strip(), team_id, role)
        with self.store.unit_of_work(actor) as db:
            if queries.worker_by_code(db, worker.code) is not None:
                raise InvalidInput("error.duplicate_worker", code=worker.code)
            records.insert(db, "worker", worker)
        return worker

    def publish_questionnaire(self, actor: str, definition: Mapping[str, Any]) -> Questionnaire:
        """Check a definition whole (DefinitionInvalid lists every problem) and publish it
        as a new, never-changing version."""
        from gridapp.forms.definition import load_definition, text_of  # load when used

        form = load_definition(definition)
        record = Questionnaire(
            id=self._id(),
            form_id=form.id,
            version=form.version,
            title=text_of(form.title, "zh_CN"),
            definition=json.dumps(definition, ensure_ascii=False, sort_keys=True),
            published_at=iso(self.store.clock.now()),
        )
        with self.store.unit_of_work(actor) as db:
            latest = content_queries.latest_questionnaire_version(db, form.id)
            if latest is not None and latest >= form.version:
                raise InvalidInput(
                    "error.form.version_exists", id=form.id, version=form.version, latest=latest
                )
            records.insert(db, "questionnaire", record)
        return record

    def use_questionnaire(self, actor: str, campaign_id: str, questionnaire_id: str) -> None:
        """The campaign asks this questionnaire from now on; answers already given keep
        the version they were given under."""
        with self.store.unit_of_work(actor) as db:
            if not records.exists(db, "questionnaire", questionnaire_id):
                raise InvalidInput("error.form.not_found", id=questionnaire_id)
            records.update(db, "campaign", campaign_id, {"questionnaire_id": questionnaire_id})

    def update_policy_item(self, actor: str, item_id: str, changes: Mapping[str, Any]) -> None:
        """Edit a policy item; a changed title or body is a new version, so an explanation
        remembers which text the resident heard."""
        allowed = {"title", "body", "category", "active", "code"}
        if set(changes) - allowed:
            raise InvalidInput(
                "error.unknown_field", field=", ".join(sorted(set(changes) - allowed))
            )
        if "title" in changes and not str(changes["title"]).strip():
            raise InvalidInput("error.policy.title_missing")
        with self.store.unit_of_work(actor) as db:
            current = records.get(db, "policy_item", item_id)
            if current is None:
                raise InvalidInput("error.policy_item_not_found", id=item_id)
            values = {k: v for k, v in changes.items() if current.get(k) != v}
            if "active" in values:
                values["active"] = int(bool(values["active"]))
            if {"title", "body"} & set(values):
                values["version"] = current["version"] + 1
            records.update(db, "policy_item", item_id, values)

    def set_campaign_policies(self, actor: str, campaign_id: str, item_ids: list[str]) -> None:
        """The campaign's policy set, in the order given."""
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

    def add_policy_item(self, actor: str, item: Mapping[str, Any]) -> PolicyItem:
        record = PolicyItem(id=self._id(), **item)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "policy_item", record)
        return record

    def create_campaign(
        self,
        actor: str,
        campaign: Mapping[str, Any],
        compound_ids: Iterable[str],
        policy_item_ids: Iterable[str],
    ) -> Campaign:
        record = Campaign(id=self._id(), **campaign)
        if record.ends_on < record.starts_on:
            raise InvalidInput("error.campaign_dates", starts=record.starts_on, ends=record.ends_on)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "campaign", record)
            records.insert_many(
                db,
                "campaign_compound",
                (
                    {"id": self._id(), "campaign_id": record.id, "compound_id": c}
                    for c in compound_ids
                ),
            )
            records.insert_many(
                db,
                "campaign_policy",
                (
                    {"id": self._id(), "campaign_id": record.id, "policy_item_id": p, "position": i}
                    for i, p in enumerate(policy_item_ids)
                ),
            )
        return record

    def assign_buildings(
        self, actor: str, campaign_id: str, team_id: str, building_ids: Iterable[str]
    ) -> int:
        """Give buildings to a team; a building already held by another team moves."""
        count = 0
        with self.store.unit_of_work(actor) as db:
            for building_id in building_ids:
                current = queries.assignment(db, campaign_id, building_id)
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
                elif current["team_id"] != team_id:
                    records.update(db, "assignment", current["id"], {"team_id": team_id})
                count += 1
        return count
