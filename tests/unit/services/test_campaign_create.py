"""Creating a campaign: a whole plan in one unit of work, or a clear refusal that writes
nothing (issue 18's bad input)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.errors import AccessDenied, InvalidInput
from gridapp.forms.definition import DefinitionInvalid
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan, NewPolicyItem, name_key

TABLES = (
    *("campaign", "campaign_compound", "campaign_policy", "policy_item", "questionnaire"),
    *("assignment", "change_log"),
)

LIFT_FORM: dict[str, Any] = {
    "format": "gridapp-questionnaire",
    "id": "lift_willingness",
    "version": 1,
    "title": {"zh_CN": "加装电梯意愿征询"},
    "items": [
        {
            "name": "willing",
            "type": "select_one",
            "label": "是否同意本门栋加装电梯",
            "choices": [{"value": "yes", "label": "同意"}, {"value": "no", "label": "不同意"}],
            "required": True,
        },
        {"name": "floor", "type": "integer", "label": "所住楼层", "min": 1, "max": 7},
    ],
}


@pytest.fixture
def office(demo_services: Services) -> Iterator[Services]:
    demo_services.act_as("B0001", "office")
    yield demo_services


def _rows(s: Services) -> dict[str, int]:
    db = s.store.db
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in TABLES}


def _plan(s: Services, clock: FixedClock, **changes: Any) -> CampaignPlan:
    start = clock.now().date() + timedelta(days=10)
    compound = s.read.compounds()[0].id
    plan = CampaignPlan(
        name="加装电梯意愿征询（第一批）",
        starts_on=start.isoformat(),
        ends_on=(start + timedelta(days=20)).isoformat(),
        compound_ids=[compound],
        description="10 个门栋的加装电梯意愿征询",
        questionnaire=LIFT_FORM,
        new_policy_items=[NewPolicyItem("加装电梯补贴", "每台补贴最高 28 万元。")],
    )
    return replace(plan, **changes)


def test_a_whole_plan_is_one_campaign(office: Services, clock: FixedClock) -> None:
    before = _rows(office)
    team = office.campaigns.teams(None)[0]
    plan = _plan(office, clock)
    building = office.campaigns.building_id(office.read.compounds()[0].name + "1号")
    record = office.campaigns.plan_campaign(replace(plan, teams={team["id"]: [building]}))
    after = _rows(office)
    grew = {t: after[t] - before[t] for t in TABLES}
    assert grew["change_log"] >= 6
    assert grew["campaign"] == 1 and grew["questionnaire"] == 1 and grew["policy_item"] == 1
    assert grew["campaign_compound"] == 1 and grew["campaign_policy"] == 1
    assert grew["assignment"] == 1
    listed = {c["id"]: c for c in office.campaigns.campaign_list()}
    row = listed[record.id]
    assert row["status"] == "active" and row["form_id"] == "lift_willingness"
    assert row["households"] > 0 and row["visits"] == 0
    # one unit of work: every new change-log entry carries one stamp and one actor
    stamps = office.store.db.execute(
        "SELECT count(DISTINCT hlc), min(actor), max(actor) FROM"
        " (SELECT hlc, actor FROM change_log ORDER BY seq DESC LIMIT ?)",
        [grew["change_log"]],
    ).fetchone()
    assert tuple(stamps) == (1, "B0001", "B0001")


def test_a_draft_is_published_later(office: Services, clock: FixedClock) -> None:
    record = office.campaigns.plan_campaign(_plan(office, clock, status="draft"))
    assert office.campaigns.campaign(record.id)["status"] == "draft"  # type: ignore[index]
    office.campaigns.publish_campaign(record.id)
    assert office.campaigns.campaign(record.id)["status"] == "active"  # type: ignore[index]
    with pytest.raises(InvalidInput) as refused:
        office.campaigns.publish_campaign(record.id)
    assert refused.value.key == "error.campaign.not_draft"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"name": "  "}, "error.setup.campaign_name_missing"),
        ({"starts_on": "2030-02-01", "ends_on": "2030-01-01"}, "error.campaign_dates"),
        ({"starts_on": "2030-02-30"}, "error.setup.bad_date"),
        ({"compound_ids": []}, "error.campaign.no_compounds"),
        ({"compound_ids": ["no-such-compound"]}, "error.setup.compound_not_found"),
        ({"new_policy_items": [NewPolicyItem("  ", "正文")]}, "error.policy.title_missing"),
        ({"new_policy_items": [NewPolicyItem("标题", " \u200b ")]}, "error.policy.body_missing"),
        ({"policy_item_ids": ["nope"]}, "error.policy_item_not_found"),
        ({"questionnaire_id": "nope", "questionnaire": None}, "error.form.not_found"),
        ({"questionnaire_id": "x"}, "error.campaign.two_questionnaires"),
        ({"status": "closed"}, "error.campaign.bad_status"),
    ],
)
def test_bad_plans_are_refused_and_write_nothing(
    office: Services, clock: FixedClock, changes: dict[str, Any], key: str
) -> None:
    before = _rows(office)
    with pytest.raises(InvalidInput) as refused:
        office.campaigns.plan_campaign(_plan(office, clock, **changes))
    assert refused.value.key == key
    assert _rows(office) == before


def test_a_second_campaign_with_the_same_name_is_refused(
    office: Services, clock: FixedClock
) -> None:
    first = office.campaigns.plan_campaign(_plan(office, clock))
    before = _rows(office)
    for name in (first.name, "  加装电梯意愿征询（第一批） ", "加装电梯意愿征询(第一批)"):
        with pytest.raises(InvalidInput) as refused:
            office.campaigns.plan_campaign(
                _plan(office, clock, name=name, questionnaire=None, new_policy_items=[])
            )
        assert refused.value.key == "error.campaign.name_taken"
        assert refused.value.params["name"] == first.name
    assert _rows(office) == before
    assert name_key("ＡＢ c") == name_key("abc")


def test_the_same_questionnaire_on_overlapping_days_is_refused(
    office: Services, clock: FixedClock
) -> None:
    first = office.campaigns.plan_campaign(_plan(office, clock))
    assert first.questionnaire_id is not None
    before = _rows(office)
    with pytest.raises(InvalidInput) as refused:
        office.campaigns.plan_campaign(
            _plan(
                office,
                clock,
                name="第二批",
                questionnaire=None,
                questionnaire_id=first.questionnaire_id,
            )
        )
    assert refused.value.key == "error.campaign.overlap"
    assert refused.value.params["name"] == first.name
    assert _rows(office) == before
    # the next quarter, same questionnaire: fine
    later = _plan(office, clock, name="第二批", questionnaire=None)
    office.campaigns.plan_campaign(
        replace(
            later,
            questionnaire_id=first.questionnaire_id,
            starts_on="2031-01-01",
            ends_on="2031-01-31",
        )
    )


def test_a_compound_without_households_is_refused(office: Services, clock: FixedClock) -> None:
    db = office.store.db
    empty = office.read.compounds()[-1]
    with office.store.unit_of_work("B0001"):  # as merging rooms would leave it
        db.execute(
            "UPDATE household SET merged_into = (SELECT id FROM household LIMIT 1)"
            " WHERE building_id IN (SELECT id FROM building WHERE compound_id = ?)",
            [empty.id],
        )
    before = _rows(office)
    with pytest.raises(InvalidInput) as refused:
        office.campaigns.plan_campaign(_plan(office, clock, compound_ids=[empty.id]))
    assert refused.value.key == "error.campaign.compound_empty"
    assert refused.value.params["compound"] == empty.name
    assert _rows(office) == before


def test_a_team_without_buildings_is_refused(office: Services, clock: FixedClock) -> None:
    team = office.campaigns.teams(None)[0]
    before = _rows(office)
    with pytest.raises(InvalidInput) as refused:
        office.campaigns.plan_campaign(_plan(office, clock, teams={team["id"]: []}))
    assert refused.value.key == "error.campaign.team_without_buildings"
    assert _rows(office) == before


def test_a_questionnaire_that_fails_is_refused_whole(office: Services, clock: FixedClock) -> None:
    broken = {**LIFT_FORM, "items": [*LIFT_FORM["items"], {"name": "willing", "type": "text"}]}
    before = _rows(office)
    with pytest.raises(DefinitionInvalid):
        office.campaigns.plan_campaign(_plan(office, clock, questionnaire=broken))
    assert _rows(office) == before


def test_a_field_worker_cannot_create_a_campaign(office: Services, clock: FixedClock) -> None:
    plan = _plan(office, clock)
    office.act_as("W0101", "field")
    before = _rows(office)
    with pytest.raises(AccessDenied):
        office.campaigns.plan_campaign(plan)
    assert _rows(office) == before
