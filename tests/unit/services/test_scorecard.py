"""The property-firm scorecard, worked out by hand on a small office
(tests/unit/services/scorecard_world.py)."""

from __future__ import annotations

import math

import pytest

from gridapp.errors import AccessDenied, InvalidInput
from gridapp.services import Services
from gridapp.services.scorecard import MIN_ANSWERS, Line, Scorecard, score
from tests.unit.services.scorecard_world import World, build_world


@pytest.fixture
def world(services: Services) -> World:
    return build_world(services)


def _line(lines: tuple[Line, ...], name: str) -> Line:
    return next(x for x in lines if x.name == name)


def test_firm_figures_by_hand(world: World) -> None:
    card = world.s.scorecard.scorecard(world.q4, min_answers=3)
    assert [d.name for d in card.dimensions] == ["clean", "safety"]
    assert card.households_answered == 7  # JA-601 was not home; the voided visit is gone
    jia = _line(card.firms, "甲物业")
    assert jia.compounds == ("甲小区", "乙小区") and jia.answered == 4
    clean, safety = jia.figures["clean"], jia.figures["safety"]
    assert (clean.n, clean.mean, clean.low, clean.high) == (4, 3.5, 2, 5)  # 5 4 3 2
    assert clean.sd == pytest.approx(math.sqrt(5 / 3))  # sample sd of 5 4 3 2
    assert (safety.n, safety.mean) == (4, 4.0)  # 4 4 5 3
    assert safety.sd == pytest.approx(math.sqrt(2 / 3))
    assert jia.overall == pytest.approx(3.75)
    yi = _line(card.firms, "乙物业")
    assert yi.figures["clean"].mean == 1.5  # 1 2: the voided visit's 5 never counts
    assert yi.overall == pytest.approx(1.75)


def test_ranked_by_overall_mean_and_too_few_listed_not_ranked(world: World) -> None:
    card = world.s.scorecard.scorecard(world.q4, min_answers=3)
    assert [(x.name, x.rank, x.ranked) for x in card.firms] == [
        ("甲物业", 1, True),
        ("乙物业", None, False),  # 2 households answered, fewer than 3
    ]
    compounds = [(x.name, x.rank, x.answered) for x in card.compounds]
    assert compounds == [("甲小区", 1, 3), ("丙小区", None, 2), ("乙小区", None, 1)]
    with_two = world.s.scorecard.scorecard(world.q4, min_answers=2)
    assert [(x.name, x.rank) for x in with_two.firms] == [("甲物业", 1), ("乙物业", 2)]


def test_default_threshold_ranks_nobody_on_seven_households(world: World) -> None:
    card = world.s.scorecard.scorecard("2023年第四季度物业满意度测评")
    assert card.min_answers == MIN_ANSWERS == 30
    assert all(not x.ranked and x.rank is None for x in (*card.firms, *card.compounds))


def test_self_managed_compounds_are_shown_apart(world: World) -> None:
    card = world.s.scorecard.scorecard(world.q4, min_answers=1)
    assert [x.name for x in card.self_managed] == ["丁小区"]
    assert card.self_managed[0].overall == 5.0 and not card.self_managed[0].ranked
    assert "丁小区" not in {x.name for x in card.compounds}
    assert all("丁小区" not in x.compounds for x in card.firms)


def test_quarter_over_quarter_is_the_previous_campaign_of_the_same_form(world: World) -> None:
    card = world.s.scorecard.scorecard(world.q4, min_answers=3)
    assert card.previous_campaign == "2023年第三季度物业满意度测评"
    jia = _line(card.firms, "甲物业")
    assert jia.previous == 3.0 and jia.change == pytest.approx(0.75)
    assert jia.previous_figures == {"clean": 3.0, "safety": 3.0}
    assert _line(card.compounds, "乙小区").previous is None  # nobody answered in Q3
    first: Scorecard = world.s.scorecard.scorecard(world.q3, min_answers=1)
    assert first.previous_campaign is None and first.households_answered == 2


