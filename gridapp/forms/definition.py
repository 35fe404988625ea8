"""Questionnaire definitions as data (resources/forms/FORMAT.md): loading and checking.

A definition is JSON that office staff author (directly or from an XLSForm workbook).
Loading checks everything at once and reports every problem with where it is, so a
broken form is refused whole and nothing half-works in a stairwell.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gridapp.errors import GridappError
from gridapp.forms.bounds import Growth, growth, pattern_errors
from gridapp.forms.expr import Expression, ExpressionError, parse

FORMAT = "gridapp-questionnaire"
FORMAT_VERSION = 1
LANGS = ("zh_CN", "en")

QUESTION_TYPES = frozenset(
    {
        "select_one",
        "select_multiple",
        "text",
        "integer",
        "decimal",
        "date",
        "yes_no",
        "rating",
        "note",
        "calculate",
    }
)
RATING_RANGE = (1, 5)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: `where` is a question name or a sheet/row/column."""

    where: str
    part: str  # the definition key or sheet column concerned
    key: str  # catalog key
    params: dict[str, Any] = field(default_factory=dict)


class DefinitionInvalid(GridappError):
    key = "error.form.invalid"

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("error.form.invalid", count=len(problems))
        self.problems = list(problems)


Label = dict[str, str]


@dataclass(frozen=True)
class Choice:
    value: str
    label: Label


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: Label
    hint: Label = field(default_factory=dict)
    required: bool = False
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Label = field(default_factory=dict)
    calculation: Expression | None = None
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    other: bool = False  # select with "other, specify": adds a text answer `<name>_other`
    groups: tuple[str, ...] = ()  # enclosing groups, outermost first

    @property
    def choice_values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices)

    def text(self, lang: str) -> str:
        return text_of(self.label, lang)


@dataclass(frozen=True)
class Group:
    name: str
    label: Label
    relevant: Expression | None = None
    parent: str | None = None


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    title: Label
    questions: tuple[Question, ...]
    groups: tuple[Group, ...] = ()
    source: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions)


def text_of(label: Mapping[str, str] | str | None, lang: str) -> str:
    if not label:
        return ""
    if isinstance(label, str):
        return label
    return label.get(lang) or label.get("zh_CN") or next(iter(label.values()), "")


