"""A forecast in words, the same on the screen, the command line and paper."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from gridapp.forecast.vote import Forecast, Share, fraction_text
from gridapp.i18n import Catalog

CONDITIONS = ("participation_area", "participation_owners", "approval_area", "approval_owners")


@dataclass(frozen=True)
class ConditionLine:
    key: str  # one of CONDITIONS
    label: str
    value: str  # "1,234.56 / 2,000.00 ㎡（61.73%）"
    threshold: str  # "≥ 2/3（66.67%）"
    verdict: str  # 达到 / 未达到
    share: Share


def percent(value: float | Fraction | None) -> str:
    return "—" if value is None else f"{float(value):.2f}%"


def area(value: Fraction) -> str:
    return f"{float(value):,.2f}"


def shares(result: Forecast) -> dict[str, Share]:
    return {key: getattr(result, key) for key in CONDITIONS}


def condition_lines(result: Forecast, catalog: Catalog) -> list[ConditionLine]:
    tr = catalog.tr
    lines = []
    for key, share in shares(result).items():
        is_area = key.endswith("_area")
        value = tr(
            "ui.forecast.area_value" if is_area else "ui.forecast.owners_value",
            part=area(share.part) if is_area else int(share.part),
            whole=area(share.whole) if is_area else int(share.whole),
            percent=percent(share.percent),
        )
        threshold = tr(
            "ui.forecast.at_least" if share.inclusive else "ui.forecast.more_than",
            fraction=fraction_text(share.threshold),
            percent=percent(share.threshold * 100),
        )
        verdict = tr("ui.forecast.met" if share.passed else "ui.forecast.not_met")
        lines.append(
            ConditionLine(key, tr(f"ui.forecast.condition.{key}"), value, threshold, verdict, share)
        )
    return lines


def verdict(result: Forecast, catalog: Catalog) -> str:
    return catalog.tr("ui.forecast.passes" if result.passes else "ui.forecast.fails")


def swing(result: Forecast, catalog: Catalog) -> str:
    s = result.swing
    if s.households is None:
        key = (
            "ui.forecast.swing.none_pass"
            if s.direction == "to_pass"
            else "ui.forecast.swing.none_fail"
        )
        return catalog.tr(key, floating=s.floating, area=area(s.floating_area))
    return catalog.tr(
        f"ui.forecast.swing.{s.direction}",
        count=s.households,
        area=area(s.area),
        floating=s.floating,
    )


def stances(result: Forecast, catalog: Catalog) -> str:
    t = result.tallies
    return catalog.tr(
        "ui.forecast.stances",
        agree=t["agree"].households,
        oppose=t["oppose"].households,
        undecided=t["undecided"].households,
        unknown=t["unknown"].households,
    )


def notes(result: Forecast, catalog: Catalog) -> list[str]:
    """The model's assumptions, said every time (they decide the figures)."""
    tr = catalog.tr
    lines = [tr("ui.forecast.rule.attendance" if result.require_attendance else "ui.forecast.rule")]
    if result.without_area:
        lines.append(tr("ui.forecast.without_area", count=result.without_area))
    return lines


def disclaimer(catalog: Catalog) -> str:
    return catalog.tr("ui.forecast.disclaimer")
