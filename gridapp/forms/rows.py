"""Answers in words, for reports, receipts and the visit history: one row per answer,
choices by their labels, a repeat as a short summary or as one row list per instance."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from gridapp.forms.definition import FormDefinition, Question, text_of
from gridapp.forms.scope import instances

#: The "other, specify" choice in words (a form's own choices never use the value "other").
OTHER_LABEL = {"zh_CN": "其他", "en": "Other"}
#: Instances a repeat's summary spells out before "…".
SUMMARY_INSTANCES = 3


def answer_rows(
    definition: FormDefinition, answers: Mapping[str, Any], lang: str = "zh_CN"
) -> list[dict[str, Any]]:
    """Answers as report rows: question, its label, the value and the value in words
    (a repeat: its list of instances, summed up in words; repeat_rows spells them out)."""
    rows = []
    fallback = definition.default_language
    for q in definition.questions:
        if q.name not in answers or q.type == "note":
            continue
        value = answers[q.name]
        rows.append(
            {
                "question": q.name,
                "label": fill_refs(q.text(lang, fallback), answers, definition.find, lang),
                "value": value,
                "text": value_text(q, value, lang, answers.get(f"{q.name}_other")),
            }
        )
    return rows


def repeat_rows(
    definition: FormDefinition, answers: Mapping[str, Any], lang: str = "zh_CN"
) -> dict[str, list[list[dict[str, Any]]]]:
    """Per repeat path ("members", "members/phones"), one list of answer_rows per
    instance (a nested repeat's instances across all the outer ones), for reports that
    give one row per instance."""
    found: dict[str, list[list[dict[str, Any]]]] = {}
    for prefix, q in definition.walk():
        if q.body is None:
            continue
        boxes: list[Mapping[str, Any]] = [answers]
        for repeat in (*prefix, q.name):
            boxes = [item for box in boxes for item in instances(box, repeat)]
        found["/".join((*prefix, q.name))] = [answer_rows(q.body, box, lang) for box in boxes]
    return found


def value_text(question: Question, value: Any, lang: str = "zh_CN", other: Any = None) -> str:
    """An answer in words: choices by their labels, never their codes; "other" with what
    was typed for it (其他：停车位不够); a repeat in short (3 条：张三（户主，45）；…)."""
    if question.type == "repeat":
        return _summary(question, value, lang)
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


def _summary(question: Question, value: Any, lang: str) -> str:
    from gridapp.i18n import Catalog

    if not isinstance(value, list) or question.body is None:
        return "" if value is None else str(value)
    chinese = lang.startswith("zh")
    parts = []
    for box in value[:SUMMARY_INSTANCES]:
        words = [
            value_text(q, box[q.name], lang, box.get(f"{q.name}_other"))
            for q in question.body.questions
            if isinstance(box, Mapping)
            and q.type not in ("note", "repeat")
            and box.get(q.name) not in (None, "", [])
        ]
        words = [w for w in words if w]
        if not words:
            parts.append("—")
        elif len(words) == 1:
            parts.append(words[0])
        else:
            rest = ("，" if chinese else ", ").join(words[1:])
            parts.append(f"{words[0]}（{rest}）" if chinese else f"{words[0]} ({rest})")
    if len(value) > SUMMARY_INSTANCES:
        parts.append("…")
    items = ("；" if chinese else "; ").join(parts)
    return Catalog(lang).tr("form.repeat.summary", count=len(value), items=items)


_LABEL_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
#: At most this much of an answer goes into a label (a long text would bury the question).
MAX_FILLED = 200


def fill_refs(
    text: str,
    values: Mapping[str, Any],
    question_of: Callable[[str], Question | None],
    lang: str = "zh_CN",
) -> str:
    """A label with each ${name} replaced by that answer in words, as ODK shows answers
    in labels ("${name} 的年龄" → "张三 的年龄"); unanswered or unknown: nothing."""

    def one(match: re.Match[str]) -> str:
        question, value = question_of(match.group(1)), values.get(match.group(1))
        if question is None or value is None or value in ("", []):
            return ""
        words = value_text(question, value, lang)
        return words if len(words) <= MAX_FILLED else words[:MAX_FILLED] + "…"

    return _LABEL_REF.sub(one, text) if "${" in text else text
