"""Following suggestions (意见建议) up to closure at the office.

A suggestion is an immutable record from the field; its progress is a sequence of
immutable `suggestion_status` steps (who it went to, who answered and how, which staff
member recorded it), so a laptop re-sending the suggestion never collides with the
office's progress. The current status is the latest step's, or `new`.

Allowed steps:
  new       → forwarded (needs a handler) | answered (needs a response)
  forwarded → forwarded (to another handler) | answered
  answered  → closed | forwarded (the answer did not settle it)
  closed    → forwarded: reopening. A resident who comes back about the same matter is
              followed up on the same record, so its history stays in one place; a
              closing is never erased, only followed by a new step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from gridapp import limits
from gridapp.actor import PLAIN
from gridapp.clock import iso, parse_iso
from gridapp.codes import SuggestionCategory, SuggestionStatus
from gridapp.errors import InvalidInput, NotFound
from gridapp.model import format_address
from gridapp.services.guard import active_worker, actor_of, requires
from gridapp.storage import records, setup_queries, suggestion_queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

#: A new suggestion nobody has forwarded or answered within 3 days is overdue: residents
#: were told at the door that the office would take it up within the week's first days.
NEW_DUE = timedelta(days=3)
#: A forwarded suggestion without an answer 7 days after it was (last) forwarded is
#: overdue: the property firm or department it went to is chased.
FORWARDED_DUE = timedelta(days=7)

TRANSITIONS: dict[str, frozenset[str]] = {
    SuggestionStatus.NEW: frozenset({SuggestionStatus.FORWARDED, SuggestionStatus.ANSWERED}),
    SuggestionStatus.FORWARDED: frozenset({SuggestionStatus.FORWARDED, SuggestionStatus.ANSWERED}),
    SuggestionStatus.ANSWERED: frozenset({SuggestionStatus.CLOSED, SuggestionStatus.FORWARDED}),
    SuggestionStatus.CLOSED: frozenset({SuggestionStatus.FORWARDED}),
}


@dataclass(frozen=True)
class SuggestionFilter:
    status: str | None = None
    category: str | None = None
    compound_id: str | None = None
    building_id: str | None = None
    team_number: int | None = None
    text: str | None = None
    overdue_only: bool = False


@dataclass(frozen=True)
class SuggestionRow:
    id: str
    category: str
    text: str
    created_at: str
    household_id: str | None
    household_code: str
    address: str
    team: int | None
    status: str
    status_at: str  # when the current status was reached
    handler: str
    response: str
    age_days: int  # whole days since it was made
    overdue: bool


def is_overdue(status: str, created_at: str, status_at: str, now: datetime) -> bool:
    if status == SuggestionStatus.NEW:
        return now - parse_iso(created_at) > NEW_DUE
    if status == SuggestionStatus.FORWARDED:
        return now - parse_iso(status_at) > FORWARDED_DUE
    return False


class SuggestionService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.SUGGESTIONS)
    def rows(self, filters: SuggestionFilter | None = None) -> list[SuggestionRow]:
        f = filters or SuggestionFilter()
        if f.status is not None and f.status not in {s.value for s in SuggestionStatus}:
            raise InvalidInput("error.bad_code", kind="suggestion_status", value=f.status)
        if f.category is not None and f.category not in {c.value for c in SuggestionCategory}:
            raise InvalidInput("error.bad_code", kind="category", value=f.category)
        found = suggestion_queries.rows(
            self.store.db,
            status=f.status,
            category=f.category,
            compound_id=f.compound_id,
            building_id=f.building_id,
            team_number=f.team_number,
            text=(f.text or "").strip() or None,
        )
        now = self.store.clock.now()
        result = [_row(r, now) for r in found]
        return [r for r in result if r.overdue] if f.overdue_only else result

    @requires(Action.SUGGESTIONS)
    def get(self, suggestion_id: str) -> SuggestionRow:
        found = suggestion_queries.rows(self.store.db, suggestion_id=suggestion_id)
        if not found:
            raise NotFound("error.suggestion.not_found", id=suggestion_id)
        return _row(found[0], self.store.clock.now())

    @requires(Action.SUGGESTIONS)
    def history(self, suggestion_id: str) -> list[dict[str, Any]]:
        """The steps so far, oldest first (status, handler, response, at, worker)."""
        return suggestion_queries.steps(self.store.db, suggestion_id)

    @requires(Action.SUGGESTIONS)
    def resolve_id(self, ref: str) -> str:
        """A suggestion by its id or the first characters of it (at least 8)."""
        ref = ref.strip().lower()
        found = suggestion_queries.ids_starting(self.store.db, ref) if len(ref) >= 8 else []
        if len(found) != 1:
            raise NotFound("error.suggestion.not_found", id=ref)
        return found[0]

    def default_recorder(self) -> str | None:
        """Who records steps when nobody is named: office staff first, then an admin."""
        staff = [
            w for w in setup_queries.workers(self.store.db) if w["active"] and w["role"] != "field"
        ]
        staff.sort(key=lambda w: (w["role"] != "office", w["code"]))
        return str(staff[0]["code"]) if staff else None

    def allowed(self, status: str) -> frozenset[str]:
        return TRANSITIONS.get(status, frozenset())

    @requires(Action.SUGGESTIONS)
    def advance(
        self,
        suggestion_id: str,
        to: str,
        handler: str = "",
        response: str = "",
    ) -> str:
        """Record the next step, by the signed-in office staff member (on a plain demo
        or test database, where nobody signs in, by the first office worker); returns
        the step's id."""
        actor = actor_of(self.store)
        handler, response = handler.strip(), response.strip()
        if to not in {s.value for s in SuggestionStatus} or to == SuggestionStatus.NEW:
            raise InvalidInput("error.bad_code", kind="suggestion_status", value=to)
        if to == SuggestionStatus.FORWARDED and not handler:
            raise InvalidInput("error.suggestion.handler_missing")
        if to == SuggestionStatus.ANSWERED and not response:
            raise InvalidInput("error.suggestion.response_missing")
        limits.check_text("suggestion_handler", handler)
        limits.check_text("suggestion_response", response)
        now = self.store.clock.now()
        code = actor.code if actor is not PLAIN else (self.default_recorder() or "")
        with self.store.unit_of_work(actor.code) as db:
            worker = active_worker(db, code)
            if not records.exists(db, "suggestion", suggestion_id):
                raise NotFound("error.suggestion.not_found", id=suggestion_id)
            if not suggestion_queries.is_live(db, suggestion_id):
                raise InvalidInput("error.suggestion.voided", id=suggestion_id)
            steps = suggestion_queries.steps(db, suggestion_id)
            current = steps[-1]["status"] if steps else SuggestionStatus.NEW
            if to not in TRANSITIONS[current]:
                # Forwarding is allowed from every status; only these two can fail.
                key = (
                    "error.suggestion.cannot_close"
                    if to == SuggestionStatus.CLOSED
                    else "error.suggestion.cannot_answer"
                )
                raise InvalidInput(key, id=suggestion_id)
            # Never stamped before the step it follows, so the order holds whatever
            # the clocks of the office and the laptops said.
            at = now
            if steps and parse_iso(steps[-1]["at"]) >= at:
                at = parse_iso(steps[-1]["at"]) + timedelta(seconds=1)
            step_id = self.store.new_id(at)
            records.insert(
                db,
                "suggestion_status",
                {
                    "id": step_id,
                    "suggestion_id": suggestion_id,
                    "status": to,
                    "handler": handler,
                    "response": response,
                    "worker_id": worker["id"],
                    "at": iso(at),
                },
            )
        return step_id

    @requires(Action.SUGGESTIONS)
    def export(self, out: Path, filters: SuggestionFilter | None = None, lang: str = "") -> int:
        """The list as a spreadsheet (.xlsx) or CSV (UTF-8 with BOM, so Excel reads the
        Chinese): no resident names or phones. Returns the number of rows."""
        from gridapp.services.suggestion_export import write  # openpyxl loads when used

        return write(out, self.rows(filters), lang)


def _row(r: dict[str, Any], now: datetime) -> SuggestionRow:
    address = (
        format_address(r["compound_name"], r["building_number"], r["unit"], r["room"])
        if r["household_code"]
        else ""
    )
    return SuggestionRow(
        id=r["id"],
        category=r["category"],
        text=r["text"],
        created_at=r["created_at"],
        household_id=r["household_id"],
        household_code=r["household_code"],
        address=address,
        team=r["team"],
        status=r["status"],
        status_at=r["status_at"],
        handler=r["handler"],
        response=r["response"],
        age_days=max((now - parse_iso(r["created_at"])).days, 0),
        overdue=is_overdue(r["status"], r["created_at"], r["status_at"], now),
    )
