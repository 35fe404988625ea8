"""The questionnaire engine: relevance (skip logic), calculations, types, ranges and
constraints, evaluated against answers. Qt-free; the form widget and the services both
use it, so a visit saved from the CLI obeys the same rules as one typed in the GUI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gridapp.forms.answers import coerce, is_empty
from gridapp.forms.definition import (
    RATING_RANGE,
    FormDefinition,
    Problem,
    Question,
    calculation_order,
    text_of,
)
from gridapp.forms.expr import ExpressionError, truthy


class FormState:
    """Answers being given: what is shown, what is missing, what is wrong."""

    def __init__(
        self,
        definition: FormDefinition,
        answers: Mapping[str, Any] | None = None,
        today: str | None = None,
    ) -> None:
        self.definition = definition
        self.today = today or dt.date.today().isoformat()
        self.answers: dict[str, Any] = dict(answers or {})
        self._groups = {g.name: g for g in definition.groups}
        self._calculations = calculation_order(definition.questions)
        self._recalculate()

    def set(self, name: str, value: Any) -> None:
        if is_empty(value):
            self.answers.pop(name, None)
        else:
            self.answers[name] = value
        self._recalculate()

    def _recalculate(self) -> None:
        # Calculations in dependency order (no cycles: checked at load), so one pass
        # settles them and a second confirms; relevance that depends on a later
        # calculation may need more: repeat until stable, at most one pass per calculation.
        calcs = self._calculations
        for _ in range(len(calcs) + 1):
            changed = False
            for q in calcs:
                value = self._evaluate(q.calculation, q.name) if self.relevant(q) else None
                if self.answers.get(q.name) != value:
                    changed = True
                    self.set_raw(q.name, value)
            if not changed:
                break

    def set_raw(self, name: str, value: Any) -> None:
        if value is None:
            self.answers.pop(name, None)
        else:
            self.answers[name] = value

    def _evaluate(self, expression: Any, current_name: str | None) -> Any:
        try:
            return expression.evaluate(
                self.answers, self.answers.get(current_name or ""), self.today
            )
        except ExpressionError:
            return None

    def _group_relevant(self, name: str | None) -> bool:
        while name is not None:
            group = self._groups[name]
            if group.relevant is not None and not truthy(self._evaluate(group.relevant, None)):
                return False
            name = group.parent
        return True

    def relevant(self, question: Question) -> bool:
        if question.groups and not self._group_relevant(question.groups[-1]):
            return False
        return question.relevant is None or truthy(self._evaluate(question.relevant, None))

    def visible(self) -> list[Question]:
        return [q for q in self.definition.questions if q.type != "calculate" and self.relevant(q)]

    def missing(self) -> list[str]:
        return [
            q.name
            for q in self.definition.questions
            if q.required and self.relevant(q) and is_empty(self.answers.get(q.name))
        ]

    def problems(self) -> dict[str, Problem]:
        """Answers given to shown questions that are of the wrong type, out of range, or
        break their constraint."""
        found: dict[str, Problem] = {}
        for q in self.definition.questions:
            value = self.answers.get(q.name)
            if q.type in ("note", "calculate") or is_empty(value) or not self.relevant(q):
                continue
            coerced, key = coerce(q, value)
            if key is None and _out_of_range(q, coerced):
                key = "error.answer.out_of_range"
            if key is not None:
                low, high = RATING_RANGE if q.type == "rating" else (q.minimum, q.maximum)
                found[q.name] = Problem(
                    q.name,
                    "value",
                    key,
                    {
                        "min": _plain(low) if low is not None else "",
                        "max": _plain(high) if high is not None else "",
                    },
                )
                continue
            if q.constraint is not None:
                try:
                    ok = truthy(q.constraint.evaluate(self.answers, coerced, self.today))
                except ExpressionError:
                    ok = False
                if not ok:
                    found[q.name] = Problem(
                        q.name,
                        "constraint",
                        "error.answer.constraint",
                        {"message": q.constraint_message},
                    )
        return found

    def result(self) -> dict[str, Any]:
        """What is stored: answers to shown questions, in their types; answers to
        questions that skip logic hid are dropped, so they never reach a report."""
        clean: dict[str, Any] = {}
        for q in self.definition.questions:
            value = self.answers.get(q.name)
            if q.type == "note" or is_empty(value) or not self.relevant(q):
                continue
            coerced, key = coerce(q, value)
            clean[q.name] = coerced if key is None else value
            other = f"{q.name}_other"
            if (
                q.other
                and other in self.answers
                and "other" in (coerced if isinstance(coerced, list) else [coerced])
            ):
                clean[other] = str(self.answers[other])
        return clean


def _out_of_range(question: Question, value: Any) -> bool:
    if question.type not in ("integer", "decimal"):
        return False
    return (question.minimum is not None and value < question.minimum) or (
        question.maximum is not None and value > question.maximum
    )


def _plain(value: float | None) -> Any:
    return int(value) if value is not None and value == int(value) else value


def check_answers(
    definition: FormDefinition, answers: Mapping[str, Any], today: str | None = None
) -> list[Problem]:
    """Everything wrong with a finished set of answers (services call this on save)."""
    known = set(definition.names) | {f"{q.name}_other" for q in definition.questions if q.other}
    problems = [
        Problem(name, "name", "error.answer.unknown_question", {"name": name})
        for name in answers
        if name not in known
    ]
    state = FormState(definition, answers, today)
    problems.extend(state.problems().values())
    problems.extend(
        Problem(name, "value", "error.answer.required", {"name": name}) for name in state.missing()
    )
    return problems


def answer_rows(
    definition: FormDefinition, answers: Mapping[str, Any], lang: str = "zh_CN"
) -> list[dict[str, Any]]:
    """Answers as report rows: question, its label, the value and the value in words."""
    rows = []
    for q in definition.questions:
        if q.name not in answers or q.type == "note":
            continue
        value = answers[q.name]
        rows.append(
            {
                "question": q.name,
                "label": q.text(lang),
                "value": value,
                "text": value_text(q, value, lang, answers.get(f"{q.name}_other")),
            }
        )
    return rows


#: The "other, specify" choice in words (a form's own choices never use the value "other").
OTHER_LABEL = {"zh_CN": "其他", "en": "Other"}


def value_text(question: Question, value: Any, lang: str = "zh_CN", other: Any = None) -> str:
    """An answer in words: choices by their labels, never their codes; "other" with what
    was typed for it (其他：停车位不够)."""
    labels = {c.value: text_of(c.label, lang) for c in question.choices}
    if question.other:
        said = str(other).strip() if other else ""
        word = OTHER_LABEL.get(lang, OTHER_LABEL["en"])
        colon = "：" if lang.startswith("zh") else ": "
        labels.setdefault("other", f"{word}{colon}{said}" if said else word)
    if question.type == "select_multiple" and isinstance(value, list):
        return "、".join(str(labels.get(str(v), v)) for v in value)
    if question.type == "select_one":
        return labels.get(str(value), str(value))
    if question.type == "yes_no" and isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh_CN" else ("yes" if value else "no")
    return "" if value is None else str(value)
