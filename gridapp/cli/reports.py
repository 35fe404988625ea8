"""Office commands: `report` (XLSX, CSV or the daily PDF, by the file's extension) and
`forecast` (the owners'-vote forecast per compound, from consultations)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from gridapp.cli.args import Day, OutFile, Ref
from gridapp.cli.context import Context
from gridapp.reports import SHEETS


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _progress(ctx: Context) -> Any:
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"{done}/{total}", file=sys.stderr)

    return report


def _report(args: argparse.Namespace, ctx: Context) -> int:
    from gridapp.services.reports import report_format

    out = Path(args.out)
    report_format(out)  # a wrong extension is refused before anything is opened
    result = ctx.services().reports.write(
        out,
        ctx.catalog,
        day=args.date,
        sheet=args.sheet,
        progress=_progress(ctx),
        campaign_id=ctx.services().campaigns.campaign_ref(args.campaign) if args.campaign else None,
    )
    if args.json:
        ctx.json(
            {
                "path": str(result.path),
                "format": result.format,
                "day": result.day,
                "rows": result.rows,
            }
        )
        return 0
    tr = ctx.catalog.tr
    detail = tr(
        "cli.report_pages" if result.format == "pdf" else "cli.report_rows", rows=result.rows
    )
    ctx.out(tr("cli.report_written", path=str(result.path), detail=detail))
    return 0


def _forecast(args: argparse.Namespace, ctx: Context) -> int:
    from gridapp.forecast import words
    from gridapp.forecast.vote import forecast_dict

    consultation = ctx.services().consultation
    if args.compound:
        found = [consultation.forecast(args.compound, args.question, args.require_attendance)]
    else:
        found = consultation.forecasts(args.question, args.require_attendance)
    catalog = ctx.catalog
    if args.json:
        ctx.json(
            {
                "disclaimer": words.disclaimer(catalog),
                "question": args.question,
                "compounds": [
                    {"id": f.compound_id, "name": f.compound, **forecast_dict(f.forecast)}
                    for f in found
                ],
            }
        )
        return 0
    ctx.out(words.disclaimer(catalog))
    ctx.out(catalog.tr("ui.forecast.title"))
    for f in found:
        result = f.forecast
        ctx.out()
        ctx.out(
            catalog.tr(
                "cli.forecast_header", compound=f.compound, verdict=words.verdict(result, catalog)
            )
        )
        ctx.out(f"  {words.stances(result, catalog)}")
        lines = words.condition_lines(result, catalog)
        width = max(_width(line.label) for line in lines)
        for line in lines:
            pad = " " * (width - _width(line.label))
            ctx.out(f"  {line.label}{pad}  {line.value}  {line.threshold}  {line.verdict}")
        ctx.out(f"  {words.swing(result, catalog)}")
        for note in words.notes(result, catalog):
            ctx.out(f"  {note}")
    ctx.out()
    ctx.out(words.disclaimer(catalog))
    return 0


def register(sub: Any, tr: Any) -> None:
    p = sub.add_parser("report", help=tr("cli.help.report"))
    p.add_argument("--out", type=OutFile(), required=True, metavar="FILE.xlsx|FILE.csv|FILE.pdf")
    p.add_argument("--date", type=Day(), metavar="YYYY-MM-DD", help=tr("cli.help.report_date"))
    p.add_argument("--sheet", choices=SHEETS, default="visits", help=tr("cli.help.report_sheet"))
    p.add_argument("--campaign", type=Ref(), metavar="NAME|ID", help=tr("cli.help.stats_campaign"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_report)

    p = sub.add_parser("forecast", help=tr("cli.help.forecast"))
    p.add_argument("--compound", type=Ref(), metavar="NAME|ID")
    p.add_argument(
        "--question", type=Ref(), default="stance", help=tr("cli.help.forecast_question")
    )
    p.add_argument(
        "--require-attendance", action="store_true", help=tr("cli.help.require_attendance")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_forecast)
