"""The finder's text and query forms (pure: no database)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridapp.demo.names import person_name
from gridapp.search import (
    SURNAME_READINGS,
    address_keys,
    household_search_text,
    name_pinyin,
    normalise_query,
    query_terms,
    read_pinyin,
    walk_key,
)


@pytest.mark.parametrize(
    "typed",
    [
        "12-301",
        "12号301",
        "12幢301室",
        "12栋301",
        "12号楼301",
        "１２－３０１",
        "12 - 301",
        "12—301",
    ],
)
def test_every_address_form_becomes_one(typed: str) -> None:
    assert normalise_query(typed) == "12-301"


@pytest.mark.parametrize(
    "typed", ["12-1-301", "12号1单元301室", "12幢1单元301", "12号楼1单元301室", "１２－１－３０１"]
)
def test_address_forms_with_a_unit(typed: str) -> None:
    assert normalise_query(typed) == "12-1-301"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        (" ZSF ", "zsf"),
        ("ｚｈａｎｇ　ｓａｎ", "zhangsan"),  # full-width letters and ideographic space
        ("JYXC-12-1-301", "jyxc-12-1-301"),
        ("王国栋", "王国栋"),  # 栋 in a name is not an address word
        ("周楼", "周楼"),
        ("12#301", "12-301"),
        ("12号", "12-"),  # building 12: keeps the dash that sets it apart from 1201
        ("-12", "12"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise_query(typed: str, normal: str) -> None:
    assert normalise_query(typed) == normal


@given(st.text(alphabet=st.sampled_from("12３０ -－—号幢栋楼室单元#aZｚ张王 　"), max_size=20))
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_query(text)
    assert normalise_query(once) == once
    assert " " not in once


@given(st.text(max_size=12))
def test_any_text_normalises_without_spaces(text: str) -> None:
    assert not any(ch.isspace() for ch in normalise_query(text))


@pytest.mark.parametrize(
    ("normal", "terms"),
    [
        ("建业12-301", ["建业", "12-301"]),
        ("zsf", ["zsf"]),
        ("张三丰", ["张三丰"]),
        ("12-301", ["12-301"]),
        ("zhang三", ["zhang", "三"]),
        ("", []),
        ("-", []),
    ],
)
def test_query_terms_split_where_chinese_meets_the_rest(normal: str, terms: list[str]) -> None:
    assert query_terms(normal) == terms


def test_the_fast_reading_is_pypinyins_reading() -> None:
    from pypinyin import lazy_pinyin

    rng = random.Random(9)
    names = [person_name(rng, rng.randint(1930, 2010), rng.random() < 0.5) for _ in range(3000)]
    # words of the phrase dictionary inside names, compound surnames, non-Chinese text
    names += ["李朝阳", "王长青", "曾经", "尉迟恭", "万俟卨", "乐乐", "John", "Anna李", "张·三", ""]
    assert [read_pinyin(n) for n in names] == [list(lazy_pinyin(n)) for n in names]


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("朝阳长青重曾经单于乐解放行银张三丰国华"), max_size=4))
def test_the_fast_reading_matches_on_any_mix(text: str) -> None:
    from pypinyin import lazy_pinyin

    assert read_pinyin(text) == list(lazy_pinyin(text))


def test_pinyin_full_and_initials() -> None:
    assert name_pinyin("张三丰") == ("zhangsanfeng", "zsf")


@pytest.mark.parametrize(
    ("name", "everyday", "surname", "initials"),
    [
        ("曾小芳", "cengxiaofang", "zengxiaofang", "zxf"),
        ("单晓明", "danxiaoming", "shanxiaoming", "sxm"),
        ("仇建国", "choujianguo", "qiujianguo", "qjg"),
        ("解放", "jiefang", "xiefang", "xf"),
        ("区华", "quhua", "ouhua", "oh"),
        ("翟浩", "dihao", "zhaihao", "zh"),
        ("万俟雪", None, "moqixue", "mqx"),
    ],
)
def test_polyphonic_surnames_are_indexed_both_ways(
    name: str, everyday: str | None, surname: str, initials: str
) -> None:
    tokens = name_pinyin(name)
    assert surname in tokens and initials in tokens
    if everyday is not None:  # 万俟: pypinyin already reads the pair as a surname
        assert everyday in tokens


def test_surname_initials_cover_both_readings() -> None:
    assert set(name_pinyin("曾小芳")) == {"cengxiaofang", "cxf", "zengxiaofang", "zxf"}
    assert set(name_pinyin("单晓明")) == {"danxiaoming", "dxm", "shanxiaoming", "sxm"}


def test_the_brief_surname_table_is_complete() -> None:
    for surname in "曾单仇解查区乐盖朴缪翟尉覃召种秘":
        assert surname in SURNAME_READINGS
    assert SURNAME_READINGS["万俟"] == ("mo", "qi")


def test_a_surname_alone_and_names_that_are_not_chinese() -> None:
    assert set(name_pinyin("曾")) == {"ceng", "c", "zeng", "z"}
    assert name_pinyin("John") == ("john", "j")
    assert name_pinyin("") == ()


def test_household_text_holds_what_people_type() -> None:
    text = household_search_text(
        "建业新村",
        "12",
        "1",
        "301",
        "JYXC-12-1-301",
        ["张三丰", "曾小芳"],
        ["138-1234-5678", "021 5888 1234"],
    )
    tokens = text.split(" ")
    for expected in ("建业新村", "12-301", "jyxc-12-1-301", "张三丰", "zhangsanfeng", "zsf"):
        assert expected in tokens
    for expected in ("zengxiaofang", "zxf", "cengxiaofang", "cxf", "13812345678", "02158881234"):
        assert expected in tokens
    # 12-1-301 lives inside the code; a token inside another adds nothing
    assert "12-1-301" in text and "12-1-301" not in tokens
    assert "12" not in tokens and "301" not in tokens
    assert text == text.strip() and "  " not in text


def test_household_text_without_unit_residents_or_phones() -> None:
    text = household_search_text("光鸿苑", "3", "", "1203", "GHY-3-1203", [], [])
    assert text.split(" ") == ["光鸿苑", "ghy-3-1203"]


def test_household_text_is_deterministic() -> None:
    """The stored line is the same in every process (no set or hash order leaks into it:
    a rebuilt index on another laptop must equal this one), and keeps the residents in
    the order given, the shorter name that lies inside a longer one dropped."""
    args = ("临沂二村", "5", "2", "402", "LYEC-5-2-402", ["王芳", "王芳芳", "李四"], ["1"])
    expected = "临沂二村 5-402 lyec-5-2-402 王芳芳 wangfangfang wff 李四 lisi ls 1"
    assert household_search_text(*args) == expected
    script = (
        "import sys; from gridapp.search import household_search_text as h; "
        f"sys.stdout.write(h(*{args!r}))"
    )
    root = str(Path(__file__).resolve().parents[2])
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
        other = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, check=True
        )
        assert other.stdout.decode() == expected, seed
    swapped = household_search_text(*args[:5], ["李四", "王芳芳", "王芳"], ["1"])
    assert swapped == "临沂二村 5-402 lyec-5-2-402 李四 lisi ls 王芳芳 wangfangfang wff 1"


def test_household_text_normalises_like_queries() -> None:
    # A compound whose name has an address word after a digit: both sides agree.
    text = household_search_text("长江1号楼小区", "2", "", "101", "X", ["Ｌｉ"], ["１３８"])
    assert normalise_query("长江1号楼小区") in text
    assert "li" in text.split(" ") and "138" in text.split(" ")


def test_address_keys() -> None:
    assert address_keys("12", "1", "301") == ["12-301", "12-1-301"]
    assert address_keys("12", "", "301") == ["12-301"]
    assert address_keys("１２", "", "３０１室") == ["12-301"]


def _sqlite_order(rows: list[tuple[str, str, int, str, str, int, str, str]]) -> list[str]:
    """The order of gridapp.storage.queries.WALK_ORDER, as SQLite itself sorts it."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE w (created, name, sort_key, number, unit, floor, room, hid)")
    conn.executemany("INSERT INTO w VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return [
        row[0]
        for row in conn.execute(
            "SELECT hid FROM w ORDER BY created, name, sort_key, number, unit, floor,"
            " CAST(room AS INTEGER), room, hid"
        )
    ]


def test_walk_key_orders_like_the_walking_order() -> None:
    rng = random.Random(4)
    rows = [
        (
            rng.choice(["2023-01-01", "2023-01-02"]),
            rng.choice(["建业新村", "临沂二村", "光鸿苑"]),
            rng.randint(-3, 30),
            rng.choice(["1", "2", "12", "甲"]),
            rng.choice(["", "1", "2"]),
            rng.randint(-5, 30),
            rng.choice(["101", "1201", "301", "B1", "3A", "-2", "", "0301", " 7", "+5"]),
            f"h{n:04d}",
        )
        for n in range(2000)
    ]
    by_key = [row[-1] for row in sorted(rows, key=lambda r: walk_key(*r))]
    assert by_key == _sqlite_order(rows)


def test_walk_key_is_unique_per_household() -> None:
    same = ("2023", "建业新村", 1, "1", "", 1, "101")
    assert walk_key(*same, "a") < walk_key(*same, "b")
