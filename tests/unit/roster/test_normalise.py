"""Cells as offices type them, to the values we store; what cannot be read is named."""

from __future__ import annotations

import pytest

from gridapp.roster import normalise
from gridapp.roster.normalise import ValueProblem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12号楼", "12"),
        ("12幢", "12"),
        ("12栋", "12"),
        ("12号", "12"),
        ("12", "12"),
        ("１２", "12"),
        (" 12 号楼 ", "12"),
        ("12#", "12"),
        ("12#楼", "12"),
        ("第12幢", "12"),
        ("十二号楼", "12"),
        ("12.0", "12"),
        ("12a号楼", "12A"),
        ("综合楼", "综合楼"),
    ],
)
def test_building_numbers(text: str, expected: str) -> None:
    assert normalise.building(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2单元", "2"), ("2", "2"), ("二单元", "2"), ("２", "2"), ("", ""), ("2.0", "2")],
)
def test_units(text: str, expected: str) -> None:
    assert normalise.unit(text) == expected


@pytest.mark.parametrize(
    ("text", "room", "floor"),
    [
        ("301室", "301", 3),
        ("301", "301", 3),
        ("1201", "1201", 12),
        ("１２０１室", "1201", 12),
        ("301.0", "301", 3),
        ("5号", "5", None),
        ("2-301", "2-301", 3),
    ],
)
def test_rooms_and_their_floor(text: str, room: str, floor: int | None) -> None:
    assert normalise.room(text) == room
    assert normalise.floor_of_room(room) == floor


def test_an_empty_address_part_is_a_problem() -> None:
    for parse in (normalise.building, normalise.room, normalise.compound_name):
        with pytest.raises(ValueProblem) as caught:
            parse("  ")
        assert caught.value.key == "error.roster.missing_value"
    with pytest.raises(ValueProblem):
        normalise.room("三楼东")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", ("13812345678",)),
        ("138 1234 5678", ("13812345678",)),
        ("138-1234-5678", ("13812345678",)),
        ("13812345678.0", ("13812345678",)),
        ("1.3812345678E+10", ("13812345678",)),
        ("1.3812345678e10", ("13812345678",)),
        ("+86 138 1234 5678", ("13812345678",)),
        ("021-58881234", ("02158881234",)),
        ("13812345678/021-58881234", ("13812345678", "02158881234")),
        ("１３８１２３４５６７８", ("13812345678",)),
        ("", ()),
    ],
)
def test_phones(text: str, expected: tuple[str, ...]) -> None:
    assert normalise.phones(text) == expected


@pytest.mark.parametrize("text", ["1.38E+10", "1.381234E+10", "1.4E10"])
def test_a_phone_excel_cut_short_is_reported_never_invented(text: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        normalise.phones(text)
    assert caught.value.key == "error.roster.phone_lost_digits"
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize("text", ["12345", "138123456789012345", "电话", "1.38123456789E+5"])
def test_bad_phones(text: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        normalise.phones(text)
    assert caught.value.key == "error.roster.bad_phone"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85.5", 85.5),
        ("85.5㎡", 85.5),
        ("85.5平方米", 85.5),
        ("85.5 m2", 85.5),
        ("85.5m²", 85.5),
        ("85.5平米", 85.5),
        ("８５.５", 85.5),
        ("", None),
    ],
)
def test_areas(text: str, expected: float | None) -> None:
    assert normalise.area(text) == expected


@pytest.mark.parametrize("text", ["八十", "-3", "0", "1e9", "nan", "85.5亩"])
def test_bad_areas(text: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        normalise.area(text)
    assert caught.value.key == "error.roster.bad_area"


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), ("3人", 3), ("3.0", 3), ("三", 3), ("0", 0), ("", None)]
)
def test_population(text: str, expected: int | None) -> None:
    assert normalise.population(text) == expected


@pytest.mark.parametrize("text", ["2.5", "-1", "100", "很多"])
def test_bad_population(text: str) -> None:
    with pytest.raises(ValueProblem):
        normalise.population(text)


def test_names_and_floors() -> None:
    assert normalise.person_name(" 王  芳 ") == "王芳"
    assert normalise.person_name("John  Smith") == "John Smith"
    assert normalise.floor("3层") == 3
    assert normalise.floor("") is None
    with pytest.raises(ValueProblem):
        normalise.floor("顶楼")
