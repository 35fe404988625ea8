"""Skip logic in words: names become labels, choice codes become choice labels, a
group's condition applies to its questions."""

from __future__ import annotations

from gridapp.forms.definition import load_definition
from gridapp.forms.describe import describe, shown_when
from gridapp.i18n import Catalog

DOC = {
    "id": "t",
    "version": 1,
    "title": "测试",
    "choice_lists": {"yn": [{"value": "y", "label": {"zh_CN": "有", "en": "Yes"}}]},
    "items": [
        {"name": "pets", "type": "select_one", "choices": "yn", "label": {"zh_CN": "养宠物吗"}},
        {
            "name": "g",
            "type": "group",
            "label": "宠物",
            "relevant": "selected(${pets}, 'y')",
            "items": [
                {"name": "count", "type": "integer", "label": "几只"},
                {"name": "dogs", "type": "integer", "label": "狗", "relevant": "${count} > 1"},
            ],
        },
        {"name": "calc", "type": "calculate", "calculation": "${count} * 2"},
    ],
}


def test_conditions_in_words() -> None:
    items = {i.path[-1]: i for i in shown_when(load_definition(DOC), "zh_CN")}
    assert set(items) == {"pets", "count", "dogs"}  # a calculation is never shown
    tr = Catalog("zh_CN").tr
    assert describe(items["pets"], tr) == "始终显示"
    assert describe(items["count"], tr) == "当 selected(“养宠物吗”, “有”) 时显示"
    assert describe(items["dogs"], tr) == ("当 (selected(“养宠物吗”, “有”)) 且 (“几只” > 1) 时显示")
    en = {i.path[-1]: i for i in shown_when(load_definition(DOC), "en")}
    assert describe(en["count"], Catalog("en").tr) == "shown when selected(“养宠物吗”, “Yes”)"
