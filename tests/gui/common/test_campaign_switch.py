"""The campaign switcher (issue 18): open campaigns first, closed ones after; one choice
for the session, shared by the dashboard, the set-up screen and the report dialog; the
dashboard's counts are those of the campaign chosen."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan
from gridapp.services.visits import VisitInput
from gridapp.ui.common.campaign_switch import CampaignChoice, in_order
from gridapp.ui.common.jobs import Jobs
from gridapp.ui.office.dashboard import DashboardView
from gridapp.ui.paper.report_dialog import ReportDialog
from gridapp.ui.setup.campaign_setup import CampaignSetupView
from tests.unit.services.test_campaign_create import LIFT_FORM

pytestmark = pytest.mark.gui


def _campaign(name: str, status: str, starts: str) -> dict[str, Any]:
    return {"id": name, "name": name, "status": status, "starts_on": starts, "ends_on": starts}


def test_open_campaigns_come_first_latest_started_first() -> None:
    rows = [
        _campaign("a", "closed", "2024-05-01"),
        _campaign("b", "active", "2024-01-01"),
        _campaign("c", "draft", "2024-09-01"),
        _campaign("d", "active", "2024-03-01"),
        _campaign("e", "closed", "2023-01-01"),
    ]
    assert [c["id"] for c in in_order(rows)] == ["d", "b", "c", "a", "e"]


@pytest.fixture
def two_open(demo_services: Services, clock: FixedClock) -> tuple[Services, str, str]:
    """The demo's fee consultation and a lift consultation over the same households,
    5 visits recorded for the lift one."""
    s = demo_services
    fee = s.campaigns.campaign()
    assert fee is not None
    s.act_as("B0001", "office")
    today = clock.now().date().isoformat()
    lift = s.campaigns.plan_campaign(
        CampaignPlan("加装电梯意愿征询", today, "2024-01-31",
                     [c.id for c in s.read.compounds()[:2]], questionnaire=LIFT_FORM)
    )  # fmt: skip
    clock.advance(minutes=5)
    for household in s.read.household_ids()[:5]:
        s.visits.record(
            VisitInput(household, "W0101", "met", answers={"willing": "yes"}, campaign_id=lift.id)
        )
    return s, str(fee["id"]), lift.id


def test_the_dashboard_counts_the_campaign_chosen(
    qtbot: QtBot, two_open: tuple[Services, str, str]
) -> None:
    s, fee, lift = two_open
    choice = CampaignChoice()
    catalog = Catalog("zh_CN")
    view = DashboardView(s.read, catalog, choice=choice)
    setup = CampaignSetupView(s, catalog, choice=choice)
    for widget in (view, setup):
        qtbot.addWidget(widget)
        widget.resize(1366, 740)
        widget.show()
    assert view.switcher is not None
    box = view.switcher.box
    labels = [box.itemText(i) for i in range(box.count())]
    assert labels[0].startswith("加装电梯意愿征询（进行中") and len(labels) == 2
    assert view.snapshot is not None and view.snapshot.campaign_id == lift
    assert view.snapshot.counts.visits == 5 == s.read.counts(lift).visits
    two = s.read.compounds()[:2]  # coverage of the campaign's own compounds
    assert view.snapshot.counts.households == sum(c.households for c in two)
    assert view.snapshot.counts.compounds == 2
    assert {c.label for c in view.snapshot.compounds} == {c.name for c in two}
    assert "加装电梯意愿征询" in view.title.text()
    assert setup.campaign_tab.name.text() == "加装电梯意愿征询"
    box.setCurrentIndex(box.findData(fee))  # as the user picks it
    assert choice.campaign_id == fee
    qtbot.waitUntil(lambda: view.snapshot is not None and view.snapshot.campaign_id == fee)
    assert view.snapshot.counts.visits == s.read.counts(fee).visits != 5
    assert view.snapshot.counts.households == s.read.counts().households  # all four
    assert view.tiles["households_visited"].value.text() != ""
    fee_name = s.campaigns.campaign(fee)
    assert fee_name is not None and fee_name["name"] in view.title.text()
    # the set-up screen of the same session follows, and its own switcher shows it
    assert setup.campaign_tab.name.text() == fee_name["name"]
    assert setup.switcher.current() == fee
    totals = s.read.counts()
    assert totals.visits == s.read.counts(fee).visits + s.read.counts(lift).visits


def test_the_report_dialog_shows_and_uses_the_choice(
    qtbot: QtBot, two_open: tuple[Services, str, str]
) -> None:
    s, fee, lift = two_open
    choice = CampaignChoice()
    choice.choose(fee)
    jobs = Jobs(s)
    dialog = ReportDialog(
        jobs, s.read.now().date(), Catalog("zh_CN"), campaigns=(s.read.campaigns, choice)
    )
    jobs.setParent(dialog)
    qtbot.addWidget(dialog)
    assert dialog.switcher is not None and dialog.switcher.current() == fee
    choice.choose(lift)
    assert dialog.switcher.current() == lift
