"""The dashboard's figures: each on a hand-built week, and all of them against
`stats.counts` and the existing per-building progress on the demo."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from gridapp.clock import CHINA_TZ, FixedClock, iso
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.dashboard import MAX_DAYS, Dashboard, missing_ranges
from gridapp.services.visits import VisitInput
from gridapp.storage import sync_store

ANSWERS = {"stance": "agree", "satisfaction": 4}
MON = datetime(2023, 12, 4, 10, 0, tzinfo=CHINA_TZ)  # the demo campaign's first day


@pytest.fixture
def tiny(services: Services) -> Services:
    """The demo's places, teams and campaign (4 to 10 December), nobody visited yet."""
    build_demo(services, DemoOptions(households=40, seed=1, progress=0.0, start=date(2023, 12, 4)))
    return services


def _visit(s: Services, index: int, outcome: str, at: datetime, **kw: object) -> str:
    household = s.read.household_ids()[index]
    visit = VisitInput(household, "W0101", outcome, started_at=at, ended_at=at, **kw)  # type: ignore[arg-type]
    return s.visits.record(visit).visit_id


def _snap(s: Services, at: datetime) -> Dashboard:
    return s.dashboard.snapshot(today=at)


def test_an_empty_campaign_has_every_place_and_day_at_zero(tiny: Services) -> None:
    d = _snap(tiny, MON)
    assert d.counts == tiny.read.counts()
    assert d.campaign_name and (d.starts_on, d.ends_on) == ("2023-12-04", "2023-12-10")
    assert [day.day for day in d.days] == [f"2023-12-{n:02d}" for n in range(4, 11)]
    assert all(day.visits == 0 for day in d.days)
    assert [day.cumulative for day in d.days] == [0] + [None] * 6  # the future has no curve
    assert sum(b.households for b in d.buildings) == sum(c.households for c in d.compounds) == 40
    assert len(d.teams) == 16 and sum(t.households for t in d.teams) == 40
    assert d.coverage == 0.0
    assert dict(d.outcomes) == dict.fromkeys(
        ("met", "not_home", "refused", "vacant", "moved", "appointment"), 0
    )
    assert (d.callbacks_open, d.callbacks_overdue, d.conflicts_open, d.laptops) == (0, 0, 0, ())


def test_a_hand_built_week(tiny: Services, clock: FixedClock) -> None:
    clock.set(MON)
    _visit(tiny, 0, "met", MON, answers=ANSWERS)
    _visit(tiny, 1, "not_home", MON + timedelta(hours=1))  # a callback, due that evening
    _visit(tiny, 2, "met", MON + timedelta(days=1), mode="phone")  # not a household visited
    _visit(tiny, 0, "refused", MON + timedelta(days=1))  # visited again: counts once
    wed = MON + timedelta(days=2)
    _visit(tiny, 3, "vacant", wed)
    wrong = _visit(tiny, 4, "met", wed)
    tiny.visits.void("visit", wrong, "录错了住户")
    first = _visit(tiny, 5, "moved", wed)
    tiny.visits.correct(
        first, VisitInput(tiny.read.household_ids()[5], "W0101", "met", started_at=wed)
    )
    d = _snap(tiny, wed + timedelta(hours=12))
    c = tiny.read.counts()
    assert d.counts == c
    assert (c.visits, c.households_visited, c.consultations) == (6, 4, 1)
    assert [(x.visits, x.newly_visited, x.cumulative) for x in d.days[:4]] == [
        (2, 2, 2),
        (2, 0, 2),
        (2, 2, 4),  # the voided and the superseded visits are gone
        (0, 0, None),
    ]
    assert dict(d.outcomes) == {
        "met": 3,
        "not_home": 1,
        "refused": 1,
        "vacant": 1,
        "moved": 0,
        "appointment": 0,
    }
    assert d.coverage == 4 / 40
    assert sum(b.visited for b in d.buildings) == sum(t.visited for t in d.teams) == 4
    assert d.callbacks_open == c.callbacks_open == 1
    assert d.callbacks_overdue == 1 and d.callbacks[0].overdue
    assert d.callbacks[0].household_id == tiny.read.household_ids()[1]
    assert not _snap(tiny, MON + timedelta(hours=2)).callbacks[0].overdue  # due at 19:00


def test_a_callback_closes_when_someone_comes_back(tiny: Services, clock: FixedClock) -> None:
    clock.set(MON)
    _visit(tiny, 1, "not_home", MON)
    _visit(tiny, 1, "met", MON + timedelta(days=1))
    d = _snap(tiny, MON + timedelta(days=3))
    assert (d.callbacks_open, d.callbacks_overdue, d.callbacks) == (0, 0, ())


