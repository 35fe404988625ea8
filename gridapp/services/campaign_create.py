"""Creating a campaign from nothing (CLI `campaign create`, the 新建专项行动 wizard): its
fields, compounds, questionnaire, policy items and teams, checked whole and written in
one unit of work, so a refused plan leaves nothing behind."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gridapp import limits
from gridapp.errors import InvalidInput
from gridapp.model import Campaign, PolicyItem, Questionnaire
from gridapp.services.campaign_setup import Scope, _day, _scope_buildings, _team
from gridapp.services.guard import actor_of, requires
from gridapp.storage import campaign_queries, records, setup_queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

STATUSES = ("draft", "active")


@dataclass(frozen=True)
class NewPolicyItem:
    title: str
    body: str = ""
    category: str = ""


@dataclass(frozen=True)
class CampaignPlan:
    """Everything a new campaign needs. `questionnaire_id` names a published one;
    `questionnaire` is a definition to publish with it (one or neither)."""

    name: str
    starts_on: str
    ends_on: str
    compound_ids: Sequence[str]
    description: str = ""
    questionnaire_id: str | None = None
    questionnaire: Mapping[str, Any] | None = None
    policy_item_ids: Sequence[str] = ()
    new_policy_items: Sequence[NewPolicyItem] = ()
    teams: Mapping[str, Sequence[str]] = field(default_factory=dict)  # team id → buildings
    status: str = "active"


def write_campaign(
    db: Any,
    new_id: Callable[[], str],
    record: Campaign,
    compound_ids: Iterable[str],
    policy_item_ids: Iterable[str],
) -> None:
    """The campaign, its compounds and its policy set (in order), inside the caller's
    unit of work."""
    records.insert(db, "campaign", record)
    records.insert_many(
        db,
        "campaign_compound",
        ({"id": new_id(), "campaign_id": record.id, "compound_id": c} for c in compound_ids),
    )
    records.insert_many(
        db,
        "campaign_policy",
        (
            {"id": new_id(), "campaign_id": record.id, "policy_item_id": p, "position": i}
            for i, p in enumerate(policy_item_ids)
        ),
    )


def name_key(name: str) -> str:
    """Names compare as people read them: full-width letters, case and spaces aside."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


