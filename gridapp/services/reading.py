"""Read-only questions the screens and commands ask. No unit of work needed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gridapp.errors import NotFound
from gridapp.model import (
    BuildingSummary,
    CompoundSummary,
    Counts,
    HouseholdDetail,
    HouseholdRow,
    mask_phone,
)
from gridapp.services.guard import requires, visible, visit_in_scope
from gridapp.storage import campaign_queries, content_queries, queries, records, stats
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

if TYPE_CHECKING:
    from gridapp.forms.definition import FormDefinition
    from gridapp.services.dashboard import Dashboard


class ReadingService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def now(self) -> datetime:
        """The store's clock: screens date what they show by it, never by the wall."""
        return self.store.clock.now()

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from another thread)."""
        self.store.db.conn.interrupt()

    def close(self) -> None:
        self.store.close()

    @requires(Action.DASHBOARD)
    def dashboard(self, campaign_id: str | None, now: datetime) -> Dashboard:
        """The dashboard's snapshot, read on this (a read pool's) connection; its own
        permission check applies."""
        from gridapp.services.dashboard import DashboardService

        return DashboardService(self.store).snapshot(campaign_id, now)

    @requires(Action.VIEW)
    def counts(self, campaign_id: str | None = None) -> Counts:
        """CLI.md's counts, of every campaign or of one (its visits, answers, suggestions,
        callbacks; places and people are the database's)."""
        return stats.counts(self.store.db, campaign_id)

    @requires(Action.VIEW)
    def compounds(self) -> list[CompoundSummary]:
        return queries.compound_summaries(self.store.db)

    @requires(Action.VIEW)
    def compound_names(self) -> list[tuple[str, str]]:
        return queries.compound_names(self.store.db)

    @requires(Action.VIEW)
    def buildings(
        self,
        compound_id: str | None = None,
        team_number: int | None = None,
        with_progress: bool = True,
    ) -> list[BuildingSummary]:
        return queries.building_summaries(self.store.db, compound_id, team_number, with_progress)

    @requires(Action.VIEW)
    def visited_by_building(self) -> dict[str, int]:
        return queries.visited_by_building(self.store.db)

    @requires(Action.VIEW)
    def household_ids(
        self,
        building_id: str | None = None,
        team_number: int | None = None,
        compound_id: str | None = None,
    ) -> list[str]:
        return visible(
            self.store, queries.household_ids(self.store.db, building_id, team_number, compound_id)
        )

    @requires(Action.VIEW)
    def neighbours(self, household_id: str) -> list[HouseholdRow]:
        """The building's other households to visit (what this one may merge with)."""
        ids = visible(self.store, queries.neighbours(self.store.db, household_id))
        return queries.household_rows(self.store.db, ids)

    @requires(Action.VIEW)
    def household_rows(self, ids: Sequence[str]) -> list[HouseholdRow]:
        return queries.household_rows(self.store.db, visible(self.store, list(ids)))

    @requires(Action.VIEW)
    def household(self, household_id: str) -> HouseholdDetail | None:
        if not visible(self.store, [household_id]):
            return None
        return queries.household_detail(self.store.db, household_id)

    @requires(Action.VIEW)
    def masked_phones(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """Each household's phones as 138****1234: what lists and exports show."""
        return {
            household_id: [mask_phone(n) for n in numbers]
            for household_id, numbers in queries.household_phones(
                self.store.db, visible(self.store, list(ids))
            ).items()
        }

    @requires(Action.VIEW)
    def household_by_code(self, code: str) -> str | None:
        return queries.household_by_code(self.store.db, code.strip().upper())

    @requires(Action.VIEW)
    def campaigns(self) -> list[dict[str, Any]]:
        return content_queries.campaign_overview(self.store.db)

    @requires(Action.VIEW)
    def policy_item_id(self, ref: str) -> str:
        """A policy item by id or by its code (FEE-Q1)."""
        found = content_queries.policy_item_id(self.store.db, ref.strip())
        if found is None:
            raise NotFound("error.policy_item_not_found", id=ref)
        return found

    @requires(Action.VIEW)
    def questionnaire(self, ref: str) -> FormDefinition:
        """A published questionnaire by record id or form id (latest version)."""
        from gridapp.forms.definition import load_definition  # load when used

        found = content_queries.questionnaire_ref(self.store.db, ref.strip())
        if found is None:
            raise NotFound("error.form.not_found", id=ref)
        return load_definition(content_queries.questionnaire_definition(self.store.db, found))

    @requires(Action.VIEW)
    def active_questionnaire(self) -> tuple[str, FormDefinition] | None:
        campaign = queries.active_campaign(self.store.db)
        return self.campaign_questionnaire(campaign["id"]) if campaign else None

    @requires(Action.VIEW)
    def campaign_questionnaire(self, campaign_id: str) -> tuple[str, FormDefinition] | None:
        """The questionnaire a campaign asks now (its id and definition), if any."""
        from gridapp.forms.definition import load_definition  # load when used

        campaign = records.get(self.store.db, "campaign", campaign_id)
        if campaign is None or campaign["questionnaire_id"] is None:
            return None
        definition = content_queries.questionnaire_definition(
            self.store.db, campaign["questionnaire_id"]
        )
        return campaign["questionnaire_id"], load_definition(definition)

    @requires(Action.VIEW)
    def open_campaigns(self, household_id: str) -> list[dict[str, Any]]:
        """The running campaigns a visit to this household may belong to, latest first."""
        return campaign_queries.open_campaigns_for(self.store.db, household_id)

    @requires(Action.VIEW)
    def visit_answers(self, visit_id: str, lang: str = "zh_CN") -> list[dict[str, Any]]:
        """A visit's answers read with the questionnaire version they were given under:
        rows of answer_rows; a repeat's row says how many entries it holds ("3 条") and
        lists them in words under `entries` ("1. 张三 · 配偶 · 年龄 45")."""
        visit_in_scope(self.store, visit_id)
        from gridapp.forms.definition import load_definition  # load when used
        from gridapp.forms.engine import answer_rows
        from gridapp.forms.instance_words import count_text, entries, is_repeat, repeat_lines

        rows = content_queries.visit_answers(self.store.db, visit_id)
        if not rows:
            return []
        questionnaire_id = rows[0]["questionnaire_id"]
        definition = load_definition(
            content_queries.questionnaire_definition(self.store.db, questionnaire_id)
        )
        answers = {r["question"]: json.loads(r["value"]) for r in rows}
        found = answer_rows(definition, answers, lang)
        for row in found:  # a repeat: its entries in words too, one line each
            question = definition.question(row["question"])
            if question is not None and is_repeat(question):
                row["text"] = count_text(len(entries(row["value"])), lang)
                row["entries"] = repeat_lines(question, row["value"], lang)
        return found

    @requires(Action.VIEW)
    def questionnaires(self) -> list[dict[str, Any]]:
        return content_queries.questionnaires(self.store.db)

    @requires(Action.VIEW)
    def policy_items(self, campaign_id: str | None = None) -> list[dict[str, Any]]:
        """Every policy item, placed in the campaign's set (the active one by default)."""
        if campaign_id is None:
            campaign = queries.active_campaign(self.store.db)
            campaign_id = campaign["id"] if campaign else None
        return content_queries.policy_items(self.store.db, campaign_id)

    @requires(Action.VIEW)
    def is_empty(self) -> bool:
        return queries.is_empty(self.store.db)
