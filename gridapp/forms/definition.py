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
from gridapp.forms.expr import Expression

FORMAT = "gridapp-questionnaire"
FORMAT_VERSION = 2
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
        "time",
        "datetime",
        "acknowledge",
        "meta",
        "repeat",
    }
)
SELECTS = frozenset({"select_one", "select_multiple"})
#: What a `meta` question may hold; the app fills it (FormState(meta=...)).
META_KINDS = frozenset({"start", "end", "today", "deviceid", "username", "audit"})
#: Types the worker never answers.
NOT_ANSWERED = frozenset({"note", "calculate", "meta"})
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
    columns: Mapping[str, str] = field(default_factory=dict)  # extra columns (choice_filter)


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
    default: Any = None  # prefilled in a new form or a new repeat instance
    choice_filter: Expression | None = None  # per choice; bare names are its columns
    required_message: Label = field(default_factory=dict)
    appearance: str = ""
    meta: str = ""  # type meta: one of META_KINDS
    repeat_count: Expression | None = None  # type repeat: fixes the number of instances
    body: FormDefinition | None = None  # type repeat: its own questions and groups

    @property
    def choice_values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices)

    def text(self, lang: str, fallback: str | None = None) -> str:
        return text_of(self.label, lang, fallback)


@dataclass(frozen=True)
class Group:
    name: str
    label: Label
    relevant: Expression | None = None
    parent: str | None = None
    appearance: str = ""


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    title: Label
    questions: tuple[Question, ...]
    groups: tuple[Group, ...] = ()
    source: Mapping[str, Any] = field(default_factory=dict, compare=False)
    languages: tuple[str, ...] = ()
    default_language: str | None = None

    def question(self, name: str) -> Question | None:
        """The question `name` at this level (a repeat's inner ones: `find`)."""
        return next((q for q in self.questions if q.name == name), None)

    def find(self, name: str) -> Question | None:
        """The question `name` at any depth (names are unique in the whole form)."""
        return next((q for _, q in self.walk() if q.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions)

    def walk(self) -> Iterator[tuple[tuple[str, ...], Question]]:
        """Every question at every depth, in order, with the names of the repeats
        around it (outermost first); a repeat comes before its own questions."""
        stack: list[tuple[tuple[str, ...], Iterator[Question]]] = [((), iter(self.questions))]
        while stack:
            prefix, pending = stack[-1]
            q = next(pending, None)
            if q is None:
                stack.pop()
                continue
            yield prefix, q
            if q.body is not None:
                stack.append(((*prefix, q.name), iter(q.body.questions)))

    def all_groups(self) -> Iterator[Group]:
        """The groups at every depth."""
        yield from self.groups
        for _, q in self.walk():
            if q.body is not None:
                yield from q.body.groups


def text_of(label: Mapping[str, str] | str | None, lang: str, fallback: str | None = None) -> str:
    """A label in `lang`, else in `fallback` (the form's default language), else the
    text written without a language, else Chinese, else whatever there is."""
    if not label:
        return ""
    if isinstance(label, str):
        return label
    for key in (lang, fallback, "default", "zh_CN"):
        if key is not None and label.get(key):
            return label[key]
    return next(iter(label.values()), "")


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
    """Check a definition document; every problem is listed in one DefinitionInvalid
    (the checks: forms/loader.py)."""
    from gridapp.forms.loader import load

    return load(doc)
