"""Loading a questionnaire definition (resources/forms/FORMAT.md): every check at once,
every problem with where it is, so a broken form is refused whole and nothing
half-works in a stairwell. The shapes it builds: forms/definition.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gridapp.forms.answers import coerce
from gridapp.forms.bounds import pattern_errors
from gridapp.forms.definition import (
    FORMAT,
    FORMAT_VERSION,
    META_KINDS,
    NOT_ANSWERED,
    QUESTION_TYPES,
    SELECTS,
    Choice,
    DefinitionInvalid,
    FormDefinition,
    Group,
    Label,
    Problem,
    Question,
)
from gridapp.forms.expr import Expression, ExpressionError, parse
from gridapp.forms.limits import MAX_LABEL, MAX_NESTING, MAX_REPEAT_DEPTH
from gridapp.forms.loader_checks import check_cycles, check_growth, check_references


class _Level:
    """The questions and groups of one level: the form, or one repeat's body."""

    def __init__(self) -> None:
        self.questions: list[Question] = []
        self.groups: list[Group] = []


class _Loader:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.all: list[Question] = []  # every question at every depth
        self.all_groups: list[Group] = []
        self.names: set[str] = set()
        self.languages: tuple[str, ...] = ()
        self.default_language: str | None = None

    def problem(self, where: str, field_name: str, key: str, **params: Any) -> None:
        self.problems.append(Problem(where, field_name, key, params))

    def label(self, where: str, field_name: str, value: Any, required: bool = False) -> Label:
        if value is None or value == "":
            if required:
                self.problem(where, field_name, "error.form.missing", field=field_name)
            return {}
        if isinstance(value, str):
            value = {"zh_CN": value}
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            self.problem(where, field_name, "error.form.bad_label", field=field_name)
            return {}
        longest = max(map(len, value.values()), default=0)
        if longest > MAX_LABEL:
            self.problem(
                where,
                field_name,
                "error.form.label_too_long",
                field=field_name,
                size=longest,
                limit=MAX_LABEL,
            )
            return {}
        return {str(k): str(v) for k, v in value.items()}

    def expression(
        self, where: str, field_name: str, source: Any, columns: bool = False
    ) -> Expression | None:
        if source is None or source == "":
            return None
        if not isinstance(source, str):
            self.problem(
                where, field_name, "error.form.bad_expression", field=field_name, detail="not text"
            )
            return None
        try:
            expr = parse(source, columns)
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
            columns = item.get("columns") or {}
            if not isinstance(columns, Mapping) or not all(
                isinstance(v, str | int | float) and not isinstance(v, bool)
                for v in columns.values()
            ):
                self.problem(where, f"choices[{n}].columns", "error.form.bad_choice")
                columns = {}
            result.append(
                Choice(
                    code,
                    self.label(where, f"choices[{n}].label", item.get("label") or code),
                    {str(k): str(v) for k, v in columns.items()},
                )
            )
        return tuple(result)

    def items(
        self, items: Any, groups: tuple[str, ...], path: str, level: _Level, depth: tuple[int, int]
    ) -> None:
        """Load `items` into `level`; depth: (repeats, groups and repeats) around them."""
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
            if kind in ("group", "repeat"):
                repeats, nesting = depth[0] + (kind == "repeat"), depth[1] + 1
                if repeats > MAX_REPEAT_DEPTH or nesting > MAX_NESTING:
                    limit = MAX_REPEAT_DEPTH if repeats > MAX_REPEAT_DEPTH else MAX_NESTING
                    self.problem(where, "items", "error.form.too_deep", limit=limit)
                    continue
            if kind == "group":
                group = Group(
                    name,
                    self.label(where, "label", item.get("label")),
                    self.expression(where, "relevant", item.get("relevant")),
                    groups[-1] if groups else None,
                    _text(item.get("appearance")),
                )
                level.groups.append(group)
                self.all_groups.append(group)
                self.items(item.get("items"), (*groups, name), name, level, (repeats, nesting))
                continue
            if kind not in QUESTION_TYPES:
                self.problem(where, "type", "error.form.unknown_type", type=str(kind))
                continue
            body = None
            if kind == "repeat":
                inner = _Level()
                self.items(item.get("items"), (), name, inner, (repeats, nesting))
                if not inner.questions:
                    self.problem(where, "items", "error.form.no_questions")
                body = FormDefinition(
                    name,
                    1,
                    {},  # the repeat's label is its question's
                    tuple(inner.questions),
                    tuple(inner.groups),
                    item,
                    self.languages,
                    self.default_language,
                )
            question = self.question(where, name, str(kind), item, groups, body)
            level.questions.append(question)
            self.all.append(question)

    def repeat_count(self, where: str, kind: str, value: Any) -> Expression | None:
        if value is None or value == "" or kind != "repeat":
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return parse(str(value))
        if isinstance(value, str) and value.strip():
            return self.expression(where, "repeat_count", value)
        self.problem(where, "repeat_count", "error.form.bad_repeat_count", value=str(value))
        return None

    def question(
        self,
        where: str,
        name: str,
        kind: str,
        item: Mapping[str, Any],
        groups: tuple[str, ...],
        body: FormDefinition | None,
    ) -> Question:
        choices: tuple[Choice, ...] = ()
        if kind in SELECTS:
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
        choice_filter = self.expression(where, "choice_filter", item.get("choice_filter"), True)
        if choice_filter is not None and kind not in SELECTS:
            self.problem(where, "choice_filter", "error.form.filter_not_select")
        elif choice_filter is not None and choices:
            known = {"name"}.union(*(c.columns for c in choices))
            for column in sorted(choice_filter.columns - known):
                self.problem(where, "choice_filter", "error.form.unknown_column", column=column)
        meta = item.get("meta", "") if kind == "meta" else ""
        if kind == "meta" and meta not in META_KINDS:
            self.problem(where, "meta", "error.form.unknown_meta", kind=str(meta))
        question = Question(
            name=name,
            type=kind,
            label=self.label(
                where, "label", item.get("label"), required=kind not in (*NOT_ANSWERED, "repeat")
            ),
            hint=self.label(where, "hint", item.get("hint")),
            required=required and kind not in NOT_ANSWERED,
            relevant=self.expression(where, "relevant", item.get("relevant")),
            constraint=self.expression(where, "constraint", item.get("constraint")),
            constraint_message=self.label(
                where, "constraint_message", item.get("constraint_message")
            ),
            calculation=calculation,
            choices=choices,
            minimum=minimum,
            maximum=maximum,
            other=bool(item.get("other")) and kind in SELECTS,
            groups=groups,
            choice_filter=choice_filter if kind in SELECTS else None,
            required_message=self.label(where, "required_message", item.get("required_message")),
            appearance=_text(item.get("appearance")),
            meta=str(meta),
            repeat_count=self.repeat_count(where, kind, item.get("repeat_count")),
            body=body,
        )
        return self.default(where, question, item.get("default"))

    def default(self, where: str, question: Question, value: Any) -> Question:
        if value is None or value == "":
            return question
        if question.type == "select_multiple" and isinstance(value, str):
            value = value.split()
        coerced, key = coerce(question, value)
        if key is not None or question.type in (*NOT_ANSWERED, "repeat") or coerced is None:
            self.problem(where, "default", "error.form.bad_default", type=question.type)
            return question
        return _replace(question, coerced)


