"""The workbook's sheets as headers and lazy rows, in words: the XLSX and CSV writers
share them, so a CSV of a sheet is that sheet.

Personal data kept to the minimum: households appear by code and address, workers by
code and name; the roster's resident names and phones nowhere in a report (the answer
sheets hold what the questionnaire asked, numbers masked: reports/answer_sheets.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gridapp.clock import parse_iso
from gridapp.i18n import Catalog
from gridapp.model import Counts
from gridapp.reports.data import ReportData

#: Column kinds: how each writer shows a value.
TEXT, INT, PERCENT, TIME = "text", "int", "percent", "time"

#: The summary's order: the counts of `stats` (CLI.md), then the day's.
COUNT_KEYS = tuple(Counts.__dataclass_fields__)
DAY_KEYS = (
    "visits",
    "households_visited",
    "consultations",
    "online_answers",
    "policy_explanations",
    "suggestions",
)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int = 12


@dataclass(frozen=True)
class Sheet:
    key: str  # summary | buildings | visits | suggestions
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    total: int  # rows to come, for progress


def local_time(text: str | None) -> datetime | None:
    """A stored time as a naive local (Shanghai) datetime: what a spreadsheet shows."""
    if not text:
        return None
    return parse_iso(text).replace(tzinfo=None)


def build_sheets(
    data: ReportData,
    catalog: Catalog,
    keys: Sequence[str] = ("summary", "buildings", "visits", "suggestions", "answers"),
) -> list[Sheet]:
    """The sheets named; "answers" is the answers sheet and a sheet per repeat group
    (reports/answer_sheets.py), none when the campaign has no questionnaire."""
    from gridapp.reports.answer_sheets import answer_sheets  # it imports this module

    builders = {
        "summary": summary_sheet,
        "buildings": buildings_sheet,
        "visits": visits_sheet,
        "suggestions": suggestions_sheet,
    }
    sheets: list[Sheet] = []
    for key in keys:
        if key == "answers":
            sheets += answer_sheets(data, catalog, [s.title for s in sheets])
        else:
            sheets.append(builders[key](data, catalog))
    return sheets


def summary_sheet(data: ReportData, catalog: Catalog) -> Sheet:
    tr = catalog.tr
    rows: list[tuple[Any, ...]] = [
        (tr("ui.report.summary.campaign"), data.campaign or "—"),
        (
            tr("ui.report.summary.period"),
            tr("ui.report.summary.period_value", start=data.starts_on, end=data.ends_on)
            if data.starts_on
            else "—",
        ),
        (tr("ui.report.summary.date"), data.day),
        (tr("ui.report.summary.generated"), local_time(data.generated_at)),
        ("", ""),
        (tr("ui.report.summary.totals"), ""),
    ]
    rows += [(tr(f"count.{key}"), getattr(data.counts, key)) for key in COUNT_KEYS]
    rows += [("", ""), (tr("ui.report.summary.day", day=data.day), "")]
    rows += [(tr(f"count.{key}"), data.today[key]) for key in DAY_KEYS]
    for note in data.notes:
        rows += [("", ""), (tr(note), "")]
    columns = (
        Column(tr("ui.report.col.item"), width=22),
        Column(tr("ui.report.col.value"), width=30),
    )
    return Sheet("summary", tr("ui.report.sheet.summary"), columns, rows, len(rows))


def buildings_sheet(data: ReportData, catalog: Catalog) -> Sheet:
    tr = catalog.tr
    headers = (
        ("compound", TEXT, 12),
        ("building", TEXT, 8),
        ("team", INT, 6),
        ("households", INT, 8),
        ("visited", INT, 8),
        ("coverage", PERCENT, 8),
        ("consultations", INT, 9),
        ("agree", INT, 7),
        ("undecided", INT, 9),
        ("oppose", INT, 7),
        ("unknown", INT, 8),
    )
    columns = [Column(tr(f"ui.report.col.{key}"), kind, width) for key, kind, width in headers]
    rows = [
        (
            b.compound,
            b.building,
            b.team,
            b.households,
            b.visited,
            b.coverage,
            b.consultations,
            b.stances.agree,
            b.stances.undecided,
            b.stances.oppose,
            b.stances.unknown,
        )
        for b in data.buildings
    ]
    return Sheet("buildings", tr("ui.report.sheet.buildings"), columns, rows, len(rows))


def visits_sheet(data: ReportData, catalog: Catalog) -> Sheet:
    tr = catalog.tr
    headers = (
        ("time", TIME, 17),
        ("compound", TEXT, 12),
        ("building", TEXT, 8),
        ("unit", TEXT, 6),
        ("room", TEXT, 7),
        ("household_code", TEXT, 14),
        ("worker_code", TEXT, 10),
        ("worker", TEXT, 9),
        ("mode", TEXT, 7),
        ("outcome", TEXT, 10),
        ("explained", INT, 10),
        ("suggestion_count", INT, 10),
    )
    columns = [Column(tr(f"ui.report.col.{key}"), kind, width) for key, kind, width in headers]

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in data.visits():
            yield (
                local_time(r[0]),
                *r[1:8],
                catalog.code("mode", r[8]),
                catalog.code("outcome", r[9]),
                r[10],
                r[11],
            )

    return Sheet("visits", tr("ui.report.sheet.visits"), columns, rows(), data.visit_total)


def suggestions_sheet(data: ReportData, catalog: Catalog) -> Sheet:
    tr = catalog.tr
    headers = (
        ("time", TIME, 17),
        ("compound", TEXT, 12),
        ("household_code", TEXT, 14),
        ("category", TEXT, 10),
        ("text", TEXT, 60),
        ("status", TEXT, 8),
    )
    columns = [Column(tr(f"ui.report.col.{key}"), kind, width) for key, kind, width in headers]

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in data.suggestions():
            yield (
                local_time(r[0]),
                r[1] or "",
                r[2] or "",
                catalog.code("category", r[3]),
                r[4],
                catalog.code("suggestion_status", r[5]),
            )

    return Sheet(
        "suggestions", tr("ui.report.sheet.suggestions"), columns, rows(), data.suggestion_total
    )
