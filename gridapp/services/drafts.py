"""Drafts of visits being typed (see storage/drafts.py)."""

from __future__ import annotations

from typing import Any

from gridapp.clock import iso
from gridapp.model import format_address
from gridapp.services.guard import requires
from gridapp.storage import drafts
from gridapp.storage.database import translate_sqlite_errors
from gridapp.storage.store import Store
from gridapp.trust.roles import Action


class DraftService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.RECORD_VISITS)
    def save(
        self,
        draft_id: str,
        kind: str,
        household_id: str | None,
        payload: dict[str, Any],
        started_at: str,
    ) -> None:
        with translate_sqlite_errors(self.store.path):
            drafts.save(
                self.store.db,
                draft_id,
                kind,
                household_id,
                payload,
                started_at,
                iso(self.store.clock.now()),
            )

    @requires(Action.RECORD_VISITS)
    def for_household(self, kind: str, household_id: str) -> dict[str, Any] | None:
        return drafts.for_household(self.store.db, kind, household_id)

    @requires(Action.RECORD_VISITS)
    def discard(self, draft_id: str) -> None:
        with translate_sqlite_errors(self.store.path):
            drafts.delete(self.store.db, draft_id)

    @requires(Action.RECORD_VISITS)
    def all(self) -> list[dict[str, Any]]:
        """Every draft, newest first, with its household's `address` ("" when none)."""
        rows = drafts.all_drafts(self.store.db)
        for row in rows:
            row["address"] = (
                format_address(row["compound"], row["building"], row["unit"] or "", row["room"])
                if row["compound"]
                else ""
            )
        return rows
