"""The review loop end to end, through the core (docs/office-review.md): the office
returns a visit with a comment; the roster bundle brings it to the laptop, which shows
it, corrects it and sends the correction back; the office sees the correction as new
and approves it. The counts stay exact at every step, at the office and on the laptop."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from gridapp import audit_actions
from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.review import ReviewFilter
from gridapp.services.visits import VisitInput
from tests.conftest import make_services

COMMENT = "满意度与态度不符，请向住户核实后更正"


def _roster(office: Services, lap: Services, out: Path) -> None:
    office.sync.roster(1, out)
    assert [r.status for r in lap.sync.import_files([out])] == ["applied"]


def _send(office: Services, lap: Services, out: Path) -> None:
    lap.sync.export(out)
    assert [r.status for r in office.sync.import_files([out])] == ["applied"]
    assert office.sync.quarantined() == []


def test_returned_corrected_resent_approved(tmp_path: Path, clock: FixedClock) -> None:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=80, seed=4))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "first.gsb")
    assert [r.status for r in lap.sync.import_files([tmp_path / "first.gsb"])] == ["applied"]
    office.act_as("B0001", "office")
    lap.act_as("W0101", "field")
    base_office, base_lap = office.read.counts(), lap.read.counts()
    assert base_lap.visits == len(lap.review.returned_for_me()) + base_lap.visits  # none yet

    # the laptop records two visits, one of them contradicting itself, and sends them
    clock.advance(hours=2)
    first, second = lap.read.household_ids(team_number=1)[:2]
    start = clock.now() - timedelta(minutes=20)
    fine = lap.visits.record(
        VisitInput(
            first,
            "",
            "met",
            started_at=start,
            ended_at=start + timedelta(minutes=8),
            answers={"stance": "agree", "owner_present": "yes", "satisfaction": 4},
        )
    ).visit_id
    wrong = lap.visits.record(
        VisitInput(
            second,
            "",
            "met",
            started_at=start + timedelta(minutes=9),
            ended_at=start + timedelta(minutes=18),
            answers={"stance": "agree", "owner_present": "yes", "satisfaction": 1},
        )
    ).visit_id
    _send(office, lap, tmp_path / "b1.gsb")
    counts = office.read.counts()
    assert counts.visits == base_office.visits + 2
    assert counts.consultations == base_office.consultations + 2
    new = {r.id: r for r in office.review.queue(ReviewFilter(team=1, state="new"))}
    assert {fine, wrong} <= set(new)
    assert new[wrong].flags == ("contradiction",) and new[fine].flags == ()

    # the office approves one and returns the other with a comment: nothing recounted
    clock.advance(hours=1)
    office.review.approve([fine])
    office.review.return_visit(wrong, COMMENT)
    assert office.read.counts() == counts
    team1 = next(t for t in office.review.team_states() if t["team"] == 1)
    returned_before = team1["returned"]
    assert returned_before >= 1 and team1["approved"] >= 1

    # the roster bundle brings the reviews to the laptop: 退回待改 with the comment
    clock.advance(hours=1)
    _roster(office, lap, tmp_path / "r1.gsb")
    [back] = lap.review.returned_for_me()
    assert (back.id, back.comment, back.state, back.made_here) == (wrong, COMMENT, "returned", True)
    assert back.address and back.reviewed_at
    lap_counts = lap.read.counts()
    assert lap_counts.visits == base_lap.visits + 2

    # the worker corrects it on the laptop: the correction supersedes, counts once
    clock.advance(hours=1)
    visit = lap.field.visit_for_correction(wrong)
    assert visit is not None
    fixed = lap.visits.correct(
        wrong,
        VisitInput(
            second,
            "",
            "met",
            started_at=start + timedelta(minutes=9),
            ended_at=start + timedelta(minutes=18),
            answers={**visit["answers"], "satisfaction": 4},
        ),
    ).visit_id
    assert lap.review.returned_for_me() == []
    assert lap.read.counts() == lap_counts
    _send(office, lap, tmp_path / "b2.gsb")
    assert office.read.counts() == counts

    # the office sees the correction as new, the returned visit gone from the queue
    rows = {r.id: r for r in office.review.queue(ReviewFilter(team=1))}
    assert wrong not in rows
    assert (rows[fixed].state, rows[fixed].corrects, rows[fixed].flags) == ("new", wrong, ())
    team1 = next(t for t in office.review.team_states() if t["team"] == 1)
    assert team1["returned"] == returned_before - 1
    clock.advance(hours=1)
    office.review.approve([fixed])
    assert office.review.queue(ReviewFilter(team=1, state="returned")) == []
    assert office.read.counts() == counts
    total = sum(t["new"] + t["approved"] + t["returned"] for t in office.review.team_states())
    assert total == counts.visits

    # every step audited with its actor; the laptop learns of the approval too
    office.act_as("A0001", "admin")
    approved = office.audit.entries(audit_actions.VISIT_APPROVED)
    returned = office.audit.entries(audit_actions.VISIT_RETURNED)
    assert {(e.actor, e.target) for e in approved} == {("B0001", fine), ("B0001", fixed)}
    assert [(e.actor, e.target) for e in returned] == [("B0001", wrong)]
    clock.advance(hours=1)
    _roster(office, lap, tmp_path / "r2.gsb")
    assert lap.read.counts() == lap_counts
    states = dict(
        lap.store.db.execute(
            "SELECT visit_id, status FROM review WHERE visit_id IN (?, ?, ?) ORDER BY at",
            [fine, wrong, fixed],
        ).fetchall()
    )
    assert states == {fine: "approved", wrong: "returned", fixed: "approved"}
    office.store.close()
    lap.store.close()


def test_a_laptop_lets_go_of_reviewed_visits_with_their_building(
    tmp_path: Path, clock: FixedClock
) -> None:
    """A building moving to another team takes its households' visits off the laptop
    (roster `holds`): their reviews go with them, nothing left pointing at nothing."""
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=80, seed=4))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "first.gsb")
    lap.sync.import_files([tmp_path / "first.gsb"])
    clock.advance(hours=2)
    household = lap.read.household_ids(team_number=1)[0]
    visit = lap.visits.record(VisitInput(household, "W0101", "met")).visit_id
    _send(office, lap, tmp_path / "b1.gsb")
    office.review.return_visit(visit, "请补填问卷")
    _roster(office, lap, tmp_path / "r1.gsb")
    assert [r.id for r in lap.review.returned_for_me()] == [visit]
    db = office.store.db
    building = db.execute("SELECT building_id FROM household WHERE id = ?", [household]).fetchone()
    team2 = db.execute("SELECT id FROM team WHERE number = 2").fetchone()[0]
    campaign = office.campaigns.campaign()
    assert campaign is not None
    office.campaigns.assign_buildings(campaign["id"], team2, [building[0]])
    clock.advance(hours=1)
    _roster(office, lap, tmp_path / "r2.gsb")
    assert household not in lap.read.household_ids()
    left = lap.store.db.execute("SELECT count(*) FROM review").fetchone()[0]
    assert left == 0 and lap.review.returned_for_me() == []
    assert lap.store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    office.store.close()
    lap.store.close()
