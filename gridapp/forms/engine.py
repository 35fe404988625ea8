"""The questionnaire engine: relevance (skip logic), calculations, repeats, types, ranges
and constraints, evaluated against answers. Qt-free; the form widget and the services
both use it, so a visit saved from the CLI obeys the same rules as one typed in the GUI.

Answers are held as stored: a dict by name, a repeat's answer a list of instance
dicts (forms/scope.py says how a Path reaches one and what ${name} means in each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gridapp.forms.answers import coerce, is_empty
from gridapp.forms.definition import (
    NOT_ANSWERED,
    RATING_RANGE,
    Choice,
    FormDefinition,
    Problem,
    Question,
    calculation_order,
)
from gridapp.forms.expr import Budget, Expression, ExpressionError, truthy
from gridapp.forms.limits import MAX_INSTANCES
from gridapp.forms.rows import OTHER_LABEL, answer_rows, fill_refs, repeat_rows, value_text
from gridapp.forms.scope import (
    Layout,
    Path,
    Scope,
    as_path,
    copy_answers,
    instances,
    path_text,
)

__all__ = [
    "OTHER_LABEL",
    "FormState",
    "Path",
    "answer_rows",
    "check_answers",
    "coerce",
    "is_empty",
    "repeat_rows",
    "value_text",
]


class FormState:
    """Answers being given: what is shown, what is missing, what is wrong."""

    def __init__(
        self,
        definition: FormDefinition,
        answers: Mapping[str, Any] | None = None,
        today: str | None = None,
        meta: Mapping[str, Any] | None = None,
        lang: str = "zh_CN",
    ) -> None:
        self.definition = definition
        self.today = today or dt.date.today().isoformat()
        self.meta = dict(meta or {})
        self.now = str(
            self.meta.get("now")
            or self.meta.get("start")
            or dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
        )
        self.lang = lang
        self.layout = Layout(definition)
        self.answers: dict[str, Any] = copy_answers(dict(answers or {}))
        walked = [q for _, q in definition.walk()]
        self._calculations = calculation_order(walked)
        self._counted = [q for q in walked if q.repeat_count is not None]
        if answers is None:  # a new form: defaults, and the moment it opened
            self.answers.update(_defaults(definition))
            self.meta = {"start": self.now, "end": self.now, "today": self.today, **self.meta}
        self._fill_meta(definition.questions)
        self._recalculate()

    # -- answers ---------------------------------------------------------------------
    def set(self, path: str | Path, value: Any) -> None:
        steps = as_path(path)
        box = self._box(steps[:-1])
        name = str(steps[-1])
        if is_empty(value):
            box.pop(name, None)
        else:
            box[name] = copy_answers(value)
        self._recalculate()

    def value(self, path: str | Path) -> Any:
        steps = as_path(path)
        return self._box(steps[:-1]).get(str(steps[-1]))

    def set_raw(self, name: str, value: Any) -> None:
        if value is None:
            self.answers.pop(name, None)
        else:
            self.answers[name] = value

    # -- repeats ---------------------------------------------------------------------
    def instance_count(self, repeat_path: str | Path) -> int:
        steps = as_path(repeat_path)
        return len(instances(self._box(steps[:-1]), str(steps[-1])))

    def add_instance(self, repeat_path: str | Path) -> int:
        """A new instance at the end, its defaults filled; its index."""
        box, repeat = self._repeat(repeat_path, "add")
        found = instances(box, repeat.name)
        if len(found) >= MAX_INSTANCES:
            raise ValueError(f"{repeat.name}: at most {MAX_INSTANCES} instances")
        assert repeat.body is not None
        box[repeat.name] = [*found, _defaults(repeat.body)]
        self._recalculate()
        return len(found)

    def remove_instance(self, repeat_path: str | Path, index: int) -> None:
        box, repeat = self._repeat(repeat_path, "remove")
        found = instances(box, repeat.name)
        if not 0 <= index < len(found):
            raise IndexError(index)
        box[repeat.name] = found[:index] + found[index + 1 :]
        self._recalculate()

    def move_instance(self, repeat_path: str | Path, index: int, new_index: int) -> None:
        box, repeat = self._repeat(repeat_path, "move")
        found = list(instances(box, repeat.name))
        if not (0 <= index < len(found) and 0 <= new_index < len(found)):
            raise IndexError(index if not 0 <= index < len(found) else new_index)
        found.insert(new_index, found.pop(index))
        box[repeat.name] = found
        self._recalculate()

    def _repeat(self, repeat_path: str | Path, action: str) -> tuple[dict[str, Any], Question]:
        steps = as_path(repeat_path)
        repeat = self.layout.where.get(str(steps[-1]), ((), None))[1]
        if repeat is None or repeat.body is None:
            raise ValueError(f"not a repeat: {path_text(steps)}")
        if repeat.repeat_count is not None and action != "move":
            raise ValueError(f"{repeat.name}: the form fixes the number of instances")
        return self._box(steps[:-1]), repeat

    def _box(self, at: Path) -> dict[str, Any]:
        """The answers of instance `at` (ValueError when there is no such instance)."""
        box = self.answers
        for i in range(0, len(at), 2):
            found = instances(box, str(at[i]))
            index = at[i + 1] if i + 1 < len(at) else None
            if not isinstance(index, int) or not 0 <= index < len(found):
                raise ValueError(f"no instance {path_text(at[: i + 2])}")
            box = found[index]
        return box

    def _contexts(self, repeats: tuple[str, ...]) -> list[Path]:
        """Every instance path reached through `repeats` (outermost first)."""
        found: list[Path] = [()]
        for repeat in repeats:
            found = [
                (*at, repeat, i)
                for at in found
                for i in range(len(instances(self._box(at), repeat)))
            ]
        return found

    # -- computing -------------------------------------------------------------------
    def _fill_meta(
        self, questions: tuple[Question, ...], box: dict[str, Any] | None = None
    ) -> None:
        box = self.answers if box is None else box
        for q in questions:
            if q.type != "meta" or not is_empty(box.get(q.name)):
                continue
            if (value := self.meta.get(q.meta)) is not None:
                box[q.name] = value

    def _recalculate(self) -> None:
        # Repeat counts first, then calculations in dependency order (no cycles: checked
        # at load), so one pass settles them and a second confirms; relevance that
        # depends on a later calculation may need more: repeat until stable, at most one
        # pass per calculation and count.
        calcs = self._calculations
        for _ in range(len(calcs) + len(self._counted) + 1):
            changed = self._apply_counts()
            for q in calcs:
                for at in self._contexts(self.layout.prefix(q.name)):
                    value = self._evaluate(q.calculation, at) if self.relevant(q, at) else None
                    box = self._box(at)
                    if box.get(q.name) != value:
                        changed = True
                        if value is None:
                            box.pop(q.name, None)
                        else:
                            box[q.name] = value
            if not changed:
                break

    def _apply_counts(self) -> bool:
        changed = False
        for q in self._counted:
            assert q.body is not None
            for at in self._contexts(self.layout.prefix(q.name)):
                if not self.relevant(q, at):
                    continue
                number = _count(self._evaluate(q.repeat_count, at))
                box = self._box(at)
                found = instances(box, q.name)
                if len(found) == number and (number or q.name not in box):
                    continue
                changed = True
                extra = [_defaults(q.body) for _ in range(number - len(found))]
                box[q.name] = found[:number] + extra
        return changed

    def _scope(self, at: Path) -> Scope:
        return Scope(self.layout, self.answers, at, self.now, self.lang)

    def fill(self, text: str, at: str | Path = ()) -> str:
        """A label or hint with ${name} shown as that answer in words, read where `at`
        (an instance path) stands: inside an entry, its own answers first."""
        if "${" not in text:
            return text

        def question_of(name: str) -> Question | None:
            return self.layout.question(name) if name in self.layout.where else None

        return fill_refs(text, self._scope(as_path(at)), question_of, self.lang)

    def _evaluate(
        self, expression: Expression | None, at: Path = (), current: Any = None, **kw: Any
    ) -> Any:
        if expression is None:
            return None
        try:
            scope = self._scope(at)
            return expression.evaluate(scope, current, self.today, context=scope, **kw)
        except ExpressionError:
            return None

    # -- what is shown ---------------------------------------------------------------
    def _group_relevant(self, name: str | None, at: Path) -> bool:
        while name is not None:
            group = self.layout.groups[name]
            if group.relevant is not None and not truthy(self._evaluate(group.relevant, at)):
                return False
            name = group.parent
        return True

    def relevant(self, question: Question, at: str | Path = ()) -> bool:
        """Whether `question` is shown in instance `at` (its repeat's and groups' relevance
        included)."""
        at = as_path(at) if at else ()
        if question.groups and not self._group_relevant(question.groups[-1], at):
            return False
        if question.relevant is not None and not truthy(self._evaluate(question.relevant, at)):
            return False
        repeats = self.layout.prefix(question.name)
        if repeats and len(at) >= 2:
            return self.relevant(self.layout.question(repeats[-1]), at[:-2])
        return True

    def visible(self, at: str | Path = ()) -> list[Question]:
        """The questions shown in instance `at` (a repeat is one item among them)."""
        at = as_path(at) if at else ()
        return [
            q
            for q in self.layout.level(at).questions
            if q.type not in ("calculate", "meta") and self.relevant(q, at)
        ]

    def choices(self, question: Question, at: str | Path = ()) -> tuple[Choice, ...]:
        """The choices offered in instance `at`: those its choice_filter keeps."""
        if question.choice_filter is None:
            return question.choices
        at = as_path(at) if at else ()
        budget = Budget()  # one for the whole list
        return tuple(
            c
            for c in question.choices
            if truthy(
                self._evaluate(
                    question.choice_filter,
                    at,
                    budget=budget,
                    columns={"name": c.value, **c.columns},
                )
            )
        )

    # -- what is missing or wrong ----------------------------------------------------
    def _answered(self) -> list[tuple[Path, Question, Any]]:
        """Every shown question that could be answered, in every instance, with its value."""
        found = []
        for repeats, q in self.definition.walk():
            if q.type in ("note", "calculate"):
                continue
            for at in self._contexts(repeats):
                if self.relevant(q, at):
                    found.append(((*at, q.name), q, self._box(at).get(q.name)))
        return found

    def missing_questions(self) -> list[tuple[str, Question]]:
        return [
            (path_text(path), q)
            for path, q, value in self._answered()
            if q.required and coerce(q, value)[0] in (None, "", [])
        ]

    def missing(self) -> list[str]:
        return [text for text, _ in self.missing_questions()]

    def problems(self) -> dict[str, Problem]:
        """Answers given to shown questions that are of the wrong type, out of range, or
        break their constraint, by path ("age", "members[2]/age")."""
        found: dict[str, Problem] = {}
        for path, q, value in self._answered():
            if q.type in NOT_ANSWERED or is_empty(value):
                continue
            text, at = path_text(path), path[:-1]
            coerced, key = coerce(q, value)
            if key is None and q.type == "repeat" and len(coerced) > MAX_INSTANCES:
                key = "error.answer.too_many_instances"
            if key is None and _out_of_range(q, coerced):
                key = "error.answer.out_of_range"
            if key is None and q.choice_filter is not None:
                allowed = {c.value for c in self.choices(q, at)} | ({"other"} if q.other else set())
                chosen = coerced if isinstance(coerced, list) else [coerced]
                key = None if set(chosen) <= allowed else "error.answer.not_a_choice"
            if key is not None:
                low, high = RATING_RANGE if q.type == "rating" else (q.minimum, q.maximum)
                params = {"min": _plain(low), "max": _plain(high), "limit": MAX_INSTANCES}
                found[text] = Problem(text, "value", key, params)
                continue
            if q.constraint is not None and not truthy(self._evaluate(q.constraint, at, coerced)):
                message = {"message": q.constraint_message}
                found[text] = Problem(text, "constraint", "error.answer.constraint", message)
        return found

    # -- what is stored --------------------------------------------------------------
    def result(self) -> dict[str, Any]:
        """What is stored: answers to shown questions, in their types; answers to
        questions that skip logic hid are dropped, so they never reach a report. A
        repeat: the list of its instances, each cleaned the same way."""
        return self._clean(self.definition, self.answers, ())

    def _clean(self, level: FormDefinition, box: Mapping[str, Any], at: Path) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for q in level.questions:
            value = box.get(q.name)
            if q.type == "note" or is_empty(value) or not self.relevant(q, at):
                continue
            if q.type == "repeat" and q.body is not None and instances(box, q.name):
                clean[q.name] = [
                    self._clean(q.body, item, (*at, q.name, i))
                    for i, item in enumerate(instances(box, q.name))
                ]
                continue
            coerced, key = coerce(q, value)
            if key is None and coerced is None:
                continue  # an acknowledge left unticked
            clean[q.name] = coerced if key is None else value
            other = f"{q.name}_other"
            if (
                q.other
                and other in box
                and "other" in (coerced if isinstance(coerced, list) else [coerced])
            ):
                clean[other] = str(box[other])
        return clean


def _defaults(level: FormDefinition) -> dict[str, Any]:
    return {q.name: copy_answers(q.default) for q in level.questions if q.default is not None}


def _count(value: Any) -> int:
    """A repeat_count's value as a number of instances (0 to MAX_INSTANCES)."""
    try:
        number = int(float(value)) if not isinstance(value, bool) and value is not None else 0
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(0, min(MAX_INSTANCES, number))


