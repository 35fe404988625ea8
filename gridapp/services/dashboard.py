"""The office dashboard's figures, read in one go on one database snapshot.

Counts are `stats.counts` itself (CLI.md's definitions); coverage, the day curve and
outcomes come from a few grouped queries (storage/dashboard_queries.py) and are summed
here per building, compound, team and day. Everything returned is frozen: a snapshot
is built on a reader thread and handed whole to the screen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from gridapp.clock import iso
from gridapp.codes import Outcome
from gridapp.model import Counts
from gridapp.services.guard import requires
from gridapp.services.review import team_states
from gridapp.storage import dashboard_queries as q
from gridapp.storage import review_queries, stats, sync_store
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

#: Rows of the long lists a screen shows; their totals are always exact.
LIST_LIMIT = 200
#: The day axis never grows past this many days (the latest are kept).
MAX_DAYS = 62


@dataclass(frozen=True)
class Coverage:
    """Households visited out of households, for one place or team."""

    id: str
    label: str
    households: int
    visited: int
    compound: str = ""
    team: int | None = None

    @property
    def share(self) -> float:
        return self.visited / self.households if self.households else 0.0


@dataclass(frozen=True)
class DayProgress:
    day: str  # YYYY-MM-DD, China time
    visits: int  # live visits of any mode that day
    newly_visited: int  # households first visited in person that day
    cumulative: int | None  # households visited by the end of the day; None: future


@dataclass(frozen=True)
class CallbackDue:
    id: str
    household_id: str
    household_code: str
    place: str  # compound, building, unit, room
    team: int | None
    due_at: str
    note: str
    overdue: bool


@dataclass(frozen=True)
class OpenConflict:
    id: str
    entity: str
    field: str
    household_code: str
    candidates: int
    created_at: str


@dataclass(frozen=True)
class Laptop:
    device_id: str
    name: str
    team: int | None
    status: str  # active | retired | revoked
    last_bundle_at: str | None
    applied_seq: int
    highest_seq: int
    held: int  # bundles received but waiting for an earlier one
    missing: tuple[tuple[int, int], ...]  # seq ranges not received yet (from, to)
    quarantined: int
    alarms: int = 0  # bundles it signed that were refused (sync/authority.py)
    last_alarm: tuple[str, dict[str, Any]] | None = None  # (catalog key, params)


@dataclass(frozen=True)
class TeamReview:
    """The office's review of one team's live visits (docs/office-review.md)."""

    team: int
    name: str
    new: int  # 待审: not reviewed yet (corrections included)
    approved: int
    returned: int  # 退回: waiting for the worker's correction

    @property
    def visits(self) -> int:
        return self.new + self.approved + self.returned


@dataclass(frozen=True)
class Dashboard:
    taken_at: str
    campaign_id: str | None
    campaign_name: str
    starts_on: str | None
    ends_on: str | None
    counts: Counts
    compounds: tuple[Coverage, ...]
    buildings: tuple[Coverage, ...]
    teams: tuple[Coverage, ...]
    days: tuple[DayProgress, ...]
    outcomes: tuple[tuple[str, int], ...]  # every outcome code, in codes.Outcome order
    callbacks_open: int
    callbacks_overdue: int
    callbacks: tuple[CallbackDue, ...]  # the first LIST_LIMIT, due first
    conflicts_open: int
    conflicts: tuple[OpenConflict, ...]  # the first LIST_LIMIT, oldest first
    laptops: tuple[Laptop, ...]
    #: Review state per team (teams with visits), in team order.
    reviews: tuple[TeamReview, ...] = ()

    @property
    def coverage(self) -> float:
        c = self.counts
        return c.households_visited / c.households if c.households else 0.0

    @property
    def laptops_missing(self) -> int:
        return sum(1 for laptop in self.laptops if laptop.missing)

    @property
    def alarms(self) -> int:
        return sum(laptop.alarms for laptop in self.laptops)


class DashboardService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.DASHBOARD)
    def snapshot(self, campaign_id: str | None = None, today: datetime | None = None) -> Dashboard:
        """Every figure of the dashboard as of `today` (the clock's now by default):
        callbacks due before it are overdue, days after it are the future."""
        now = today or self.store.clock.now()
        db = self.store.db
        with q.one_snapshot(db):
            campaign = q.campaign(db, campaign_id)
            cid = campaign["id"] if campaign else None
            counts = stats.counts(db, cid)
            buildings = q.buildings(db, cid)
            first = q.first_visits_by_building_day(db, cid)
            by_day_outcome = q.visits_by_day_outcome_team(db, cid)
            teams = q.teams(db)
            overdue, callbacks = q.open_callbacks(db, iso(now), LIST_LIMIT, cid)
            conflicts = sync_store.conflicts(db)
            peers = sync_store.peers(db)
            held = sync_store.held(db)
            reviewed = review_queries.reviewed_states(db, cid)
        if cid is not None:  # coverage of the campaign's own households
            counts = replace(
                counts,
                compounds=len({row[1] for row in buildings}),
                buildings=len(buildings),
                households=sum(int(row[5]) for row in buildings),
            )
        building_rows = _buildings(buildings, first)
        visits_per_day: dict[str, int] = defaultdict(int)
        outcomes: dict[str, int] = defaultdict(int)
        per_team: dict[str, int] = defaultdict(int)
        for day, outcome, team_id, n in by_day_outcome:
            visits_per_day[day] += n
            outcomes[outcome] += n
            if team_id is not None:
                per_team[team_id] += n
        reviews = team_states(
            [(t, number, name, per_team[t]) for t, number, name in teams if t in per_team],
            reviewed,
        )
        first_per_day: dict[str, int] = defaultdict(int)
        for _building, day, n in first:
            first_per_day[day] += n
        return Dashboard(
            taken_at=iso(now),
            campaign_id=cid,
            campaign_name=campaign["name"] if campaign else "",
            starts_on=campaign["starts_on"] if campaign else None,
            ends_on=campaign["ends_on"] if campaign else None,
            counts=counts,
            compounds=_compounds(buildings, building_rows),
            buildings=tuple(building_rows),
            teams=_teams(teams, buildings, building_rows),
            days=_days(campaign, visits_per_day, first_per_day, now.date()),
            outcomes=tuple((o.value, outcomes.get(o.value, 0)) for o in Outcome),
            callbacks_open=counts.callbacks_open,
            callbacks_overdue=overdue,
            callbacks=tuple(_callback(row, iso(now)) for row in callbacks),
            conflicts_open=counts.conflicts_open,
            conflicts=tuple(_conflict(row) for row in conflicts[:LIST_LIMIT]),
            laptops=tuple(_laptop(peer, held) for peer in peers),
            reviews=tuple(
                TeamReview(r["team"], r["name"], r["new"], r["approved"], r["returned"])
                for r in reviews
            ),
        )


def _buildings(
    buildings: list[tuple[Any, ...]], first: list[tuple[str, str, int]]
) -> list[Coverage]:
    visited: dict[str, int] = defaultdict(int)
    for building_id, _day, n in first:
        visited[building_id] += n
    return [
        Coverage(
            id=bid,
            label=number,
            households=int(households),
            visited=visited.get(bid, 0),
            compound=compound_name,
        )
        for bid, _cid, compound_name, number, _team, households in buildings
    ]


def _compounds(buildings: list[tuple[Any, ...]], coverage: list[Coverage]) -> tuple[Coverage, ...]:
    totals: dict[tuple[str, str], list[int]] = {}
    for row, b in zip(buildings, coverage, strict=True):
        # Walking order: compounds come out in their creation order.
        total = totals.setdefault((row[1], b.compound), [0, 0])
        total[0] += b.households
        total[1] += b.visited
    return tuple(Coverage(cid, name, h, v) for (cid, name), (h, v) in totals.items())


def _teams(
    teams: list[tuple[str, int, str]],
    buildings: list[tuple[Any, ...]],
    coverage: list[Coverage],
) -> tuple[Coverage, ...]:
    totals: dict[str, list[int]] = {team_id: [0, 0] for team_id, _n, _name in teams}
    for row, b in zip(buildings, coverage, strict=True):
        team_id = row[4]
        if team_id in totals:
            totals[team_id][0] += b.households
            totals[team_id][1] += b.visited
    return tuple(
        Coverage(team_id, name, totals[team_id][0], totals[team_id][1], team=number)
        for team_id, number, name in teams
    )


def _days(
    campaign: dict[str, Any] | None,
    visits: dict[str, int],
    first: dict[str, int],
    today: date,
) -> tuple[DayProgress, ...]:
    """The campaign's days (stretched to late visits), else the days with visits."""
    seen = sorted(set(visits) | set(first))
    if campaign is not None:
        start = date.fromisoformat(campaign["starts_on"])
        end = date.fromisoformat(campaign["ends_on"])
        if seen and seen[-1] > end.isoformat():
            # Late visits stretch the axis, never so far that the campaign's own days
            # fall off its start (a visit recorded years later stays in the counts).
            late = min(date.fromisoformat(seen[-1]), max(end, today))
            end = max(end, min(late, start + timedelta(days=MAX_DAYS - 1)))
    elif seen:
        start, end = date.fromisoformat(seen[0]), date.fromisoformat(seen[-1])
    else:
        return ()
    if (end - start).days >= MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
    # Households first reached before the axis starts are already covered on day one.
    running = sum(n for day, n in first.items() if day < start.isoformat())
    out = []
    day = start
    while day <= end:
        key = day.isoformat()
        running += first.get(key, 0)
        out.append(
            DayProgress(
                key, visits.get(key, 0), first.get(key, 0), None if day > today else running
            )
        )
        day += timedelta(days=1)
    return tuple(out)


def _callback(row: dict[str, Any], now: str) -> CallbackDue:
    unit = f"{row['unit']}-" if row["unit"] else ""
    return CallbackDue(
        id=row["id"],
        household_id=row["household_id"],
        household_code=row["code"],
        place=f"{row['compound']} {row['building']}-{unit}{row['room']}",
        team=row["team"],
        due_at=row["due_at"],
        note=row["note"],
        overdue=row["due_at"] < now,
    )


def _conflict(row: dict[str, Any]) -> OpenConflict:
    return OpenConflict(
        id=row["id"],
        entity=row["entity"],
        field=row["field"],
        household_code=row["household_code"] or "",
        candidates=len(json.loads(row["candidates"])),
        created_at=row["created_at"],
    )


def _laptop(peer: dict[str, Any], held: list[dict[str, Any]]) -> Laptop:
    return Laptop(
        device_id=peer["device_id"],
        name=peer["name"],
        team=peer["team_number"],
        status=peer["status"],
        last_bundle_at=peer["last_bundle_at"],
        applied_seq=int(peer["applied_seq"]),
        highest_seq=int(peer["highest_seq"]),
        held=int(peer["held"]),
        missing=missing_ranges(
            int(peer["applied_seq"]),
            [(h["seq_from"], h["seq_to"]) for h in held if h["device_id"] == peer["device_id"]],
        ),
        quarantined=int(peer["quarantined"]),
        alarms=int(peer.get("alarms") or 0),
        last_alarm=_alarm(peer.get("last_alarm")),
    )


def _alarm(detail: str | None) -> tuple[str, dict[str, Any]] | None:
    if not detail:
        return None
    params = dict(json.loads(detail))
    return f"error.bundle.{params.pop('reason', 'refused')}", params


def missing_ranges(applied: int, held: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The seq ranges between what was applied and the bundles held waiting: the
    bundles to ask that laptop for."""
    gaps = []
    reached = applied
    for seq_from, seq_to in sorted(held):
        if seq_from > reached + 1:
            gaps.append((reached + 1, seq_from - 1))
        reached = max(reached, seq_to)
    return tuple(gaps)
