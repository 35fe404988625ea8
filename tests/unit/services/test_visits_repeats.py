"""A visit whose questionnaire has a repeat: the instances are checked, cleaned and
stored as one answer, and read back; one too big to cross the wire is refused."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.services.visits import VisitInput

FORM: dict[str, Any] = {
    "format": "gridapp-questionnaire",
    "format_version": 2,
    "id": "household_members",
    "version": 1,
    "title": {"zh_CN": "家庭成员", "en": "Members"},
    "items": [
        {
            "name": "members",
            "type": "repeat",
            "items": [
                {"name": "who", "type": "text", "label": "姓名"},
                {"name": "age", "type": "integer", "label": "年龄", "min": 0},
                {"name": "job", "type": "text", "label": "工作", "relevant": "${age} >= 18"},
            ],
        },
        {"name": "people", "type": "calculate", "calculation": "count(${members})"},
    ],
}


@pytest.fixture
def household(demo_services: Services, clock: FixedClock) -> str:
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    record = demo_services.campaigns.publish_questionnaire(FORM)
    campaign = demo_services.read.campaigns()[0]
    demo_services.campaigns.use_questionnaire(campaign["id"], record.id)
    return demo_services.read.household_ids()[5]


def _record(s: Services, household: str, answers: dict[str, Any]) -> str:
    return s.visits.record(VisitInput(household, "W0101", "met", answers=answers)).visit_id


def test_a_repeat_is_stored_as_one_cleaned_answer(demo_services: Services, household: str) -> None:
    members = [{"who": "张三", "age": "45", "job": "司机"}, {"who": "小明", "age": 9, "job": "x"}]
    visit = _record(demo_services, household, {"members": members})
    stored = dict(
        demo_services.store.db.execute(
            "SELECT question, value FROM answer WHERE visit_id = ?", [visit]
        ).fetchall()
    )
    assert json.loads(stored["members"]) == [
        {"who": "张三", "age": 45, "job": "司机"},
        {"who": "小明", "age": 9},
    ]
    assert json.loads(stored["people"]) == 2


def test_a_wrong_answer_inside_an_instance_is_refused(
    demo_services: Services, household: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        _record(demo_services, household, {"members": [{"who": "甲"}, {"age": -1}]})
    assert info.value.params["question"] == "members[2]/age"
    with pytest.raises(InvalidInput):
        _record(demo_services, household, {"members": [{"ghost": 1}]})


def test_a_repeat_too_big_for_the_wire_is_refused(demo_services: Services, household: str) -> None:
    members = [{"who": "名" * 1000} for _ in range(70)]
    with pytest.raises(InvalidInput) as info:
        _record(demo_services, household, {"members": members})
    assert info.value.key == "error.answer.too_long"