def _out_of_range(question: Question, value: Any) -> bool:
    if question.type not in ("integer", "decimal"):
        return False
    return (question.minimum is not None and value < question.minimum) or (
        question.maximum is not None and value > question.maximum
    )


def _plain(value: float | None) -> Any:
    if value is None:
        return ""
    return int(value) if value == int(value) else value


def check_answers(
    definition: FormDefinition, answers: Mapping[str, Any], today: str | None = None
) -> list[Problem]:
    """Everything wrong with a finished set of answers (services call this on save)."""
    problems = _unknown(definition, answers, ())
    state = FormState(definition, answers, today)
    problems.extend(state.problems().values())
    problems.extend(
        Problem(
            name, "value", "error.answer.required", {"name": name, "message": q.required_message}
        )
        for name, q in state.missing_questions()
    )
    return problems


def _unknown(level: FormDefinition, answers: Mapping[str, Any], at: Path) -> list[Problem]:
    """Answers to questions the form (or the repeat) does not have, at any depth."""
    known = {q.name: q for q in level.questions}
    known |= {f"{q.name}_other": q for q in level.questions if q.other}
    found = []
    for name, value in answers.items():
        q = known.get(name)
        if q is None:
            text = path_text((*at, name))
            found.append(Problem(text, "name", "error.answer.unknown_question", {"name": text}))
        elif q.body is not None and q.name == name and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    found += _unknown(q.body, item, (*at, name, i))
    return found
