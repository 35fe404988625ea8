"""Roster deltas on a laptop (docs/sync-bundles.md, "What the team holds"): what the
team no longer holds leaves, unsent local work keeps its household until the office has
it, a worker no longer on the team leaves the lists but still names their visits, a
roster without a `holds` record (format 1) erases nothing, and an older laptop refuses
a format 2 roster rather than ignore it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import AccessDenied
from gridapp.services import Services
from gridapp.services.campaign_setup import Scope
from gridapp.services.households import NewResident
from gridapp.services.visits import VisitInput
from gridapp.storage import records
from gridapp.sync import container, export
from tests.conftest import make_services


@dataclass
class World:
    tmp: Path
    office: Services
    laptop: Services
    team: int
    other: int  # the team the buildings move to
    buildings: list[str]  # the team's, the largest first

    def roster(self, label: str) -> Path:
        out = self.tmp / f"roster-{label}.gsb"
        self.office.sync.roster(self.team, out)
        return out

    def receive(self, label: str) -> None:
        (result,) = self.laptop.sync.import_files([self.roster(label)])
        assert result.status == "applied", result

    def send(self, label: str) -> None:
        out = self.tmp / f"bundle-{label}.gsb"
        self.laptop.sync.export(out)
        (result,) = self.office.sync.import_files([out])
        assert result.status == "applied", result

    def move(self, building: str, team: int) -> None:
        campaign = self.office.campaigns.campaign()
        assert campaign is not None
        self.office.campaigns.assign(campaign["id"], team, Scope(buildings=[building]))

    def households(self, building: str) -> list[str]:
        return _column(self.laptop, "SELECT id FROM household WHERE building_id = ?", building)


def _column(s: Services, sql: str, *params: object) -> list[Any]:
    return [r[0] for r in s.store.db.execute(sql, list(params)).fetchall()]


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=240, seed=11))
    team, count = office.store.db.execute(
        "SELECT t.number, count(*) FROM team t JOIN assignment a ON a.team_id = t.id"
        " GROUP BY t.number ORDER BY count(*) DESC, t.number LIMIT 1"
    ).fetchone()
    assert count >= 2  # a building can move and one stay
    laptop = make_services(tmp_path / "laptop" / "gridapp.db", clock, role="field")
    laptop.sync.request(tmp_path / "request.json")
    office.sync.enroll(tmp_path / "request.json", team, tmp_path / "first.gsb")
    (result,) = laptop.sync.import_files([tmp_path / "first.gsb"])
    assert result.status == "applied"
    buildings = _column(
        office,
        "SELECT a.building_id FROM assignment a JOIN team t ON t.id = a.team_id"
        " WHERE t.number = ? ORDER BY (SELECT count(*) FROM household h"
        " WHERE h.building_id = a.building_id) DESC, a.building_id",
        team,
    )
    other = 1 if team != 1 else 2
    yield World(tmp_path, office, laptop, int(team), other, buildings)
    office.store.close()
    laptop.store.close()


def test_unsent_work_keeps_its_household_until_the_office_has_it(
    world: World, clock: FixedClock
) -> None:
    moving = world.buildings[0]
    visited, called, edited, *rest = world.households(moving)
    worker = f"W{world.team:02d}01"
    world.laptop.act_as(worker, "field")  # the team's scope applies
    world.laptop.visits.record(VisitInput(visited, worker, "not_home"))
    due = world.laptop.store.clock.now() + timedelta(days=2)
    callback = VisitInput(called, worker, "appointment", callback_at=due, notes="周六再来")
    world.laptop.visits.record(replace(callback, suggestions=(("facility", "门铃坏了"),)))
    world.laptop.households.update_household(edited, {"note": "三楼东", "area": 88.5})
    clock.advance(minutes=5)  # the office moves the building after that work
    world.move(moving, world.other)

    world.receive("moved")
    assert sorted(world.households(moving)) == sorted([visited, called, edited])
    gone = _column(
        world.laptop,
        f"SELECT count(*) FROM resident WHERE household_id IN ({','.join('?' * len(rest))})",
        *rest,
    )
    assert gone == [0] and rest
    # out of the team's scope at once: nothing new is recorded on it
    with pytest.raises(AccessDenied, match="other_team"):
        world.laptop.visits.record(VisitInput(visited, worker, "met"))

    world.send("work")
    text = _column(world.office, "SELECT text FROM suggestion WHERE household_id = ?", called)
    assert text == ["门铃坏了"]
    assert _column(world.office, "SELECT count(*) FROM callback WHERE household_id = ?", called)
    # an edit made while the team held the household merges too
    assert _column(world.office, "SELECT area FROM household WHERE id = ?", edited) == [88.5]
    assert _column(world.office, "SELECT count(*) FROM visit WHERE household_id = ?", visited)
    world.receive("acked")
    assert world.households(moving) == []
    # the buildings still held stay whole
    assert world.households(world.buildings[1])
    assert not _column(world.laptop, "SELECT id FROM building WHERE id = ?", moving)


def test_a_worker_no_longer_on_the_team_leaves_the_lists_but_names_their_visits(
    world: World,
) -> None:
    staying = world.buildings[1]
    household = world.households(staying)[0]
    worker = f"W{world.team:02d}02"
    visit = world.laptop.visits.record(VisitInput(household, worker, "not_home")).visit_id
    world.send("visit")
    world.office.campaigns.move_worker(worker, world.other)
    world.office.campaigns.retire_worker(f"W{world.team:02d}03")

    world.receive("moved")
    listed = {w["code"] for w in world.laptop.field.workers(None)}
    assert listed == {f"W{world.team:02d}01"}
    assert {w["code"] for w in world.laptop.campaigns.workers() if w["active"]} == listed
    row = world.laptop.store.db.execute(
        "SELECT w.code, w.name, w.team_id, w.active FROM visit v JOIN worker w"
        " ON w.id = v.worker_id WHERE v.id = ?",
        [visit],
    ).fetchone()
    assert row[0] == worker and row[1] and row[2:] == (None, 0)


def test_a_roster_without_holds_erases_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A format 1 roster (an office not yet updated) only inserts and updates."""
    real = container.write_bundle

    def format_1(out: Path, manifest: dict[str, Any], records: Any, *rest: Any) -> Any:
        kept = (r for r in records if not (isinstance(r, dict) and r.get("t") == "holds"))
        return real(out, {**manifest, "format_version": 1}, kept, *rest)

    monkeypatch.setattr(export, "write_bundle", format_1)
    moving = world.buildings[0]
    before = world.households(moving)
    world.move(moving, world.other)
    world.receive("old-office")
    assert world.households(moving) == before


