"""Checks at import: a regular expression RE2 cannot run, and a concat that could grow
without bound across calculations, refuse the questionnaire with their own keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from gridapp.forms.bounds import Growth, growth, pattern_errors
from gridapp.forms.definition import DefinitionInvalid, Problem, load_definition
from gridapp.forms.expr import parse
from gridapp.forms.limits import MAX_COPIES, MAX_STRING
from gridapp.forms.xlsform import read_xlsform
from gridapp.i18n import Catalog


def _form(*items: dict[str, Any]) -> dict[str, Any]:
    return {"id": "t", "version": 1, "title": "测试", "items": list(items)}


def _text(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "text", "label": name, **extra}


def _calc(name: str, calculation: str) -> dict[str, Any]:
    return {"name": name, "type": "calculate", "calculation": calculation}


def _problems(doc: dict[str, Any]) -> list[Problem]:
    with pytest.raises(DefinitionInvalid) as info:
        load_definition(doc)
    return info.value.problems


def _doubling(first: str, times: int = 40) -> list[dict[str, Any]]:
    chain = [_calc("d1", f"concat({first}, {first})")]
    chain += [_calc(f"d{k}", f"concat(${{d{k - 1}}}, ${{d{k - 1}}})") for k in range(2, times + 1)]
    return chain


def test_doubling_an_answer_forty_times_is_refused_at_import_once() -> None:
    problems = _problems(_form(_text("seed"), *_doubling("${seed}")))
    # d7 could hold 128 copies of the answer: refused there, and its readers not again.
    assert [(p.where, p.part, p.key) for p in problems] == [
        ("d7", "calculation", "error.expr.grows_copies")
    ]
    assert problems[0].params == {"copies": 128, "limit": MAX_COPIES, "position": 0}


def test_doubling_written_text_is_refused_where_it_passes_64_kib() -> None:
    problems = _problems(_form(_text("seed"), *_doubling("'ab'")))
    assert [(p.where, p.key, p.params["size"]) for p in problems] == [
        ("d16", "error.expr.grows_text", 2 * 2**16)
    ]
    assert MAX_STRING < 2 * 2**16
    message = Catalog("zh_CN").tr(problems[0].key, **problems[0].params)
    assert message.startswith("concat() 可能生成 131072 个字符的文字，超过上限 65536")


def test_calculations_are_checked_in_the_order_they_are_computed() -> None:
    """Written last-first, the chain is still followed from its start."""
    problems = _problems(_form(_text("seed"), *reversed(_doubling("${seed}"))))
    assert [(p.where, p.key) for p in problems] == [("d7", "error.expr.grows_copies")]


def test_a_relevance_or_constraint_that_grows_is_refused_too() -> None:
    chain = _doubling("${seed}", 6)  # 64 copies: allowed
    problems = _problems(
        _form(
            _text("seed", constraint="string-length(concat(${d6}, ${d6})) > 1"),
            _text("other", relevant="concat(${d6}, ${d6}, ${d6}) != ''"),
            *chain,
        )
    )
    assert [(p.where, p.part, p.key) for p in problems] == [
        ("seed", "constraint", "error.expr.grows_copies"),
        ("other", "relevant", "error.expr.grows_copies"),
    ]


def test_ordinary_concats_pass() -> None:
    form = load_definition(
        _form(
            _text("a"),
            _text("b"),
            _calc("address", "concat(${a}, '号', ${b}, '室')"),
            _calc("label", "if(${a} = '', ${address}, concat(${address}, ' / ', ${a}))"),
            _calc("again", "coalesce(${label}, concat(${a}, ${b}))"),
            _calc("sum", "string-length(concat(${label}, ${label})) + 1"),
        )
    )
    assert [q.name for q in form.questions][-1] == "sum"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'abc'", Growth(3, 0)),
        ("${a}", Growth(0, 1)),
        (".", Growth(0, 1)),
        ("concat(${a}, '-', ${a}, ${c})", Growth(1, 7)),  # c holds 5 copies of answers
        ("if(${a}, 'xx', ${c})", Growth(2, 5)),
        ("coalesce('xyz', ${a})", Growth(3, 1)),
        ("string-length(concat(${c}, ${c}))", Growth(400, 0)),
        ("today()", Growth(400, 0)),
    ],
)
def test_growth(source: str, expected: Growth) -> None:
    assert growth(parse(source), {"c": Growth(0, 5)}) == expected


def test_a_pattern_re2_cannot_run_is_refused_at_import() -> None:
    problems = _problems(
        _form(
            _text("code", constraint="regex(., '([0-9])\\1') or regex(., '(?=1)[0-9]+')"),
            _text("ok", constraint="regex(., '[0-9]{6}')"),
        )
    )
    assert [(p.where, p.part, p.key, p.params["position"]) for p in problems] == [
        ("code", "constraint", "error.expr.regex_backreference", 0),
        ("code", "constraint", "error.expr.regex_lookaround", 25),
    ]
    assert problems[0].params["pattern"] == "([0-9])\\1"


def test_a_pattern_in_an_untaken_branch_is_still_checked_at_import() -> None:
    assert [e.key for e in pattern_errors(parse("if(true(), 1, regex('a', '['))"))] == [
        "error.expr.regex_syntax"
    ]
    assert pattern_errors(parse("regex(., ${p}) and regex(., 12)")) == []


def test_a_workbook_names_sheet_row_and_column(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "constraint", "calculation"])
    sheet.append(["text", "seed", "种子", "regex(., '(?<=a)b')", None])
    for item in _doubling("${seed}", 8):
        sheet.append(["calculate", item["name"], None, None, item["calculation"]])
    book.save(tmp_path / "form.xlsx")
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(tmp_path / "form.xlsx")
    assert [(p.where, p.key) for p in info.value.problems] == [
        ("survey!2:constraint", "error.expr.regex_lookaround"),
        ("survey!9:calculation", "error.expr.grows_copies"),
    ]


def test_text_functions_of_version_2_pass_on_the_growth_they_carry() -> None:
    assert growth(parse("string(concat(${a}, ${b}))"), {}) == Growth(0, 2)
    assert growth(parse("substr(${a}, 0, 3)"), {}) == Growth(0, 1)
    assert growth(parse("once(${a})"), {}) == Growth(0, 1)
    assert growth(parse("indexed-repeat(${a}, ${r}, 2)"), {}) == Growth(0, 1)
    doubled = [_calc("d1", "concat(${t}, ${t})")]
    doubled += [_calc(f"d{k}", f"string(concat(${{d{k - 1}}}, ${{d{k - 1}}}))") for k in (2, 3)]
    doubled += [_calc(f"d{k}", f"concat(once(${{d{k - 1}}}), ${{d{k - 1}}})") for k in range(4, 9)]
    found = _problems(_form(_text("t"), *doubled))
    assert [(p.where, p.key) for p in found] == [("d7", "error.expr.grows_copies")]
