"""The change log: every write to every synced table is logged, and replaying the log
into an empty database rebuilds identical tables."""

from __future__ import annotations

import itertools
import json
import sqlite3

import pytest

from gridapp.clock import FixedClock
from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.services.households import NewResident
from gridapp.services.visits import VisitInput
from gridapp.storage import changelog
from gridapp.storage.schema import SYNCED_TABLES
from gridapp.storage.store import LocalDevice, Store


def _table_rows(store: Store, table: str) -> list[tuple[object, ...]]:
    return store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def _neighbours(services: Services) -> tuple[str, str]:
    """Two households of one building that nothing else here touches."""
    taken = set(services.read.household_ids()[:2])
    rows = services.store.db.execute(
        "SELECT id, building_id FROM household ORDER BY building_id DESC, code"
    ).fetchall()
    for (a, ba), (b, bb) in itertools.pairwise(rows):
        if ba == bb and not {a, b} & taken:
            return a, b
    raise AssertionError("no two households in one building")


def _busy(services: Services, clock: FixedClock) -> None:
    """Every kind of write the services make today, on top of the demo."""
    read = services.read
    household = read.household_ids()[0]
    detail = read.household(household)
    assert detail is not None
    clock.advance(hours=1)
    services.households.update_household(
        household, {"status": "rented", "tags": ["独居老人"], "area": 66.5}
    )
    resident = services.households.add_resident(
        household, NewResident("单晓明", "tenant", False, 1990, ("13912345678",))
    )
    phone_id = services.store.db.execute(
        "SELECT id FROM phone WHERE resident_id = ?", [resident]
    ).fetchone()[0]
    services.households.change_phone(phone_id, "139 8765 4321")
    result = services.visits.record(
        VisitInput(household, "W0101", "met", answers={"stance": "agree"})
    )
    services.visits.correct(
        result.visit_id,
        VisitInput(household, "W0101", "met", answers={"stance": "oppose", "reasons": ["history"]}),
    )
    other = read.household_ids()[1]
    wrong = services.visits.record(VisitInput(other, "W0102", "not_home"))
    services.visits.void("visit", wrong.visit_id, "录错住户")
    queue = services.review.queue()
    services.review.approve([queue[0].id])
    services.review.return_visit(queue[1].id, "请核实满意度")
    # a household's lifecycle: moved out (names redacted in the log), moved in, merged
    # with its neighbour, split again
    third, fourth = _neighbours(services)
    services.households.move_out(third)
    services.households.move_in(
        third, [NewResident("新住户", "head", True, None, ("13700001111",))]
    )
    services.households.merge(third, fourth)
    services.households.split(
        third,
        "9901",
        [
            services.store.db.execute(
                "SELECT id FROM resident WHERE household_id = ? LIMIT 1", [third]
            ).fetchone()[0]
        ],
    )
    answer = services.visits.add_online_answer("W0103", "wechat", "几时开会？", "月底。", other)
    services.visits.void("online_answer", answer, "重复录入")
    team = services.campaigns.add_team(17, "第17组")
    services.campaigns.add_worker("W1701", "曾小芳", team.id)
    campaign = read.campaigns()[0]
    building = read.buildings()[0]
    services.campaigns.assign_buildings(campaign["id"], team.id, [building.id])


def test_replaying_the_log_rebuilds_identical_tables(
    demo_services: Services, clock: FixedClock
) -> None:
    _busy(demo_services, clock)
    source = demo_services.store
    target = Store.open(None, clock)
    entries = list(changelog.entries(source.db))
    with target.replaying() as db:
        for entry in entries:
            changelog.apply_entry(db, entry)
            changelog.record_entry(db, entry)
    for table in SYNCED_TABLES:
        assert _table_rows(target, table) == _table_rows(source, table), table
    assert changelog.last_seq(target.db, source.require_device().device_id) == len(entries)


def test_every_synced_table_with_rows_was_logged(
    demo_services: Services, clock: FixedClock
) -> None:
    _busy(demo_services, clock)
    db = demo_services.store.db
    for table in SYNCED_TABLES:
        rows = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        inserts = db.execute(
            "SELECT count(*) FROM change_log WHERE entity = ? AND op = 'insert'", [table]
        ).fetchone()[0]
        # a move-out deletes residents and phones: each delete is logged too
        deletes = db.execute(
            "SELECT count(*) FROM change_log WHERE entity = ? AND op = 'delete'", [table]
        ).fetchone()[0]
        assert inserts - deletes == rows, table


