"""Campaign content (questionnaires, policy items) and creation; the set-up actions
(fields, scope, teams, workers, assignments) are in campaign_setup.py."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from gridapp.clock import iso
from gridapp.errors import InvalidInput
from gridapp.model import Campaign, PolicyItem, Questionnaire
from gridapp.services.campaign_setup import CampaignSetup
from gridapp.services.guard import actor_of, requires
from gridapp.storage import content_queries, records
from gridapp.storage.store import Store
from gridapp.trust.roles import Action


class CampaignService(CampaignSetup):
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.CAMPAIGN_SETUP)
    def publish_questionnaire(self, definition: Mapping[str, Any]) -> Questionnaire:
        """Check a definition whole (DefinitionInvalid lists every problem) and publish it
        as a new, never-changing version."""
        actor = actor_of(self.store).code
        record = self._questionnaire_record(definition)
        with self.store.unit_of_work(actor) as db:
            self._insert_questionnaire(db, record)
        return record

    def _questionnaire_record(self, definition: Mapping[str, Any]) -> Questionnaire:
        from gridapp.forms.definition import load_definition, text_of  # load when used

        form = load_definition(definition)
        return Questionnaire(
            id=self._id(),
            form_id=form.id,
            version=form.version,
            title=text_of(form.title, "zh_CN"),
            definition=json.dumps(definition, ensure_ascii=False, sort_keys=True),
            published_at=iso(self.store.clock.now()),
        )

    @staticmethod
    def _insert_questionnaire(db: Database, record: Questionnaire) -> None:
        latest = content_queries.latest_questionnaire_version(db, record.form_id)
        if latest is not None and latest >= record.version:
            raise InvalidInput(
                "error.form.version_exists",
                id=record.form_id,
                version=record.version,
                latest=latest,
            )
        records.insert(db, "questionnaire", record)

    @requires(Action.CAMPAIGN_SETUP)
    def publish_to_campaign(self, definition: Mapping[str, Any], campaign_id: str) -> Questionnaire:
        """Publish a definition and make it the campaign's questionnaire in one
        transaction: either both happen or neither (the preview's 发布到活动)."""
        actor = actor_of(self.store).code
        record = self._questionnaire_record(definition)
        with self.store.unit_of_work(actor) as db:
            if records.get(db, "campaign", campaign_id) is None:
                raise InvalidInput("error.setup.campaign_not_found", id=campaign_id)
            self._insert_questionnaire(db, record)
            records.update(db, "campaign", campaign_id, {"questionnaire_id": record.id})
        return record

    @requires(Action.CAMPAIGN_SETUP)
    def use_questionnaire(self, campaign_id: str, questionnaire_id: str) -> None:
        """The campaign asks this questionnaire from now on; answers already given keep
        the version they were given under."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            if not records.exists(db, "questionnaire", questionnaire_id):
                raise InvalidInput("error.form.not_found", id=questionnaire_id)
            records.update(db, "campaign", campaign_id, {"questionnaire_id": questionnaire_id})

    @requires(Action.CAMPAIGN_SETUP)
    def update_policy_item(self, item_id: str, changes: Mapping[str, Any]) -> None:
        """Edit a policy item; a changed title or body is a new version, so an explanation
        remembers which text the resident heard."""
        actor = actor_of(self.store).code
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

    @requires(Action.CAMPAIGN_SETUP)
    def add_policy_item(self, item: Mapping[str, Any]) -> PolicyItem:
        actor = actor_of(self.store).code
        record = PolicyItem(id=self._id(), **item)
        with self.store.unit_of_work(actor) as db:
            records.insert(db, "policy_item", record)
        return record

    @requires(Action.CAMPAIGN_SETUP)
    def create_campaign(
        self,
        campaign: Mapping[str, Any],
        compound_ids: Iterable[str],
        policy_item_ids: Iterable[str],
    ) -> Campaign:
        actor = actor_of(self.store).code
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
