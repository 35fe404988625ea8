"""The demo's other campaigns (issue 18, part 4): the lift-installation consultation and
two quarterly assessments of the property firms, beside the fee campaign — whose
figures do not change."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.demo.templates import LIFT_NAME, quarter
from gridapp.services import Services
from gridapp.storage import figures
from tests.conftest import make_services


@pytest.fixture(scope="module")
def demos() -> tuple[Services, Services]:
    from tests.conftest import START

    plain = make_services(None, FixedClock(START))
    build_demo(plain, DemoOptions())
    full = make_services(None, FixedClock(START))
    build_demo(full, DemoOptions(templates=True))
    return plain, full


def _by_name(s: Services) -> dict[str, dict[str, object]]:
    return {str(c["name"]): c for c in s.read.campaigns()}


def test_quarters() -> None:
    assert quarter(date(2023, 12, 3)) == (date(2023, 10, 1), date(2023, 12, 31), "2023年第四季度")
    assert quarter(date(2023, 9, 30)) == (date(2023, 7, 1), date(2023, 9, 30), "2023年第三季度")
    assert quarter(date(2024, 1, 1))[2] == "2024年第一季度"


def test_four_campaigns_and_the_fee_campaign_unchanged(demos: tuple[Services, Services]) -> None:
    plain, full = demos
    campaigns = _by_name(full)
    assert {n: c["status"] for n, c in campaigns.items()} == {
        "四小区物业费调价入户征询": "active",
        LIFT_NAME: "active",
        "2023年第三季度物业服务满意度测评": "closed",
        "2023年第四季度物业服务满意度测评": "active",
    }
    fee_plain = str(_by_name(plain)["四小区物业费调价入户征询"]["id"])
    fee_full = str(campaigns["四小区物业费调价入户征询"]["id"])
    assert fee_plain == fee_full
    assert asdict(full.read.counts(fee_full)) == asdict(plain.read.counts(fee_plain))
    active = figures.active_campaign(full.store.db)
    assert active is not None and active["id"] == fee_full  # the dashboard's campaign
    every = full.read.counts()
    assert every.households == plain.read.counts().households == 2000
    assert every.visits == sum(full.read.counts(str(c["id"])).visits for c in campaigns.values())


def test_the_lift_consultation_has_its_own_form_policy_and_visits(
    demos: tuple[Services, Services],
) -> None:
    _plain, full = demos
    lift = _by_name(full)[LIFT_NAME]
    db = full.store.db
    questions = {
        r[0]
        for r in db.execute(
            "SELECT a.question FROM answer a JOIN visit v ON v.id = a.visit_id"
            " WHERE v.campaign_id = ?",
            [lift["id"]],
        )
    }
    assert {"stance", "floor", "members", "concerns", "share"} <= questions
    policy = [
        r[0]
        for r in db.execute(
            "SELECT p.title FROM campaign_policy cp JOIN policy_item p ON p.id = cp.policy_item_id"
            " WHERE cp.campaign_id = ? ORDER BY cp.position",
            [lift["id"]],
        )
    ]
    assert policy[0].startswith("补贴政策") and "征询 → 立项 → 建设 → 竣工验收" in policy[1]
    kinds = {
        r[0]
        for r in db.execute(
            "SELECT DISTINCT b.kind FROM visit v JOIN household h ON h.id = v.household_id"
            " JOIN building b ON b.id = h.building_id WHERE v.campaign_id = ?",
            [lift["id"]],
        )
    }
    assert kinds == {"walkup"}
    assert 150 < full.read.counts(str(lift["id"])).visits < 300


def test_the_quarterly_scorecard(demos: tuple[Services, Services]) -> None:
    _plain, full = demos
    choices = full.scorecard.campaigns()
    assert [name for _, name, _ in choices] == [
        "2023年第四季度物业服务满意度测评",
        "2023年第三季度物业服务满意度测评",
        "四小区物业费调价入户征询",  # one rating question among others: last
    ]
    card = full.scorecard.scorecard(choices[0][0])
    assert len(card.dimensions) == 8 and card.dimensions[-1].label["zh_CN"].startswith("总体满意度")
    assert card.previous_campaign == "2023年第三季度物业服务满意度测评"
    ranked = [(x.name, x.rank) for x in card.firms if x.ranked]
    assert ranked == [("上海光鸿物业管理有限公司", 1), ("上海南浦物业管理有限公司", 2)]
    few = [x for x in card.firms if not x.ranked]
    assert [x.name for x in few] == ["上海东方城市物业有限公司"] and few[0].answered < 30
    assert [x.name for x in card.self_managed] == ["临沂二村"]
    assert all(x.change is not None for x in card.firms)
    assert not card.flagged
