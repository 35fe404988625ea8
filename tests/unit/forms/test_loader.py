"""Loading version-2 definitions: repeats, new types and keys, and every new check
refused with where it is."""

from __future__ import annotations

import time
from typing import Any

import pytest

from gridapp.forms.definition import DefinitionInvalid, load_definition, text_of
from gridapp.forms.limits import MAX_LABEL, MAX_REPEAT_DEPTH


def _doc(*items: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "format": "gridapp-questionnaire",
        "format_version": 2,
        "id": "t",
        "version": 1,
        "title": {"zh_CN": "测试", "en": "Test", "fr": "Essai"},
        "choice_lists": {
            "city": [{"value": "sh", "label": "上海"}, {"value": "bj", "label": "北京"}],
            "district": [
                {"value": "pd", "label": "浦东", "columns": {"city": "sh"}},
                {"value": "hd", "label": "海淀", "columns": {"city": "bj"}},
            ],
        },
        "items": list(items),
        **top,
    }


MEMBERS = {
    "name": "members",
    "type": "repeat",
    "label": "家庭成员",
    "items": [
        {"name": "who", "type": "text", "label": "姓名"},
        {"name": "age", "type": "integer", "label": "年龄", "default": 30},
        {
            "name": "phones",
            "type": "repeat",
            "repeat_count": 2,
            "items": [{"name": "phone", "type": "text", "label": "电话"}],
        },
    ],
}


def _problems(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(DefinitionInvalid) as info:
        load_definition(doc)
    return [(p.where, p.part, p.key) for p in info.value.problems]


def test_a_version_2_form_loads_with_repeats_and_new_types() -> None:
    form = load_definition(
        _doc(
            {"name": "started", "type": "meta", "meta": "start"},
            {"name": "at", "type": "time", "label": "时间", "appearance": "minimal"},
            {"name": "when", "type": "datetime", "label": "时刻"},
            {"name": "ok", "type": "acknowledge", "label": "确认", "required": True},
            {"name": "city", "type": "select_one", "choices": "city", "label": "城市"},
            {
                "name": "district",
                "type": "select_one",
                "choices": "district",
                "label": "区",
                "choice_filter": "city = ${city}",
                "required_message": {"zh_CN": "请选区", "en": "Pick one"},
            },
            MEMBERS,
            {"name": "total", "type": "calculate", "calculation": "sum(${age})"},
            languages=["zh_CN", "en", "fr"],
            default_language="en",
        )
    )
    assert form.names == ("started", "at", "when", "ok", "city", "district", "members", "total")
    assert form.languages == ("zh_CN", "en", "fr") and form.default_language == "en"
    members = form.question("members")
    assert members is not None and members.body is not None
    assert members.body.names == ("who", "age", "phones")
    assert [(p, q.name) for p, q in form.walk()][6:] == [
        ((), "members"),
        (("members",), "who"),
        (("members",), "age"),
        (("members",), "phones"),
        (("members", "phones"), "phone"),
        ((), "total"),
    ]
    assert form.find("age").default == 30  # type: ignore[union-attr]
    assert form.find("phones").repeat_count.source == "2"  # type: ignore[union-attr]
    district = form.question("district")
    assert district is not None and district.choice_filter is not None
    assert district.choice_filter.columns == {"city"}
    assert district.choices[0].columns == {"city": "sh"}
    assert form.question("at").appearance == "minimal"  # type: ignore[union-attr]
    assert text_of(form.title, "sw", "fr") == "Essai"
    assert text_of({"default": "x", "zh_CN": "中"}, "sw") == "x"
    assert text_of({"Français": "y"}, "en") == "y"


def test_a_version_1_document_still_loads() -> None:
    doc = _doc({"name": "a", "type": "text", "label": "甲"}, format_version=1)
    assert load_definition(doc).question("a") is not None


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            [MEMBERS, {"name": "age", "type": "text", "label": "又一个"}],
            ("age", "name", "error.form.duplicate_name"),
        ),
        (
            [{**MEMBERS, "repeat_count": {"n": 1}}],
            ("members", "repeat_count", "error.form.bad_repeat_count"),
        ),
        (
            [{**MEMBERS, "repeat_count": "${ghost}"}],
            ("members", "repeat_count", "error.form.unknown_reference"),
        ),
        (
            [{"name": "a", "type": "integer", "label": "甲", "default": "many"}],
            ("a", "default", "error.form.bad_default"),
        ),
        (
            [{"name": "a", "type": "text", "label": "甲", "choice_filter": "x = 1"}],
            ("a", "choice_filter", "error.form.filter_not_select"),
        ),
        (
            [{"name": "a", "type": "select_one", "choices": "district", "label": "甲",
              "choice_filter": "town = 'x'"}],
            ("a", "choice_filter", "error.form.unknown_column"),
        ),
        (
            [{"name": "a", "type": "text", "label": "甲", "relevant": "town = 'x'"}],
            ("a", "relevant", "error.form.bad_expression"),
        ),
        (
            [{"name": "m", "type": "meta", "meta": "weather"}],
            ("m", "meta", "error.form.unknown_meta"),
        ),
        (
            [{"name": "a", "type": "text", "label": "x" * (MAX_LABEL + 1)}],
            ("a", "label", "error.form.label_too_long"),
        ),
        (
            [
                {"name": "c", "type": "select_one", "choices": "district", "label": "区",
                 "choice_filter": "city = ${k}"},
                {"name": "k", "type": "calculate", "calculation": "${c}"},
            ],
            ("k", "calculation", "error.form.cycle"),
        ),
        (
            [
                {"name": "x", "type": "calculate", "calculation": "1", "relevant": "${y} > 0"},
                {"name": "y", "type": "calculate", "calculation": "${x}"},
            ],
            ("y", "calculation", "error.form.cycle"),
        ),
    ],
)  # fmt: skip
def test_broken_version_2_definitions_name_the_problem(
    items: list[dict[str, Any]], expected: tuple[str, str, str]
) -> None:
    assert expected in _problems(_doc(*items))


def test_references_cross_repeats_both_ways() -> None:
    form = load_definition(
        _doc(
            {"name": "head", "type": "text", "label": "户主"},
            {
                "name": "members",
                "type": "repeat",
                "items": [
                    {"name": "age", "type": "integer", "label": "年龄"},
                    {"name": "note", "type": "text", "label": "备注", "relevant": "${head} != ''"},
                ],
            },
            {"name": "n", "type": "calculate", "calculation": "count(${members}) + max(${age})"},
        )
    )
    assert form.question("n") is not None


def _nest(depth: int) -> dict[str, Any]:
    item: dict[str, Any] = {"name": f"q{depth}", "type": "text", "label": "底"}
    for level in range(depth, 0, -1):
        item = {"name": f"r{level}", "type": "repeat", "items": [item]}
    return item


def test_repeats_nest_to_the_limit_and_a_deeper_nest_is_refused_fast() -> None:
    assert load_definition(_doc(_nest(MAX_REPEAT_DEPTH))).find(f"q{MAX_REPEAT_DEPTH}")
    started = time.perf_counter()
    found = _problems(_doc(_nest(20)))
    assert time.perf_counter() - started < 0.5
    assert (f"r{MAX_REPEAT_DEPTH + 1}", "items", "error.form.too_deep") in found


def test_a_huge_label_is_refused_quickly() -> None:
    started = time.perf_counter()
    found = _problems(_doc({"name": "a", "type": "text", "label": "长" * 100_000}))
    assert time.perf_counter() - started < 0.5
    assert found == [("a", "label", "error.form.label_too_long")]
