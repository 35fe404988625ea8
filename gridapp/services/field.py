"""The field's day: my team, callbacks due, households not yet reached."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from gridapp.actor import PLAIN
from gridapp.clock import iso
from gridapp.model import BuildingSummary, HouseholdRow, format_address
from gridapp.services.guard import (
    actor_of,
    is_field,
    requires,
    team_asked,
    visible,
    visit_in_scope,
)
from gridapp.storage import content_queries, field_queries, queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action


class FieldService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def now(self) -> datetime:
        """The store's clock: 今日工作 says 今天 and 明天 by it."""
        return self.store.clock.now()

    @requires(Action.VIEW)
    def my_team(self) -> int | None:
        device = self.store.local_device()
        if device is None or device.role != "field":
            return None
        return field_queries.team_of_device(self.store.db, device.device_id)

    @requires(Action.VIEW)
    def buildings(self, team: int | None) -> list[BuildingSummary]:
        team = team_asked(self.store, team)
        return queries.building_summaries(self.store.db, team_number=team)

    @requires(Action.VIEW)
    def callbacks_due(self, team: int | None, days_ahead: int = 2) -> list[dict[str, Any]]:
        """Every overdue callback and those due by the end of the day `days_ahead` days
        from today (a callback set for tomorrow evening is on the list), soonest first;
        each with `address`, `head_name`, and `overdue` / `today` marks."""
        team = team_asked(self.store, team)
        now = self.store.clock.now()
        last = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
            days=days_ahead + 1
        )
        rows = field_queries.callbacks_due(self.store.db, team, iso(last))
        today = now.date().isoformat()
        for row in rows:
            row["overdue"] = row["due_at"] < iso(now)
            row["today"] = row["due_at"][:10] == today
            row["address"] = format_address(
                row["compound"], row["building"], row["unit"] or "", row["room"]
            )
        return rows

    @requires(Action.VIEW)
    def unreached(self, team: int | None, limit: int = 500) -> list[HouseholdRow]:
        team = team_asked(self.store, team)
        ids = visible(self.store, field_queries.unreached(self.store.db, team, limit))
        return queries.household_rows(self.store.db, ids)

    @requires(Action.VIEW)
    def visit_for_correction(self, visit_id: str) -> dict[str, Any] | None:
        visit_in_scope(self.store, visit_id)
        visit = field_queries.visit_for_correction(self.store.db, visit_id)
        if visit is not None:
            visit["answers"] = {k: json.loads(v) for k, v in visit["answers"].items()}
        return visit

    @requires(Action.VIEW)
    def workers(self, team: int | None) -> list[dict[str, Any]]:
        return content_queries.workers(self.store.db, team_asked(self.store, team))

    @requires(Action.VIEW)
    def credited_workers(self) -> list[dict[str, Any]]:
        """Whom the next visit may be credited to, the signed-in worker first (`own`):
        a field worker records only as themself; office staff as themself or, to
        transcribe a paper form, as a worker of the team (代录). On a plain demo or
        test database, where nobody signs in, the team's workers."""
        actor = actor_of(self.store)
        team_workers = content_queries.workers(self.store.db, self.my_team())
        if actor is PLAIN:
            return [{**w, "own": False} for w in team_workers]
        own = [
            {**w, "own": True}
            for w in content_queries.workers(self.store.db)
            if w["code"] == actor.code
        ]
        if is_field(actor):
            return own
        return own + [{**w, "own": False} for w in team_workers if w["code"] != actor.code]
