"""Receipts and visit sheets say which campaign (issue 18): a receipt names its visit's
campaign, a sheet the campaign chosen (the one in progress by default), with the
building's team in that campaign."""

from __future__ import annotations

import pytest

from gridapp.clock import FixedClock
from gridapp.errors import NotFound
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan
from gridapp.services.visits import VisitInput
from tests.unit.services.test_campaign_create import LIFT_FORM

Two = tuple[Services, str, str]


@pytest.fixture
def two_open(demo_services: Services, clock: FixedClock) -> Two:
    """The demo's fee consultation and a lift consultation over the same compounds."""
    s = demo_services
    fee = s.campaigns.campaign()
    assert fee is not None
    s.act_as("B0001", "office")
    today = clock.now().date().isoformat()
    lift = s.campaigns.plan_campaign(
        CampaignPlan("加装电梯意愿征询", today, "2024-01-31",
                     [c.id for c in s.read.compounds()], questionnaire=LIFT_FORM)
    )  # fmt: skip
    return s, str(fee["id"]), lift.id


def _name(s: Services, campaign_id: str) -> str:
    found = s.campaigns.campaign(campaign_id)
    assert found is not None
    return str(found["name"])


def test_a_receipt_names_its_visits_campaign(two_open: Two, clock: FixedClock) -> None:
    s, fee, lift = two_open
    household = s.read.household_ids()[0]
    clock.advance(minutes=5)
    visits = {
        campaign: s.visits.record(
            VisitInput(household, "W0101", "met", answers=answers, campaign_id=campaign)
        ).visit_id
        for campaign, answers in ((lift, {"willing": "yes", "floor": 3}), (fee, {}))
    }
    for campaign, visit in visits.items():
        [doc] = s.paper.receipt_documents([visit])
        assert doc.campaign == _name(s, campaign)
    assert _name(s, lift) != _name(s, fee)


def test_a_sheet_names_the_campaign_chosen(two_open: Two) -> None:
    s, fee, lift = two_open
    building = s.read.buildings()[0]
    default = s.paper.sheet(building_id=building.id)
    assert default.campaign == _name(s, lift)  # the latest started of those in progress
    for_fee = s.paper.sheet(building_id=building.id, campaign_id=fee)
    for_lift = s.paper.sheet(building_id=building.id, campaign_id=lift)
    assert (for_fee.campaign, for_lift.campaign) == (_name(s, fee), _name(s, lift))
    assert for_fee.team and not for_lift.team  # the lift campaign has no teams yet
    assert for_fee.groups == for_lift.groups
    with pytest.raises(NotFound):
        s.paper.sheet(building_id=building.id, campaign_id="no-such-campaign")