class CampaignCreation:
    """Mixed into CampaignService (services/campaigns.py)."""

    store: Store
    publish_questionnaire: Callable[[Mapping[str, Any]], Questionnaire]  # CampaignService's

    def _id(self) -> str:
        return self.store.new_id(self.store.clock.now())

    @requires(Action.CAMPAIGN_SETUP)
    def plan_campaign(self, plan: CampaignPlan) -> Campaign:
        """Create the campaign the plan describes, or refuse it whole."""
        actor = actor_of(self.store).code
        name = plan.name.strip()
        if limits.blank(name):
            raise InvalidInput("error.setup.campaign_name_missing")
        limits.check_text("campaign_name", name)
        limits.check_text("campaign_description", plan.description)
        starts, ends = _day(plan.starts_on), _day(plan.ends_on)
        if ends < starts:
            raise InvalidInput("error.campaign_dates", starts=starts, ends=ends)
        if plan.status not in STATUSES:
            raise InvalidInput("error.campaign.bad_status", status=plan.status[:20])
        compound_ids = list(dict.fromkeys(plan.compound_ids))
        if not compound_ids:
            raise InvalidInput("error.campaign.no_compounds")
        if plan.questionnaire is not None and plan.questionnaire_id is not None:
            raise InvalidInput("error.campaign.two_questionnaires")
        for item in plan.new_policy_items:
            if limits.blank(item.title):
                raise InvalidInput("error.policy.title_missing")
            if limits.blank(item.body):
                raise InvalidInput("error.policy.body_missing", title=item.title.strip()[:80])
            limits.check_text("policy_title", item.title.strip())
            limits.check_text("policy_body", item.body.strip())
        if plan.questionnaire is not None:
            from gridapp.forms.definition import load_definition  # load when used

            load_definition(plan.questionnaire)  # before anything: DefinitionInvalid lists all
        with self.store.unit_of_work(actor) as db:
            taken = {name_key(n): n for _, n in campaign_queries.campaign_names(db)}
            if name_key(name) in taken:
                raise InvalidInput("error.campaign.name_taken", name=taken[name_key(name)])
            for compound_id in compound_ids:
                compound = setup_queries.compound_name(db, compound_id)
                if compound is None:
                    raise InvalidInput("error.setup.compound_not_found", ref=compound_id[:80])
                if campaign_queries.listed_households(db, compound_id) == 0:
                    raise InvalidInput("error.campaign.compound_empty", compound=compound)
            for item_id in plan.policy_item_ids:
                if not records.exists(db, "policy_item", item_id):
                    raise InvalidInput("error.policy_item_not_found", id=item_id[:80])
            questionnaire_id = plan.questionnaire_id
            if plan.questionnaire is not None:  # joins this unit of work
                questionnaire_id = self.publish_questionnaire(plan.questionnaire).id
            if questionnaire_id is not None:
                questionnaire = records.get(db, "questionnaire", questionnaire_id)
                if questionnaire is None:
                    raise InvalidInput("error.form.not_found", id=questionnaire_id[:80])
                clash = campaign_queries.overlapping(
                    db, str(questionnaire["form_id"]), compound_ids, starts, ends
                )
                if clash is not None:
                    raise InvalidInput("error.campaign.overlap", **clash)
            record = Campaign(
                id=self._id(),
                name=name,
                starts_on=starts,
                ends_on=ends,
                questionnaire_id=questionnaire_id,
                description=plan.description.strip(),
                status=plan.status,
            )
            policy_ids = list(dict.fromkeys(plan.policy_item_ids))
            for item in plan.new_policy_items:
                written = PolicyItem(
                    id=self._id(),
                    title=item.title.strip(),
                    body=item.body.strip(),
                    category=item.category,
                )
                records.insert(db, "policy_item", written)
                policy_ids.append(written.id)
            write_campaign(db, self._id, record, compound_ids, policy_ids)
            for team_ref, building_ids in plan.teams.items():
                team = _team(db, team_ref)
                if not building_ids:
                    raise InvalidInput("error.campaign.team_without_buildings", team=team["name"])
                for building_id in _scope_buildings(db, record.id, Scope(buildings=building_ids)):
                    held = setup_queries.assignments(db, record.id, [building_id])
                    for row in held.values():
                        setup_queries.delete(db, "assignment", row["id"])
                    records.insert(
                        db,
                        "assignment",
                        {
                            "id": self._id(),
                            "campaign_id": record.id,
                            "team_id": team["id"],
                            "building_id": building_id,
                        },
                    )
        return record

    @requires(Action.CAMPAIGN_SETUP)
    def publish_campaign(self, campaign_id: str) -> None:
        """A draft campaign starts: laptops receive it with the next roster."""
        actor = actor_of(self.store).code
        with self.store.unit_of_work(actor) as db:
            current = setup_queries.campaign(db, campaign_id)
            if current is None:
                raise InvalidInput("error.setup.campaign_not_found", id=campaign_id[:80])
            if current["status"] != "draft":
                raise InvalidInput(
                    "error.campaign.not_draft", name=current["name"], status=current["status"]
                )
            records.update(db, "campaign", campaign_id, {"status": "active"})

    @requires(Action.CAMPAIGN_SETUP)
    def set_property_firm(self, compound_id: str, firm: str) -> None:
        """The firm that manages a compound (the scorecard ranks by it); an empty firm:
        the compound manages itself (自主管理)."""
        actor = actor_of(self.store).code
        firm = " ".join(firm.split())
        limits.check_text("property_firm", firm)
        with self.store.unit_of_work(actor) as db:
            current = records.get(db, "compound", compound_id)
            if current is None:
                raise InvalidInput("error.setup.compound_not_found", ref=compound_id[:80])
            if current["property_firm"] != firm:
                records.update(db, "compound", compound_id, {"property_firm": firm})

    @requires(Action.VIEW)
    def compound_firms(self) -> list[dict[str, Any]]:
        return campaign_queries.compound_firms(self.store.db)

    @requires(Action.VIEW)
    def campaign_list(self) -> list[dict[str, Any]]:
        return campaign_queries.campaign_list(self.store.db)
