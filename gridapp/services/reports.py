"""Reports for the office: the workbook (汇总, 楼栋, 走访, 意见建议), one of its sheets as
CSV, and the daily PDF with charts and the vote forecast.

The counts are the campaign's totals as of now (`stats`, CLI.md); the report's day
(`day`, default today) picks the day's figures, the day's outcome chart, and the last
bar of the daily progress chart. The listings cover the whole campaign.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gridapp.audit_actions import REPORT_EXPORTED
from gridapp.clock import iso
from gridapp.errors import InvalidInput, ReadOnlyLocation
from gridapp.i18n import Catalog
from gridapp.model import Counts
from gridapp.reports import FORMATS, SHEETS
from gridapp.reports.data import BuildingLine, DayLine, ReportData, TeamLine
from gridapp.services.audit import note
from gridapp.services.consultation import CompoundForecast, ConsultationService, StanceCounts
from gridapp.services.guard import actor_of, requires
from gridapp.storage import report_queries as rq
from gridapp.storage import stats
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

log = logging.getLogger("gridapp.reports")
#: What a report can gather, and what each format (or CSV sheet) needs of it.
PARTS = frozenset({"counts", "buildings", "charts", "forecast"})
_NEEDS = {
    "pdf": frozenset({"counts", "charts", "forecast"}),
    "xlsx": frozenset({"counts", "buildings"}),
    "summary": frozenset({"counts"}),
    "buildings": frozenset({"buildings"}),
    "visits": frozenset(),
    "suggestions": frozenset(),
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReportResult:
    path: Path
    format: str  # xlsx | csv | pdf
    day: str
    rows: int  # data rows written (xlsx, csv) or pages (pdf)


def report_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InvalidInput("error.report.format", path=str(out), ext=out.suffix or "—")
    return fmt


def report_day(text: str | None, today: dt.date) -> str:
    if text is None or not text.strip():
        return today.isoformat()
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise InvalidInput("error.report.date", value=text) from exc


class ReportService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.REPORTS)
    def data(
        self,
        day: str | None = None,
        question: str = "stance",
        parts: frozenset[str] = PARTS,
        campaign_id: str | None = None,
    ) -> ReportData:
        """The report's figures; `parts` (of PARTS) limits the work to what a format
        shows: a CSV of the visits needs none of the charts or the forecast."""
        db = self.store.db
        now = self.store.clock.now()
        day = report_day(day, now.date())
        campaign = rq.campaign(db, campaign_id) or {}
        cid = campaign.get("id")
        notes: list[str] = []
        stances: dict[str, StanceCounts] = {}
        forecasts: list[CompoundForecast] = []
        if parts & {"buildings", "forecast"}:
            try:
                by_building, forecasts = ConsultationService(self.store).overview(question)
                stances = {r.id: r.counts for r in by_building}
            except InvalidInput:
                # A questionnaire without the stance question: the report stands without
                # the stances and the forecast, and says so.
                notes.append("ui.report.note.no_stance")
        buildings = [
            BuildingLine(
                r["compound"],
                r["building"],
                r["team"],
                r["households"],
                r["visited"],
                r["consultations"],
                stances.get(r["id"], StanceCounts(r["households"], unknown=r["households"])),
            )
            for r in (rq.building_progress(db, cid) if "buildings" in parts else [])
        ]
        charts = "charts" in parts
        return ReportData(
            campaign=campaign.get("name", ""),
            starts_on=campaign.get("starts_on", ""),
            ends_on=campaign.get("ends_on", ""),
            day=day,
            generated_at=iso(now),
            counts=stats.counts(db, cid) if "counts" in parts else Counts(),
            today=rq.day_figures(db, day, cid) if "counts" in parts else {},
            buildings=buildings,
            teams=[
                TeamLine(r["number"], r["name"], r["households"], r["visited"])
                for r in (rq.team_coverage(db, cid) if charts else [])
            ],
            daily=[
                DayLine(r["day"], r["visits"], r["consultations"], r["newly_visited"])
                for r in (rq.daily_progress(db, day, cid) if charts else [])
            ],
            outcomes=rq.outcomes_on(db, day, cid) if charts else {},
            forecasts=forecasts if "forecast" in parts else [],
            visit_total=rq.visit_count(db, cid),
            visits=lambda: rq.visit_rows(db, cid),
            suggestion_total=rq.suggestion_count(db, cid),
            suggestions=lambda: rq.suggestion_rows(db, cid),
            notes=notes,
        )

    @requires(Action.REPORTS)
    def write(
        self,
        out: Path,
        catalog: Catalog,
        day: str | None = None,
        sheet: str = "visits",
        progress: Progress | None = None,
        campaign_id: str | None = None,
    ) -> ReportResult:
        """The report in the format its extension names, written atomically; the export
        is audited (format, day, rows: never a path, which may name a person)."""
        actor = actor_of(self.store).code
        fmt = report_format(out)
        if sheet not in SHEETS:
            raise InvalidInput("error.report.sheet", sheet=sheet, sheets=", ".join(SHEETS))
        if not out.parent.is_dir() or out.is_dir():
            raise ReadOnlyLocation("error.read_only", path=str(out))
        data = self.data(day, parts=_NEEDS[sheet if fmt == "csv" else fmt], campaign_id=campaign_id)
        from gridapp.reports.sheets import build_sheets

        if fmt == "pdf":
            from gridapp.reports.daily_pdf import render_daily

            rows = render_daily(data, out, catalog, progress)
        elif fmt == "xlsx":
            from gridapp.reports.tables import write_xlsx

            rows = write_xlsx(build_sheets(data, catalog), out, progress)
        else:
            from gridapp.reports.tables import write_csv

            rows = write_csv(build_sheets(data, catalog, [sheet])[0], out, progress)
        log.info("report %s written: %s (%d)", fmt, out, rows)
        with self.store.unit_of_work(actor) as db:
            note(self.store, db, actor, REPORT_EXPORTED, fmt, day=data.day, rows=rows)
        return ReportResult(out, fmt, data.day, rows)
