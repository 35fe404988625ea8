"""A closed campaign's purge travels to laptops in the roster bundle; a laptop's purge
writes nothing it would send back as an edit, and nothing a laptop sends after (or
despite) a purge brings the personal data back or makes a conflict."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.privacy import PURGED_MARK
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage import audit, changelog
from tests.conftest import make_services


@dataclass
class World:
    tmp: Path
    office: Services
    laptop: Services
    team: int
    household: str  # on the laptop, with a resident who has a phone
    name: str
    phone: str
    phone_id: str

    @property
    def worker(self) -> str:
        return f"W{self.team:02d}01"

    def roster(self, label: str) -> Path:
        out = self.tmp / f"roster-{label}.gsb"
        self.office.sync.roster(self.team, out)
        return out

    def export(self, label: str) -> Path:
        out = self.tmp / f"bundle-{label}.gsb"
        self.laptop.sync.export(out)
        return out

    def visit(self, notes: str = "", met: bool = True) -> str:
        """A consultation; after the campaign closed, only an attempt (no questionnaire)."""
        answers = {"stance": "agree"} if met else {}
        outcome = "met" if met else "not_home"
        return self.laptop.visits.record(
            VisitInput(self.household, self.worker, outcome, answers=answers, notes=notes)
        ).visit_id


def _one(s: Services, sql: str, *params: object) -> object:
    return s.store.db.execute(sql, list(params)).fetchone()[0]


def _bytes(s: Services) -> bytes:
    assert s.store.path is not None
    return b"".join(p.read_bytes() for p in sorted(s.store.path.parent.glob("gridapp.db*")))


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=240, seed=11))
    team = int(
        str(
            _one(
                office,
                "SELECT t.number FROM team t JOIN assignment a ON a.team_id = t.id"
                " JOIN household h ON h.building_id = a.building_id"
                " GROUP BY t.number ORDER BY count(*) DESC LIMIT 1",
            )
        )
    )
    laptop = make_services(tmp_path / "laptop" / "gridapp.db", clock, role="field")
    laptop.sync.request(tmp_path / "request.json")
    office.sync.enroll(tmp_path / "request.json", team, tmp_path / "first.gsb")
    (result,) = laptop.sync.import_files([tmp_path / "first.gsb"])
    assert result.status == "applied"
    household, name, phone, phone_id = laptop.store.db.execute(
        "SELECT r.household_id, r.name, p.number, p.id FROM resident r"
        " JOIN phone p ON p.resident_id = r.id WHERE length(r.name) >= 3 ORDER BY r.id LIMIT 1"
    ).fetchone()
    yield World(tmp_path, office, laptop, team, household, name, phone, phone_id)
    office.store.close()
    laptop.store.close()


def _import(s: Services, path: Path) -> str:
    (result,) = s.sync.import_files([path])
    assert result.status != "refused", result
    return result.status


def test_the_roster_purges_the_laptop_without_a_change_to_send(world: World) -> None:
    laptop = world.laptop
    me = laptop.store.require_device().device_id
    world.visit(notes=f"{world.name}说楼上漏水")
    laptop.households.change_phone(world.phone_id, "13912345678")
    laptop.drafts.save("d1", "visit", world.household, {"notes": world.name}, "2023-12-04")
    seq = changelog.last_seq(laptop.store.db, me)
    counts = laptop.read.counts()
    world.office.privacy.close_campaign()

    assert _import(laptop, world.roster("closed")) == "applied"

    assert changelog.last_seq(laptop.store.db, me) == seq  # the purge logged nothing
    assert laptop.read.counts() == counts  # visits, residents: all still counted
    assert _one(laptop, "SELECT count(*) FROM phone") == 0
    assert _one(laptop, "SELECT count(*) FROM resident WHERE name <> ''") == 0
    assert _one(laptop, "SELECT count(*) FROM visit WHERE notes <> ''") == 0
    assert _one(laptop, "SELECT count(*) FROM _draft") == 0
    assert _one(laptop, "SELECT status FROM campaign") == "closed"
    assert laptop.search.find_ids(world.name) == []
    assert laptop.search.find_ids("13912345678") == []
    data = _bytes(laptop)
    for secret in (world.name, world.phone, "13912345678"):
        assert secret.encode() not in data
    # Its unsent changes are still there to send, without their personal values.
    entries = list(changelog.entries(laptop.store.db, me))
    phone_edit = next(e for e in entries if e.entity == "phone")
    assert phone_edit.fields == {"number": ""} and (phone_edit.base or {})[PURGED_MARK] == 1
    (entry,) = audit.entries(laptop.store.db, action="purge")
    assert entry.target == _one(laptop, "SELECT id FROM campaign")
    assert entry.detail["phones"] > 0 and entry.detail["residents"] > 0

    # The office takes them as no-ops: the visit counts, nothing conflicts.
    before = world.office.read.counts().visits
    assert _import(world.office, world.export("after-purge")) == "applied"
    assert world.office.read.counts().visits == before + 1
    assert world.office.sync.conflicts() == [] and world.office.sync.quarantined() == []
    assert (
        _one(world.office, "SELECT number FROM phone WHERE id = ?", world.phone_id) == world.phone
    )

    # Orders repeat in every roster; obeyed once, they change nothing more.
    assert _import(laptop, world.roster("again")) == "applied"
    assert len(list(audit.entries(laptop.store.db, action="purge"))) == 1
    assert _one(laptop, "SELECT count(*) FROM resident WHERE name <> ''") == 0


def test_a_late_bundle_cannot_bring_purged_data_back(world: World) -> None:
    world.visit(notes=f"{world.name}说楼上漏水")
    world.laptop.households.change_phone(world.phone_id, "13912345678")
    late = world.export("late")  # still on a USB stick while the office purges
    office = world.office
    visits = office.read.counts().visits
    office.privacy.close_campaign()
    office.privacy.purge(now=True)

    assert _import(office, late) == "applied"

    assert office.read.counts().visits == visits + 1
    assert office.sync.conflicts() == [] and office.sync.quarantined() == []
    assert _one(office, "SELECT count(*) FROM phone") == 0
    assert _one(office, "SELECT count(*) FROM visit WHERE notes <> ''") == 0
    for secret in (world.name, "13912345678"):
        assert _one(office, "SELECT count(*) FROM change_log WHERE instr(fields, ?)", secret) == 0
    # The same changes again, in a bigger bundle: already merged, not a cloned laptop.
    world.visit()
    assert _import(office, world.export("again")) == "applied"
    assert office.read.counts().visits == visits + 2


def test_entries_purged_on_the_laptop_still_match_the_office_copy(world: World) -> None:
    """The office merged a bundle, but the laptop purged before hearing so: it sends
    the same entries again, redacted. They are the same changes, not a clone."""
    world.visit(notes=f"{world.name}说楼上漏水")
    first = world.export("first")
    world.office.privacy.close_campaign()
    roster = world.roster("before-ack")  # acknowledges nothing yet
    assert _import(world.office, first) == "applied"
    assert _import(world.laptop, roster) == "applied"
    world.visit(met=False)

    assert _import(world.office, world.export("second")) == "applied"

    assert world.office.sync.quarantined() == []
    rows = world.office.store.db.execute("SELECT fields FROM change_log WHERE entity = 'visit'")
    notes = [json.loads(r[0]).get("notes") for r in rows]
    assert f"{world.name}说楼上漏水" in notes  # the office's copy waits for its own purge
