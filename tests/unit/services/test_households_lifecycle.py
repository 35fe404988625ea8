"""A household's lifecycle at the office: moved out, moved in, merged, split; each one
transaction with its events (counts and ids only) and an audit line; the refusals."""

from __future__ import annotations

import itertools

import pytest

from gridapp import audit_actions
from gridapp.errors import AccessDenied, InvalidInput
from gridapp.i18n import Catalog, household_event_words
from gridapp.services import Services
from gridapp.services.households import NewResident


@pytest.fixture
def demo_services(demo_services: Services) -> Services:
    demo_services.act_as("B0001", "office")  # the events name who signed in
    return demo_services


def _two_rooms(s: Services) -> tuple[str, str]:
    """Two households of one building, both with residents."""
    rows = s.store.db.execute(
        """SELECT h.id, h.building_id FROM household h
           WHERE EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id)
           ORDER BY h.building_id, h.code"""
    ).fetchall()
    for (a, ba), (b, bb) in itertools.pairwise(rows):
        if ba == bb:
            return a, b
    raise AssertionError("no building with two occupied households")


def _residents(s: Services, household_id: str) -> list[str]:
    detail = s.read.household(household_id)
    assert detail is not None
    return [r.id for r in detail.residents]


def _events(s: Services, household_id: str) -> list[tuple[str, str | None, int, str]]:
    return [
        tuple(r)
        for r in s.store.db.execute(
            "SELECT kind, other_household_id, residents, actor FROM household_event"
            " WHERE household_id = ? ORDER BY at, rowid",
            [household_id],
        ).fetchall()
    ]


def _words(s: Services, household_id: str, lang: str = "zh_CN") -> list[str]:
    detail = s.read.household(household_id)
    assert detail is not None
    catalog = Catalog(lang)
    return [
        household_event_words(catalog, e.summary)
        for e in detail.timeline
        if e.kind == "household_event"
    ]


def test_move_out_deletes_the_residents_and_says_how_many(demo_services: Services) -> None:
    s = demo_services
    household, _ = _two_rooms(s)
    people = _residents(s, household)
    assert s.households.move_out(household) == len(people)
    assert _residents(s, household) == []
    assert s.read.household_rows([household])[0].status == "vacant"
    assert _events(s, household) == [("moved_out", None, len(people), "B0001")]
    assert _words(s, household) == [f"已迁出 {len(people)} 人"]
    assert _words(s, household, "en") == [f"{len(people)} residents moved out"]
    # the names left the change log too (privacy.md): no entry still holds one
    named = s.store.db.execute(
        "SELECT count(*) FROM change_log WHERE entity = 'resident' AND record_id IN"
        f" ({','.join('?' * len(people))}) AND COALESCE(json_extract(fields, '$.name'),"
        " json_extract(base, '$.name'), '') != ''",
        people,
    ).fetchone()[0]
    assert named == 0
    s.act_as("A0001", "admin")  # the audit log is the admin's to read
    entry = s.audit.entries(audit_actions.HOUSEHOLD_MOVED_OUT)[0]
    assert entry.target == household and entry.actor == "B0001"
    with pytest.raises(InvalidInput, match=r"error\.household\.empty"):
        s.households.move_out(household)


def test_move_in_only_into_an_empty_household(demo_services: Services) -> None:
    s = demo_services
    household, other = _two_rooms(s)
    with pytest.raises(InvalidInput, match=r"error\.household\.not_empty"):
        s.households.move_in(other, [NewResident("王新")])
    s.households.move_out(household)
    with pytest.raises(InvalidInput, match=r"error\.household\.no_residents"):
        s.households.move_in(household, [])
    with pytest.raises(InvalidInput, match=r"error\.bad_status"):
        s.households.move_in(household, [NewResident("王新")], status="vacant")
    ids = s.households.move_in(
        household,
        [NewResident("王新", "head", True, phones=("13800001111",)), NewResident("李新")],
        status="rented",
    )
    assert sorted(_residents(s, household)) == sorted(ids)
    assert s.read.household_rows([household])[0].status == "rented"
    assert [e[0] for e in _events(s, household)] == ["moved_out", "moved_in"]
    assert _words(s, household)[-1] == "新住户迁入 2 人"


