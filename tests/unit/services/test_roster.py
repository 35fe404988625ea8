"""Roster import end to end on a real database: a clean file imports whole, a bad one
writes nothing, duplicates are shown and never merged, skipped rows go to a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gridapp.errors import InvalidInput, ReadOnlyLocation
from gridapp.services import Services
from gridapp.services.roster import RosterInvalid
from gridapp.storage import search_index
from tests.unit.roster.helpers import GOOD, HEADER, write_csv, write_xlsx

DATA = Path(__file__).parents[1] / "roster" / "data"


def _state(services: Services) -> tuple[Any, int]:
    db = services.store.db
    return services.read.counts(), db.execute("SELECT count(*) FROM change_log").fetchone()[0]


def _households(services: Services) -> dict[str, dict[str, Any]]:
    rows = services.store.db.query(
        "SELECT h.code, h.floor, h.unit, h.room, h.area, h.population, h.note, r.name,"
        " r.is_owner, r.relation, group_concat(p.number) AS phones FROM household h"
        " LEFT JOIN resident r ON r.household_id = h.id"
        " LEFT JOIN phone p ON p.resident_id = r.id GROUP BY h.id"
    )
    return {row["code"]: row for row in rows}


@pytest.mark.parametrize("form", ["utf-8", "utf-8-sig", "gbk", "gb18030", "xlsx"])
def test_a_clean_roster_imports_whole(services: Services, tmp_path: Path, form: str) -> None:
    if form == "xlsx":
        path = write_xlsx(tmp_path / "r.xlsx")
    else:
        path = write_csv(tmp_path / "r.csv", encoding=form)
    calls: list[tuple[int, float | None]] = []
    services.act_as("B0001", "office")
    result = services.roster.import_file(path, progress=lambda n, f: calls.append((n, f)))
    assert (result.rows, result.households, result.residents, result.phones) == (6, 6, 6, 5)
    assert result.new_compounds == ["建业新村", "光鸿苑"]
    assert result.new_buildings == 3
    assert result.skipped == 0 and result.error_workbook is None
    assert calls and calls[-1][0] == 6
    counts = services.read.counts()
    assert (counts.compounds, counts.buildings, counts.households) == (2, 3, 6)
    homes = _households(services)
    assert set(homes) == {
        "JYXC-12-2-301",
        "JYXC-12-2-302",
        "JYXC-12-2-1201",
        "JYXC-3-101",
        "GHY-5-1-1802",
        "GHY-5-1-1803",
    }
    first = homes["JYXC-12-2-301"]
    assert (first["floor"], first["area"], first["population"]) == (3, 85.5, 3)
    assert (first["name"], first["is_owner"], first["relation"]) == ("张三丰", 1, "head")
    assert first["phones"] == "13812345678"
    assert homes["JYXC-12-2-1201"]["floor"] == 12
    assert homes["JYXC-12-2-1201"]["name"] == "王五"
    assert homes["JYXC-12-2-302"]["note"] == "独居老人"
    assert homes["JYXC-3-101"]["phones"] == "02158881234"
    assert homes["GHY-5-1-1802"]["phones"] == "13812345681"
    assert homes["GHY-5-1-1803"]["phones"] is None
    assert homes["GHY-5-1-1803"]["area"] is None
    buildings = {
        (b["number"], b["floors"], b["units"], b["kind"])
        for b in services.store.db.query("SELECT * FROM building")
    }
    assert buildings == {("12", 12, 2, "highrise"), ("3", 1, 1, "walkup"), ("5", 18, 1, "highrise")}
    # the change log holds every record, written as the signed-in office worker
    actors = {r[0] for r in services.store.db.execute("SELECT DISTINCT actor FROM change_log")}
    assert "B0001" in actors


def test_the_finder_finds_imported_households(services: Services, tmp_path: Path) -> None:
    services.roster.import_file(write_csv(tmp_path / "r.csv"))
    assert search_index.dirty_count(services.store.db) == 0
    for query in ("张三丰", "zsf", "12-2-301", "5678", "建业12-301", "JYXC-12-2-301"):
        assert [h.code for h in services.search.find(query)][:1] == ["JYXC-12-2-301"], query


def test_a_bad_roster_writes_nothing_and_names_every_problem(
    services: Services, tmp_path: Path
) -> None:
    rows = [
        GOOD[0],
        ("建业新村", "12", "2", "", "无室号", "", "", "", ""),
        ("建业新村", "12", "2", "303", "科学计数", "1.38E+10", "八十平", "2.5", ""),
        ("", "12", "2", "304", "无小区", "", "", "", ""),
        GOOD[1],
    ]
    path = write_csv(tmp_path / "r.csv", rows, encoding="gbk")
    before = _state(services)
    with pytest.raises(RosterInvalid) as caught:
        services.roster.import_file(path)
    assert _state(services) == before
    found = [(p.line, p.column, p.key) for p in caught.value.problems]
    assert found == [
        (3, "室号", "error.roster.missing_value"),
        (4, "联系电话", "error.roster.phone_lost_digits"),
        (4, "建筑面积", "error.roster.bad_area"),
        (4, "户籍人数", "error.roster.bad_population"),
        (5, "小区名称", "error.roster.missing_value"),
    ]
    assert caught.value.params == {"file": "r.csv", "row": 3, "column": "室号", "count": 5}


def test_duplicates_in_the_file_and_the_database_are_shown_not_merged(
    demo_services: Services, tmp_path: Path
) -> None:
    services = demo_services
    taken = services.store.db.execute(
        "SELECT h.code, h.unit, h.room, b.number FROM household h JOIN building b"
        " ON b.id = h.building_id JOIN compound c ON c.id = b.compound_id"
        " WHERE c.name = '建业新村' ORDER BY h.code LIMIT 1"
    ).fetchone()
    code, unit, room, number = taken
    rows = [
        ("建业新村", f"{number}号楼", f"{unit}单元", f"{room}室", "重名", "", "", "", ""),
        ("建业新村", "99", "1", "101", "新楼甲", "", "", "", ""),
        ("建业新村", "99号", "1单元", "101室", "新楼乙", "", "", "", ""),
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    before = _state(services)
    preview = services.roster.preview(path)
    assert _state(services) == before
    assert [(p.line, p.key, p.params) for p in preview.problems] == [
        (2, "error.roster.duplicate_in_database", {"code": code}),
        (4, "error.roster.duplicate_in_file", {"first": 3}),
    ]
    assert preview.duplicates == 2 and preview.valid == 1 and preview.new_compounds == []
    assert preview.new_buildings == 1
    with pytest.raises(RosterInvalid):
        services.roster.import_file(path)
    assert _state(services) == before
    result = services.roster.import_file(
        path, skip_invalid=True, error_workbook=tmp_path / "out" / "问题.xlsx"
    )
    assert (result.households, result.skipped) == (1, 2)
    # the new building joins the demo's compound, with its code prefix
    assert services.read.household_by_code("JYXC-99-1-101") is not None
    assert services.read.counts().compounds == before[0].compounds


def test_skipped_rows_go_to_a_workbook_with_their_problems(
    services: Services, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    rows = [
        GOOD[0],
        ("建业新村", "12", "2", "303", "=HYPERLINK(1)", "1.38E+10", "", "", ""),
        GOOD[2],
    ]
    path = write_csv(tmp_path / "花名册.csv", rows)
    result = services.roster.import_file(path, skip_invalid=True)
    assert result.error_workbook == tmp_path / "花名册_问题行.xlsx"
    assert (result.households, result.skipped) == (2, 1)
    sheet = load_workbook(result.error_workbook).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == ["原行号", *HEADER, "问题"]
    assert table[1][:7] == [3, "建业新村", "12", "2", "303", "=HYPERLINK(1)", "1.38E+10"]
    assert sheet["E2"].data_type == "s"  # text, never a formula
    assert "联系电话" in table[1][-1] and "科学计数法" in table[1][-1]


def test_a_workbook_that_cannot_be_written_imports_nothing(
    services: Services, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rows = [GOOD[0], ("建业新村", "12", "2", "", "", "", "", "", "")]
    before = _state(services)
    with pytest.raises(ReadOnlyLocation):
        services.roster.import_file(
            write_csv(tmp_path / "r.csv", rows),
            skip_invalid=True,
            error_workbook=blocker / "errors.xlsx",
        )
    assert _state(services) == before


def test_preview_shows_the_mapping_and_a_sample(services: Services, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", header=(*HEADER[:8], "其他"))
    preview = services.roster.preview(path, mapping={"户籍人数": None, "其他": "note"})
    assert preview.columns.as_dict()["户籍人数"] is None
    assert preview.columns.as_dict()["其他"] == "note"
    assert (preview.rows, preview.valid, preview.invalid, preview.clean) == (6, 6, 0, True)
    assert preview.sample[0].building == "12" and preview.sample[0].population is None
    assert preview.encoding == "utf-8" and preview.header_line == 1
    with pytest.raises(InvalidInput) as caught:
        services.roster.preview(path, mapping={"室号": None})
    assert caught.value.key == "error.roster.missing.room"


def test_only_a_header(services: Services, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.roster.import_file(write_csv(tmp_path / "r.csv", []))
    assert caught.value.key == "error.roster.no_rows"


def test_compounds_with_the_same_initials_get_distinct_codes(
    services: Services, tmp_path: Path
) -> None:
    rows = [
        ("建业新村", "1", "", "101", "", "", "", "", ""),
        ("金园新村", "1", "", "101", "", "", "", "", ""),
    ]
    services.roster.import_file(write_csv(tmp_path / "r.csv", rows))
    assert set(_households(services)) == {"JYXC-1-101", "JYXC2-1-101"}


def test_the_libreoffice_workbook(services: Services, tmp_path: Path) -> None:
    path = DATA / "libreoffice_roster.xlsx"
    before = _state(services)
    with pytest.raises(RosterInvalid) as caught:
        services.roster.import_file(path)
    assert [(p.line, p.column, p.key) for p in caught.value.problems] == [
        (6, "手机号", "error.roster.phone_lost_digits")
    ]
    assert _state(services) == before
    result = services.roster.import_file(
        path, skip_invalid=True, error_workbook=tmp_path / "e.xlsx"
    )
    assert (result.households, result.skipped) == (4, 1)
    homes = _households(services)
    assert homes["LYEC-7-1-102"]["note"] == "独居"
    assert homes["LYEC-7-1-102"]["area"] == 55.2
    assert homes["LYEC-8-1-101"]["population"] == 4
