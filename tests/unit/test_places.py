"""Places as people name them: ids, 建业新村1号 in any width and spacing, a number alone
when it is unique, and a clear refusal when a name fits several."""

from __future__ import annotations

import pytest

from gridapp import places
from gridapp.errors import InvalidInput, NotFound

BUILDINGS = [
    places.building("b1", "建业新村", "1"),
    places.building("b12", "建业新村", "12"),
    places.building("l1", "临沂二村", "1"),
    places.building("l7", "临沂二村", "7"),
]


@pytest.mark.parametrize(
    ("ref", "found"),
    [
        ("b12", "b12"),
        ("建业新村1号", "b1"),
        ("建业新村 1", "b1"),
        ("建业新村１２号", "b12"),  # full-width digits, as a Chinese keyboard types them
        (" 临沂二村7号楼 ".replace("楼", ""), "l7"),
        ("7号", "l7"),  # only one compound has a 7
    ],
)
def test_a_building_by_the_name_people_use(ref: str, found: str) -> None:
    assert places.resolve("building", ref, BUILDINGS) == found


def test_an_ambiguous_or_unknown_name_is_refused_with_the_candidates() -> None:
    with pytest.raises(InvalidInput) as ambiguous:
        places.resolve("building", "1号", BUILDINGS)
    assert ambiguous.value.key == "error.place.building_ambiguous"
    assert ambiguous.value.params["labels"] == "建业新村1号、临沂二村1号"
    assert ambiguous.value.params["count"] == 2
    with pytest.raises(NotFound) as unknown:
        places.resolve("building", "建业新村3号", BUILDINGS)
    assert unknown.value.key == "error.place.building_not_found"
    with pytest.raises(NotFound):
        places.resolve("building", "   ", BUILDINGS)


def test_grids_by_name_or_code_with_their_compound_when_needed() -> None:
    grids = [
        places.grid("g1", "建业新村", "第1网格", "JY-G1"),
        places.grid("g2", "临沂二村", "第1网格", "LY-G1"),
    ]
    assert places.resolve("grid", "jy-g1", grids) == "g1"
    assert places.resolve("grid", "临沂二村第1网格", grids) == "g2"
    with pytest.raises(InvalidInput) as ambiguous:
        places.resolve("grid", "第1网格", grids)
    assert "建业新村 · 第1网格" in ambiguous.value.params["labels"]