def test_merge_moves_the_residents_and_hides_the_other(demo_services: Services) -> None:
    s = demo_services
    keep, other = _two_rooms(s)
    keep_row, other_row = s.read.household_rows([keep, other])
    people = _residents(s, keep) + _residents(s, other)
    before = s.read.counts()
    label = s.households.merge(keep, other)
    assert label == f"{keep_row.room}+{other_row.room}"
    row = s.read.household_rows([keep])[0]
    assert row.room == label
    if keep_row.area is not None and other_row.area is not None:
        assert row.area == pytest.approx(keep_row.area + other_row.area)
    assert sorted(_residents(s, keep)) == sorted(people)
    assert _residents(s, other) == []
    assert (
        s.store.db.execute("SELECT merged_into FROM household WHERE id = ?", [other]).fetchone()[0]
        == keep
    )
    # one household to visit: lists and counts no longer show the other
    assert other not in s.read.household_ids()
    assert s.read.counts().households == before.households - 1
    assert [e[:2] for e in _events(s, keep)] == [("merged", other)]
    assert [e[:2] for e in _events(s, other)] == [("merged_into", keep)]
    assert _words(s, keep) == [f"与 {other_row.room} 室合并"]
    assert _words(s, other) == [f"并入 {label} 室"]
    assert _words(s, keep, "en") == [f"Merged with room {other_row.room}"]
    with pytest.raises(InvalidInput, match=r"error\.household\.merged"):
        s.households.merge(keep, other)
    with pytest.raises(InvalidInput, match=r"error\.household\.merged"):
        s.households.move_in(other, [NewResident("王新")])


def test_merge_refuses_another_building_and_itself(demo_services: Services) -> None:
    s = demo_services
    keep, _ = _two_rooms(s)
    building = s.store.db.execute(
        "SELECT building_id FROM household WHERE id = ?", [keep]
    ).fetchone()[0]
    elsewhere = s.store.db.execute(
        "SELECT id FROM household WHERE building_id != ? LIMIT 1", [building]
    ).fetchone()[0]
    with pytest.raises(InvalidInput, match=r"error\.household\.other_building"):
        s.households.merge(keep, elsewhere)
    with pytest.raises(InvalidInput, match=r"error\.household\.same"):
        s.households.merge(keep, keep)
    with pytest.raises(InvalidInput, match=r"error\.household\.room_too_long"):
        s.households.merge(keep, _two_rooms(s)[1], room="x" * 21)
    assert _events(s, keep) == []


def test_split_makes_a_new_household_with_the_chosen(demo_services: Services) -> None:
    s = demo_services
    household, neighbour = _two_rooms(s)
    people = _residents(s, household)
    if len(people) < 2:
        s.households.add_resident(household, NewResident("张分"))
        people = _residents(s, household)
    row = s.read.household_rows([household])[0]
    with pytest.raises(InvalidInput, match=r"error\.household\.not_resident"):
        s.households.split(household, "9901", _residents(s, neighbour)[:1])
    with pytest.raises(InvalidInput, match=r"error\.household\.room_taken"):
        s.households.split(household, row.room, people[:1])
    new = s.households.split(household, "9901", people[:1])
    new_row = s.read.household_rows([new])[0]
    assert (new_row.room, new_row.floor, new_row.unit) == ("9901", row.floor, row.unit)
    assert new_row.code.endswith("9901") and new_row.code != row.code
    assert _residents(s, new) == people[:1]
    assert sorted(_residents(s, household)) == sorted(people[1:])
    assert _events(s, household) == [("split", new, 1, "B0001")]
    assert _events(s, new) == [("split_from", household, 1, "B0001")]
    assert _words(s, household) == ["分出 9901 室"]
    assert _words(s, new) == [f"从 {row.room} 室分出"]
    assert new in s.read.household_ids()
    s.act_as("A0001", "admin")
    assert s.audit.entries(audit_actions.HOUSEHOLD_SPLIT)[0].target == household


def test_field_workers_may_not_change_the_lifecycle(demo_services: Services) -> None:
    s = demo_services
    household, other = _two_rooms(s)
    s.act_as("W0101", "field")
    with pytest.raises(AccessDenied):
        s.households.move_out(household)
    with pytest.raises(AccessDenied):
        s.households.merge(household, other)
    with pytest.raises(AccessDenied):
        s.households.split(household, "9901", [])
    with pytest.raises(AccessDenied):
        s.households.move_in(household, [NewResident("王新")])
    s.act_as("B0001", "office")
    assert _events(s, household) == []