class _Loader:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.questions: list[Question] = []
        self.groups: list[Group] = []
        self.names: set[str] = set()

    def problem(self, where: str, field_name: str, key: str, **params: Any) -> None:
        self.problems.append(Problem(where, field_name, key, params))

    def label(self, where: str, field_name: str, value: Any, required: bool = False) -> Label:
        if value is None or value == "":
            if required:
                self.problem(where, field_name, "error.form.missing", field=field_name)
            return {}
        if isinstance(value, str):
            return {"zh_CN": value}
        if isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()):
            return {str(k): str(v) for k, v in value.items()}
        self.problem(where, field_name, "error.form.bad_label", field=field_name)
        return {}

    def expression(self, where: str, field_name: str, source: Any) -> Expression | None:
        if source is None or source == "":
            return None
        if not isinstance(source, str):
            self.problem(
                where, field_name, "error.form.bad_expression", field=field_name, detail="not text"
            )
            return None
        try:
            expr = parse(source)
        except ExpressionError as exc:
            self.problem(
                where,
                field_name,
                "error.form.bad_expression",
                field=field_name,
                detail=exc.message,
                position=exc.position,
            )
            return None
        for error in pattern_errors(expr):  # what RE2 cannot run is refused here, at import
            self.refused(where, field_name, error)
        return expr

    def refused(self, where: str, field_name: str, error: ExpressionError) -> None:
        """A limit's refusal, in its own words (its catalog key)."""
        self.problem(where, field_name, error.key, **error.params, position=error.position)

    def number(self, where: str, field_name: str, value: Any) -> float | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, field_name, "error.form.bad_number", field=field_name)
            return None
        return float(value)

    def choices(self, where: str, value: Any) -> tuple[Choice, ...]:
        lists = self.doc.get("choice_lists") or {}
        if isinstance(value, str):
            if value not in lists:
                self.problem(where, "choices", "error.form.no_choice_list", list=value)
                return ()
            value = lists[value]
        if not isinstance(value, list) or not value:
            self.problem(where, "choices", "error.form.no_choices")
            return ()
        result, seen = [], set()
        for n, item in enumerate(value, start=1):
            if not isinstance(item, Mapping) or not isinstance(item.get("value"), str | int):
                self.problem(where, f"choices[{n}]", "error.form.bad_choice")
                continue
            code = str(item["value"])
            if code in seen:
                self.problem(where, f"choices[{n}]", "error.form.duplicate_choice", value=code)
            seen.add(code)
            result.append(
                Choice(code, self.label(where, f"choices[{n}].label", item.get("label") or code))
            )
        return tuple(result)

    def items(self, items: Any, groups: tuple[str, ...], path: str) -> None:
        if not isinstance(items, list):
            self.problem(path, "items", "error.form.bad_items")
            return
        for n, item in enumerate(items, start=1):
            where = f"{path}[{n}]"
            if not isinstance(item, Mapping):
                self.problem(where, "", "error.form.bad_items")
                continue
            name = item.get("name")
            if not isinstance(name, str) or not name.isidentifier():
                self.problem(where, "name", "error.form.bad_name", name=str(name))
                continue
            where = name
            if name in self.names:
                self.problem(where, "name", "error.form.duplicate_name", name=name)
            self.names.add(name)
            kind = item.get("type")
            if kind == "group":
                self.groups.append(
                    Group(
                        name,
                        self.label(where, "label", item.get("label")),
                        self.expression(where, "relevant", item.get("relevant")),
                        groups[-1] if groups else None,
                    )
                )
                self.items(item.get("items"), (*groups, name), name)
                continue
            if kind not in QUESTION_TYPES:
                self.problem(where, "type", "error.form.unknown_type", type=str(kind))
                continue
            self.questions.append(self.question(where, name, str(kind), item, groups))

    def question(
        self, where: str, name: str, kind: str, item: Mapping[str, Any], groups: tuple[str, ...]
    ) -> Question:
        choices: tuple[Choice, ...] = ()
        if kind in ("select_one", "select_multiple"):
            choices = self.choices(where, item.get("choices"))
        calculation = self.expression(where, "calculation", item.get("calculation"))
        if kind == "calculate" and calculation is None:
            self.problem(where, "calculation", "error.form.missing", field="calculation")
        minimum = self.number(where, "min", item.get("min"))
        maximum = self.number(where, "max", item.get("max"))
        if minimum is not None and maximum is not None and minimum > maximum:
            self.problem(where, "min", "error.form.bad_range", min=minimum, max=maximum)
        required = item.get("required", False)
        if not isinstance(required, bool):
            self.problem(where, "required", "error.form.bad_boolean", field="required")
            required = False
        return Question(
            name=name,
            type=kind,
            label=self.label(where, "label", item.get("label"), required=kind != "calculate"),
            hint=self.label(where, "hint", item.get("hint")),
            required=required and kind not in ("note", "calculate"),
            relevant=self.expression(where, "relevant", item.get("relevant")),
            constraint=self.expression(where, "constraint", item.get("constraint")),
            constraint_message=self.label(
                where, "constraint_message", item.get("constraint_message")
            ),
            calculation=calculation,
            choices=choices,
            minimum=minimum,
            maximum=maximum,
            other=bool(item.get("other")) and kind in ("select_one", "select_multiple"),
            groups=groups,
        )

    def check_references(self) -> None:
        known = self.names | {f"{q.name}_other" for q in self.questions if q.other}
        for q in self.questions:
            for field_name, expr in (
                ("relevant", q.relevant),
                ("constraint", q.constraint),
                ("calculation", q.calculation),
            ):
                for missing in sorted((expr.references() if expr else frozenset()) - known):
                    self.problem(q.name, field_name, "error.form.unknown_reference", name=missing)
        for g in self.groups:
            for missing in sorted((g.relevant.references() if g.relevant else frozenset()) - known):
                self.problem(g.name, "relevant", "error.form.unknown_reference", name=missing)

    def check_cycles(self) -> None:
        """Calculations may depend on each other, never in a circle."""
        graph = {q.name: set(q.calculation.references()) for q in self.questions if q.calculation}
        state: dict[str, int] = {}  # 1: on the path being walked, 2: done
        for root in sorted(graph):  # walked without recursion: a chain may be long
            if root in state:
                continue
            state[root] = 1
            path = [(root, iter(sorted(graph[root])))]
            while path:
                name, pending = path[-1]
                for nxt in pending:
                    if nxt not in graph:
                        continue
                    if state.get(nxt) == 1:
                        trail = [step for step, _ in path]
                        cycle = " → ".join([*trail[trail.index(nxt) :], nxt])
                        self.problem(name, "calculation", "error.form.cycle", cycle=cycle)
                    elif state.get(nxt) is None:
                        state[nxt] = 1
                        path.append((nxt, iter(sorted(graph[nxt]))))
                        break
                else:
                    path.pop()
                    state[name] = 2

    def check_growth(self) -> None:
        """No expression may build text without bound: a concat that doubles across
        calculations is refused here (bounds.growth), calculation by calculation in the
        order they are computed. Run only once there are no cycles."""
        calculated: dict[str, Growth] = {}
        for q in calculation_order(self.questions):
            assert q.calculation is not None
            try:
                calculated[q.name] = growth(q.calculation, calculated)
            except ExpressionError as error:
                self.refused(q.name, "calculation", error)
                calculated[q.name] = Growth(0, 0)  # reported here, not again by its readers
        checked: list[tuple[str, str, Expression | None]] = [
            (g.name, "relevant", g.relevant) for g in self.groups
        ]
        for q in self.questions:
            checked += [(q.name, "relevant", q.relevant), (q.name, "constraint", q.constraint)]
        for where, field_name, expr in checked:
            if expr is not None:
                try:
                    growth(expr, calculated)
                except ExpressionError as error:
                    self.refused(where, field_name, error)


