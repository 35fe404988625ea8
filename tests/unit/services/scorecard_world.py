"""A small office whose scorecard is worked out by hand (tests of the scorecard's
queries, service, command and screen).

Four compounds: 甲小区 and 乙小区 served by 甲物业, 丙小区 by 乙物业, 丁小区 self-managed.
Two campaigns asking the same questionnaire (two dimensions, 保洁 `clean` and 安保
`safety`): 2023Q3 (closed) and 2023Q4 (open). In 2023Q4:

| household | compound | clean | safety | note                                    |
|-----------|----------|-------|--------|-----------------------------------------|
| JA-101    | 甲小区   | 5     | 4      | first recorded clean 1, then corrected   |
| JA-102    | 甲小区   | 4     | 4      |                                         |
| JA-103    | 甲小区   | 3     | 5      |                                         |
| YI-101    | 乙小区   | 2     | 3      |                                         |
| BI-101    | 丙小区   | 1     | 2      | a later visit (clean 5) was voided       |
| BI-102    | 丙小区   | 2     | 2      |                                         |
| DI-101    | 丁小区   | 5     | 5      | self-managed                            |

2023Q3: JA-101 clean 3, safety 3; BI-101 clean 2, safety 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridapp.clock import CHINA_TZ
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan
from gridapp.services.households import NewHousehold
from gridapp.services.visits import VisitInput

FORM = {
    "format": "gridapp-questionnaire",
    "format_version": 1,
    "id": "firm_satisfaction",
    "version": 1,
    "title": {"zh_CN": "物业服务满意度测评", "en": "Property service satisfaction"},
    "items": [
        {"name": "clean", "type": "rating", "label": {"zh_CN": "保洁", "en": "Cleaning"}},
        {"name": "safety", "type": "rating", "label": {"zh_CN": "秩序维护", "en": "Security"}},
        {"name": "comment", "type": "text", "label": {"zh_CN": "其他意见", "en": "Comments"}},
    ],
}

Q4_SCORES = {
    "JA-101": (5, 4),
    "JA-102": (4, 4),
    "JA-103": (3, 5),
    "YI-101": (2, 3),
    "BI-101": (1, 2),
    "BI-102": (2, 2),
    "DI-101": (5, 5),
}
Q3_SCORES = {"JA-101": (3, 3), "BI-101": (2, 2)}


@dataclass
class World:
    s: Services
    q3: str
    q4: str
    households: dict[str, str]  # code → id
    voided_visit: str


def _at(day: str, hour: int) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=CHINA_TZ)


def build_world(s: Services) -> World:
    compounds = {}
    households: dict[str, str] = {}
    team = s.campaigns.add_team(1, "第1组")
    s.campaigns.add_worker("W0101", "张三", team.id)
    for name, firm, abbr in (
        ("甲小区", "甲物业", "JA"),
        ("乙小区", "甲物业", "YI"),
        ("丙小区", "乙物业", "BI"),
        ("丁小区", "", "DI"),
    ):
        s.store.clock.advance(minutes=1)  # type: ignore[attr-defined]  # a FixedClock
        compound = s.households.add_compound(name, property_firm=firm)
        compounds[name] = compound.id
        building = s.households.add_building(
            {"compound_id": compound.id, "number": "1", "kind": "walkup", "floors": 6}
        )
        codes = [c for c in Q4_SCORES if c.startswith(abbr)] + [f"{abbr}-601"]
        ids = s.households.add_households(
            NewHousehold(building.id, 1, code[-3:], code) for code in codes
        )
        households.update(zip(codes, ids, strict=True))
    every = list(compounds.values())
    q3 = s.campaigns.plan_campaign(
        CampaignPlan(
            "2023年第三季度物业满意度测评", "2023-07-01", "2023-09-30", every, questionnaire=FORM
        )
    )
    q4 = s.campaigns.plan_campaign(
        CampaignPlan(
            "2023年第四季度物业满意度测评",
            "2023-10-01",
            "2023-12-31",
            every,
            questionnaire_id=q3.questionnaire_id,
        )
    )

    def rate(code: str, campaign: str, clean: int, safety: int, at: datetime) -> str:
        return s.visits.record(
            VisitInput(
                households[code],
                "W0101",
                "met",
                started_at=at,
                ended_at=at + timedelta(minutes=5),
                answers={"clean": clean, "safety": safety},
                campaign_id=campaign,
            )
        ).visit_id

    for code, (clean, safety) in Q3_SCORES.items():
        rate(code, q3.id, clean, safety, _at("2023-09-10", 10))
    s.privacy.close_campaign(q3.id)
    first = rate("JA-101", q4.id, 1, 4, _at("2023-11-01", 9))
    for code, (clean, safety) in Q4_SCORES.items():
        if code != "JA-101":
            rate(code, q4.id, clean, safety, _at("2023-11-02", 10))
    clean, safety = Q4_SCORES["JA-101"]
    s.visits.correct(
        first,
        VisitInput(
            households["JA-101"],
            "W0101",
            "met",
            started_at=_at("2023-11-01", 9),
            ended_at=_at("2023-11-01", 10),
            answers={"clean": clean, "safety": safety},
            campaign_id=q4.id,
        ),
    )
    voided = rate("BI-101", q4.id, 5, 5, _at("2023-11-20", 10))
    s.visits.void("visit", voided, "录错了住户")
    # A not-home visit answers nothing.
    s.visits.record(
        VisitInput(
            households["JA-601"],
            "W0101",
            "not_home",
            campaign_id=q4.id,
            started_at=_at("2023-11-03", 10),
            ended_at=_at("2023-11-03", 10),
        )
    )
    return World(s, q3.id, q4.id, households, voided)