def test_seq_is_gapless_per_device(demo_services: Services, clock: FixedClock) -> None:
    _busy(demo_services, clock)
    seqs = [
        row[0]
        for row in demo_services.store.db.execute(
            "SELECT seq FROM change_log ORDER BY seq"
        ).fetchall()
    ]
    assert seqs == list(range(1, len(seqs) + 1))


def test_an_update_logs_only_changed_fields_with_the_values_replaced(services: Services) -> None:
    compound = services.households.add_compound("建业新村", fee_per_m2=0.45)
    with services.store.unit_of_work("OFFICE01") as db:
        db.table("compound").update(compound.id, {"fee_per_m2": 0.8, "name": "建业新村"})
    entry = list(changelog.entries(services.store.db))[-1]
    assert (entry.op, entry.entity, entry.record_id) == ("update", "compound", compound.id)
    assert entry.fields == {"fee_per_m2": 0.8}
    assert entry.base == {"fee_per_m2": 0.45}
    assert entry.actor == "OFFICE01"


def test_an_update_that_changes_nothing_logs_nothing(services: Services) -> None:
    compound = services.households.add_compound("光鸿苑")
    before = changelog.last_seq(services.store.db, services.store.require_device().device_id)
    with services.store.unit_of_work("OFFICE01") as db:
        db.table("compound").update(compound.id, {"name": "光鸿苑"})
    after = changelog.last_seq(services.store.db, services.store.require_device().device_id)
    assert after == before


@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_every_synced_table_has_triggers_covering_all_its_columns(
    services: Services, table: str
) -> None:
    db = services.store.db
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    installed = dict(
        db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]
        ).fetchall()
    )
    for name, sql in changelog.trigger_sql(table, columns).items():
        assert installed.get(name) == sql


def test_a_write_outside_a_unit_of_work_is_refused(services: Services) -> None:
    db = services.store.db
    with pytest.raises(sqlite3.IntegrityError, match="outside a unit of work"):
        db.execute("INSERT INTO compound (id, name, created_at) VALUES ('x', 'x', 't')")
    db.conn.rollback()
    assert db.execute("SELECT count(*) FROM compound").fetchone()[0] == 0


def test_deletes_log_the_whole_old_record(services: Services) -> None:
    compound = services.households.add_compound("临沂二村")
    with services.store.unit_of_work("OFFICE01") as db:
        db.table("compound").delete(compound.id)
    entry = list(changelog.entries(services.store.db))[-1]
    assert entry.op == "delete"
    assert entry.base is not None and entry.base["name"] == "临沂二村"


def test_the_log_is_append_only(services: Services) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        services.store.db.execute("DELETE FROM change_log")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        services.store.db.execute("UPDATE change_log SET actor = 'x'")


def test_a_failed_action_leaves_neither_data_nor_log(services: Services) -> None:
    db = services.store.db
    before = db.execute("SELECT count(*) FROM change_log").fetchone()[0]
    with pytest.raises(RuntimeError), services.store.unit_of_work("OFFICE01") as tx:
        tx.table("compound").insert({"id": "c", "name": "x", "created_at": "t"})
        raise RuntimeError("boom")
    assert db.execute("SELECT count(*) FROM compound").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM change_log").fetchone()[0] == before


def test_hlc_never_goes_backwards_when_the_clock_does(
    services: Services, clock: FixedClock
) -> None:
    services.households.add_compound("A")
    clock.advance(hours=-5)
    services.households.add_compound("B")
    stamps = [e.hlc for e in changelog.entries(services.store.db)]
    # device record, then A, then B: one stamp per unit of work, strictly increasing
    assert len(stamps) == 3
    assert stamps[0] < stamps[1] < stamps[2]


def test_entries_carry_json_values_of_the_record(services: Services) -> None:
    services.households.add_compound("东方城市花园二期", fee_per_m2=0.78)
    row = services.store.db.execute(
        "SELECT fields FROM change_log WHERE entity = 'compound'"
    ).fetchone()
    assert json.loads(row[0])["fee_per_m2"] == 0.78


def test_local_device_identity_is_claimed_once(clock: FixedClock) -> None:
    store = Store.open(None, clock)
    store.claim_identity(LocalDevice("d1", "field", "laptop", "s", "b"))
    with pytest.raises(InvalidInput):
        store.claim_identity(LocalDevice("d2", "field", "laptop", "s", "b"))
    assert store.require_device().device_id == "d1"
