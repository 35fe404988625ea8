"""Budgets of an evaluation: strings an expression builds stop at MAX_STRING before they
are built, and the work of one evaluation stops at its budget, each with its own key."""

from __future__ import annotations

import tracemalloc

import pytest

from gridapp.forms.expr import parse
from gridapp.forms.limits import MAX_STEPS, MAX_STRING, Budget, ExpressionError
from gridapp.i18n import Catalog


def test_a_concat_past_the_limit_is_refused_before_it_is_built() -> None:
    answers = {"a": "x" * 60_000}
    source = "concat(" + ", ".join(["${a}"] * 30) + ")"  # 1.8 million characters
    tracemalloc.start()
    try:
        with pytest.raises(ExpressionError) as caught:
            parse(source).evaluate(answers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.key == "error.expr.string_too_long"
    assert caught.value.params == {"limit": MAX_STRING, "size": 1_800_000}
    assert caught.value.position == 0
    assert peak < 1_000_000  # never more than the parts themselves


def test_the_longest_string_allowed_is_built() -> None:
    text = parse("concat(${a}, ${a})").evaluate({"a": "x" * (MAX_STRING // 2)})
    assert len(text) == MAX_STRING
    with pytest.raises(ExpressionError, match="text longer than"):
        parse("concat(${a}, ${a}, 'y')").evaluate({"a": "x" * (MAX_STRING // 2)})


def test_a_multi_select_is_joined_only_within_the_limit() -> None:
    codes = ["c" * 1000] * 100
    with pytest.raises(ExpressionError) as caught:
        parse("concat(${ms})").evaluate({"ms": codes})
    assert caught.value.key == "error.expr.string_too_long"
    assert parse("count-selected(${ms})").evaluate({"ms": codes}) == 100


def test_doubling_forty_times_stops_at_the_limit() -> None:
    """Were a form to chain concat(prev, prev) through 40 calculations (refused at
    import: test_bounds.py), evaluation would still stop at 64 KiB, at the 17th."""
    double = parse("concat(${prev}, ${prev})")
    value, made = "x", []
    with pytest.raises(ExpressionError) as caught:
        for _ in range(40):
            value = double.evaluate({"prev": value})
            made.append(len(value))
    assert caught.value.key == "error.expr.string_too_long"
    assert made == [2**k for k in range(1, 17)] and max(made) == MAX_STRING


def test_every_node_and_every_character_read_is_a_step() -> None:
    budget = Budget()
    parse("1 + 2 * 3").evaluate({}, budget=budget)
    assert budget.limit - budget.left == 5  # a chain of two levels and three numbers
    budget = Budget()
    parse("contains(${a}, 'b')").evaluate({"a": "a" * 1000}, budget=budget)
    assert budget.limit - budget.left == 3 + 1001


def test_past_the_budget_the_evaluation_stops_with_its_key() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("contains(${a}, 'b')").evaluate({"a": "a" * (MAX_STEPS + 1)})
    assert caught.value.key == "error.expr.too_much_work"
    assert caught.value.params == {"limit": MAX_STEPS}
    assert "上限" in Catalog("zh_CN").error(caught.value)


def test_one_budget_bounds_several_evaluations() -> None:
    budget = Budget(90)
    expr = parse("string-length(${a}) > 3")  # four nodes and twenty characters read
    for _ in range(3):
        expr.evaluate({"a": "a" * 20}, budget=budget)
    assert budget.left == 90 - 3 * 24
    with pytest.raises(ExpressionError, match="more than 90 steps"):
        expr.evaluate({"a": "a" * 20}, budget=budget)


def test_a_huge_multi_select_answer_is_paid_for() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("count-selected(${ms})").evaluate({"ms": ["a"] * 200}, budget=Budget(100))
    assert caught.value.key == "error.expr.too_much_work"


def test_errors_speak_in_the_catalogs_words() -> None:
    zh = Catalog("zh_CN")
    with pytest.raises(ExpressionError) as caught:
        parse("regex(., ${p})").evaluate({"p": "(?=a)a"}, "a")
    assert zh.error(caught.value) == (
        "正则表达式“(?=a)a”用了前后断言（如 (?=…)、(?!…)、(?<=…)）："
        "本程序的正则引擎 RE2 不支持，请改写。"
    )
    with pytest.raises(ExpressionError) as syntax:
        parse("1 +")
    assert zh.error(syntax.value) == "表达式有误：unexpected end of expression"
