"""A repeat's entries in words, for paper and for people reading a household's history:
one line per entry ("1. 张三 · 配偶 · 年龄 45 · 是否在职 是") and one cell per question
(the report's sheet per repeat). Choices by their labels, never their codes; a number,
a yes/no or a date says which question it answers, a choice or a text speaks for itself.

A repeat's answer is the list of its entries, each `{question name: answer}` for the
repeat's own questions (resources/forms/FORMAT.md); a nested repeat is a list again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gridapp.forms.definition import FormDefinition, Question
from gridapp.forms.engine import value_text
from gridapp.forms.rows import fill_refs

#: Between the answers of one entry on its line.
SEPARATOR = " · "
#: Answers that read alone: a choice or a text names what it is.
_SELF_EXPLAINING = frozenset({"select_one", "select_multiple", "text"})
#: "3 条" / "3 entries": how many entries a repeat holds, in a cell or a line.
_COUNT = {"zh_CN": "{count} 条", "en": "{count} entries"}
_ONE = {"en": "1 entry"}


def repeat_body(question: Question) -> FormDefinition | None:
    """A repeat's own questions, else None."""
    return question.body if question.type == "repeat" else None


def is_repeat(question: Question) -> bool:
    return question.type == "repeat"


def entries(value: Any) -> list[Mapping[str, Any]]:
    """A repeat's answer as its entries (anything else in the list is skipped)."""
    if not isinstance(value, list):
        return []
    return [e for e in value if isinstance(e, Mapping)]


def count_text(count: int, lang: str = "zh_CN") -> str:
    if count == 1 and lang in _ONE:
        return _ONE[lang]
    return _COUNT.get(lang, _COUNT["en"]).format(count=count)


def answer_words(question: Question, value: Any, lang: str = "zh_CN", other: Any = None) -> str:
    """One answer in words; a repeat as its count of entries ("3 条")."""
    if is_repeat(question):
        return count_text(len(entries(value)), lang)
    return value_text(question, value, lang, other)


def entry_cells(body: FormDefinition, entry: Mapping[str, Any], lang: str = "zh_CN") -> list[str]:
    """One entry's answers in words, one per question of the repeat ('' if unanswered)."""
    return [
        answer_words(q, entry[q.name], lang, entry.get(f"{q.name}_other"))
        if entry.get(q.name) is not None
        else ""
        for q in shown_questions(body)
    ]


def shown_questions(body: FormDefinition) -> list[Question]:
    """The questions that hold an answer a person gave or that was worked out."""
    return [q for q in body.questions if q.type not in ("note", "meta")]


def entry_line(body: FormDefinition, entry: Mapping[str, Any], lang: str = "zh_CN") -> str:
    """One entry on one line, its answers in the repeat's order."""
    words = []
    for q in shown_questions(body):
        if entry.get(q.name) is None or q.type == "calculate":
            continue
        text = answer_words(q, entry[q.name], lang, entry.get(f"{q.name}_other"))
        if not text:
            continue
        if q.type not in _SELF_EXPLAINING:
            label = fill_refs(q.text(lang), entry, body.find, lang)  # ${who}: this entry's
            text = f"{label} {text}" if label else text
        words.append(text)
    return SEPARATOR.join(words)


def repeat_lines(question: Question, value: Any, lang: str = "zh_CN") -> list[str]:
    """A repeat's entries, numbered, one line each ("1. 张三 · 配偶 · 年龄 45")."""
    body = repeat_body(question)
    if body is None:
        return []
    return [f"{n}. {entry_line(body, e, lang)}" for n, e in enumerate(entries(value), start=1)]


def repeats_of(definition: FormDefinition) -> list[tuple[tuple[str, ...], Question]]:
    """Every repeat at every depth with the names of the repeats around it, outermost
    first, in the form's order (a repeat before the repeats inside it)."""
    found: list[tuple[tuple[str, ...], Question]] = []

    def walk(level: FormDefinition, prefix: tuple[str, ...]) -> None:
        for q in level.questions:
            body = repeat_body(q)
            if body is not None:
                found.append((prefix, q))
                walk(body, (*prefix, q.name))

    walk(definition, ())
    return found


def instances_at(
    answers: Mapping[str, Any], path: Sequence[str]
) -> list[tuple[tuple[int, ...], Mapping[str, Any]]]:
    """The entries of the repeat at `path` (repeat names, outermost first) across every
    entry of the repeats around it: (1-based numbers down the path, entry)."""
    level: list[tuple[tuple[int, ...], Mapping[str, Any]]] = [((), answers)]
    for name in path:
        level = [
            ((*numbers, n), entry)
            for numbers, parent in level
            for n, entry in enumerate(entries(parent.get(name)), start=1)
        ]
    return level


def instance_key(visit_id: str, path: Sequence[str], numbers: Sequence[int]) -> str:
    """An entry's key as ODK writes it: `<visit>/members[2]/phones[1]` (1-based)."""
    steps = [f"{name}[{n}]" for name, n in zip(path, numbers, strict=True)]
    return "/".join([visit_id, *steps])
