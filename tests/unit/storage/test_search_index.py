"""The household finder end to end: index kept by triggers and the commit hook, queries
in every form a grid worker types, walking order, nothing computed per keystroke."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gridapp import search
from gridapp.cli import main
from gridapp.clock import FixedClock
from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.services.households import NewHousehold, NewResident
from gridapp.storage import search_index
from gridapp.storage.store import Store


@dataclass(frozen=True)
class Town:
    zhang: str  # 建业新村 12-1-301 张三丰
    zeng: str  # 建业新村 12-2-301 曾小芳
    shan: str  # 建业新村 3-1-502 单晓明
    qiu: str  # 临沂二村 12-301 仇建国
    wang: str  # 临沂二村 12-402 王国栋


def _building(services: Services, compound_id: str, number: int, units: int) -> str:
    return services.households.add_building(
        {
            "compound_id": compound_id,
            "number": str(number),
            "kind": "walkup",
            "floors": 6,
            "units": units,
            "sort_key": number,
        },
    ).id


def add_town(services: Services, clock: FixedClock) -> Town:
    jy = services.households.add_compound("建业新村").id
    clock.advance(minutes=1)  # creation order is walking order
    ly = services.households.add_compound("临沂二村").id
    jy12, jy3 = _building(services, jy, 12, 2), _building(services, jy, 3, 2)
    ly12 = _building(services, ly, 12, 1)

    def home(
        b: str, unit: str, floor: int, room: str, code: str, name: str, *phones: str
    ) -> NewHousehold:
        head = NewResident(name, "head", True, None, phones)
        return NewHousehold(b, floor, room, code, unit=unit, residents=(head,))

    ids = services.households.add_households(
        [
            home(jy12, "1", 3, "301", "JYXC-12-1-301", "张三丰", "13812341234"),
            home(jy12, "2", 3, "301", "JYXC-12-2-301", "曾小芳", "13900005678"),
            home(jy3, "1", 5, "502", "JYXC-3-1-502", "单晓明", "02158880001"),
            home(ly12, "", 3, "301", "LYEC-12-301", "仇建国"),
            home(ly12, "", 4, "402", "LYEC-12-402", "王国栋", "15000009999"),
        ],
    )
    return Town(*ids)


@pytest.fixture
def town(services: Services, clock: FixedClock) -> Town:
    return add_town(services, clock)


def find(services: Services, query: str, limit: int = 50) -> list[str]:
    return services.search.find_ids(query, limit)


@pytest.mark.parametrize(
    "query", ["zsf", "ZSF", "zhangsanfeng", "zhangs", "zhang", "张三丰", "张三", "sanfeng"]
)
def test_a_name_in_any_form(services: Services, town: Town, query: str) -> None:
    assert find(services, query) == [town.zhang]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("zxf", "zeng"),
        ("zengxiaofang", "zeng"),
        ("cxf", "zeng"),
        ("cengxiaofang", "zeng"),
        ("sxm", "shan"),
        ("shanxiaoming", "shan"),
        ("danxiaoming", "shan"),
        ("qjg", "qiu"),
        ("qiujianguo", "qiu"),
        ("choujianguo", "qiu"),
    ],
)
def test_polyphonic_surnames_either_way(
    services: Services, town: Town, query: str, who: str
) -> None:
    assert find(services, query) == [getattr(town, who)]


def test_one_and_two_character_queries(services: Services, town: Town) -> None:
    assert find(services, "曾") == [town.zeng]
    assert find(services, "单") == [town.shan]
    assert find(services, "国") == [town.qiu, town.wang]  # 仇建国, 王国栋: walking order
    assert find(services, "建业") == [town.shan, town.zhang, town.zeng]  # building 3 first
    assert find(services, "晓明") == [town.shan]
    assert find(services, "zs") == [town.zhang]
    assert find(services, "丰") == [town.zhang]
    assert find(services, "鑫") == []


@pytest.mark.parametrize(
    "query", ["12-301", "12号301", "12幢301室", "12栋301", "12号楼301", "１２－３０１", "12#301"]
)
def test_every_address_form(services: Services, town: Town, query: str) -> None:
    assert find(services, query) == [town.zhang, town.zeng, town.qiu]


@pytest.mark.parametrize(
    "query", ["12-1-301", "12号1单元301室", "１２－１－３０１", "12幢1单元301"]
)
def test_address_with_a_unit(services: Services, town: Town, query: str) -> None:
    assert find(services, query) == [town.zhang]


def test_compound_fragment_plus_address(services: Services, town: Town) -> None:
    assert find(services, "建业12-301") == [town.zhang, town.zeng]
    assert find(services, "临沂12号301室") == [town.qiu]
    assert find(services, "建业12-402") == []


def test_phone_tails(services: Services, town: Town) -> None:
    assert find(services, "1234") == [town.zhang]
    assert find(services, "5678") == [town.zeng]
    assert find(services, "9999") == [town.wang]


def test_household_code_case_insensitive_and_exact_first(services: Services, town: Town) -> None:
    assert find(services, "JYXC-12-1-301") == [town.zhang]
    assert find(services, "jyxc-12-1-301") == [town.zhang]
    # LYEC-12-3 is inside LYEC-12-301 only; an exact code beats walking order
    services.households.update_household(town.wang, {"room": "3"})
    with services.store.unit_of_work("OFFICE01") as db:
        db.table("household").update(town.wang, {"code": "LYEC-12-3"})
    assert find(services, "lyec-12-3") == [town.wang, town.qiu]


def test_limit_and_odd_queries(services: Services, town: Town) -> None:
    assert len(find(services, "-", 50)) == 0
    assert find(services, "   ") == []
    assert len(find(services, "1", 2)) == 2
    for odd in ['"', 'a"b', "*", "AND", "(zsf", "zsf OR 1", "NEAR(a b)", "%", "_"]:
        find(services, odd)  # never FTS5 syntax: no error
    with pytest.raises(InvalidInput):
        services.search.find("zsf", limit=0)


def test_rows_come_back_ready_to_show(services: Services, town: Town) -> None:
    [row] = services.search.find("zsf")
    assert (row.id, row.head_name, row.address) == (town.zhang, "张三丰", "建业新村12号1单元301室")


def test_a_raw_edit_is_followed(services: Services, town: Town) -> None:
    rid = services.store.db.execute(
        "SELECT id FROM resident WHERE household_id = ?", [town.zhang]
    ).fetchone()[0]
    with services.store.unit_of_work("t") as db:
        db.table("resident").update(rid, {"name": "李四"})
    assert find(services, "zsf") == [] and find(services, "张三") == []
    assert find(services, "李四") == [town.zhang] == find(services, "ls")
    assert search_index.dirty_count(services.store.db) == 0


def test_sync_replay_is_followed(services: Services, town: Town) -> None:
    rid = services.store.db.execute(
        "SELECT id FROM resident WHERE household_id = ?", [town.qiu]
    ).fetchone()[0]
    with services.store.replaying() as db:  # the path bundles from other devices take
        db.table("household").update(town.qiu, {"room": "601", "floor": 6})
        db.table("resident").update(rid, {"name": "钱六"})
    assert find(services, "12-601") == [town.qiu] == find(services, "qianliu")
    assert find(services, "qjg") == []


def test_phones_residents_and_deletions_are_followed(services: Services, town: Town) -> None:
    phone = services.store.db.execute(
        "SELECT p.id FROM phone p JOIN resident r ON r.id = p.resident_id WHERE r.household_id = ?",
        [town.zhang],
    ).fetchone()[0]
    services.households.change_phone(phone, "13700004321")
    assert find(services, "4321") == [town.zhang] and find(services, "1234") == []
    services.households.add_resident(town.qiu, NewResident("覃美", phones=("1888",)))
    assert find(services, "qinmei") == [town.qiu] == find(services, "tanmei")
    with services.store.unit_of_work("t") as db:
        for table, key in (("phone", "resident_id"), ("resident", "id")):
            db.execute(
                f"DELETE FROM {table} WHERE {key} IN"
                " (SELECT id FROM resident WHERE household_id = ?)",
                [town.wang],
            )
        db.execute("DELETE FROM household WHERE id = ?", [town.wang])
    assert find(services, "王国栋") == [] and find(services, "12-402") == []
    assert search_index.indexed_text(services.store.db, town.wang) is None


def test_renaming_a_compound_reindexes_its_households(services: Services, town: Town) -> None:
    compound = services.store.db.execute(
        "SELECT id FROM compound WHERE name = '临沂二村'"
    ).fetchone()
    with services.store.unit_of_work("t") as db:
        db.table("compound").update(compound[0], {"name": "临沂三村"})
    assert find(services, "临沂三") == [town.qiu, town.wang]
    assert find(services, "临沂二") == []


def test_nothing_is_computed_per_query(
    services: Services, town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = search.read_pinyin

    def counting(text: str) -> list[str]:
        calls.append(text)
        return list(real(text))

    monkeypatch.setattr(search, "read_pinyin", counting)
    search.clear_caches()
    for query in ("zsf", "张三", "曾", "12-301", "1234", "jyxc-12-1-301", "qiujianguo"):
        find(services, query)
    assert calls == []
    services.households.add_resident(town.qiu, NewResident("欧阳锋"))
    assert calls  # the counter works: writing does compute
    assert find(services, "oyf") == [town.qiu]


def test_the_hook_is_registered_once(services: Services) -> None:
    Services(services.store)
    assert services.store.commit_hooks.count(search_index.refresh_dirty) == 1


def test_demo_index_is_in_walking_order(demo_services: Services) -> None:
    db = demo_services.store.db
    walk = demo_services.read.household_ids()
    assert search_index.ordered_ids(db) == walk
    position = {hid: n for n, hid in enumerate(walk)}
    for query in ("王", "zh", "1-301", "建业", "chen", "1"):
        found = demo_services.search.find_ids(query, 30)
        assert found and [position[h] for h in found] == sorted(position[h] for h in found)


def test_demo_households_are_found_by_code_and_head(demo_services: Services) -> None:
    for row in demo_services.read.household_rows(demo_services.read.household_ids()[::37]):
        assert demo_services.search.find_ids(row.code.lower())[0] == row.id
        assert row.id in demo_services.search.find_ids(row.head_name, 500)
        initials = search.name_pinyin(row.head_name)[1]
        assert row.id in demo_services.search.find_ids(initials, 2000)


def test_gaps_that_run_out_renumber_in_order(
    services: Services, town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "GAP", 4)
    with services.store.unit_of_work("t") as db:
        search_index.rebuild(db)  # rids 4, 8, 12…: room for two between neighbours
    building = services.store.db.execute(
        "SELECT building_id FROM household WHERE id = ?", [town.zhang]
    ).fetchone()[0]
    statements: list[str] = []
    services.store.db.conn.set_trace_callback(statements.append)
    added = {}
    for floor in (2, 1):  # each lands just before the one added last: the gap halves
        for n in range(3):
            code = f"X-{floor}-{n}"
            [added[code]] = services.households.add_households(
                [NewHousehold(building, floor, f"{floor}0{n}", code, unit="1")]
            )
    db = services.store.db
    db.conn.set_trace_callback(None)
    assert any("SELECT household_id, code, walk, text FROM _search" in s for s in statements)
    assert search_index.ordered_ids(db) == services.read.household_ids()
    assert find(services, "x-1-0") == [added["X-1-0"]]
    rids = [row[0] for row in db.execute("SELECT rid FROM _search ORDER BY walk")]
    assert rids == sorted(set(rids))


def test_rebuild_gives_the_same_index(demo_services: Services) -> None:
    db = demo_services.store.db
    before = db.execute("SELECT household_id, text FROM _search ORDER BY walk").fetchall()
    with demo_services.store.unit_of_work("t"):
        search_index.rebuild(db)
    assert db.execute("SELECT household_id, text FROM _search ORDER BY walk").fetchall() == before
    assert demo_services.search.find_ids("1-301") != []


def test_migration_indexes_households_already_there(tmp_path: Path, clock: FixedClock) -> None:
    services = Services(Store.open(tmp_path / "gridapp.db", clock))
    services.device.initialise("office", "t")
    town = add_town(services, clock)
    db = services.store.db
    with db.conn:  # back to the schema before the finder
        for (trigger,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '\\_search\\_%'"
            " ESCAPE '\\'"
        ).fetchall():
            db.execute(f"DROP TRIGGER {trigger}")
        for name in ("_search_vocab", "_search_fts", "_search", "_search_dirty"):
            db.execute(f"DROP TABLE {name}")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_search'")
    services.store.close()
    reopened = Services(Store.open(tmp_path / "gridapp.db", clock))
    assert reopened.search.find_ids("zsf") == [town.zhang]
    reopened.store.close()


def test_cli_find(tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "init", "--role", "office", "--plain"]) == 0
    services = Services(Store.open_in(tmp_path, clock))
    town = add_town(services, clock)
    services.store.close()
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path), "household", "find", "zsf", "--json"]) == 0
    [household] = json.loads(capsys.readouterr().out)["households"]
    assert household["id"] == town.zhang and household["head_name"] == "张三丰"
    assert household["address"] == "建业新村12号1单元301室"
    assert main(["--data-dir", str(tmp_path), "household", "find", "12号301", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("JYXC-12-1-301") and len(lines) == 3
    assert main(["--data-dir", str(tmp_path), "household", "find", "zsf", "--limit", "0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_searching_never_imports_pypinyin(tmp_path: Path, clock: FixedClock) -> None:
    """pypinyin costs ~180 ms and ~56 MB to import: a process that only reads and
    searches (the GUI starting up) must not pay for it."""
    services = Services(Store.open(tmp_path / "gridapp.db", clock))
    services.device.initialise("office", "t")
    add_town(services, clock)
    services.store.close()
    code = (
        "import sys; from pathlib import Path; from gridapp.services import Services;"
        " from gridapp.storage.store import Store;"
        " s = Services(Store.open(Path(sys.argv[1])));"
        " assert s.search.find_ids('zsf') and s.search.find_ids('曾');"
        " print('pypinyin' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "gridapp.db")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.stdout.strip() == "False"


def test_a_household_found_through_another_resident_says_whom(
    services: Services, clock: FixedClock
) -> None:
    """`wjl` finds 许逸浩's household through his spouse 吴静琳: the row says so; found
    by the head's own name or the address, it names nobody else."""
    compound = services.households.add_compound("建业新村").id
    building = _building(services, compound, 1, 1)
    people = (
        NewResident("许逸浩", "head", True, None, ("13900001111",)),
        NewResident("吴静琳", "spouse", True, None, ("13812348231",)),
    )
    [household] = services.households.add_households(
        [NewHousehold(building, 3, "302", "JYXC-1-1-302", unit="1", residents=people)]
    )
    [row] = services.search.find("wjl")
    assert (row.id, row.head_name, row.matched) == (household, "许逸浩", "吴静琳")
    assert services.search.find("8231")[0].matched == "吴静琳"
    assert services.search.find("xyh")[0].matched == ""
    assert services.search.find("1-302")[0].matched == ""
