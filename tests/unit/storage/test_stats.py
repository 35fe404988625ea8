"""The counts of CLI.md, each rule on a hand-built case."""

from __future__ import annotations

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput

ANSWERS = {"stance": "agree", "satisfaction": 4}


@pytest.fixture
def tiny(services: Services) -> Services:
    build_demo(services, DemoOptions(households=20, seed=1, progress=0.0))
    return services


def _household(s: Services, index: int) -> str:
    return s.read.household_ids()[index]


def test_an_empty_campaign_counts_its_places_and_people(tiny: Services) -> None:
    c = tiny.read.counts()
    assert (c.compounds, c.households, c.teams, c.workers) == (4, 20, 16, 50)
    assert c.visits == c.households_visited == c.consultations == 0


def test_consultation_needs_in_person_met_and_answers(tiny: Services) -> None:
    h = [_household(tiny, i) for i in range(4)]
    tiny.visits.record(VisitInput(h[0], "W0101", "met", answers=ANSWERS))
    tiny.visits.record(VisitInput(h[1], "W0101", "met"))  # no questionnaire answered
    tiny.visits.record(VisitInput(h[2], "W0101", "met", mode="phone", answers=ANSWERS))
    tiny.visits.record(VisitInput(h[3], "W0101", "refused"))
    c = tiny.read.counts()
    assert c.visits == 4
    assert c.households_visited == 3  # the phone visit is not a household visited
    assert c.consultations == 1


def test_policy_explanations_count_visits_not_items(tiny: Services) -> None:
    items = [p["id"] for p in tiny.read.campaigns()[0]["policy_items"]]
    h = _household(tiny, 0)
    tiny.visits.record(
        VisitInput(h, "W0101", "met", explained=((items[0], "understood"), (items[1], "doubts")))
    )
    tiny.visits.record(VisitInput(_household(tiny, 1), "W0101", "met"))
    assert tiny.read.counts().policy_explanations == 1


def test_void_and_supersede_never_count_and_a_correction_counts_once(
    tiny: Services, clock: FixedClock
) -> None:
    h = _household(tiny, 0)
    first = tiny.visits.record(
        VisitInput(h, "W0101", "met", answers=ANSWERS, suggestions=(("fee", "分期调价"),))
    )
    clock.advance(minutes=5)
    tiny.visits.correct(first.visit_id, VisitInput(h, "W0101", "met", answers=ANSWERS))
    c = tiny.read.counts()
    assert (c.visits, c.households_visited, c.consultations) == (1, 1, 1)
    assert c.suggestions == 0  # it hung off the superseded visit
    other = tiny.visits.record(VisitInput(_household(tiny, 1), "W0102", "met", answers=ANSWERS))
    tiny.visits.void("visit", other.visit_id, "录错")
    c = tiny.read.counts()
    assert (c.visits, c.households_visited, c.consultations) == (1, 1, 1)


def test_a_voided_correction_brings_the_original_back(tiny: Services, clock: FixedClock) -> None:
    h = _household(tiny, 0)
    first = tiny.visits.record(VisitInput(h, "W0101", "met", answers=ANSWERS))
    fix = tiny.visits.correct(first.visit_id, VisitInput(h, "W0101", "refused"))
    assert tiny.read.counts().consultations == 0
    tiny.visits.void("visit", fix.visit_id, "更正有误")
    assert tiny.read.counts().consultations == 1


def test_online_answers_and_suggestions(tiny: Services) -> None:
    tiny.visits.add_online_answer("W0101", "wechat", "何时开会？", "月底。")
    voided = tiny.visits.add_online_answer("W0101", "phone", "重复", "重复")
    tiny.visits.void("online_answer", voided, "重复录入")
    tiny.visits.record(
        VisitInput(
            _household(tiny, 0),
            "W0101",
            "met",
            suggestions=(("safety", "楼道堆物"), ("facility", "路灯坏了")),
        )
    )
    c = tiny.read.counts()
    assert c.online_answers == 1
    assert c.suggestions == 2
    assert c.visits == 1  # online answers are counted apart from visits


def test_a_callback_is_open_until_a_later_visit(tiny: Services, clock: FixedClock) -> None:
    h = _household(tiny, 0)
    result = tiny.visits.record(VisitInput(h, "W0101", "not_home"))
    assert result.callback_due is not None
    tiny.visits.record(VisitInput(_household(tiny, 1), "W0101", "appointment"))
    assert tiny.read.counts().callbacks_open == 2
    clock.advance(hours=26)
    tiny.visits.record(VisitInput(h, "W0101", "met"))
    assert tiny.read.counts().callbacks_open == 1


def test_demo_counts_are_consistent(demo_services: Services) -> None:
    c = demo_services.read.counts()
    assert c.households == 240
    assert 0 < c.consultations <= c.households_visited <= c.households
    assert c.visits >= c.households_visited
    assert c.policy_explanations <= c.visits
