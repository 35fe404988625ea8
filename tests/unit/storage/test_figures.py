"""Every figure defined once: with two campaigns (one closed), the counts, the dashboard,
the report (workbook data and its PDF) and `stats` agree about the campaign shown, and
the whole database's visits are the sum of the campaigns'."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage import figures
from tests.conftest import make_services


@pytest.fixture
def two_campaigns(tmp_path: Path, clock: FixedClock) -> tuple[Services, str, str]:
    """The demo's campaign A, and a lift-installation consultation B over the same
    households: started later, 30 visits recorded while it ran, then closed."""
    s = make_services(tmp_path / "gridapp.db", clock)
    build_demo(s, DemoOptions(households=300, seed=3))
    a = figures.active_campaign(s.store.db)
    assert a is not None
    s.act_as("B0001", "office")
    compounds = [c.id for c in s.read.compounds()]
    later = clock.now().date() + timedelta(days=1)
    b = s.campaigns.create_campaign(
        {
            "name": "加装电梯意愿征询",
            "starts_on": later.isoformat(),
            "ends_on": (later + timedelta(days=6)).isoformat(),
            "questionnaire_id": a["questionnaire_id"],
        },
        compounds,
        [],
    )
    clock.advance(days=2)
    for n, household in enumerate(s.read.household_ids()[:30]):
        outcome = "met" if n % 3 else "not_home"
        answers = {"stance": "agree"} if outcome == "met" else {}
        s.visits.record(VisitInput(household, "W0101", outcome, answers=answers, campaign_id=b.id))
    s.privacy.close_campaign(b.id)
    s.sign_out()
    return s, str(a["id"]), b.id


def test_every_surface_agrees_on_the_campaign_shown(
    two_campaigns: tuple[Services, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s, a, b = two_campaigns
    s.act_as("B0001", "office")
    counts_a, counts_b, every = s.read.counts(a), s.read.counts(b), s.read.counts()
    assert counts_b.visits == 30 and counts_b.consultations == 20
    assert every.visits == counts_a.visits + counts_b.visits
    assert every.consultations == counts_a.consultations + counts_b.consultations

    dashboard = s.dashboard.snapshot()
    assert dashboard.campaign_id == a and dashboard.counts == counts_a
    assert sum(x.visited for x in dashboard.buildings) == counts_a.households_visited
    report = s.reports.data()
    assert report.counts == counts_a and report.visit_total == counts_a.visits
    assert sum(x.visited for x in report.buildings) == counts_a.households_visited
    assert sum(x.consultations for x in report.buildings) == counts_a.consultations
    assert [(x.building, x.visited) for x in report.buildings] == [
        (x.label, x.visited) for x in dashboard.buildings
    ]
    assert sum(t.visited for t in report.teams) == sum(t.visited for t in dashboard.teams)
    assert sum(d.newly_visited for d in report.daily) == counts_a.households_visited
    assert sum(1 for _ in report.visits()) == counts_a.visits

    s.sign_out()
    base = ["--data-dir", str(tmp_path), "--worker", "B0001"]
    assert main([*base, "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["visits"] == every.visits
    assert main([*base, "stats", "--campaign", "加装电梯意愿征询", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["consultations"] == 20
    pdf = tmp_path / "daily.pdf"
    assert main([*base, "report", "--out", str(pdf)]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert f"{counts_a.households_visited}" in text and "加装电梯" not in text
