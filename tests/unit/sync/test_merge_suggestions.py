"""The office follows a suggestion up while the laptop that collected it keeps re-sending
it (no ack yet): the progress is steps of its own, so nothing is quarantined, and the
steps travel back to the team's laptop in the roster."""

from __future__ import annotations

from pathlib import Path

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage import changelog
from gridapp.sync import merge
from tests.conftest import make_services

TEXT = "三号楼电梯经常停运，希望尽快维修。"


def _status_entries(s: Services) -> list[changelog.ChangeEntry]:
    return [e for e in changelog.entries(s.store.db) if e.entity == "suggestion_status"]


def test_a_resent_suggestion_after_the_office_advanced_it(
    tmp_path: Path, clock: FixedClock
) -> None:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=80, seed=4))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "first.gsb")
    [first] = lap.sync.import_files([tmp_path / "first.gsb"])
    assert first.status == "applied"

    clock.advance(days=30)
    household = lap.read.household_ids(team_number=1)[0]
    lap.visits.record(VisitInput(household, "W0101", "met", suggestions=(("facility", TEXT),)))
    b1 = tmp_path / "b1.gsb"
    lap.sync.export(b1)
    assert [r.status for r in office.sync.import_files([b1])] == ["applied"]
    row = next(r for r in office.suggestions.rows() if r.text == TEXT)

    clock.advance(hours=3)
    office.suggestions.advance(row.id, "forwarded", handler="物业公司工程部")
    clock.advance(days=1)
    office.suggestions.advance(row.id, "answered", response="已报修，周五前修复")
    steps = _status_entries(office)
    assert [e.fields["status"] for e in steps if e.fields] == ["forwarded", "answered"]
    office_device = office.store.require_device().device_id
    assert {e.device_id for e in steps} == {office_device}

    # the laptop has no ack yet: its next bundle carries the suggestion again
    clock.advance(hours=1)
    b2 = tmp_path / "b2.gsb"
    lap.sync.export(b2)
    results = office.sync.import_files([b2, b1])
    assert [r.status for r in results] == ["already", "already"]
    assert office.sync.quarantined() == []
    # the merge rule itself: the same suggestion insert again is a no-op
    sent = next(
        e
        for e in changelog.entries(lap.store.db)
        if e.entity == "suggestion" and e.record_id == row.id
    )
    with office.store.replaying() as db:
        assert merge.apply(db, sent, "2024-01-01T00:00:00+08:00") is merge.Outcome.NOOP
    assert office.sync.quarantined() == []
    assert office.suggestions.get(row.id).status == "answered"
    assert office.read.counts().suggestions == len(office.suggestions.rows())

    # the roster brings the office's steps (and the ack) to the team's laptop
    roster = tmp_path / "roster.gsb"
    office.sync.roster(1, roster)
    assert [r.status for r in lap.sync.import_files([roster])] == ["applied"]
    assert [s["status"] for s in lap.suggestions.history(row.id)] == ["forwarded", "answered"]
    assert lap.suggestions.get(row.id).handler == "物业公司工程部"
    timeline = lap.read.household(household)
    assert timeline is not None
    assert [e.summary["status"] for e in timeline.timeline if e.kind == "suggestion"] == [
        "answered"
    ]
    # …without the laptop echoing them back as its own changes
    assert not [e for e in _status_entries(lap) if e.device_id != office_device]
    clock.advance(days=1)
    office.suggestions.advance(row.id, "closed")
    lap.visits.record(VisitInput(household, "W0101", "met", started_at=clock.now()))
    b3 = tmp_path / "b3.gsb"
    lap.sync.export(b3)
    assert [r.status for r in office.sync.import_files([b3])] == ["applied"]
    assert office.sync.quarantined() == []
    assert office.suggestions.get(row.id).status == "closed"