def _replace(question: Question, default: Any) -> Question:
    from dataclasses import replace

    return replace(question, default=default)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _languages(loader: _Loader, doc: Mapping[str, Any]) -> tuple[tuple[str, ...], str | None]:
    languages = doc.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        loader.problem("", "languages", "error.form.bad_languages")
        languages = []
    default = doc.get("default_language") or None
    if default is not None and not isinstance(default, str):
        loader.problem("", "default_language", "error.form.bad_languages")
        default = None
    return tuple(languages), default


def load(doc: Mapping[str, Any]) -> FormDefinition:
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
    languages, default_language = _languages(loader, doc)
    loader.languages, loader.default_language = languages, default_language
    top = _Level()
    loader.items(doc.get("items"), (), "items", top, (0, 0))
    if not top.questions and not loader.problems:
        loader.problem("", "items", "error.form.no_questions")
    problems = loader.problems
    check_references(loader.all, loader.all_groups, problems)
    check_cycles(loader.all, problems)
    if not any(p.key == "error.form.cycle" for p in problems):
        check_growth(loader.all, loader.all_groups, problems)
    if problems:
        raise DefinitionInvalid(problems)
    return FormDefinition(
        str(form_id),
        int(str(form_version)),
        title,
        tuple(top.questions),
        tuple(top.groups),
        doc,
        languages,
        default_language,
    )
