"""The demo's other campaigns (issue 18, part 4), so a new user sees several campaigns
at once and the property-firm scorecard:

- 加装电梯意愿征询, open: the walk-up compounds, its own questionnaire (stance, floor,
  concerns, household members…) and policy points (补贴政策, 流程…), three weeks of visits
  in ten stairwells before the fee week;
- two quarterly satisfaction assessments rating the firms on 8 dimensions: the previous
  quarter's (closed) and this quarter's (open), dated by the demo's week.

Built after the fee week, from a random generator of its own, with every visit filed
under its campaign explicitly: the fee campaign's figures do not change. Both start
before the fee week, so the fee campaign stays the one the dashboard shows first."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from gridapp.clock import CHINA_TZ
from gridapp.codes import HouseholdStatus
from gridapp.resources import load_json
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan, NewPolicyItem
from gridapp.services.scorecard import dimensions_of
from gridapp.services.visits import VisitInput

LIFT_NAME = "加装电梯意愿征询"
LIFT_STAIRWELLS = 5  # per walk-up compound: ten stairwells, as in the source case

#: How often each compound's households answered the assessment, previous and this
#: quarter: 东方城市花园二期's high-rise residents were seldom found at home this quarter,
#: too few to rank its firm.
REACH = {
    "建业新村": (0.16, 0.22),
    "临沂二村": (0.15, 0.18),
    "光鸿苑": (0.20, 0.24),
    "东方城市花园二期": (0.18, 0.04),
}
#: Each firm's typical score per dimension (cleaning, security, greenery, repairs,
#: response, fees, attitude, overall), previous quarter; this quarter adds the change.
QUALITY = {
    "建业新村": ((3.6, 3.4, 3.1, 2.9, 3.0, 3.3, 3.7, 3.3), 0.25),
    "临沂二村": ((3.2, 3.0, 2.8, 2.6, 2.9, 3.5, 3.6, 3.0), 0.05),
    "光鸿苑": ((4.2, 4.1, 3.9, 3.8, 3.9, 3.6, 4.0, 4.0), -0.15),
    "东方城市花园二期": ((3.4, 3.6, 3.8, 3.1, 3.0, 2.8, 3.2, 3.2), 0.1),
}


@dataclass
class TemplateSummary:
    campaigns: list[str] = field(default_factory=list)
    visits: int = 0


@dataclass(frozen=True)
class DemoPlace:
    """What the fee campaign's builder knows of a compound: its buildings, each with the
    team walking it and that team's worker codes."""

    compound_id: str
    name: str
    kind: str
    buildings: Sequence[tuple[str, str, Sequence[str]]]  # (building id, team id, codes)


def quarter(day: date) -> tuple[date, date, str]:
    """The calendar quarter holding `day`: first day, last day, its name (2023年第四季度)."""
    index = (day.month - 1) // 3
    first = date(day.year, index * 3 + 1, 1)
    nxt = date(day.year + (index == 3), (index * 3 + 3) % 12 + 1, 1)
    name = f"{day.year}年第{'一二三四'[index]}季度"
    return first, nxt - timedelta(days=1), name


