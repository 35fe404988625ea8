"""Consultation results and the forecast on a real database: a household's stance is
its latest live consultation; voided, superseded, phone and unanswered visits never
decide it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.errors import InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.consultation import attends, stance_of
from gridapp.services.visits import VisitInput


def _answers(stance: str, attend: bool = True) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "owner_present": True,
        "stance": stance,
        "satisfaction": 3,
        "attend_meeting": attend,
    }
    if stance == "oppose":
        answers["reasons"] = ["history"]
    return answers


@pytest.fixture
def fresh(demo_services: Services, clock: FixedClock) -> tuple[str, str]:
    """A household nobody has visited yet, and its building; the clock after the week."""
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    for household_id in demo_services.read.household_ids():
        detail = demo_services.read.household(household_id)
        assert detail is not None
        if not detail.timeline:
            return household_id, demo_services.store.db.execute(
                "SELECT building_id FROM household WHERE id = ?", [household_id]
            ).fetchone()[0]
    raise AssertionError("the demo visited every household")


def _stance(s: Services, household_id: str) -> str:
    compound = s.store.db.execute(
        "SELECT b.compound_id FROM household h JOIN building b ON b.id = h.building_id"
        " WHERE h.id = ?",
        [household_id],
    ).fetchone()[0]
    from gridapp.storage.consultation_queries import household_stances

    row = next(
        r
        for r in household_stances(s.store.db, compound_id=compound)
        if r.household_id == household_id
    )
    return stance_of(row.answer)


def test_the_latest_live_consultation_decides(
    demo_services: Services, clock: FixedClock, fresh: tuple[str, str]
) -> None:
    s, (household, _) = demo_services, fresh
    assert _stance(s, household) == "unknown"
    first = s.visits.record(VisitInput(household, "W0101", "met", answers=_answers("agree")))
    assert _stance(s, household) == "agree"
    clock.advance(hours=2)
    second = s.visits.record(VisitInput(household, "W0101", "met", answers=_answers("oppose")))
    assert _stance(s, household) == "oppose"
    s.visits.void("visit", second.visit_id, "录错了户")
    assert _stance(s, household) == "agree"
    clock.advance(hours=1)
    s.visits.correct(
        first.visit_id,
        VisitInput(household, "W0101", "met", answers=_answers("undecided")),
    )
    assert _stance(s, household) == "undecided"
    # A later visit without the questionnaire, or by phone, is no consultation.
    clock.advance(hours=1)
    s.visits.record(VisitInput(household, "W0101", "not_home"))
    s.visits.record(VisitInput(household, "W0101", "met", mode="phone", answers=_answers("agree")))
    assert _stance(s, household) == "undecided"


def test_results_add_up_by_building_and_by_compound(demo_services: Services) -> None:
    s = demo_services
    buildings = s.consultation.stances_by_building()
    compounds = s.consultation.stances_by_compound()
    assert sum(b.counts.households for b in buildings) == s.read.counts().households
    assert len(buildings) == s.read.counts().buildings
    for compound in compounds:
        mine = [b for b in buildings if b.compound == compound.compound]
        for field in ("households", "agree", "undecided", "oppose", "unknown"):
            assert sum(getattr(b.counts, field) for b in mine) == getattr(compound.counts, field)
    total = sum(c.counts.consulted for c in compounds)
    # Every household consulted at least once has a stance (the demo always asks it).
    consulted_households = s.store.db.execute(
        "SELECT count(DISTINCT v.household_id) FROM live_visit v WHERE v.mode = 'in_person'"
        " AND v.outcome = 'met' AND EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id"
        " AND a.question = 'stance')"
    ).fetchone()[0]
    assert total == consulted_households > 0
    one = s.consultation.stances_by_building(compound_id=compounds[0].id)
    assert {b.compound for b in one} == {compounds[0].compound}


def test_a_forecast_per_compound(demo_services: Services) -> None:
    s = demo_services
    compounds = s.consultation.stances_by_compound()
    forecasts = s.consultation.forecasts()
    assert [f.compound for f in forecasts] == [c.compound for c in compounds]
    for f, c in zip(forecasts, compounds, strict=True):
        assert f.forecast.owners == c.counts.households
        assert f.forecast.tallies["agree"].households == c.counts.agree
        assert f.forecast.tallies["unknown"].households == c.counts.unknown
        assert f.forecast.participating.households == c.counts.agree + c.counts.oppose
    by_name = s.consultation.forecast(compounds[0].compound)
    by_id = s.consultation.forecast(compounds[0].id)
    assert by_name == by_id and by_name.compound_id == compounds[0].id
    strict = s.consultation.forecast(compounds[0].id, require_attendance=True)
    assert strict.forecast.participating.households <= by_id.forecast.participating.households


def test_the_stance_question_is_configurable(demo_services: Services) -> None:
    s = demo_services
    default = s.consultation.stances_by_compound()
    other = s.consultation.stances_by_compound(question="owner_present")
    # yes/no answers are no position: consulted households count as undecided.
    assert sum(c.counts.agree + c.counts.oppose for c in other) == 0
    assert sum(c.counts.households for c in other) == sum(c.counts.households for c in default)
    with pytest.raises(InvalidInput) as caught:
        s.consultation.forecasts(question="stanse")
    assert caught.value.key == "error.forecast.unknown_question"
    with pytest.raises(InvalidInput):
        s.consultation.stances_by_compound(question=" ")


def test_an_unknown_compound_is_refused(demo_services: Services) -> None:
    with pytest.raises(NotFound) as caught:
        demo_services.consultation.forecast("不存在小区")
    assert caught.value.key == "error.forecast.compound_not_found"


def test_answers_are_read_as_codes() -> None:
    assert [stance_of(v) for v in ("agree", "oppose", "undecided", None, "maybe", True)] == [
        "agree",
        "oppose",
        "undecided",
        "unknown",
        "undecided",
        "undecided",
    ]
    assert [attends(v) for v in (True, False, "yes", "no", None)] == [
        True,
        False,
        True,
        False,
        None,
    ]