@pytest.mark.expected_log(
    r"^refused roster-new\.gsb: error\.bundle\.version_future"
)  # the refusal is the case
def test_an_older_laptop_refuses_a_format_2_roster(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(container, "FORMAT_VERSION", 1)
    (result,) = world.laptop.sync.import_files([world.roster("new")])
    assert (result.status, result.reason) == ("refused", "error.bundle.version_future")


@pytest.mark.expected_log(
    r"^refused late-edit\.gsb: error\.bundle\.authority\.other_team_household"
)  # the refusal is the case
def test_an_edit_made_after_the_move_is_still_refused(world: World, clock: FixedClock) -> None:
    """Past holdings admit work done before the move, not after (a laptop that skipped
    its own scope check)."""
    moving = world.buildings[0]
    household = world.households(moving)[0]
    clock.advance(minutes=5)
    world.move(moving, world.other)
    clock.advance(minutes=5)
    with world.laptop.store.unit_of_work(f"W{world.team:02d}01") as db:
        records.update(db, "household", household, {"area": 70.5})
    out = world.tmp / "late-edit.gsb"
    world.laptop.sync.export(out)
    (result,) = world.office.sync.import_files([out])
    assert (result.status, result.reason) == (
        "refused",
        "error.bundle.authority.other_team_household",
    )


def test_a_household_lifecycle_reaches_the_team_laptop(world: World) -> None:
    """Moved out, merged and split at the office: the next roster leaves the laptop with
    the residents where the office has them, one household for the merged rooms, the new
    one for the split, and the events for the history."""
    building = world.buildings[0]
    first, second, third, *_ = _column(
        world.office,
        """SELECT h.id FROM household h WHERE h.building_id = ? AND EXISTS
           (SELECT 1 FROM resident r WHERE r.household_id = h.id) ORDER BY h.code""",
        building,
    )
    world.office.act_as("B0001", "office")
    gone = _column(world.office, "SELECT id FROM resident WHERE household_id = ?", first)
    world.office.households.move_out(first)
    world.office.households.merge(second, third)
    chosen = _column(world.office, "SELECT id FROM resident WHERE household_id = ?", second)[:1]
    new = world.office.households.split(second, "9901", chosen)
    world.receive("lifecycle")
    laptop = world.laptop
    assert _column(laptop, "SELECT id FROM resident WHERE household_id = ?", first) == []
    marks = ",".join("?" * len(gone))
    assert _column(laptop, f"SELECT id FROM resident WHERE id IN ({marks})", *gone) == []
    assert _column(laptop, "SELECT merged_into FROM household WHERE id = ?", third) == [second]
    assert third not in laptop.read.household_ids()
    assert new in laptop.read.household_ids()
    assert _column(laptop, "SELECT id FROM resident WHERE household_id = ?", new) == chosen
    for household in (first, second, third, new):
        assert _column(
            laptop,
            "SELECT kind FROM household_event WHERE household_id = ? ORDER BY at",
            household,
        ) == _column(
            world.office,
            "SELECT kind FROM household_event WHERE household_id = ? ORDER BY at",
            household,
        )


def test_a_resident_added_on_the_laptop_stays_until_the_office_has_it(world: World) -> None:
    """The roster does not carry a resident the laptop added and has not sent yet: that
    is unsent work, not a move-out; once the office has it, the roster carries it."""
    household = world.households(world.buildings[0])[0]
    worker = f"W{world.team:02d}01"
    world.laptop.act_as(worker, "field")
    added = world.laptop.households.add_resident(household, NewResident("新来的", "tenant"))
    world.receive("before-send")
    assert _column(world.laptop, "SELECT name FROM resident WHERE id = ?", added) == ["新来的"]
    world.send("added")
    world.receive("after-send")
    assert _column(world.laptop, "SELECT name FROM resident WHERE id = ?", added) == ["新来的"]
    assert _column(world.office, "SELECT name FROM resident WHERE id = ?", added) == ["新来的"]
