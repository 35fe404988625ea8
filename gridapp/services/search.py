"""Find a household in a keystroke: names, pinyin, addresses, phone tails, codes."""

from __future__ import annotations

from dataclasses import replace

from gridapp.errors import InvalidInput
from gridapp.model import HouseholdRow
from gridapp.search import matching_person
from gridapp.services.guard import requires, visible
from gridapp.storage import queries, search_index
from gridapp.storage.store import Store
from gridapp.trust.roles import Action


class SearchService:
    """Reads the local search index and keeps it in step with every write.

    The index is refreshed by a commit hook, inside the transaction that changed the
    households, so a search never computes pinyin and never sees stale text.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        # Once per store, however many Services share it: a second registration would
        # only find nothing left to refresh, but costs a probe per commit.
        if search_index.refresh_dirty not in store.commit_hooks:
            store.commit_hooks.append(search_index.refresh_dirty)

    @requires(Action.VIEW)
    def find_ids(self, query: str, limit: int = 50) -> list[str]:
        """Matching household ids: an exact household code first, then walking order."""
        if limit < 1:
            raise InvalidInput("error.search_limit", value=limit)
        return visible(self.store, search_index.find(self.store.db, query, limit))

    @requires(Action.VIEW)
    def find(self, query: str, limit: int = 50) -> list[HouseholdRow]:
        """The rows found; a row found through another resident than the head says whose
        name or phone matched (`wjl` shows 许逸浩's household *via* 吴静琳)."""
        ids = self.find_ids(query, limit)
        people = search_index.people_of(self.store.db, ids)
        rows = []
        for row in queries.household_rows(self.store.db, ids):
            person = matching_person(query, people.get(row.id, []))
            if person and person != row.head_name:
                row = replace(row, matched=person)
            rows.append(row)
        return rows
