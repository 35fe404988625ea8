"""A repeat's entries in words: one line per entry for paper, one cell per question for
the report, keys as ODK writes them; choices by their labels, never their codes."""

from __future__ import annotations

from gridapp.forms.definition import load_definition
from gridapp.forms.instance_words import (
    answer_words,
    count_text,
    entry_cells,
    instance_key,
    instances_at,
    repeat_body,
    repeat_lines,
    repeats_of,
)
from tests.unit.forms.members_form import THREE, members_form


def test_a_repeat_reads_one_line_per_entry_in_words() -> None:
    form = load_definition(members_form())
    members = form.question("members")
    assert members is not None
    assert repeat_lines(members, THREE) == [
        "1. 张三 · 户主 · 年龄 52 · 是否在职 是",
        "2. 李四 · 配偶 · 年龄 49 · 是否在职 否",
        "3. 张小五 · 子女 · 年龄 19 · 是否在职 否",
    ]
    assert repeat_lines(members, THREE[:1], "en") == ["1. 张三 · Head · Age 52 · Working yes"]
    assert repeat_lines(members, []) == []


def test_a_repeat_in_a_cell_is_its_count() -> None:
    form = load_definition(members_form())
    members = form.question("members")
    assert members is not None
    assert answer_words(members, THREE) == "3 条"
    assert answer_words(members, THREE, "en") == "3 entries"
    assert count_text(1, "en") == "1 entry"
    stance = form.question("stance")
    assert stance is not None and answer_words(stance, "agree") == "同意"


def test_entry_cells_follow_the_repeats_questions() -> None:
    form = load_definition(members_form())
    members = form.question("members")
    assert members is not None
    body = repeat_body(members)
    assert body is not None
    assert entry_cells(body, THREE[1]) == ["李四", "配偶", "49", "否", "", ""]


def test_nested_repeats_have_keys_and_parents() -> None:
    doc = members_form()
    doc["items"][1]["items"].append(
        {
            "name": "phones",
            "type": "repeat",
            "label": "电话",
            "items": [{"name": "number", "type": "text", "label": "号码"}],
        }
    )
    form = load_definition(doc)
    assert [(prefix, q.name) for prefix, q in repeats_of(form)] == [
        ((), "members"),
        (("members",), "phones"),
    ]
    answers = {
        "members": [
            {"member_name": "甲", "phones": [{"number": "1"}, {"number": "2"}]},
            {"member_name": "乙"},
            {"member_name": "丙", "phones": [{"number": "3"}]},
        ]
    }
    found = instances_at(answers, ("members", "phones"))
    assert [(numbers, entry["number"]) for numbers, entry in found] == [
        ((1, 1), "1"),
        ((1, 2), "2"),
        ((3, 1), "3"),
    ]
    assert instance_key("v1", ("members", "phones"), (3, 1)) == "v1/members[3]/phones[1]"
    assert instance_key("v1", (), ()) == "v1"