def calculation_order(questions: Sequence[Question]) -> list[Question]:
    """The calculated questions, each after the calculations it refers to and otherwise
    in definition order (a cycle, refused at load, is broken where it is found)."""
    calcs = {q.name: q for q in questions if q.calculation is not None}

    def inputs(name: str) -> Iterator[str]:
        expr = calcs[name].calculation
        return iter(sorted(expr.references() if expr else ()))

    order: list[Question] = []
    seen: set[str] = set()  # placed, or on the path being walked
    for root in calcs:
        if root in seen:
            continue
        seen.add(root)
        path = [(root, inputs(root))]
        while path:
            name, pending = path[-1]
            nxt = next((n for n in pending if n in calcs and n not in seen), None)
            if nxt is None:
                path.pop()
                order.append(calcs[name])
            else:
                seen.add(nxt)
                path.append((nxt, inputs(nxt)))
    return order


def load_definition(doc: Mapping[str, Any]) -> FormDefinition:
    """Check a definition document; every problem is listed in one DefinitionInvalid."""
    if not isinstance(doc, Mapping):
        raise DefinitionInvalid([Problem("", "", "error.form.not_a_definition")])
    loader = _Loader(doc)
    if doc.get("format", FORMAT) != FORMAT:
        loader.problem("", "format", "error.form.not_a_definition")
    version = doc.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        loader.problem("", "format_version", "error.form.version_future", version=version)
    form_id = doc.get("id")
    if not isinstance(form_id, str) or not form_id.strip():
        loader.problem("", "id", "error.form.missing", field="id")
    form_version = doc.get("version")
    if not isinstance(form_version, int) or isinstance(form_version, bool) or form_version < 1:
        loader.problem("", "version", "error.form.bad_version")
    title = loader.label("", "title", doc.get("title"), required=True)
    loader.items(doc.get("items"), (), "items")
    if not loader.questions and not loader.problems:
        loader.problem("", "items", "error.form.no_questions")
    loader.check_references()
    loader.check_cycles()
    if not any(p.key == "error.form.cycle" for p in loader.problems):
        loader.check_growth()
    if loader.problems:
        raise DefinitionInvalid(loader.problems)
    return FormDefinition(
        str(form_id),
        int(str(form_version)),
        title,
        tuple(loader.questions),
        tuple(loader.groups),
        doc,
    )
