"""A questionnaire's skip logic in words, for the office to check before publishing: each
question with when it is shown (always, or the `relevant` expressions of its groups,
repeats and itself, with ${names} replaced by the questions' labels and a choice code
compared to a select question replaced by the choice's label). Qt-free: the preview
dialog and `gridapp-cli questionnaire preview` both use it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gridapp.forms.definition import FormDefinition, Question, text_of

_NAME = re.compile(r"\$\{(\w+)\}")
_COMPARED = re.compile(r"\$\{(\w+)\}(\s*!?=\s*)(['\"])([^'\"]*)\3")
_SELECTED = re.compile(r"(selected\(\s*)\$\{(\w+)\}(\s*,\s*)(['\"])([^'\"]*)\4")


@dataclass(frozen=True)
class ShownWhen:
    """One question and the conditions under which it is shown (all must hold)."""

    path: tuple[str, ...]  # enclosing repeat names, then the question's name
    question: Question
    label: str
    conditions: tuple[str, ...]  # in words; empty: shown always

    @property
    def depth(self) -> int:
        return len(self.path) - 1


def _label(label: Mapping[str, str] | None, lang: str, fallback: str | None) -> str:
    return text_of(label, lang, fallback)


def _walk(
    definition: FormDefinition, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Question, FormDefinition]]:
    for q in definition.questions:
        yield prefix, q, definition
        if q.body is not None:
            yield from _walk(q.body, (*prefix, q.name))


class _Words:
    def __init__(self, definition: FormDefinition, lang: str) -> None:
        self.lang = lang
        self.fallback = definition.default_language
        self.questions: dict[str, Question] = {}
        for _prefix, q, _level in _walk(definition):
            self.questions[q.name] = q

    def label(self, name: str) -> str:
        q = self.questions.get(name)
        return f"“{_label(q.label, self.lang, self.fallback) or name}”" if q else f"${{{name}}}"

    def choice(self, name: str, value: str) -> str | None:
        q = self.questions.get(name)
        for c in q.choices if q is not None else ():
            if c.value == value:
                return _label(c.label, self.lang, self.fallback) or value
        return None

    def words(self, source: str) -> str:
        def compared(m: re.Match[str]) -> str:
            said = self.choice(m.group(1), m.group(4))
            value = f"“{said}”" if said is not None else m.group(3) + m.group(4) + m.group(3)
            return f"{self.label(m.group(1))}{m.group(2)}{value}"

        def selected(m: re.Match[str]) -> str:
            said = self.choice(m.group(2), m.group(5))
            value = f"“{said}”" if said is not None else m.group(4) + m.group(5) + m.group(4)
            return f"{m.group(1)}{self.label(m.group(2))}{m.group(3)}{value}"

        text = _SELECTED.sub(selected, source.strip())
        text = _COMPARED.sub(compared, text)
        return _NAME.sub(lambda m: self.label(m.group(1)), text)


def _group_conditions(level: FormDefinition, question: Question, words: _Words) -> list[str]:
    groups = {g.name: g for g in level.groups}
    found: list[str] = []
    for name in question.groups:
        group = groups.get(name)
        if group is not None and group.relevant is not None:
            found.append(words.words(group.relevant.source))
    return found


def shown_when(definition: FormDefinition, lang: str = "zh_CN") -> list[ShownWhen]:
    """Every question that is ever shown (calculations and metadata are not), in form
    order, repeats followed by their own questions."""
    words = _Words(definition, lang)
    result: list[ShownWhen] = []
    inherited: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
    for prefix, q, level in _walk(definition):
        conditions = [*inherited.get(prefix, ()), *_group_conditions(level, q, words)]
        if q.relevant is not None:
            conditions.append(words.words(q.relevant.source))
        if q.type == "repeat":
            inherited[(*prefix, q.name)] = tuple(conditions)
        if q.type in ("calculate", "meta"):
            continue
        label = _label(q.label, lang, words.fallback) or q.name
        result.append(ShownWhen((*prefix, q.name), q, label, tuple(conditions)))
    return result


def describe(item: ShownWhen, tr: Callable[..., str]) -> str:
    """The conditions in a sentence, in the catalog's words ("显示条件")."""
    if not item.conditions:
        return tr("ui.form.shown_always")
    parts = item.conditions
    if len(parts) > 1:
        parts = tuple(f"({c})" for c in parts)
    return tr("ui.form.shown_when", condition=tr("ui.form.condition_and").join(parts))


def summary(definition: FormDefinition, lang: str) -> dict[str, Any]:
    """The form's id, version, title and languages, for a preview's heading."""
    return {
        "id": definition.id,
        "version": definition.version,
        "title": _label(definition.title, lang, definition.default_language),
        "languages": list(definition.languages),
    }
