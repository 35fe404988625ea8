"""An answer from a laptop against the questionnaire version it names: a repeat is a
list of entries whose keys are the repeat's questions and whose values have their
types; anything else is refused with where it is."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from gridapp.forms.definition import load_definition
from gridapp.forms.limits import MAX_INSTANCES
from gridapp.sync import wire
from gridapp.sync.answer_check import AnswerProblem, answer_problem
from tests.unit.forms.members_form import THREE, household_of, members_form
from tests.unit.sync.test_wire import WINDOW

FORM = load_definition(members_form())


def check(question: str, value: Any) -> AnswerProblem | None:
    return answer_problem(FORM, question, json.dumps(value, ensure_ascii=False))


def test_a_household_of_three_and_of_ten_pass() -> None:
    assert check("members", THREE) is None
    assert check("members", household_of(10)) is None
    assert check("members", []) is None
    assert check("stance", "agree") is None


@pytest.mark.parametrize(
    ("value", "rule", "path"),
    [
        ({"member_name": "张三"}, "not_a_list", "members"),
        ("3 people", "not_a_list", "members"),
        (["张三", "李四"], "not_an_instance", "members[1]"),
        ([THREE[0], [1, 2]], "not_an_instance", "members[2]"),
        ([THREE[0], {"salary": 5000}], "unknown_question", "members[2]/salary"),
        ([{"age": "forty"}], "bad_value", "members[1]/age"),
        ([{"age": 130}], "bad_value", "members[1]/age"),
        ([{"relation": "cousin"}], "bad_value", "members[1]/relation"),
        ([{"working": "maybe"}], "bad_value", "members[1]/working"),
        ([{"member_name": 7}], "bad_value", "members[1]/member_name"),
        ([{}] * (MAX_INSTANCES + 1), "too_many", "members"),
    ],
)
def test_a_malformed_repeat_is_refused_where_it_is(value: Any, rule: str, path: str) -> None:
    assert check("members", value) == AnswerProblem(rule, path)


def test_an_unknown_question_or_a_bad_value_at_the_top() -> None:
    assert check("salary", 1) == AnswerProblem("unknown_question", "salary")
    assert check("stance", ["agree"]) == AnswerProblem("bad_value", "stance")
    assert answer_problem(FORM, "stance", "{not json") == AnswerProblem("bad_value", "stance")


def test_a_name_the_laptop_sent_is_shown_bounded_and_printable() -> None:
    problem = check("members", [{"x\n\x00" + "y" * 100: 1}])
    assert problem is not None and problem.rule == "unknown_question"
    assert problem.path.isprintable() and len(problem.path) <= 60


def test_a_household_of_ten_with_six_questions_fits_the_wire() -> None:
    value = json.dumps(household_of(10), ensure_ascii=False)
    row = {
        "id": str(uuid.uuid4()),
        "visit_id": str(uuid.uuid4()),
        "question": "members",
        "value": value,
    }
    assert wire.decode_row("answer", json.dumps(row), WINDOW)["value"] == value
    # Thirty people still fit: the bound is no household's size.
    row["value"] = json.dumps(household_of(30), ensure_ascii=False)
    assert wire.decode_row("answer", json.dumps(row), WINDOW)
