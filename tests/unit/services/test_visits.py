"""Recording visits: one call, one transaction; bad input refused whole."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.errors import InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage import changelog


def _rows(s: Services, table: str) -> int:
    return int(s.store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def household(demo_services: Services, clock: FixedClock) -> str:
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))  # after the demo's week
    return demo_services.read.household_ids()[5]


def test_a_whole_visit_is_one_transaction_with_one_stamp(
    demo_services: Services, household: str
) -> None:
    items = [p["id"] for p in demo_services.read.campaigns()[0]["policy_items"]]
    before = changelog.last_seq(
        demo_services.store.db, demo_services.store.require_device().device_id
    )
    # Office staff transcribe W0101's paper form (代录): the entries name who typed it.
    demo_services.act_as("B0001", "office")
    result = demo_services.visits.record(
        VisitInput(
            household,
            "w0101",
            "met",
            people_met=2,
            answers={"stance": "oppose", "reasons": ["history"], "satisfaction": 2},
            explained=((items[0], "doubts"),),
            suggestions=(("fee", "分两年调整"),),
            notes="户主在家",
        )
    )
    entries = list(
        changelog.entries(
            demo_services.store.db, demo_services.store.require_device().device_id, before
        )
    )
    assert {e.entity for e in entries} == {"visit", "answer", "explanation", "suggestion"}
    assert len({e.hlc for e in entries}) == 1 and {e.actor for e in entries} == {"B0001"}
    answers = demo_services.store.db.execute(
        "SELECT question, value FROM answer WHERE visit_id = ?", [result.visit_id]
    ).fetchall()
    assert dict((q, json.loads(v)) for q, v in answers)["reasons"] == ["history"]
    assert result.callback_id is None


def test_not_home_schedules_an_evening_callback(demo_services: Services, household: str) -> None:
    result = demo_services.visits.record(VisitInput(household, "W0101", "not_home"))
    assert result.callback_due == "2023-12-20T19:00:00+08:00"
    detail = demo_services.read.household(household)
    assert detail is not None and detail.open_callbacks == [result.callback_due]


@pytest.mark.parametrize(
    ("visit", "error"),
    [
        (VisitInput("?", "W0101", "met", people_met=1), NotFound),
        (VisitInput("HH", "W9999", "met", people_met=1), NotFound),
        (VisitInput("HH", "W0101", "asleep"), InvalidInput),
        (VisitInput("HH", "W0101", "met", mode="pigeon"), InvalidInput),
        (VisitInput("HH", "W0101", "not_home", answers={"stance": "agree"}), InvalidInput),
        (VisitInput("HH", "W0101", "met", answers={"nope": 1}), InvalidInput),
        (VisitInput("HH", "W0101", "met", answers={"stance": "maybe"}), InvalidInput),
        (
            VisitInput("HH", "W0101", "met", people_met=1, explained=(("no-such-item", None),)),
            NotFound,
        ),
        (VisitInput("HH", "W0101", "met", suggestions=(("fee", "  "),)), InvalidInput),
        (VisitInput("HH", "W0101", "met", suggestions=(("gossip", "x"),)), InvalidInput),
        (VisitInput("HH", "W0101", "met", people_met=-1), InvalidInput),
    ],
)
def test_bad_visits_are_refused_and_write_nothing(
    demo_services: Services, household: str, visit: VisitInput, error: type[Exception]
) -> None:
    if visit.household_id == "HH":
        visit = VisitInput(**{**visit.__dict__, "household_id": household})
    before = {t: _rows(demo_services, t) for t in ("visit", "answer", "change_log", "callback")}
    with pytest.raises(error):
        demo_services.visits.record(visit)
    assert {t: _rows(demo_services, t) for t in before} == before


def test_void_needs_a_reason_and_happens_once(demo_services: Services, household: str) -> None:
    visit = demo_services.visits.record(VisitInput(household, "W0101", "refused")).visit_id
    with pytest.raises(InvalidInput):
        demo_services.visits.void("visit", visit, " ")
    demo_services.visits.void("visit", visit, "录错")
    with pytest.raises(InvalidInput):
        demo_services.visits.void("visit", visit, "再次")
    with pytest.raises(InvalidInput):
        demo_services.visits.void("household", household, "不能作废住户")
    with pytest.raises(NotFound):
        demo_services.visits.void("visit", "missing", "x")


def test_a_correction_must_be_for_the_same_household(
    demo_services: Services, household: str
) -> None:
    visit = demo_services.visits.record(VisitInput(household, "W0101", "refused")).visit_id
    other = demo_services.read.household_ids()[6]
    with pytest.raises(InvalidInput):
        demo_services.visits.correct(visit, VisitInput(other, "W0101", "met"))


def test_online_answer_validation(demo_services: Services) -> None:
    with pytest.raises(InvalidInput):
        demo_services.visits.add_online_answer("W0101", "fax", "q", "a")
    with pytest.raises(InvalidInput):
        demo_services.visits.add_online_answer("W0101", "wechat", "", "a")
    with pytest.raises(NotFound):
        demo_services.visits.add_online_answer("W0101", "wechat", "q", "a", household_id="nope")


@pytest.mark.parametrize(
    ("outcome", "people", "key"),
    [
        ("met", 0, "error.met_nobody"),
        ("not_home", 1, "error.nobody_to_meet"),
        ("vacant", 2, "error.nobody_to_meet"),
        ("moved", 1, "error.nobody_to_meet"),
    ],
)
def test_people_met_must_fit_the_outcome(
    demo_services: Services, outcome: str, people: int, key: str
) -> None:
    household = demo_services.read.household_ids()[3]
    before = demo_services.read.counts()
    with pytest.raises(InvalidInput) as refused:
        demo_services.visits.record(VisitInput(household, "W0101", outcome, people_met=people))
    assert refused.value.key == key
    assert demo_services.read.counts() == before  # nothing written