def test_every_figure_agrees_with_the_counts_on_the_demo(demo_services: Services) -> None:
    s = demo_services
    d = _snap(s, datetime(2023, 12, 20, 12, 0, tzinfo=CHINA_TZ))
    c = s.read.counts()
    assert d.counts == c
    assert sum(b.households for b in d.buildings) == c.households
    assert sum(b.visited for b in d.buildings) == c.households_visited
    assert sum(x.visited for x in d.compounds) == sum(t.visited for t in d.teams)
    assert sum(t.visited for t in d.teams) == c.households_visited
    assert {b.id: b.visited for b in d.buildings if b.visited} == s.read.visited_by_building()
    assert sum(n for _o, n in d.outcomes) == sum(x.visits for x in d.days) == c.visits
    assert d.days[-1].cumulative == c.households_visited
    cumulative = [x.cumulative or 0 for x in d.days]
    assert cumulative == sorted(cumulative)
    assert d.callbacks_open == c.callbacks_open == d.callbacks_overdue == len(d.callbacks)


def test_laptops_show_the_bundles_missing(tiny: Services) -> None:
    db = tiny.store.db
    with tiny.store.unit_of_work("test"):
        db.table("device").insert(
            {
                "id": "lap-1",
                "name": "一组笔记本",
                "role": "field",
                "team_id": db.execute("SELECT id FROM team WHERE number = 1").fetchone()[0],
                "sign_public_key": "",
                "box_public_key": "",
                "created_at": iso(MON),
            }
        )
    with tiny.store.replaying():
        sync_store.save_peer(
            db,
            {
                "device_id": "lap-1",
                "applied_seq": 40,
                "highest_seq": 90,
                "last_bundle_id": "b1",
                "last_bundle_at": iso(MON),
                "clock_skew_ms": 0,
            },
        )
        sync_store.hold(db, "b3", "lap-1", 61, 90, "/held/b3.gsb", iso(MON))
    [laptop] = _snap(tiny, MON).laptops
    assert (laptop.name, laptop.team, laptop.status, laptop.applied_seq) == (
        "一组笔记本",
        1,
        "active",
        40,
    )
    assert laptop.missing == ((41, 60),) and laptop.held == 1
    assert laptop.last_bundle_at == iso(MON)


def test_missing_ranges_between_held_bundles() -> None:
    assert missing_ranges(10, []) == ()
    assert missing_ranges(10, [(11, 20)]) == ()  # about to be applied
    assert missing_ranges(10, [(31, 40), (15, 20)]) == ((11, 14), (21, 30))
    assert missing_ranges(10, [(12, 30), (20, 25), (31, 31)]) == ((11, 11),)


def test_a_visit_years_later_keeps_every_campaign_day_on_the_axis(
    tiny: Services, clock: FixedClock
) -> None:
    """Recorded long after the week (a laptop's clock, a late transcription), a visit
    counts, but the axis still starts on the campaign's first day."""
    later = datetime(2026, 12, 6, 10, tzinfo=CHINA_TZ)
    clock.set(later)
    _visit(tiny, 0, "met", later, people_met=1)
    d = _snap(tiny, later)
    assert d.days[0].day == "2023-12-04" and [x.day for x in d.days[:7]] == [
        f"2023-12-{n:02d}" for n in range(4, 11)
    ]
    assert len(d.days) <= MAX_DAYS and d.counts.households_visited == 1


def test_review_state_per_team_adds_up_to_the_visits(demo_services: Services) -> None:
    s = demo_services
    at = datetime(2023, 12, 20, 12, 0, tzinfo=CHINA_TZ)
    d = _snap(s, at)
    assert sum(r.visits for r in d.reviews) == d.counts.visits
    assert sum(r.new for r in d.reviews) == d.counts.visits  # nothing reviewed yet
    queue = s.review.queue()
    s.review.approve([queue[0].id, queue[1].id])
    s.review.return_visit(queue[2].id, "请补充")
    after = _snap(s, at)
    assert after.counts == d.counts  # reviews never change a count
    assert sum(r.visits for r in after.reviews) == d.counts.visits
    assert (sum(r.approved for r in after.reviews), sum(r.returned for r in after.reviews)) == (
        2,
        1,
    )
    team = next(r for r in after.reviews if r.team == queue[2].team)
    assert team.returned == 1
