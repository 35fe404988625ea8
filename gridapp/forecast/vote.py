"""The owners'-vote forecast under Civil Code art. 278 (民法典第二百七十八条), for a
decision on the property fee or the property manager (items other than 6–8).

The law: owners holding **at least two thirds** of the exclusive (专有部分) area AND at
least two thirds of the owners (人数) take part in the vote; the decision passes with
**more than half** of the participating area AND more than half of the participating
owners. "以上" includes the number itself (art. 1259), "过半数" does not: exactly 2/3
participates, exactly 1/2 fails. Every threshold is checked with `Fraction`, never a
float, so a compound sitting exactly on a line is judged exactly.

The model (docs/forecast.md):
- one household = one owner; its roster area (`household.area`) is its exclusive area;
- a household without an area (or with 0) counts by number only: it is left out of the
  area figures, numerator and denominator, and reported (`without_area`);
- a household's stance is its latest live consultation's answer (agree / oppose /
  undecided), "unknown" when it was never consulted;
- projected to take part: households that said agree or oppose (a position taken is a
  vote cast, in person or in writing); with `require_attendance`, only those that also
  said they will attend the owners' meeting;
- the swing: the fewest undecided/unknown households that would turn the outcome —
  voting agree when the forecast fails, oppose when it passes — largest areas first
  (for a given number of households, the largest areas move the area shares most).

This is a forecast from consultations, not a vote: every surface says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

#: 参与表决：专有部分面积占比三分之二以上且人数占比三分之二以上 (at least).
PARTICIPATION = Fraction(2, 3)
#: 经参与表决专有部分面积过半数且参与表决人数过半数同意 (more than).
APPROVAL = Fraction(1, 2)

STANCES = ("agree", "oppose", "undecided", "unknown")
#: Stances that take part in the projected vote.
VOTING = frozenset({"agree", "oppose"})
FLOATING = frozenset({"undecided", "unknown"})


@dataclass(frozen=True)
class Owner:
    household_id: str
    area: Fraction | None  # exclusive area in ㎡; None when the roster has none
    stance: str  # one of STANCES
    attends: bool | None = None  # "will you take part in the owners' meeting?"


def exact_area(value: float | None) -> Fraction | None:
    """A stored area (REAL, 2 decimals) as an exact fraction: 87.35 → 1747/20, not the
    binary float's 87.349999…; none, zero or negative → None (no usable area)."""
    if value is None or value <= 0:
        return None
    return Fraction(str(value))


@dataclass(frozen=True)
class Share:
    """One majority: `part` of `whole`, against `threshold` (inclusive: at least)."""

    part: Fraction
    whole: Fraction
    threshold: Fraction
    inclusive: bool

    @property
    def ratio(self) -> Fraction | None:
        return self.part / self.whole if self.whole else None

    @property
    def passed(self) -> bool:
        ratio = self.ratio
        if ratio is None:
            return False
        return ratio >= self.threshold if self.inclusive else ratio > self.threshold

    @property
    def percent(self) -> float | None:
        ratio = self.ratio
        return None if ratio is None else float(ratio * 100)


@dataclass(frozen=True)
class Tally:
    households: int
    area: Fraction


@dataclass(frozen=True)
class Swing:
    """The fewest floating (undecided/unknown) households that change the outcome."""

    direction: str  # "to_pass": they vote agree; "to_fail": they vote oppose
    households: int | None  # None: all of them together could not change it
    area: Fraction  # the area of those households
    floating: int
    floating_area: Fraction


@dataclass(frozen=True)
class Forecast:
    owners: int
    area: Fraction  # total exclusive area of the owners that have one
    without_area: int
    tallies: dict[str, Tally]  # by stance
    participating: Tally
    approving: Tally
    participation_area: Share
    participation_owners: Share
    approval_area: Share
    approval_owners: Share
    swing: Swing
    require_attendance: bool

    @property
    def participates(self) -> bool:
        return self.participation_area.passed and self.participation_owners.passed

    @property
    def approves(self) -> bool:
        return self.approval_area.passed and self.approval_owners.passed

    @property
    def passes(self) -> bool:
        return self.participates and self.approves


def takes_part(owner: Owner, require_attendance: bool = False) -> bool:
    if owner.stance not in VOTING:
        return False
    return owner.attends is True or not require_attendance


