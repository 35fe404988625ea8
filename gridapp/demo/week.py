"""The week so far: visits, callbacks and online answers, as 16 teams would have made
them walking their buildings in order."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.codes import Channel, HouseholdStatus, Outcome, Reaction, SuggestionCategory, VisitMode
from gridapp.services import Services
from gridapp.services.visits import VisitInput


def days_done(days: int, progress: float) -> int:
    """Days of the week already walked: the visits so far fall on them."""
    return max(1, round(days * progress))


@dataclass
class WeekPlan:
    start: date
    days: int
    progress: float
    households: int


class WeekSimulator:
    def __init__(
        self, services: Services, rng: random.Random, clock: FixedClock, plan: WeekPlan
    ) -> None:
        self.s = services
        self.rng = rng
        self.clock = clock
        self.plan = plan
        self.visits = 0
        self.online_answers = 0

    def run(
        self,
        team_buildings: list[list[str]],
        team_workers: list[list[str]],
        policy_ids: list[str],
        all_buildings: list[str],
    ) -> None:
        self._visits(team_buildings, team_workers, policy_ids)
        self._online_answers(team_workers, all_buildings)

    def _visit_time(self, day: int) -> datetime:
        rng = self.rng
        base = datetime.combine(self.plan.start + timedelta(days=day), time(9), CHINA_TZ)
        # Mornings and evenings are when people are home.
        minutes = rng.choice((rng.randint(0, 180), rng.randint(510, 690)))
        return base + timedelta(minutes=minutes)

    def _visits(
        self,
        team_buildings: list[list[str]],
        team_workers: list[list[str]],
        policy_ids: list[str],
    ) -> None:
        rng = self.rng
        walked = days_done(self.plan.days, self.plan.progress)
        for team_index, building_ids in enumerate(team_buildings):
            workers = team_workers[team_index]
            walk: list[tuple[str, str]] = []
            for building_id in building_ids:
                walk.extend((hid, status) for hid, status in self._walk(building_id))
            reach = round(len(walk) * self.plan.progress)
            for position, (household_id, status) in enumerate(walk[:reach]):
                day = min(position * walked // max(reach, 1), self.plan.days - 1)
                worker = rng.choice(workers)
                self._one_household(household_id, status, worker, day, walked, policy_ids)

    def _walk(self, building_id: str) -> list[tuple[str, str]]:
        ids = self.s.read.household_ids(building_id=building_id)
        rows = self.s.read.household_rows(ids)
        return [(row.id, row.status) for row in rows]

    def _one_household(
        self,
        household_id: str,
        status: str,
        worker: str,
        day: int,
        days_done: int,
        policy_ids: list[str],
    ) -> None:
        rng = self.rng
        if status == HouseholdStatus.VACANT:
            self._record(household_id, worker, Outcome.VACANT, day)
            return
        roll = rng.random()
        first = (
            Outcome.MET
            if roll < 0.80
            else Outcome.NOT_HOME
            if roll < 0.93
            else Outcome.APPOINTMENT
            if roll < 0.96
            else Outcome.REFUSED
            if roll < 0.99
            else Outcome.MOVED
        )
        if first != Outcome.MET:
            self._record(household_id, worker, first, day)
            if (
                first in (Outcome.NOT_HOME, Outcome.APPOINTMENT)
                and day + 1 < days_done
                and rng.random() < 0.65
            ):
                self._met(household_id, worker, day + 1, policy_ids)
            return
        self._met(household_id, worker, day, policy_ids)

    def _met(self, household_id: str, worker: str, day: int, policy_ids: list[str]) -> None:
        rng = self.rng
        answers: dict[str, Any] = {}
        if rng.random() < 0.97:
            roll = rng.random()
            stance = "agree" if roll < 0.58 else "undecided" if roll < 0.82 else "oppose"
            answers = {
                "owner_present": rng.random() < 0.9,
                "stance": stance,
                "satisfaction": rng.choice((1, 2, 3, 3, 3, 4, 4, 5)),
                "attend_meeting": rng.random() < 0.8,
            }
            if stance == "oppose":
                answers["reasons"] = sorted(
                    rng.sample(
                        ["fee_too_high", "service_poor", "process_unclear", "history"],
                        rng.randint(1, 2),
                    )
                )
        explained: tuple[tuple[str, str | None], ...] = ()
        if rng.random() < 0.63:
            items = rng.sample(policy_ids, rng.randint(1, 3))
            explained = tuple(
                (item, rng.choices([r.value for r in Reaction], (70, 22, 8))[0]) for item in items
            )
        suggestions: tuple[tuple[str, str], ...] = ()
        if rng.random() < 0.045:
            category, text = rng.choice(_SUGGESTIONS)
            suggestions = ((category, text),)
        self._record(
            household_id,
            worker,
            Outcome.MET,
            day,
            answers,
            explained,
            suggestions,
            people_met=rng.choice((1, 1, 1, 2, 2, 3)),
        )

    def _record(
        self,
        household_id: str,
        worker: str,
        outcome: str,
        day: int,
        answers: dict[str, Any] | None = None,
        explained: tuple[tuple[str, str | None], ...] = (),
        suggestions: tuple[tuple[str, str], ...] = (),
        people_met: int = 0,
    ) -> None:
        started = self._visit_time(day)
        ended = started + timedelta(minutes=self.rng.randint(3, 25) if outcome == "met" else 1)
        self.clock.set(ended)
        self.s.visits.record(
            VisitInput(
                household_id=household_id,
                worker_code=worker,
                outcome=outcome,
                mode=VisitMode.IN_PERSON,
                started_at=started,
                ended_at=ended,
                people_met=people_met,
                answers=answers or {},
                explained=explained,
                suggestions=suggestions,
            )
        )
        self.visits += 1

    def _online_answers(self, team_workers: list[list[str]], all_buildings: list[str]) -> None:
        rng = self.rng
        count = round(self.plan.households * 0.317 * self.plan.progress)
        all_households = (
            [hid for b in all_buildings for hid in self.s.read.household_ids(building_id=b)]
            if count
            else []
        )
        walked = days_done(self.plan.days, self.plan.progress)
        for _ in range(count):
            worker = rng.choice(rng.choice(team_workers))
            question, answer = rng.choice(_ONLINE_QA)
            household = rng.choice(all_households) if rng.random() < 0.3 else None
            at = self._visit_time(rng.randrange(walked))
            self.clock.set(at)
            self.s.visits.add_online_answer(
                worker, rng.choice([c.value for c in Channel]), question, answer, household, at
            )
            self.online_answers += 1


_SUGGESTIONS = (
    (SuggestionCategory.SERVICE, "希望物业公示保洁、保安的排班和巡查记录。"),
    (SuggestionCategory.FEE, "建议调价分两年逐步到位，减轻老年住户负担。"),
    (SuggestionCategory.FACILITY, "楼道灯经常不亮，希望调价后及时维修。"),
    (SuggestionCategory.SAFETY, "非机动车在楼道充电，存在消防隐患。"),
    (SuggestionCategory.ENVIRONMENT, "垃圾箱房周边卫生需要加强。"),
    (SuggestionCategory.FACILITY, "希望加装电梯工作同步推进。"),
    (SuggestionCategory.OTHER, "建议业主大会安排在周末，方便上班族参加。"),
)

_ONLINE_QA = (
    ("调价后每月要多交多少钱？", "按建筑面积计算，以公告的表决方案为准，可按房屋面积估算。"),
    ("业主大会什么时候开？", "预计在一个月内召开，时间地点将在小区公告栏和微信群通知。"),
    ("不在上海，能否委托家人表决？", "可以，凭书面委托书由家人代为表决。"),
    ("物业服务会有什么变化？", "服务标准写入合同，报修 30 分钟响应，每季度测评公示。"),
    ("租户能参加表决吗？", "表决由业主进行，租户可以通过业主反映意见。"),
)
