"""The office's review of visits (docs/office-review.md).

Each live visit is reviewed: approved, or returned to its worker with a comment. A
review is an immutable `review` step written at the office; the latest one is the
visit's state, none means new (待审). Returned visits travel to the team's laptops in
the next roster bundle; the worker corrects the visit there (a correction is a new
visit that supersedes the old one), the correction comes back in a sync bundle and is
new again. A superseded or voided visit is never reviewed, and never counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from gridapp import limits
from gridapp.actor import PLAIN
from gridapp.audit_actions import VISIT_APPROVED, VISIT_RETURNED
from gridapp.clock import iso, parse_iso
from gridapp.errors import InvalidInput, NotFound
from gridapp.model import format_address
from gridapp.services.audit import note
from gridapp.services.guard import active_worker, actor_of, is_field, requires, team_asked
from gridapp.storage import queries, records, review_queries, setup_queries
from gridapp.storage.review_queries import FLAGS, STATES
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

APPROVED = "approved"
RETURNED = "returned"


@dataclass(frozen=True)
class ReviewFilter:
    team: int | None = None
    worker: str | None = None  # a worker's code
    day: str | None = None  # YYYY-MM-DD, the day the visit started
    state: str | None = None  # new | approved | returned
    flag: str | None = None  # short | no_answers | contradiction


@dataclass(frozen=True)
class ReviewRow:
    id: str
    household_id: str
    household_code: str
    address: str
    team: int | None
    worker_code: str
    worker_name: str
    mode: str
    outcome: str
    started_at: str
    ended_at: str
    state: str
    comment: str  # the latest review's (a returned visit's reason)
    reviewed_at: str | None
    corrects: str | None  # the visit this one corrects
    flags: tuple[str, ...] = field(default_factory=tuple)
    made_here: bool = False  # recorded on this device (only then correctable here)


class ReviewService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.REVIEW)
    def queue(self, filters: ReviewFilter | None = None) -> list[ReviewRow]:
        """The active campaign's live visits with their review state and flags, oldest
        first."""
        f = filters or ReviewFilter()
        if f.state is not None and f.state not in STATES:
            raise InvalidInput("error.bad_code", kind="review_state", value=f.state)
        if f.flag is not None and f.flag not in FLAGS:
            raise InvalidInput("error.bad_code", kind="review_flag", value=f.flag)
        return self._rows(
            team=f.team,
            worker=f.worker.strip().upper() if f.worker else None,
            day=f.day,
            state=f.state,
            flag=f.flag,
        )

    @requires(Action.REVIEW)
    def resolve_id(self, ref: str) -> str:
        """A visit by its id or the first characters of it (at least 8)."""
        ref = ref.strip().lower()
        found = review_queries.ids_starting(self.store.db, ref) if len(ref) >= 8 else []
        if len(found) != 1:
            raise NotFound("error.review.not_found", id=ref)
        return found[0]

    @requires(Action.REVIEW)
    def team_states(self) -> list[dict[str, Any]]:
        """Per team: live visits of the active campaign new, approved, returned."""
        db, campaign = self.store.db, self._campaign()
        return team_states(
            review_queries.visits_by_team(db, campaign),
            review_queries.reviewed_states(db, campaign),
        )

    @requires(Action.REVIEW)
    def approve(self, visit_ids: list[str]) -> int:
        """Approve each visit, all or none (one transaction); returns how many."""
        if not visit_ids:
            raise InvalidInput("error.review.nothing_chosen")
        self._write(list(dict.fromkeys(visit_ids)), APPROVED, "")
        return len(set(visit_ids))

    @requires(Action.REVIEW)
    def return_visit(self, visit_id: str, comment: str) -> None:
        """Return a visit to its worker with a comment saying what to correct."""
        comment = comment.strip()
        if limits.blank(comment):
            raise InvalidInput("error.review.comment_missing")
        limits.check_text("review_comment", comment)
        self._write([visit_id], RETURNED, comment)

    @requires(Action.VIEW)
    def returned_for_me(self) -> list[ReviewRow]:
        """Visits returned to be corrected: on a laptop, the signed-in field worker's own
        (the team's when nobody signs in); at the office, every team's. Each with the
        comment, the address and when it was returned."""
        actor = actor_of(self.store)
        team = team_asked(self.store, None)
        worker = actor.code if is_field(actor) else None
        return self._rows(team=team, worker=worker, state=RETURNED)

    # -- inside ---------------------------------------------------------------------

    def _campaign(self) -> str | None:
        campaign = queries.active_campaign(self.store.db)
        return str(campaign["id"]) if campaign else None

    def _rows(self, **filters: Any) -> list[ReviewRow]:
        device = self.store.local_device()
        here = device.device_id if device is not None else None
        found = review_queries.queue(self.store.db, campaign=self._campaign(), **filters)
        return [_row(r, here) for r in found]

    def _recorder(self) -> str:
        """Who reviews: the signed-in staff member; on a plain demo or test database,
        where nobody signs in, the first office worker (then an administrator)."""
        actor = actor_of(self.store)
        if actor is not PLAIN:
            return actor.code
        staff = [
            w for w in setup_queries.workers(self.store.db) if w["active"] and w["role"] != "field"
        ]
        staff.sort(key=lambda w: (w["role"] != "office", w["code"]))
        if not staff:
            raise InvalidInput("error.review.no_reviewer")
        return str(staff[0]["code"])

    def _write(self, visit_ids: list[str], status: str, comment: str) -> None:
        actor = actor_of(self.store)
        code = self._recorder()
        now = self.store.clock.now()
        action = VISIT_APPROVED if status == APPROVED else VISIT_RETURNED
        with self.store.unit_of_work(actor.code) as db:
            worker = active_worker(db, code)
            for visit_id in visit_ids:
                visit = review_queries.visit_state(db, visit_id)
                if visit is None:
                    raise NotFound("error.review.not_found", id=visit_id)
                if visit["voided"]:
                    raise InvalidInput("error.review.voided", id=visit_id)
                if visit["dead"]:
                    raise InvalidInput("error.review.superseded", id=visit_id)
                if visit["state"] == status:
                    raise InvalidInput(f"error.review.already_{status}", id=visit_id)
                # Never stamped before the review it follows, whatever the clocks said.
                at = now
                if visit["reviewed_at"] and parse_iso(visit["reviewed_at"]) >= at:
                    at = parse_iso(visit["reviewed_at"]) + timedelta(seconds=1)
                records.insert(
                    db,
                    "review",
                    {
                        "id": self.store.new_id(at),
                        "visit_id": visit_id,
                        "status": status,
                        "comment": comment,
                        "worker_id": worker["id"],
                        "at": iso(at),
                    },
                )
                note(self.store, db, actor.code, action, visit_id, code=worker["code"])


def _row(r: dict[str, Any], here: str | None) -> ReviewRow:
    return ReviewRow(
        id=r["id"],
        household_id=r["household_id"],
        household_code=r["household_code"],
        address=format_address(r["compound_name"], r["building_number"], r["unit"], r["room"]),
        team=r["team"],
        worker_code=r["worker_code"] or "",
        worker_name=r["worker_name"] or "",
        mode=r["mode"],
        outcome=r["outcome"],
        started_at=r["started_at"],
        ended_at=r["ended_at"],
        state=r["state"],
        comment=r["comment"],
        reviewed_at=r["reviewed_at"],
        corrects=r["supersedes_id"],
        flags=tuple(r["flags"]),
        made_here=here is not None and r["device_id"] == here,
    )


def team_states(
    visits: Iterable[tuple[str, int, str, int]], reviewed: Mapping[str, tuple[int, int]]
) -> list[dict[str, Any]]:
    """Per team with visits (team id, number, name, live visits): how many are new,
    approved, returned: the one definition the review screen and the dashboard share."""
    states = []
    for team_id, number, name, total in visits:
        approved, returned = reviewed.get(team_id, (0, 0))
        states.append(
            {
                "team": number,
                "name": name,
                "new": total - approved - returned,
                "approved": approved,
                "returned": returned,
            }
        )
    return states
