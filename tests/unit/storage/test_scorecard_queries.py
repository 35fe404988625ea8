"""The scorecard's reads: each household's latest live answer per question in one
campaign; the campaign's compounds with their firms; the previous campaign of a form."""

from __future__ import annotations

import pytest

from gridapp.services import Services
from gridapp.storage import scorecard_queries as sq
from tests.unit.services.scorecard_world import Q3_SCORES, Q4_SCORES, World, build_world


@pytest.fixture
def world(services: Services) -> World:
    return build_world(services)


def test_latest_live_answer_per_household_and_question(world: World) -> None:
    rows = sq.scores(world.s.store.db, world.q4, ["clean", "safety"])
    got = {(r.household_code, r.question): r.value for r in rows}
    expected = {
        (code, q): str(v)
        for code, pair in Q4_SCORES.items()
        for q, v in zip(("clean", "safety"), pair, strict=True)
    }
    assert got == expected  # JA-101's corrected 5, not its superseded 1; BI-101's voided 5 gone
    firms = {r.household_code: r.firm for r in rows}
    assert firms["JA-101"] == firms["YI-101"] == "甲物业" and firms["DI-101"] == ""


def test_one_campaign_only_and_only_the_questions_asked(world: World) -> None:
    db = world.s.store.db
    q3 = {(r.household_code, r.question) for r in sq.scores(db, world.q3, ["clean"])}
    assert q3 == {(code, "clean") for code in Q3_SCORES}
    assert sq.scores(db, world.q4, []) == []


def test_compounds_with_firms_and_households(world: World) -> None:
    rows = sq.campaign_compounds(world.s.store.db, world.q4)
    assert [(r["name"], r["firm"], r["households"]) for r in rows] == [
        ("甲小区", "甲物业", 4),
        ("乙小区", "甲物业", 2),
        ("丙小区", "乙物业", 3),
        ("丁小区", "", 2),
    ]


def test_previous_campaign_asked_the_same_form(world: World) -> None:
    db = world.s.store.db
    before = sq.previous_campaign(db, world.q4)
    assert before is not None and before["id"] == world.q3
    assert sq.previous_campaign(db, world.q3) is None
    assert [r["id"] for r in sq.rated_campaigns(db)] == [world.q4, world.q3]
