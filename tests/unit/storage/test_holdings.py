"""Which households a laptop's unsent work is about (storage/holdings.py): each kind of
entry a laptop writes finds its household, and acknowledged work none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.households import NewResident
from gridapp.services.visits import VisitInput
from gridapp.storage import changelog, holdings
from tests.conftest import make_services


@pytest.fixture
def laptop(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=120, seed=5))
    lap = make_services(tmp_path / "laptop" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "request.json")
    office.sync.enroll(tmp_path / "request.json", 1, tmp_path / "first.gsb")
    (result,) = lap.sync.import_files([tmp_path / "first.gsb"])
    assert result.status == "applied"
    office.store.close()
    yield lap
    lap.store.close()


def _unsent(lap: Services, after: int) -> set[str]:
    device = lap.store.require_device().device_id
    return holdings.unsent_households(lap.store.db, device, after)


def test_each_kind_of_local_work_finds_its_household(laptop: Services) -> None:
    db = laptop.store.db
    device = laptop.store.require_device().device_id
    # c has a phone to change
    c, phone = db.execute(
        "SELECT r.household_id, p.id FROM phone p JOIN resident r ON r.id = p.resident_id"
        " ORDER BY p.id LIMIT 1"
    ).fetchone()
    households = [
        r[0] for r in db.execute("SELECT id FROM household WHERE id <> ? ORDER BY id LIMIT 4", [c])
    ]
    assert len(households) == 4 and _unsent(laptop, changelog.last_seq(db, device)) == set()
    start = changelog.last_seq(db, device)
    a, b, d, e = households

    visit = laptop.visits.record(
        VisitInput(a, "W0101", "met", answers={"stance": "agree"})
    ).visit_id
    assert _unsent(laptop, start) == {a}
    laptop.households.add_resident(b, NewResident("新住户", phones=("13912345678",)))
    assert _unsent(laptop, changelog.last_seq(db, device) - 2) == {b}
    mark = changelog.last_seq(db, device)
    laptop.households.change_phone(phone, "13700001111")
    assert _unsent(laptop, mark) == {c}
    mark = changelog.last_seq(db, device)
    laptop.households.update_household(d, {"note": "三楼东"})
    assert _unsent(laptop, mark) == {d}
    mark = changelog.last_seq(db, device)
    laptop.visits.void("visit", visit, "录错住户")
    assert _unsent(laptop, mark) == {a}
    assert e not in _unsent(laptop, start)
    assert _unsent(laptop, start) == {a, b, c, d}
