"""Two open campaigns over the same households (issue 18): each visit belongs to the one
named, each campaign's counts are what was recorded for it, and the totals are the sum."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

import pytest

from gridapp.clock import FixedClock
from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan
from gridapp.services.campaign_setup import Scope
from gridapp.services.visits import VisitInput
from gridapp.storage import figures
from tests.unit.services.test_campaign_create import LIFT_FORM


@pytest.fixture
def two_open(demo_services: Services, clock: FixedClock) -> tuple[Services, str, str]:
    s = demo_services
    fee = figures.active_campaign(s.store.db)
    assert fee is not None
    s.act_as("B0001", "office")
    today = clock.now().date()
    lift = s.campaigns.plan_campaign(
        CampaignPlan(
            name="加装电梯意愿征询",
            starts_on=today.isoformat(),
            ends_on=(today + timedelta(days=30)).isoformat(),
            compound_ids=[c.id for c in s.read.compounds()],
            questionnaire=LIFT_FORM,
        )
    )
    # Team 1 walks every building for the lift consultation too: both campaigns
    # have a team there, so a visit must say which it is for.
    s.campaigns.assign(lift.id, 1, Scope(compounds=[c.id for c in s.read.compounds()]))
    return s, str(fee["id"]), lift.id


def test_each_campaign_counts_its_own_visits(
    two_open: tuple[Services, str, str], clock: FixedClock
) -> None:
    s, fee, lift = two_open
    before_fee, before_all = s.read.counts(fee), s.read.counts()
    assert asdict(s.read.counts(lift))["visits"] == 0
    households = s.read.household_ids()[:12]
    clock.advance(minutes=5)
    for n, household in enumerate(households):
        if n < 5:  # the lift consultation, asked with its own questionnaire
            s.visits.record(
                VisitInput(
                    household,
                    "W0101",
                    "met",
                    answers={"willing": "yes", "floor": 3},
                    campaign_id=lift,
                    suggestions=(("facility", "希望尽快加装电梯"),),
                )
            )
        else:  # the same households' fee consultation
            s.visits.record(
                VisitInput(household, "W0101", "not_home", campaign_id=fee),
            )
    a, b, every = (asdict(s.read.counts(c)) for c in (fee, lift, None))
    assert b["visits"] == 5 and b["consultations"] == 5 and b["suggestions"] == 5
    assert a["visits"] == before_fee.visits + 7
    assert every["visits"] == before_all.visits + 12 == a["visits"] + b["visits"]
    for key in ("visits", "consultations", "suggestions", "online_answers"):
        assert every[key] == a[key] + b[key], key
    # the answers were checked against the lift questionnaire, not the fee one
    with pytest.raises(InvalidInput):
        s.visits.record(
            VisitInput(households[0], "W0101", "met", answers={"stance": "agree"}, campaign_id=lift)
        )


def test_a_visit_must_say_which_campaign_when_several_cover_the_household(
    two_open: tuple[Services, str, str],
) -> None:
    s, _fee, _lift = two_open
    household = s.read.household_ids()[0]
    before = s.read.counts().visits
    with pytest.raises(InvalidInput) as refused:
        s.visits.record(VisitInput(household, "W0101", "not_home"))
    assert refused.value.key == "error.visit.which_campaign"
    assert "加装电梯意愿征询" in refused.value.params["campaigns"]
    assert s.read.counts().visits == before


def test_closing_one_campaign_leaves_the_other_running(
    two_open: tuple[Services, str, str],
) -> None:
    s, fee, lift = two_open
    household = s.read.household_ids()[0]
    s.privacy.close_campaign(lift)
    before = s.read.counts().visits
    with pytest.raises(InvalidInput) as refused:
        s.visits.record(VisitInput(household, "W0101", "not_home", campaign_id=lift))
    assert refused.value.key == "error.visit.campaign_not_open"
    assert s.read.counts().visits == before
    # one open campaign covers it again: that one, without asking
    result = s.visits.record(VisitInput(household, "W0101", "not_home"))
    assert (
        s.store.db.execute(
            "SELECT campaign_id FROM visit WHERE id = ?", [result.visit_id]
        ).fetchone()[0]
        == fee
    )


def test_a_campaign_without_a_team_in_the_building_is_not_offered(
    demo_services: Services, clock: FixedClock
) -> None:
    """A covering campaign that has not given this building a team is not a visit's
    campaign while another one has: the visit files under the staffed one unasked."""
    s = demo_services
    fee = figures.active_campaign(s.store.db)
    assert fee is not None
    s.act_as("B0001", "office")
    today = clock.now().date()
    s.campaigns.plan_campaign(
        CampaignPlan(
            name="四百走访",
            starts_on=today.isoformat(),
            ends_on=(today + timedelta(days=30)).isoformat(),
            compound_ids=[c.id for c in s.read.compounds()],
        )
    )
    household = s.read.household_ids()[0]
    assert [c["name"] for c in s.read.open_campaigns(household)] == [fee["name"]]
    result = s.visits.record(VisitInput(household, "W0101", "not_home"))
    filed = s.store.db.execute(
        "SELECT campaign_id FROM visit WHERE id = ?", [result.visit_id]
    ).fetchone()[0]
    assert filed == fee["id"]