def test_a_stored_score_out_of_range_is_flagged_not_averaged(world: World) -> None:
    # A value the engine would refuse today (an old import, a hand-edited database).
    with world.s.store.unit_of_work("OFFICE01") as db:
        db.execute(
            """UPDATE answer SET value = '7' WHERE question = 'clean' AND visit_id IN (
                 SELECT id FROM visit WHERE household_id = ? AND campaign_id = ?)""",
            [world.households["YI-101"], world.q4],
        )
    card = world.s.scorecard.scorecard(world.q4, min_answers=3)
    assert [(f.household, f.question, f.value) for f in card.flagged] == [("YI-101", "clean", "7")]
    clean = _line(card.firms, "甲物业").figures["clean"]
    assert (clean.n, clean.mean, clean.high) == (3, 4.0, 5)  # 5 4 3: the 7 is not averaged
    assert _line(card.firms, "甲物业").answered == 4  # YI-101's safety still counts


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("1", 1),
        ("5", 5),
        ("5.0", 5),
        ("0", None),
        ("6", None),
        ("-1", None),
        ("4.5", None),
        ("true", None),
        ('"4"', None),
        ("[4]", None),
        ("x", None),
    ],
)
def test_score_accepts_whole_numbers_in_range_only(stored: str, expected: int | None) -> None:
    assert score(stored) == expected


def test_refusals(world: World) -> None:
    scorecard = world.s.scorecard
    with pytest.raises(InvalidInput, match="campaign_not_found"):
        scorecard.scorecard("没有这个活动")
    for bad in (0, -3, 100_001):
        with pytest.raises(InvalidInput, match="min_answers"):
            scorecard.scorecard(world.q4, min_answers=bad)


def test_a_campaign_without_rating_questions_has_no_scorecard(demo_services: Services) -> None:
    s = demo_services
    fee = s.read.campaigns()[0]
    card = s.scorecard.scorecard(fee["id"], min_answers=1)
    assert [d.name for d in card.dimensions] == ["satisfaction"]  # its one rating question
    assert s.scorecard.campaigns() == [(fee["id"], fee["name"], "active")]


def test_field_workers_may_not_read_the_scorecard(world: World) -> None:
    world.s.act_as("W0101", "field")
    with pytest.raises(AccessDenied):
        world.s.scorecard.scorecard(world.q4)


def test_a_questionnaire_without_ratings_is_refused_with_its_name(world: World) -> None:
    from gridapp.services.campaign_create import CampaignPlan

    form = {
        "format": "gridapp-questionnaire",
        "id": "lift",
        "version": 1,
        "title": {"zh_CN": "加装电梯意愿征询", "en": "Lift"},
        "items": [{"name": "floor", "type": "integer", "label": {"zh_CN": "楼层", "en": "Floor"}}],
    }
    compounds = [c.id for c in world.s.read.compounds()]
    world.s.campaigns.plan_campaign(
        CampaignPlan("加装电梯意愿征询", "2023-11-01", "2023-12-31", compounds, questionnaire=form)
    )
    with pytest.raises(InvalidInput, match="no_dimensions") as refused:
        world.s.scorecard.scorecard("加装电梯意愿征询")
    assert refused.value.params["name"] == "加装电梯意愿征询"
    assert [name for _, name, _ in world.s.scorecard.campaigns()] == [
        "2023年第四季度物业满意度测评",
        "2023年第三季度物业满意度测评",
    ]


def test_a_new_score_out_of_range_is_refused_and_nothing_written(world: World) -> None:
    from gridapp.services.visits import VisitInput

    before = world.s.read.counts(world.q4)
    with pytest.raises(InvalidInput) as refused:
        world.s.visits.record(
            VisitInput(
                world.households["JA-601"],
                "W0101",
                "met",
                answers={"clean": 6, "safety": 4},
                campaign_id=world.q4,
            )
        )
    assert refused.value.params["question"] == "clean"
    assert refused.value.params["key"] == "error.answer.out_of_range"
    assert world.s.read.counts(world.q4) == before
    assert world.s.scorecard.scorecard(world.q4).households_answered == 7
