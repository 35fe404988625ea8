"""Answers in words inside labels (forms/rows.py fill_refs, FormState.fill): ODK forms
write "${name} 的年龄"; the worker reads the answer, not the reference."""

from __future__ import annotations

from gridapp.forms.definition import load_definition
from gridapp.forms.engine import FormState
from gridapp.forms.rows import MAX_FILLED

DOC = {
    "format_version": 2,
    "id": "labels",
    "version": 1,
    "title": "带答案的题目",
    "choice_lists": {
        "rel": [{"value": "head", "label": "户主"}, {"value": "kid", "label": "子女"}]
    },
    "items": [
        {"name": "head", "type": "text", "label": "户主姓名"},
        {
            "name": "members",
            "type": "repeat",
            "label": "${head} 家的成员",
            "items": [
                {"name": "who", "type": "text", "label": "姓名"},
                {
                    "name": "rel",
                    "type": "select_one",
                    "choices": "rel",
                    "label": "${who} 与户主关系",
                },
                {"name": "age", "type": "integer", "label": "${who}（${rel}）的年龄"},
            ],
        },
    ],
}


def test_a_label_shows_the_answers_it_names_in_words() -> None:
    state = FormState(load_definition(DOC), {"head": "张建国"})
    assert state.fill("${head} 家的成员") == "张建国 家的成员"
    state.add_instance("members")
    state.add_instance("members")
    state.set(("members", 0, "who"), "李秀英")
    state.set(("members", 0, "rel"), "head")
    state.set(("members", 1, "who"), "张小明")
    # inside an entry, its own answers: each entry reads its own name
    assert state.fill("${who}（${rel}）的年龄", ("members", 0)) == "李秀英（户主）的年龄"
    assert state.fill("${who}（${rel}）的年龄", ("members", 1)) == "张小明（）的年龄"


def test_unknown_unanswered_and_long_answers() -> None:
    state = FormState(load_definition(DOC), {"head": "长" * 500})
    assert state.fill("no reference") == "no reference"
    assert state.fill("${ghost} and ${who}") == " and "
    filled = state.fill("${head}")
    assert len(filled) == MAX_FILLED + 1 and filled.endswith("…")


def test_receipts_and_reports_read_the_labels_with_the_answers() -> None:
    from gridapp.forms.instance_words import repeat_lines
    from gridapp.forms.rows import answer_rows

    form = load_definition(DOC)
    answers = {"head": "张建国", "members": [{"who": "张小明", "rel": "kid", "age": 9}]}
    (members,) = [r for r in answer_rows(form, answers) if r["question"] == "members"]
    assert members["label"] == "张建国 家的成员"
    members_q = form.question("members")
    assert members_q is not None
    assert repeat_lines(members_q, answers["members"]) == [
        "1. 张小明 · 子女 · 张小明（子女）的年龄 9"
    ]
