"""An answer from a laptop, checked at the office against the questionnaire version it
claims (docs/sync-bundles.md, "Authority"). A signature proves who sent an answer, not
that it answers the form: a laptop with a bug, an old build or a stolen key could send
a value of the wrong type, an answer to a question the form does not have, or a repeat
that is no list of instances. Each is refused with the question's path and the rule.

What is checked is what one answer row alone can tell, whatever the day and the other
answers: the question exists, the value has its type (a choice among its codes, a
number within its range), and a repeat is a list of objects whose keys are the repeat's
own questions, recursively. Skip logic and constraints need the whole visit and the day
it was made: the laptop's engine applied them when the visit was saved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gridapp.forms.answers import coerce
from gridapp.forms.definition import FormDefinition, Question
from gridapp.forms.instance_words import repeat_body
from gridapp.forms.limits import MAX_INSTANCES


@dataclass(frozen=True)
class AnswerProblem:
    """`rule`: unknown_question | not_a_list | not_an_instance | too_many | bad_value;
    `path`: where, as the engine writes paths ("members[2]/age", 1-based)."""

    rule: str
    path: str


def answer_problem(
    definition: FormDefinition, question: str, value_json: str
) -> AnswerProblem | None:
    """What is wrong with one stored answer (`value_json`, as in the `answer` table)."""
    try:
        value = json.loads(value_json)
    except ValueError:
        return AnswerProblem("bad_value", question)
    known = _known(definition)
    if question not in known:
        return AnswerProblem("unknown_question", _shown(question))
    return _value_problem(known[question], value, question)


def _known(definition: FormDefinition) -> dict[str, Question | None]:
    """The names an answer may have at this level: the questions, and `<name>_other`
    for a select with "other, specify" (None: free text)."""
    names: dict[str, Question | None] = {q.name: q for q in definition.questions}
    for q in definition.questions:
        if q.other:
            names.setdefault(f"{q.name}_other", None)
    return names


def _value_problem(question: Question | None, value: Any, path: str) -> AnswerProblem | None:
    if question is None:  # the text of "other, specify"
        return None if isinstance(value, str) else AnswerProblem("bad_value", path)
    if question.type == "repeat":
        return _repeat_problem(question, value, path)
    number, key = coerce(question, value)  # an empty value is None, no problem
    if key is None and number is not None and question.type in ("integer", "decimal"):
        low, high = question.minimum, question.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            key = "error.answer.out_of_range"
    return None if key is None else AnswerProblem("bad_value", path)


def _repeat_problem(question: Question, value: Any, path: str) -> AnswerProblem | None:
    body = repeat_body(question)
    if body is None or not isinstance(value, list):
        return AnswerProblem("not_a_list", path)
    if len(value) > MAX_INSTANCES:
        return AnswerProblem("too_many", path)
    known = _known(body)
    for n, instance in enumerate(value, start=1):
        where = f"{path}[{n}]"
        if not isinstance(instance, Mapping):
            return AnswerProblem("not_an_instance", where)
        for name, inner in instance.items():
            if name not in known:
                return AnswerProblem("unknown_question", f"{where}/{_shown(name)}")
            if inner is None:
                continue
            problem = _value_problem(known[name], inner, f"{where}/{name}")
            if problem is not None:
                return problem
    return None


def _shown(name: Any) -> str:
    """A name the laptop sent, fit for a message and a file: bounded and printable."""
    text = str(name)[:40]
    return "".join(ch if ch.isprintable() else "?" for ch in text)
