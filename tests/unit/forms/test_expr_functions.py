"""The functions of format version 2 (ODK's, for repeats and everyday use), bare names
in choice filters only, and their limits: nothing builds unbounded text or loops."""

from __future__ import annotations

from typing import Any

import pytest

from gridapp.forms.expr import Context, ExpressionError, parse, to_text
from gridapp.forms.limits import MAX_STRING, Budget

TODAY = "2024-03-01"
ANSWERS: dict[str, Any] = {"ages": ["30", "8", "", "45"], "ms": ["a", "b", "c"], "n": 3}


def run(source: str, context: Context | None = None, **columns: Any) -> Any:
    return parse(source, columns=bool(columns)).evaluate(
        ANSWERS, None, TODAY, context=context, columns=columns
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("count(${ages})", 4),
        ("count(${n})", 1),
        ("count(${ghost})", 0),
        ("sum(${ages})", 83),
        ("sum(${ghost})", 0),
        ("sum(1, 2.5)", 3.5),
        ("max(${ages})", 45),
        ("min(${ages}, 2)", 2),
        ("max(${ghost})", None),
        ("sum(${ms})", None),
        ("string(12)", "12"),
        ("string(${ms})", "a b c"),
        ("substr('hello', 1)", "ello"),
        ("substr('hello', 1, 3)", "el"),
        ("substr('hello', -5, 99)", "hello"),
        ("boolean('')", False),
        ("boolean(${n})", True),
        ("floor(-2.5)", -3),
        ("ceiling(2.1)", 3),
        ("floor(7)", 7),
        ("abs(-4)", 4),
        ("pow(2, 10)", 1024),
        ("pow(2, -1)", 0.5),
        ("pow(10, 400)", None),
        ("pow(-8, 0.5)", None),
        ("selected-at(${ms}, 1)", "b"),
        ("selected-at(${ms}, 7)", ""),
        ("once(${n})", 3),
        ("now()", "2024-03-01T00:00"),
        ("position(..)", None),
        ("jr:choice-name('a', '${ms}')", "a"),
        ("indexed-repeat(${ages}, ${r}, 1)", None),
        ("decimal-date-time('1970-01-02T12:00')", 1.5),
        ("decimal-date-time('1970-01-03')", 2.0),
        ("decimal-date-time('soon')", None),
        ("date('1915-01-01')", "1915-01-01"),
        ("date('2024-03-01T08:30')", "2024-03-01"),
        ("date(1)", "1970-01-02"),
        ("date(${n})", "1970-01-04"),
        ("date('not a day')", None),
        ("date(1000000000)", None),
        ("today() > date('1915-01-01')", True),
        ("normalize-space('  a  b\tc ')", "a b c"),
        ("if(${n} > 5, 'x', null)", None),
        ("coalesce(null, 'y')", "y"),
    ],
)
def test_functions(source: str, expected: Any) -> None:
    assert run(source) == expected
    assert to_text(parse(source)) == source  # the canonical text round-trips


class _Instances(Context):
    position = 2
    now = "2024-03-01T09:30"

    def across(self, name: str, repeat: str) -> list[Any] | None:
        return ["甲", "乙"] if (name, repeat) == ("who", "members") else None

    def choice_name(self, value: str, question: str) -> str | None:
        return {"a": "甲"}.get(value) if question == "${ms}" else None


def test_functions_that_need_the_form() -> None:
    context = _Instances()
    assert run("position(..)", context) == 2
    assert run("now()", context) == "2024-03-01T09:30"
    assert run("indexed-repeat(${who}, ${members}, 2)", context) == "乙"
    assert run("indexed-repeat(${who}, ${members}, 3)", context) is None
    assert run("jr:choice-name('a', '${ms}')", context) == "甲"


def test_bare_names_only_in_a_choice_filter() -> None:
    assert run("city = 'sh' and name != ${n}", city="sh", name="pd") is True
    assert parse("city = ${c}", columns=True).columns == {"city"}
    with pytest.raises(ExpressionError, match="unknown name 'city'"):
        parse("city = 'sh'")
    with pytest.raises(ExpressionError, match="indexed-repeat"):
        parse("indexed-repeat('x', ${r}, 1)")


def test_new_functions_stay_within_the_limits() -> None:
    huge = ["x" * 1000] * (MAX_STRING // 1000 + 1)
    with pytest.raises(ExpressionError) as info:
        parse("string(${big})").evaluate({"big": huge}, None, TODAY)
    assert info.value.key == "error.expr.string_too_long"
    many = [str(i) for i in range(100_000)]
    with pytest.raises(ExpressionError) as info:
        parse("sum(${many}) + sum(${many})").evaluate({"many": many}, None, TODAY, Budget(50_000))
    assert info.value.key == "error.expr.too_much_work"
    assert parse("pow(pow(10, 300), 300)").evaluate({}, None, TODAY) is None
