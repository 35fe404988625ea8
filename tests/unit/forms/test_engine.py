"""The engine: skip logic, calculations, types, ranges, constraints, results."""

from __future__ import annotations

from typing import Any

import pytest

from gridapp.forms.definition import load_definition
from gridapp.forms.engine import FormState, answer_rows, check_answers, coerce
from gridapp.forms.expr import Expression
from gridapp.resources import load_json
from tests.unit.forms.test_definition import _base

FEE = load_definition(load_json("content", "fee_consultation.v1.json"))
TODAY = "2023-12-05"


def test_reasons_appear_only_for_oppose_and_then_are_required() -> None:
    state = FormState(FEE, {"stance": "agree"}, TODAY)
    assert "reasons" not in [q.name for q in state.visible()]
    assert "reasons" not in state.missing()
    state.set("stance", "oppose")
    assert "reasons" in [q.name for q in state.visible()]
    assert "reasons" in state.missing()
    state.set("reasons", ["history"])
    assert "reasons" not in state.missing()


def test_hidden_answers_never_reach_the_result() -> None:
    state = FormState(FEE, {"stance": "oppose", "reasons": ["history"]}, TODAY)
    state.set("stance", "agree")
    assert "reasons" not in state.result()


def test_calculations_follow_their_inputs() -> None:
    state = FormState(FEE, {"stance": "agree", "satisfaction": 4}, TODAY)
    assert state.result()["needs_followup"] == "no"
    state.set("satisfaction", 1)
    assert state.result()["needs_followup"] == "yes"


def test_group_relevance_hides_its_questions() -> None:
    form = load_definition(_base())
    state = FormState(form, {"yes": False}, TODAY)
    assert "inner" not in [q.name for q in state.visible()]
    state.set("yes", True)
    assert "inner" in [q.name for q in state.visible()]


@pytest.mark.parametrize(
    ("name", "value", "expected", "problem"),
    [
        ("one", "a", "a", None),
        ("one", "z", "z", "error.answer.not_a_choice"),
        ("many", ["a", "other"], ["a", "other"], None),
        ("many", ["a", "a"], ["a", "a"], "error.answer.not_a_choice"),
        ("words", "你好", "你好", None),
        ("count", "７", 7, None),
        ("count", "seven", "seven", "error.answer.not_integer"),
        ("share", "2.5", 2.5, None),
        ("share", True, True, "error.answer.not_number"),
        ("when", "2023-12-05", "2023-12-05", None),
        ("when", "2023-13-40", "2023-13-40", "error.answer.not_date"),
        ("yes", "是", True, None),
        ("yes", "maybe", "maybe", "error.answer.not_yes_no"),
        ("stars", 5, 5, None),
        ("stars", 6, 6, "error.answer.out_of_range"),
    ],
)
def test_every_type_coerces_or_names_the_problem(
    name: str, value: object, expected: object, problem: str | None
) -> None:
    form = load_definition(_base())
    question = form.question(name)
    assert question is not None
    assert coerce(question, value) == (expected, problem)


def test_ranges_and_constraints() -> None:
    form = load_definition(_base())
    problems = FormState(form, {"count": 12}, TODAY).problems()
    assert problems["count"].key == "error.answer.out_of_range"
    problems = FormState(FEE, {"household_size": 30}, TODAY).problems()
    assert problems["household_size"].key == "error.answer.out_of_range"


def test_check_answers_for_a_saved_visit() -> None:
    found = check_answers(FEE, {"stance": "oppose", "ghost": 1, "satisfaction": 9}, TODAY)
    keys = {(p.where, p.key) for p in found}
    assert ("ghost", "error.answer.unknown_question") in keys
    assert ("satisfaction", "error.answer.out_of_range") in keys
    assert ("reasons", "error.answer.required") in keys
    assert (
        check_answers(FEE, {"owner_present": True, "stance": "agree", "satisfaction": 3}, TODAY)
        == []
    )


def test_other_specify_is_kept_with_its_choice() -> None:
    state = FormState(
        FEE, {"stance": "oppose", "reasons": ["other"], "reasons_other": "停车难"}, TODAY
    )
    assert state.result()["reasons_other"] == "停车难"


def test_answer_rows_for_reports() -> None:
    rows = answer_rows(
        FEE, {"stance": "oppose", "reasons": ["history", "fee_too_high"], "owner_present": True}
    )
    text = {r["question"]: r["text"] for r in rows}
    assert text == {
        "owner_present": "是",
        "stance": "反对",
        "reasons": "历史遗留问题未解决、调价幅度过大",
    }


def test_calculations_settle_in_dependency_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Written last-first, a chain of calculations is still computed in one pass (and
    one to confirm), not one pass per calculation."""
    doc = _base()
    doc["items"] += [
        {"name": f"c{i}", "type": "calculate", "calculation": f"${{c{i + 1}}} + 1"}
        for i in range(200)
    ] + [{"name": "c200", "type": "calculate", "calculation": "${count}"}]
    form = load_definition(doc)
    calls = 0
    real = Expression.evaluate

    def counted(self: Expression, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Expression, "evaluate", counted)
    state = FormState(form, {"count": 1}, TODAY)
    assert state.answers["c0"] == 201
    assert calls < 3 * 202  # two passes and a group's relevance here and there


def test_a_pattern_from_an_answer_that_re2_cannot_run_breaks_only_the_constraint() -> None:
    doc = _base()
    doc["items"] += [
        {"name": "pattern", "type": "text", "label": "规则"},
        {"name": "code", "type": "text", "label": "编码", "constraint": "regex(., ${pattern})"},
    ]
    form = load_definition(doc)
    state = FormState(form, {"pattern": "(a+)+$", "code": "a" * 50 + "!"}, TODAY)
    assert state.problems()["code"].key == "error.answer.constraint"
    state.set("code", "aaa")
    assert "code" not in state.problems()
    state.set("pattern", "(a)\\1")  # a backreference: RE2 cannot, so the answer fails
    assert state.problems()["code"].key == "error.answer.constraint"


def test_answers_in_words_show_other_with_what_was_typed_never_codes() -> None:
    answers = {
        "stance": "oppose",
        "reasons": ["fee_too_high", "other"],
        "reasons_other": "停车位不够",
    }
    rows = {r["question"]: r["text"] for r in answer_rows(FEE, answers)}
    assert rows["reasons"] == "调价幅度过大、其他：停车位不够"
    english = {r["question"]: r["text"] for r in answer_rows(FEE, answers, "en")}
    assert english["reasons"].endswith("Other: 停车位不够")
    bare = {r["question"]: r["text"] for r in answer_rows(FEE, {"reasons": ["other"]})}
    assert bare["reasons"] == "其他"
