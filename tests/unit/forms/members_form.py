"""A household survey with a household-members repeat (姓名, 与户主关系, 年龄, 是否在职,
职业, 联系电话), shared by the tests of the repeat's way from the form to the report."""

from __future__ import annotations

import copy
from typing import Any

RELATIONS = [
    {"value": "head", "label": {"zh_CN": "户主", "en": "Head"}},
    {"value": "spouse", "label": {"zh_CN": "配偶", "en": "Spouse"}},
    {"value": "child", "label": {"zh_CN": "子女", "en": "Child"}},
    {"value": "parent", "label": {"zh_CN": "父母", "en": "Parent"}},
    {"value": "other", "label": {"zh_CN": "其他亲属", "en": "Other relative"}},
]

MEMBERS: dict[str, Any] = {
    "name": "members",
    "type": "repeat",
    "label": {"zh_CN": "家庭成员", "en": "Household members"},
    "items": [
        {"name": "member_name", "type": "text", "label": {"zh_CN": "姓名", "en": "Name"}},
        {
            "name": "relation",
            "type": "select_one",
            "choices": "relation",
            "label": {"zh_CN": "与户主关系", "en": "Relation to the head"},
        },
        {
            "name": "age",
            "type": "integer",
            "min": 0,
            "max": 120,
            "label": {"zh_CN": "年龄", "en": "Age"},
        },
        {"name": "working", "type": "yes_no", "label": {"zh_CN": "是否在职", "en": "Working"}},
        {"name": "occupation", "type": "text", "label": {"zh_CN": "职业", "en": "Occupation"}},
        {"name": "mobile", "type": "text", "label": {"zh_CN": "联系电话", "en": "Phone"}},
    ],
}


def members_form(form_id: str = "household_members", version: int = 1) -> dict[str, Any]:
    """A fresh document each time: a test may change its copy."""
    return copy.deepcopy(
        {
            "format": "gridapp-questionnaire",
            "format_version": 2,
            "id": form_id,
            "version": version,
            "title": {"zh_CN": "家庭成员登记", "en": "Household members"},
            "choice_lists": {"relation": RELATIONS},
            "items": [
                {
                    "name": "stance",
                    "type": "select_one",
                    "choices": [
                        {"value": "agree", "label": {"zh_CN": "同意", "en": "Agree"}},
                        {"value": "oppose", "label": {"zh_CN": "反对", "en": "Oppose"}},
                    ],
                    "label": {"zh_CN": "您的态度", "en": "Your view"},
                },
                MEMBERS,
            ],
        }
    )


#: Three people, as stored: codes and types, never words.
THREE: list[dict[str, Any]] = [
    {"member_name": "张三", "relation": "head", "age": 52, "working": True},
    {"member_name": "李四", "relation": "spouse", "age": 49, "working": False},
    {"member_name": "张小五", "relation": "child", "age": 19, "working": False},
]


def household_of(count: int) -> list[dict[str, Any]]:
    """`count` people with all six questions answered, free text at a generous length."""
    return [
        {
            "member_name": f"欧阳{n}号成员",
            "relation": "other",
            "age": 30 + n,
            "working": n % 2 == 0,
            "occupation": "社区物业服务中心保洁及绿化养护工作人员（临时）",
            "mobile": f"1380013{n:04d}",
        }
        for n in range(count)
    ]


def use_members_form(services: Any) -> str:
    """Publish the form at an office (`Services`) and make the active campaign ask it;
    returns the questionnaire id."""
    published = services.campaigns.publish_questionnaire(members_form())
    campaign = services.campaigns.campaign()
    services.campaigns.use_questionnaire(campaign["id"], published.id)
    return str(published.id)
