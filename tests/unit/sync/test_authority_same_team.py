"""Two laptops of one team: each receives the other's visits in its roster, but corrects,
voids and prints receipts only for its own (what the office accepts from it), so an
honest laptop never sends a bundle the office must refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import InvalidInput
from gridapp.services.visits import VisitInput
from tests.conftest import make_services


def test_a_teammates_visit_is_theirs_to_correct(tmp_path: Path, clock: FixedClock) -> None:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=60, seed=1))
    office.sync.allow_plain_laptops = True  # plain test laptops
    laps = []
    for name in ("a", "b"):
        lap = make_services(tmp_path / name / "gridapp.db", clock, role="field")
        lap.sync.request(tmp_path / f"{name}.json")
        office.sync.enroll(tmp_path / f"{name}.json", 1, tmp_path / f"{name}.gsb")
        assert lap.sync.import_files([tmp_path / f"{name}.gsb"])[0].status == "applied"
        laps.append(lap)
    a, b = laps
    clock.advance(days=30)
    household = a.read.household_ids()[0]
    visit = a.visits.record(VisitInput(household, "W0101", "not_home")).visit_id
    a.sync.export(tmp_path / "a1.gsb")
    assert office.sync.import_files([tmp_path / "a1.gsb"])[0].status == "applied"
    office.sync.roster(1, tmp_path / "roster.gsb")
    assert b.sync.import_files([tmp_path / "roster.gsb"])[0].status == "applied"
    assert b.store.db.execute("SELECT 1 FROM visit WHERE id = ?", [visit]).fetchone()
    for attempt in (
        lambda: b.visits.void("visit", visit, "录错"),
        lambda: b.visits.correct(visit, VisitInput(household, "W0102", "not_home")),
        lambda: b.paper.issue_receipt(visit),
    ):
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert refused.value.key == "error.visit.other_laptop"
    b.visits.record(VisitInput(household, "W0102", "met"))
    b.sync.export(tmp_path / "b1.gsb")
    [result] = office.sync.import_files([tmp_path / "b1.gsb"])
    assert result.status == "applied", result  # nothing the office must refuse
    for s in (office, a, b):
        s.store.close()