class Templates:
    def __init__(
        self, services: Services, rng: random.Random, start: date, places: Sequence[DemoPlace]
    ) -> None:
        self.s, self.rng, self.start, self.places = services, rng, start, places
        self.summary = TemplateSummary()

    def run(self) -> TemplateSummary:
        self._lift()
        this_first, this_last, this_name = quarter(self.start - timedelta(days=1))
        last_first, last_last, last_name = quarter(this_first - timedelta(days=1))
        form = load_json("content", "firm_satisfaction.v1.json")
        dimensions = [d.name for d in dimensions_of(form)]
        before = self._plan(f"{last_name}物业服务满意度测评", last_first, last_last, form, None)
        self._assess(before, dimensions, last_first, last_last, 0)
        self.s.privacy.close_campaign(before["id"])
        now = self._plan(
            f"{this_name}物业服务满意度测评",
            this_first,
            this_last,
            None,
            before["questionnaire_id"],
        )
        self._assess(now, dimensions, this_first, self.start - timedelta(days=1), 1)
        return self.summary

    # -- campaigns -------------------------------------------------------------------
    def _plan(
        self,
        name: str,
        first: date,
        last: date,
        form: dict[str, Any] | None,
        questionnaire_id: str | None,
        places: Sequence[DemoPlace] | None = None,
        policy: Sequence[NewPolicyItem] = (),
        description: str = "",
    ) -> dict[str, Any]:
        places = self.places if places is None else places
        teams: dict[str, list[str]] = {}
        for place in places:
            for building_id, team_id, _workers in place.buildings:
                teams.setdefault(team_id, []).append(building_id)
        campaign = self.s.campaigns.plan_campaign(
            CampaignPlan(
                name=name,
                starts_on=first.isoformat(),
                ends_on=last.isoformat(),
                compound_ids=[p.compound_id for p in places],
                description=description
                or "按季度对辖区物业服务企业开展满意度测评，结果用于物业考核排名和奖惩。",
                questionnaire=form,
                questionnaire_id=questionnaire_id,
                new_policy_items=policy,
                teams=teams,
            )
        )
        self.summary.campaigns.append(campaign.id)
        return {"id": campaign.id, "questionnaire_id": campaign.questionnaire_id}

    def _lift(self) -> None:
        walkups = [p for p in self.places if p.kind == "walkup"]
        if not walkups:
            return
        items = [
            NewPolicyItem(i["title"], i["body"], i["category"])
            for i in load_json("content", "lift_policy_items.json")
        ]
        first = self.start - timedelta(days=21)
        campaign = self._plan(
            LIFT_NAME,
            first,
            self.start + timedelta(days=60),
            load_json("content", "lift_consultation.v1.json"),
            None,
            walkups,
            items,
            "多层住宅加装电梯：网格员逐户登记本门栋每户意愿，讲解补贴政策和流程（征询 → 立项 → "
            "建设 → 竣工验收），意愿达到要求的门栋进入立项。",
        )
        for place in walkups:
            for building_id, _team, workers in place.buildings[:LIFT_STAIRWELLS]:
                for household_id, status, floor in self._households(building_id):
                    if status == HouseholdStatus.VACANT or self.rng.random() > 0.7:
                        continue
                    at = self._when(first, self.start - timedelta(days=1))
                    self._record(
                        campaign["id"], household_id, workers, at, self._lift_answers(floor)
                    )

    def _lift_answers(self, floor: int) -> dict[str, Any]:
        rng = self.rng
        high = floor >= 4
        roll = rng.random() - (0.25 if high else -0.1 if floor <= 2 else 0.0)
        stance = (
            "agree"
            if roll < 0.45
            else "conditional"
            if roll < 0.65
            else "undecided"
            if roll < 0.82
            else "oppose"
        )
        answers: dict[str, Any] = {
            "owner_present": rng.random() < 0.9,
            "stance": stance,
            "floor": floor,
            "members": rng.choice((1, 2, 2, 2, 3, 3, 4, 5)),
            "elderly": rng.random() < (0.55 if high else 0.35),
            "share": rng.choices(("by_floor", "equal", "unsure"), (6, 2, 2))[0],
        }
        if stance != "agree":
            pool = ["cost", "noise", "upkeep", "space"] + (
                ["light", "low_floor"] if floor <= 2 else []
            )
            answers["concerns"] = sorted(rng.sample(pool, rng.randint(1, 2)))
        return answers

    # -- the assessments -------------------------------------------------------------
    def _assess(
        self, campaign: dict[str, Any], dimensions: list[str], first: date, last: date, which: int
    ) -> None:
        rng = self.rng
        for place in self.places:
            reach = REACH.get(place.name, (0.15, 0.15))[which]
            base, change = QUALITY.get(place.name, ((3.5,) * len(dimensions), 0.0))
            for building_id, _team, workers in place.buildings:
                for household_id, status, _floor in self._households(building_id):
                    if status == HouseholdStatus.VACANT or rng.random() > reach:
                        continue
                    mood = rng.gauss(0, 0.45)  # a household scores its firm high or low overall
                    answers: dict[str, Any] = {
                        "respondent": rng.choices(("owner", "tenant", "family"), (7, 2, 2))[0]
                        if status != HouseholdStatus.RENTED
                        else "tenant"
                    }
                    for name, mean in zip(dimensions, base, strict=False):
                        value = round(rng.gauss(mean + change * which + mood, 0.8))
                        answers[name] = min(max(value, 1), 5)
                    self._record(
                        campaign["id"], household_id, workers, self._when(first, last), answers
                    )

    # -- shared ----------------------------------------------------------------------
    def _households(self, building_id: str) -> list[tuple[str, str, int]]:
        rows = self.s.read.household_rows(self.s.read.household_ids(building_id=building_id))
        return [(r.id, r.status, r.floor) for r in rows]

    def _when(self, first: date, last: date) -> datetime:
        days = max((last - first).days, 0)
        day = first + timedelta(days=self.rng.randint(0, days))
        minutes = self.rng.choice((self.rng.randint(0, 180), self.rng.randint(510, 690)))
        return datetime.combine(day, time(9), CHINA_TZ) + timedelta(minutes=minutes)

    def _record(
        self,
        campaign_id: str,
        household_id: str,
        workers: Sequence[str],
        at: datetime,
        answers: dict[str, Any],
    ) -> None:
        self.s.visits.record(
            VisitInput(
                household_id=household_id,
                worker_code=self.rng.choice(list(workers)),
                outcome="met",
                started_at=at,
                ended_at=at + timedelta(minutes=self.rng.randint(4, 15)),
                people_met=self.rng.choice((1, 1, 2)),
                answers=answers,
                campaign_id=campaign_id,
            )
        )
        self.summary.visits += 1
