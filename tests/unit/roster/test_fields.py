"""Header words offices use, and the user's corrections."""

from __future__ import annotations

import pytest

from gridapp.errors import InvalidInput
from gridapp.roster.fields import Field, header_key, parse_overrides, recognise, resolve


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("小区", Field.COMPOUND),
        ("小区名称", Field.COMPOUND),
        (" 小区名称： ", Field.COMPOUND),
        ("楼号", Field.BUILDING),
        ("楼栋", Field.BUILDING),
        ("幢", Field.BUILDING),
        ("楼", Field.BUILDING),
        ("单元", Field.UNIT),
        ("室号", Field.ROOM),
        ("房号", Field.ROOM),
        ("门牌", Field.ROOM),
        ("户主", Field.OWNER),
        ("户主姓名", Field.OWNER),
        ("姓名", Field.OWNER),
        ("电话", Field.PHONE),
        ("联系电话:", Field.PHONE),
        ("手机", Field.PHONE),
        ("手机号", Field.PHONE),
        ("面积", Field.AREA),
        ("建筑面积(㎡)", Field.AREA),
        ("面积（平方米）", Field.AREA),
        ("人口", Field.POPULATION),
        ("人数", Field.POPULATION),
        ("户籍人数", Field.POPULATION),
        ("备注", Field.NOTE),
        ("*室号", Field.ROOM),
        ("ROOM", Field.ROOM),
        ("序号", None),
        ("身份证号", None),
    ],
)
def test_headers_offices_use(header: str, field: Field | None) -> None:
    assert recognise(header) == field


def test_full_width_and_spaces_in_headers() -> None:
    assert header_key("联 系 电 话：") == "联系电话"
    assert header_key("ＲＯＯＭ") == "room"


def test_missing_required_column_is_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve(["小区", "楼号", "户主"], file="a.csv")
    assert caught.value.key == "error.roster.missing.room"
    assert caught.value.params["file"] == "a.csv"
    assert caught.value.params["columns"] == "小区、楼号、户主"


def test_the_user_corrects_the_guess() -> None:
    headers = ["小区", "楼号", "门牌", "室", "姓名", "户主"]
    guess = resolve(headers)
    # the first of two columns for one field wins; the second is left out
    assert guess.fields == (
        Field.COMPOUND,
        Field.BUILDING,
        Field.ROOM,
        None,
        Field.OWNER,
        None,
    )
    fixed = resolve(headers, {"室": Field.ROOM, "户主": Field.OWNER, "门牌": None})
    assert fixed.index(Field.ROOM) == 3
    assert fixed.index(Field.OWNER) == 5
    assert fixed.fields[2] is None and fixed.fields[4] is None


def test_mapping_errors_name_the_columns() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve(["小区", "楼号", "室号"], {"栋号": Field.BUILDING}, file="a.csv")
    assert caught.value.key == "error.roster.map_column"
    assert caught.value.params["column"] == "栋号"
    with pytest.raises(InvalidInput) as caught:
        resolve(["小区", "A", "B", "室号"], {"A": Field.BUILDING, "B": Field.BUILDING})
    assert caught.value.key == "error.roster.map_twice"
    assert (caught.value.params["first"], caught.value.params["second"]) == ("A", "B")


def test_cli_map_pairs() -> None:
    labels = {f: f.value.upper() for f in Field}
    assert parse_overrides(["栋=building", "备用=", "门=ROOM", "号=楼号"], labels) == {
        "栋": Field.BUILDING,
        "备用": None,
        "门": Field.ROOM,
        "号": Field.BUILDING,
    }
    for bad in ("栋", "=building"):
        with pytest.raises(InvalidInput):
            parse_overrides([bad])
    with pytest.raises(InvalidInput) as caught:
        parse_overrides(["栋=tower"])
    assert caught.value.key == "error.roster.unknown_field"
