"""Builds the demo campaign: four compounds, about 2,000 households, 16 teams, the
fee-adjustment consultation part-way through its week. Deterministic for a seed."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from gridapp.actor import Actor
from gridapp.addresses import household_code
from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.codes import (
    HouseholdStatus,
    Relation,
    StaffRole,
)
from gridapp.demo.names import landline, mobile, person_name
from gridapp.demo.templates import DemoPlace, Templates
from gridapp.demo.week import WeekPlan, WeekSimulator, days_done
from gridapp.errors import InvalidInput
from gridapp.model import Team
from gridapp.resources import load_json
from gridapp.services import Services
from gridapp.services.households import NewHousehold, NewResident

CAMPAIGN_DAYS = 7
TEAMS = 16
WORKERS_PER_TEAM = 3


@dataclass(frozen=True)
class CompoundPlan:
    name: str
    abbr: str
    kind: str
    floors: int
    units: int
    rooms_per_floor: int
    share: float
    fee: float
    firm: str
    address: str
    area_range: tuple[float, float]


PLANS = (
    CompoundPlan(
        "建业新村",
        "JYXC",
        "walkup",
        6,
        2,
        2,
        0.30,
        0.45,
        "上海南浦物业管理有限公司",
        "南码头路 300 弄",
        (42.0, 72.0),
    ),
    CompoundPlan(
        "临沂二村",
        "LYEC",
        "walkup",
        6,
        3,
        2,
        0.27,
        0.55,
        "",  # 自主管理: the owners manage the compound themselves
        "临沂路 80 弄",
        (45.0, 78.0),
    ),
    CompoundPlan(
        "光鸿苑",
        "GHY",
        "highrise",
        18,
        1,
        4,
        0.215,
        0.75,
        "上海光鸿物业管理有限公司",
        "浦三路 150 弄",
        (68.0, 135.0),
    ),
    CompoundPlan(
        "东方城市花园二期",
        "DFCS",
        "highrise",
        24,
        1,
        4,
        0.215,
        0.78,
        "上海东方城市物业有限公司",
        "南码头路 1000 弄",
        (75.0, 145.0),
    ),
)

TAG_RATES = (
    ("独居老人", 0.07),
    ("孤老", 0.015),
    ("残疾", 0.03),
    ("困难家庭", 0.02),
    ("党员", 0.06),
    ("重点关注", 0.01),
)

ProgressFn = Callable[[str, float], None]


@dataclass(frozen=True)
class DemoOptions:
    households: int = 2000
    seed: int = 20231204
    #: Share of each team's households already visited: the week part-way through.
    progress: float = 0.6
    #: The campaign's first day; by default the week is under way today (the store's
    #: clock): the visits so far lie in the days before, the rest of the week ahead.
    start: date | None = None
    #: The other campaigns (gridapp/demo/templates.py): the lift-installation
    #: consultation and two quarterly assessments of the property firms. The desktop
    #: demo and `demo --templates` have them; the tests' demos keep the fee campaign alone.
    templates: bool = False


def campaign_start(today: date, progress: float) -> date:
    """The first day of a demo week `progress` of the way through on `today`."""
    return today - timedelta(days=days_done(CAMPAIGN_DAYS, progress))


@dataclass
class DemoSummary:
    households: int = 0
    visits: int = 0
    online_answers: int = 0
    campaigns: int = 1


DEMO_ACTOR = Actor("demo", "admin")


def build_demo(
    services: Services, options: DemoOptions, on_progress: ProgressFn | None = None
) -> DemoSummary:
    """Fill an office database in one unit of work: all of it, or nothing."""
    if options.households < 1 or options.households > 1_000_000:
        raise InvalidInput("error.demo_size", value=options.households)
    if not 0.0 <= options.progress <= 1.0:
        raise InvalidInput("error.demo_progress", value=options.progress)
    store = services.store
    saved_clock, saved_random, saved_actor = store.clock, store.id_random, store.actor
    store.actor = DEMO_ACTOR
    try:
        empty = services.read.is_empty()
    finally:
        store.actor = saved_actor
    if not empty:
        raise InvalidInput("error.demo_not_empty")
    start = options.start or campaign_start(store.clock.now().date(), options.progress)
    clock = FixedClock(datetime.combine(start - timedelta(days=7), time(9), CHINA_TZ))
    store.clock, store.id_random = clock, random.Random(options.seed)
    # The published demo is the app's own data, written as "demo" (an administrator's
    # rights for the duration), not as whoever happens to be signed in.
    store.actor = DEMO_ACTOR
    try:
        with store.unit_of_work(DEMO_ACTOR.code):
            progress = on_progress or (lambda _s, _f: None)
            return _Builder(services, replace(options, start=start), clock, progress).run()
    finally:
        store.clock, store.id_random, store.actor = saved_clock, saved_random, saved_actor


class _Builder:
    def __init__(
        self, services: Services, options: DemoOptions, clock: FixedClock, progress: ProgressFn
    ) -> None:
        self.s = services
        self.o = options
        assert options.start is not None  # build_demo fills it in
        self.start = options.start
        self.clock = clock
        self.rng = random.Random(options.seed)
        self.progress = progress
        self.summary = DemoSummary()
        self.buildings: list[tuple[str, int]] = []  # (building id, household count)
        self.places: list[tuple[str, CompoundPlan]] = []  # (compound id, its plan)
        self.compound_of: dict[str, str] = {}  # building id → compound id

    def run(self) -> DemoSummary:
        compound_ids = self._places()
        policy_ids, campaign_id = self._content(compound_ids)
        team_workers = self._teams(campaign_id)
        self.progress("visits", 0.0)
        week = WeekSimulator(
            self.s,
            self.rng,
            self.clock,
            WeekPlan(self.start, CAMPAIGN_DAYS, self.o.progress, self.o.households),
        )
        week.run(self.team_buildings, team_workers, policy_ids, [b for b, _ in self.buildings])
        self.summary.visits, self.summary.online_answers = week.visits, week.online_answers
        if self.o.templates:
            self.progress("templates", 0.95)
            extra = Templates(
                self.s, random.Random(self.o.seed + 18), self.start, self._demo_places(team_workers)
            ).run()
            self.summary.campaigns += len(extra.campaigns)
            self.summary.visits += extra.visits
        self.progress("done", 1.0)
        return self.summary

    def _demo_places(self, team_workers: list[list[str]]) -> list[DemoPlace]:
        team = {
            b: (self.teams[i].id, team_workers[i])
            for i, ids in enumerate(self.team_buildings)
            for b in ids
        }
        return [
            DemoPlace(
                compound_id,
                plan.name,
                plan.kind,
                [(b, *team[b]) for b, c in self.compound_of.items() if c == compound_id],
            )
            for compound_id, plan in self.places
        ]

    # -- places and people ---------------------------------------------------------
    def _targets(self) -> list[int]:
        n = self.o.households
        targets = [math.floor(n * plan.share) for plan in PLANS]
        targets[0] += n - sum(targets)
        return targets

    def _places(self) -> list[str]:
        compound_ids = []
        done = 0
        for plan, target in zip(PLANS, self._targets(), strict=True):
            self.clock.advance(minutes=1)  # keeps the plan's order as creation order
            compound = self.s.households.add_compound(
                plan.name,
                street="南码头路街道",
                neighbourhood_committee=f"{plan.name}居委会",
                address=f"上海市浦东新区{plan.address}",
                property_firm=plan.firm,
                fee_per_m2=plan.fee,
            )
            compound_ids.append(compound.id)
            self.places.append((compound.id, plan))
            grids = [
                self.s.households.add_grid(
                    compound.id, f"{plan.name}第{g}网格", f"{plan.abbr}-G{g}"
                )
                for g in (1, 2)
            ]
            per_building = plan.floors * plan.units * plan.rooms_per_floor
            count = math.ceil(target / per_building) if target else 0
            remaining = target
            for number in range(1, count + 1):
                size = min(per_building, remaining)
                remaining -= size
                building = self.s.households.add_building(
                    {
                        "compound_id": compound.id,
                        "number": str(number),
                        "kind": plan.kind,
                        "floors": plan.floors,
                        "units": plan.units,
                        "grid_id": grids[0 if number <= count / 2 else 1].id,
                        "sort_key": number,
                    },
                )
                self.s.households.add_households(self._households(plan, building.id, number, size))
                self.buildings.append((building.id, size))
                self.compound_of[building.id] = compound.id
                done += size
                self.progress("households", done / self.o.households)
            self.summary.households += target
        return compound_ids

    def _households(
        self, plan: CompoundPlan, building_id: str, number: int, size: int
    ) -> list[NewHousehold]:
        rng = self.rng
        result: list[NewHousehold] = []
        for floor in range(1, plan.floors + 1):
            for unit in range(1, plan.units + 1):
                for idx in range(1, plan.rooms_per_floor + 1):
                    if len(result) == size:
                        return result
                    room = f"{floor}{idx:02d}"
                    unit_text = str(unit) if plan.units > 1 else ""
                    roll = rng.random()
                    status = (
                        HouseholdStatus.VACANT
                        if roll < 0.06
                        else HouseholdStatus.RENTED
                        if roll < 0.21
                        else HouseholdStatus.OWNER_OCCUPIED
                    )
                    low, high = plan.area_range
                    tags = tuple(tag for tag, rate in TAG_RATES if rng.random() < rate)
                    code = household_code(plan.abbr, str(number), unit_text, room)
                    result.append(
                        NewHousehold(
                            building_id=building_id,
                            floor=floor,
                            room=room,
                            code=code,
                            unit=unit_text,
                            area=round(rng.uniform(low, high), 2),
                            status=status,
                            tags=tags if status != HouseholdStatus.VACANT else (),
                            residents=tuple(self._residents(status, "独居老人" in tags)),
                        )
                    )
        return result

    def _residents(self, status: str, alone: bool) -> list[NewResident]:
        rng = self.rng
        head_year = rng.randint(1938, 1995) if not alone else rng.randint(1932, 1950)
        female = rng.random() < 0.5
        head = NewResident(
            person_name(rng, head_year, female),
            Relation.HEAD,
            True,
            head_year,
            (mobile(rng),) if rng.random() < 0.93 else (landline(rng),),
        )
        if status == HouseholdStatus.VACANT or alone:
            return [head]
        people = [head]
        if status == HouseholdStatus.RENTED:
            year = rng.randint(1975, 2000)
            people = [
                NewResident(head.name, Relation.HEAD, True, head_year, head.phones),
                NewResident(
                    person_name(rng, year, rng.random() < 0.5),
                    Relation.TENANT,
                    False,
                    year,
                    (mobile(rng),),
                ),
            ]
            return people
        if rng.random() < 0.75:
            year = head_year + rng.randint(-4, 4)
            people.append(
                NewResident(
                    person_name(rng, year, not female),
                    Relation.SPOUSE,
                    rng.random() < 0.5,
                    year,
                    (mobile(rng),) if rng.random() < 0.6 else (),
                )
            )
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            year = min(head_year + rng.randint(22, 32), 2020)
            people.append(
                NewResident(
                    person_name(rng, year, rng.random() < 0.5),
                    Relation.CHILD,
                    False,
                    year,
                    (mobile(rng),) if rng.random() < 0.5 else (),
                )
            )
        return people

    # -- campaign content ----------------------------------------------------------
    def _content(self, compound_ids: list[str]) -> tuple[list[str], str]:
        questionnaire = self.s.campaigns.publish_questionnaire(
            load_json("content", "fee_consultation.v1.json")
        )
        policy_ids = [
            self.s.campaigns.add_policy_item(item).id
            for item in load_json("content", "fee_policy_items.json")
        ]
        campaign = self.s.campaigns.create_campaign(
            {
                "name": "四小区物业费调价入户征询",
                "starts_on": self.start.isoformat(),
                "ends_on": (self.start + timedelta(days=CAMPAIGN_DAYS - 1)).isoformat(),
                "questionnaire_id": questionnaire.id,
                "description": (
                    "百日攻坚行动：16 个小组一周内全覆盖上门走访 4 个小区，"
                    "开展入户征询、政策宣讲，收集意见建议。"
                ),
            },
            compound_ids,
            policy_ids,
        )
        return policy_ids, campaign.id

    def _teams(self, campaign_id: str) -> list[list[str]]:
        """16 teams; buildings dealt in walking order so each team has a fair share."""
        rng = self.rng
        teams: list[Team] = []
        team_workers: list[list[str]] = []
        self.teams = teams
        for number in range(1, TEAMS + 1):
            team = self.s.campaigns.add_team(number, f"第{number}组")
            teams.append(team)
            codes = []
            for idx in range(1, WORKERS_PER_TEAM + 1):
                code = f"W{number:02d}{idx:02d}"
                year = rng.randint(1970, 1998)
                self.s.campaigns.add_worker(
                    code, person_name(rng, year, rng.random() < 0.6), team.id
                )
                codes.append(code)
            team_workers.append(codes)
        self.s.campaigns.add_worker("B0001", "街道物业专班", None, StaffRole.OFFICE)
        self.s.campaigns.add_worker("A0001", "系统管理员", None, StaffRole.ADMIN)
        share = self.o.households / TEAMS
        load = 0
        self.team_buildings: list[list[str]] = [[] for _ in range(TEAMS)]
        for building_id, size in self.buildings:
            index = min(int(load // share), TEAMS - 1) if share else 0
            self.team_buildings[index].append(building_id)
            load += size
        for index, building_ids in enumerate(self.team_buildings):
            if building_ids:
                self.s.campaigns.assign_buildings(campaign_id, teams[index].id, building_ids)
        return team_workers
