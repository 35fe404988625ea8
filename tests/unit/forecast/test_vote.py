"""The art. 278 forecast, on hand-computed compounds: every threshold hit exactly,
missed by one owner or a sliver of area, and the swing counted by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gridapp.forecast.vote import (
    Owner,
    exact_area,
    forecast,
    forecast_dict,
    takes_part,
)


def owners(*specs: tuple[str, float | None]) -> list[Owner]:
    return [Owner(f"h{n}", exact_area(area), stance) for n, (stance, area) in enumerate(specs)]


def even(agree: int, oppose: int, undecided: int = 0, unknown: int = 0) -> list[Owner]:
    """Owners of 10 ㎡ each."""
    return owners(
        *[("agree", 10.0)] * agree,
        *[("oppose", 10.0)] * oppose,
        *[("undecided", 10.0)] * undecided,
        *[("unknown", 10.0)] * unknown,
    )


def test_exactly_two_thirds_of_area_and_owners_take_part() -> None:
    # 6 owners of 10 ㎡; 3 agree + 1 oppose = 4/6 owners, 40/60 ㎡: both exactly 2/3.
    result = forecast(even(3, 1, undecided=2))
    assert result.participation_owners.ratio == Fraction(2, 3)
    assert result.participation_area.ratio == Fraction(2, 3)
    assert result.participation_area.part == 40 and result.participation_area.whole == 60
    assert result.participates
    assert result.approval_owners.ratio == Fraction(3, 4) and result.approves
    assert result.passes


def test_one_owner_short_of_two_thirds_does_not_take_part() -> None:
    # 9 owners: 6 voting is exactly 2/3; 5 is one short.
    assert forecast(even(4, 2, unknown=3)).participates
    short = forecast(even(4, 1, unknown=4))
    assert short.participation_owners.ratio == Fraction(5, 9)
    assert not short.participation_owners.passed
    assert not short.participation_area.passed  # 50/90 as well
    assert not short.passes


def test_a_sliver_of_area_below_two_thirds_fails_while_headcount_passes() -> None:
    # 2 of 3 owners vote (exactly 2/3), holding 100.00 of 150.01 ㎡: 2/3 of the area
    # would be 100.0066…, so the area condition misses by 0.0067 ㎡.
    result = forecast(owners(("agree", 50.0), ("agree", 50.0), ("unknown", 50.01)))
    assert result.participation_owners.passed
    assert result.participation_area.ratio == Fraction(10000, 15001)
    assert not result.participation_area.passed
    assert not result.participates and not result.passes
    # …and 50.00 instead makes it exactly 2/3: passes.
    assert forecast(owners(("agree", 50.0), ("agree", 50.0), ("unknown", 50.0))).participates


def test_approval_with_exactly_half_fails_and_just_above_passes() -> None:
    half = forecast(even(2, 2))
    assert half.approval_owners.ratio == Fraction(1, 2) and not half.approval_owners.passed
    assert half.approval_area.ratio == Fraction(1, 2) and not half.approval_area.passed
    assert half.participates and not half.approves and not half.passes
    above = forecast(even(3, 2))
    assert above.approval_owners.ratio == Fraction(3, 5) and above.approves and above.passes
    # By area alone: 50.01 ㎡ for, 50.00 against, one owner each side plus a third for.
    sliver = forecast(owners(("agree", 50.01), ("oppose", 50.0), ("agree", None)))
    assert sliver.approval_area.ratio == Fraction(5001, 10001)
    assert sliver.approval_area.passed
    exact = forecast(owners(("agree", 50.0), ("oppose", 50.0), ("agree", None)))
    assert not exact.approval_area.passed and exact.approval_owners.passed


def test_area_passes_while_headcount_fails() -> None:
    # One large flat for (100 ㎡), two small against (30 ㎡ each).
    result = forecast(owners(("agree", 100.0), ("oppose", 30.0), ("oppose", 30.0)))
    assert result.approval_area.ratio == Fraction(100, 160) and result.approval_area.passed
    assert result.approval_owners.ratio == Fraction(1, 3) and not result.approval_owners.passed
    assert not result.approves and not result.passes


def test_headcount_passes_while_area_fails() -> None:
    result = forecast(owners(("agree", 20.0), ("agree", 20.0), ("oppose", 100.0)))
    assert result.approval_owners.ratio == Fraction(2, 3) and result.approval_owners.passed
    assert result.approval_area.ratio == Fraction(40, 140) and not result.approval_area.passed
    assert not result.passes


def test_swing_to_pass_takes_the_largest_areas_first() -> None:
    # Six owners of 10 ㎡ agree (6/9 owners: enough), but hold 60 of 110 ㎡ (< 2/3,
    # which is 73.33 ㎡). The 40 ㎡ unknown household alone brings 100/110: passes.
    result = forecast(
        owners(*[("agree", 10.0)] * 6, ("unknown", 5.0), ("unknown", 40.0), ("undecided", 5.0))
    )
    assert result.participation_owners.passed and not result.participation_area.passed
    assert not result.passes
    swing = result.swing
    assert swing.direction == "to_pass"
    assert swing.households == 1 and swing.area == 40
    assert swing.floating == 3 and swing.floating_area == 50


def test_swing_to_pass_by_headcount() -> None:
    # 5 of 9 agree (5/9 < 2/3); one more agree → 6/9, 60/90: passes.
    swing = forecast(even(5, 0, unknown=4)).swing
    assert (swing.direction, swing.households, swing.area) == ("to_pass", 1, Fraction(10))


def test_swing_to_fail_by_headcount() -> None:
    # 4 for, 2 against, 3 undecided of 15, 1, 1 ㎡ (area 77; 60/77 take part).
    # One more against (15 ㎡): 4/7 and 40/75, still passes. Two (16 ㎡): 4/8 = 1/2 fails.
    result = forecast(
        owners(
            *[("agree", 10.0)] * 4,
            *[("oppose", 10.0)] * 2,
            ("undecided", 15.0),
            ("undecided", 1.0),
            ("undecided", 1.0),
        )
    )
    assert result.passes
    swing = result.swing
    assert (swing.direction, swing.households, swing.area) == ("to_fail", 2, Fraction(16))


def test_swing_to_fail_by_area() -> None:
    # As above with a 25 ㎡ undecided flat: against, it makes 40/85 of the area: fails.
    result = forecast(
        owners(
            *[("agree", 10.0)] * 4,
            *[("oppose", 10.0)] * 2,
            ("undecided", 25.0),
            ("undecided", 1.0),
            ("unknown", 1.0),
        )
    )
    assert result.passes
    assert (result.swing.households, result.swing.area) == (1, Fraction(25))


def test_no_swing_when_every_floating_household_together_cannot_change_it() -> None:
    # 1 for, 5 against, 1 unknown: even with the unknown for, 2/7 approve.
    swing = forecast(even(1, 5, unknown=1)).swing
    assert swing.direction == "to_pass" and swing.households is None and swing.area == 0


def test_households_without_area_count_by_number_only() -> None:
    result = forecast(owners(("agree", None), ("agree", 10.0), ("oppose", 10.0), ("unknown", 10.0)))
    assert result.without_area == 1 and result.owners == 4 and result.area == 30
    assert result.participation_owners.ratio == Fraction(3, 4)
    assert result.participation_area.ratio == Fraction(2, 3)
    assert result.approval_owners.ratio == Fraction(2, 3)
    assert result.approval_area.ratio == Fraction(1, 2)  # the flat without area adds none
    assert not result.passes


def test_attendance_can_be_required() -> None:
    people = [
        Owner("a", Fraction(10), "agree", attends=True),
        Owner("b", Fraction(10), "agree", attends=False),
        Owner("c", Fraction(10), "oppose", attends=None),
    ]
    assert [takes_part(o) for o in people] == [True, True, True]
    assert [takes_part(o, require_attendance=True) for o in people] == [True, False, False]
    assert forecast(people).passes
    strict = forecast(people, require_attendance=True)
    assert strict.participation_owners.ratio == Fraction(1, 3) and not strict.passes


def test_no_households_never_passes() -> None:
    result = forecast([])
    assert result.participation_area.ratio is None and not result.passes
    assert result.swing.households is None


def test_areas_are_exact() -> None:
    assert exact_area(87.35) == Fraction(1747, 20)
    assert exact_area(0.0) is None and exact_area(None) is None


@pytest.mark.parametrize("require_attendance", [False, True])
def test_the_json_form_keeps_exact_ratios(require_attendance: bool) -> None:
    doc = forecast_dict(forecast(even(3, 1, undecided=2), require_attendance))
    assert doc["require_attendance"] is require_attendance
    if not require_attendance:
        assert doc["participation"]["owners"] == {
            "part": 4,
            "whole": 6,
            "ratio": "2/3",
            "percent": 66.67,
            "threshold": "2/3",
            "rule": "at_least",
            "passed": True,
        }
        assert doc["approval"]["area"]["rule"] == "more_than"
        assert doc["passes"] is True
        assert doc["stances"]["undecided"] == {"households": 2, "area": 20.0}
