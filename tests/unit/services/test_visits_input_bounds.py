"""The services refuse what no front end should pass on (issue 13, part 7): the desktop
gets the same refusals as the command line, and nothing is written."""

from __future__ import annotations

from datetime import datetime

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.errors import GridappError, InvalidInput
from gridapp.services import Services
from gridapp.services.visits import VisitInput


def _counts(s: Services) -> tuple[int, ...]:
    db = s.store.db
    return tuple(
        int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
        for t in ("visit", "suggestion", "void", "online_answer", "team", "worker", "change_log")
    )


@pytest.fixture
def household(demo_services: Services, clock: FixedClock) -> str:
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    return demo_services.read.household_ids()[5]


@pytest.mark.parametrize("year", [1900, 2019, 2099])
def test_a_visit_dated_far_off_is_refused(
    demo_services: Services, household: str, year: int
) -> None:
    before = _counts(demo_services)
    at = datetime(year, 6, 1, 10, tzinfo=CHINA_TZ)
    visit = VisitInput(household, "W0101", "not_home", started_at=at, ended_at=at)
    with pytest.raises(InvalidInput) as refused:
        demo_services.visits.record(visit)
    assert refused.value.key == "error.limit.event_time"
    with pytest.raises(InvalidInput):
        demo_services.visits.add_online_answer("W0101", "wechat", "问", "答", None, at)
    assert _counts(demo_services) == before


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"suggestions": (("other", "\u200b \u3000"),)}, "error.suggestion_empty"),
        ({"suggestions": (("other", "长" * 4001),)}, "error.limit.suggestion_text"),
        ({"notes": "记" * 4001}, "error.limit.visit_notes"),
        ({"people_met": 51}, "error.bad_people_met"),
        ({"people_met": 10**30}, "error.bad_people_met"),
    ],
)
def test_a_visit_out_of_bounds_is_refused(
    demo_services: Services, household: str, change: dict[str, object], key: str
) -> None:
    before = _counts(demo_services)
    with pytest.raises(InvalidInput) as refused:
        demo_services.visits.record(VisitInput(household, "W0101", "not_home", **change))  # type: ignore[arg-type]
    assert refused.value.key == key
    assert _counts(demo_services) == before


def test_a_void_names_the_signed_in_worker(demo_services: Services, household: str) -> None:
    visit = demo_services.visits.record(VisitInput(household, "W0101", "not_home")).visit_id
    before = _counts(demo_services)
    demo_services.act_as("B0001", "office")  # no option names who voids: the session does
    with pytest.raises(InvalidInput, match=r"error.limit.void_reason"):
        demo_services.visits.void("visit", visit, "错" * 2001)
    assert _counts(demo_services) == before
    demo_services.visits.void("visit", visit, "录错")
    worker = demo_services.store.db.execute(
        "SELECT w.code FROM void v JOIN worker w ON w.id = v.worker_id WHERE v.record_id = ?",
        [visit],
    ).fetchone()
    assert worker == ("B0001",)


def test_set_up_within_the_wires_bounds(demo_services: Services) -> None:
    before = _counts(demo_services)
    campaigns = demo_services.campaigns
    refusals: list[tuple[object, ...]] = [
        (campaigns.add_team, 10**30, "组"),
        (campaigns.add_team, 99, "组" * 81),
        (campaigns.rename_team, 1, "组" * 81),
        (campaigns.add_worker, "W9999", "名" * 40_960, 1),
    ]
    for call, *args in refusals:
        with pytest.raises(InvalidInput):
            call(*args)  # type: ignore[operator]
    assert _counts(demo_services) == before


def test_forcing_an_unknown_laptops_bundles_is_refused(demo_services: Services) -> None:
    with pytest.raises(GridappError, match=r"error.sync.unknown_device"):
        demo_services.sync.force_held("nope")


def test_the_audit_filter_wants_a_real_day(demo_services: Services) -> None:
    with pytest.raises(InvalidInput, match=r"error.audit.bad_date"):
        demo_services.audit.entries(since="2099-13-45")
    assert demo_services.audit.entries(since="2023-12-05") is not None
