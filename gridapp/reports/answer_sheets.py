"""The workbook's answer sheets, as ODK exports them: one sheet with a row per answered
visit and a column per question of the campaign's questionnaire, and per repeat group
(at any depth) a sheet with a row per entry, carrying the visit id, the household, the
entry's number, its key and its parent's key, so a reader can join them.

Answers in words: choices by their labels, never their codes, in the words of the
questionnaire version each visit answered; a repeat shows as its count of entries in
the visit's row ("3 条"), its entries on its own sheet. Free text may hold a phone or an
ID number: masked, as on paper (a report names no resident's phone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from gridapp.forms.definition import FormDefinition, Question
from gridapp.forms.instance_words import (
    answer_words,
    instance_key,
    instances_at,
    repeat_body,
    repeats_of,
    shown_questions,
)
from gridapp.i18n import Catalog
from gridapp.model import format_address, mask_numbers
from gridapp.reports.data import ReportData
from gridapp.reports.sheets import INT, TEXT, TIME, Column, Sheet, local_time
from gridapp.storage.answer_queries import AnsweredVisit

#: What Excel refuses in a sheet's name, and how long one may be.
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_TITLE_MAX = 31
_NUMBERS = frozenset({"integer", "decimal", "rating"})


def answer_sheets(data: ReportData, catalog: Catalog, taken: Sequence[str] = ()) -> list[Sheet]:
    """The answers sheet and one sheet per repeat; none without a questionnaire.
    `taken`: the other sheets' titles (a sheet's title is unique in a workbook)."""
    form = data.questionnaire
    if form is None:
        return []
    titles = set(taken)
    sheets = [_answers_sheet(data, catalog, form, titles)]
    for prefix, repeat in repeats_of(form):
        sheets.append(_repeat_sheet(data, catalog, (*prefix, repeat.name), repeat, titles))
    return sheets


def _title(text: str, taken: set[str]) -> str:
    """A sheet title Excel takes: no []:*?/\\, at most 31 characters, unique."""
    base = _NOT_IN_TITLE.sub("_", text).strip().strip("'")[:_TITLE_MAX] or "_"
    title, n = base, 1
    while title in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: _TITLE_MAX - len(suffix)] + suffix
    taken.add(title)
    return title


def _header(question: Question, lang: str) -> str:
    return question.text(lang) or question.name


def _address(v: AnsweredVisit) -> str:
    return format_address(v.compound, v.building, v.unit, v.room)


def _words(question: Question, value: Any, lang: str, other: Any = None) -> Any:
    """An answer in a cell: a number stays a number (a spreadsheet sums it), the rest
    in words."""
    if question.type in _NUMBERS and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return mask_numbers(answer_words(question, value, lang, other))


def _columns(form: FormDefinition, others: Iterable[FormDefinition]) -> list[Question]:
    """The campaign's questionnaire's questions, then those only older versions asked
    (their answers stay in the report, under their own labels)."""
    questions = shown_questions(form)
    names = {q.name for q in questions}
    for older in others:
        for q in shown_questions(older):
            if q.name not in names:
                names.add(q.name)
                questions.append(q)
    return questions


def _answers_sheet(
    data: ReportData, catalog: Catalog, form: FormDefinition, titles: set[str]
) -> Sheet:
    tr, lang = catalog.tr, catalog.lang
    questions = _columns(form, data.forms.values())
    columns = [
        Column(tr("ui.report.col.visit_id"), TEXT, 38),
        Column(tr("ui.report.col.time"), TIME, 17),
        Column(tr("ui.report.col.household_code"), TEXT, 14),
        Column(tr("ui.report.col.address"), TEXT, 24),
        *(Column(_header(q, lang), TEXT, 16) for q in questions),
    ]

    def rows() -> Iterator[tuple[Any, ...]]:
        for v in data.answered():
            own = data.forms.get(v.questionnaire_id or "", form)
            cells = []
            for q in questions:
                asked = own.question(q.name) or q
                value = v.answers.get(q.name)
                other = v.answers.get(f"{q.name}_other")
                cells.append("" if value is None else _words(asked, value, lang, other))
            yield (v.visit_id, local_time(v.started_at), v.household_code, _address(v), *cells)

    title = _title(tr("ui.report.sheet.answers"), titles)
    return Sheet("answers", title, columns, rows(), data.answered_total)


def _repeat_at(form: FormDefinition, path: Sequence[str]) -> Question | None:
    """The repeat question at `path` (repeat names, outermost first) in one version."""
    level: FormDefinition | None = form
    found: Question | None = None
    for name in path:
        found = level.question(name) if level is not None else None
        level = repeat_body(found) if found is not None else None
        if level is None:
            return None
    return found


def _repeat_sheet(
    data: ReportData,
    catalog: Catalog,
    path: tuple[str, ...],
    repeat: Question,
    titles: set[str],
) -> Sheet:
    tr, lang = catalog.tr, catalog.lang
    body = repeat_body(repeat)
    assert body is not None
    questions = shown_questions(body)
    columns = [
        Column(tr("ui.report.col.visit_id"), TEXT, 38),
        Column(tr("ui.report.col.household_code"), TEXT, 14),
        Column(tr("ui.report.col.address"), TEXT, 24),
        Column(tr("ui.report.col.entry"), INT, 6),
        Column(tr("ui.report.col.key"), TEXT, 30),
        Column(tr("ui.report.col.parent_key"), TEXT, 30),
        *(Column(_header(q, lang), TEXT, 16) for q in questions),
    ]

    def rows() -> Iterator[tuple[Any, ...]]:
        for v in data.answered():
            own = data.forms.get(v.questionnaire_id or "")
            own_repeat = _repeat_at(own, path) if own is not None else None
            own_body = repeat_body(own_repeat) if own_repeat is not None else None
            for numbers, entry in instances_at(v.answers, path):
                cells = [
                    _words(
                        (own_body.question(q.name) if own_body else None) or q,
                        entry[q.name],
                        lang,
                        entry.get(f"{q.name}_other"),
                    )
                    if entry.get(q.name) is not None
                    else ""
                    for q in questions
                ]
                yield (
                    v.visit_id,
                    v.household_code,
                    _address(v),
                    numbers[-1],
                    instance_key(v.visit_id, path, numbers),
                    instance_key(v.visit_id, path[:-1], numbers[:-1]),
                    *cells,
                )

    title = _title(repeat.text(lang) or repeat.name, titles)
    return Sheet(f"repeat:{'/'.join(path)}", title, columns, rows(), data.answered_total)