def _shares(
    agree: Tally, voting: Tally, owners: int, area: Fraction
) -> tuple[Share, Share, Share, Share]:
    return (
        Share(voting.area, area, PARTICIPATION, inclusive=True),
        Share(Fraction(voting.households), Fraction(owners), PARTICIPATION, inclusive=True),
        Share(agree.area, voting.area, APPROVAL, inclusive=False),
        Share(Fraction(agree.households), Fraction(voting.households), APPROVAL, inclusive=False),
    )


def _passes(shares: Sequence[Share]) -> bool:
    return all(share.passed for share in shares)


def _sum(owners: Iterable[Owner]) -> Tally:
    households, area = 0, Fraction(0)
    for owner in owners:
        households += 1
        area += owner.area or 0
    return Tally(households, area)


def forecast(owners: Sequence[Owner], require_attendance: bool = False) -> Forecast:
    """The projected vote of one compound's owners (the vote is per compound)."""
    total = _sum(owners)
    tallies = {stance: _sum(o for o in owners if o.stance == stance) for stance in STANCES}
    voting = [o for o in owners if takes_part(o, require_attendance)]
    participating = _sum(voting)
    approving = _sum(o for o in voting if o.stance == "agree")
    shares = _shares(approving, participating, total.households, total.area)
    floating = [o for o in owners if o.stance in FLOATING]
    swing = _swing(approving, participating, total, floating, _passes(shares))
    return Forecast(
        owners=total.households,
        area=total.area,
        without_area=sum(1 for o in owners if o.area is None),
        tallies=tallies,
        participating=participating,
        approving=approving,
        participation_area=shares[0],
        participation_owners=shares[1],
        approval_area=shares[2],
        approval_owners=shares[3],
        swing=swing,
        require_attendance=require_attendance,
    )


def _swing(
    agree: Tally, voting: Tally, total: Tally, floating: Sequence[Owner], passes: bool
) -> Swing:
    """Try 1, 2, … floating households, largest areas first. Counts depend only on how
    many join; every area share is non-decreasing (to pass) or non-increasing (to fail)
    in the area they bring, so the k largest are the best k: the first k that turns
    the outcome is the least."""
    areas = sorted((o.area or Fraction(0) for o in floating), reverse=True)
    floating_area = sum(areas, Fraction(0))
    direction = "to_fail" if passes else "to_pass"
    brought = Fraction(0)
    for k, area in enumerate(areas, start=1):
        brought += area
        joined = Tally(voting.households + k, voting.area + brought)
        backing = Tally(agree.households + k, agree.area + brought) if not passes else agree
        if _passes(_shares(backing, joined, total.households, total.area)) != passes:
            return Swing(direction, k, brought, len(areas), floating_area)
    return Swing(direction, None, Fraction(0), len(areas), floating_area)


# -- plain values for JSON and tables ----------------------------------------------


def fraction_text(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def area_number(value: Fraction) -> float:
    return round(float(value), 2)


def share_dict(share: Share, area: bool) -> dict[str, Any]:
    ratio = share.ratio
    show = area_number if area else (lambda v: int(v))
    return {
        "part": show(share.part),
        "whole": show(share.whole),
        "ratio": fraction_text(ratio) if ratio is not None else None,
        "percent": round(share.percent, 2) if share.percent is not None else None,
        "threshold": fraction_text(share.threshold),
        "rule": "at_least" if share.inclusive else "more_than",
        "passed": share.passed,
    }


def forecast_dict(result: Forecast) -> dict[str, Any]:
    return {
        "owners": result.owners,
        "area": area_number(result.area),
        "without_area": result.without_area,
        "require_attendance": result.require_attendance,
        "stances": {
            stance: {"households": t.households, "area": area_number(t.area)}
            for stance, t in result.tallies.items()
        },
        "participating": {
            "households": result.participating.households,
            "area": area_number(result.participating.area),
        },
        "participation": {
            "area": share_dict(result.participation_area, area=True),
            "owners": share_dict(result.participation_owners, area=False),
            "passed": result.participates,
        },
        "approval": {
            "area": share_dict(result.approval_area, area=True),
            "owners": share_dict(result.approval_owners, area=False),
            "passed": result.approves,
        },
        "passes": result.passes,
        "swing": {
            "direction": result.swing.direction,
            "households": result.swing.households,
            "area": area_number(result.swing.area),
            "floating": result.swing.floating,
            "floating_area": area_number(result.swing.floating_area),
        },
    }
