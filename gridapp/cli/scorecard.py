"""`scorecard`: the property-firm scorecard of a satisfaction campaign (docs/scorecard.md),
on the terminal, as JSON, or written to a workbook or a PDF."""

from __future__ import annotations

import argparse
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gridapp.cli.args import Integer, OutFile, Ref
from gridapp.cli.context import Context
from gridapp.services.scorecard import MIN_ANSWERS, MIN_ANSWERS_RANGE


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _scorecard(args: argparse.Namespace, ctx: Context) -> int:
    from gridapp.reports import scorecard as words
    from gridapp.services.scorecard import scorecard_format

    out = Path(args.out) if args.out else None
    if out is not None:
        scorecard_format(out)  # a wrong extension is refused before anything is read
    service = ctx.services().scorecard
    card = service.scorecard(args.campaign, args.min_answers)
    catalog = ctx.catalog
    tr = catalog.tr
    written: dict[str, Any] | None = None
    if out is not None:
        fmt, rows = service.write(card, out, catalog)
        written = {"path": str(out), "format": fmt, "rows": rows}
    if args.json:
        document = asdict(card)
        for key in ("firms", "compounds", "self_managed"):
            for line, source in zip(document[key], getattr(card, key), strict=True):
                line["change"] = source.change
                line["standing"] = words.standing(source, card, catalog)
        if written is not None:
            document["written"] = written
        ctx.json(document)
        return 0
    labels = words.dimension_labels(card, catalog)
    ctx.out(tr("scorecard.title", campaign=card.campaign))
    ctx.out(words.summary(card, catalog))
    sections = (
        ("scorecard.sheet.ranking", card.firms),
        ("scorecard.sheet.compounds", card.compounds),
        ("scorecard.self_managed_title", card.self_managed),
    )
    head = [
        tr("scorecard.col.name"),
        tr("scorecard.col.answered"),
        tr("scorecard.col.overall"),
        tr("scorecard.col.change"),
        *labels,
    ]
    for key, lines in sections:
        if not lines:
            continue
        ctx.out()
        ctx.out(tr(key))
        name_width = max(_width(x.name) for x in lines) + 2
        standings = [words.standing(x, card, catalog) for x in lines]
        rank_width = max(_width(x) for x in standings) + 2
        ctx.out("  " + _pad("", rank_width) + _pad(head[0], name_width) + "  ".join(head[1:]))
        for line, standing in zip(lines, standings, strict=True):
            cells = [
                str(line.answered),
                words.shown(line.overall),
                words.change_text(line.change),
                *(words.shown(line.figures[d.name].mean, 1) for d in card.dimensions),
            ]
            row = _pad(standing, rank_width) + _pad(line.name, name_width) + "  ".join(cells)
            ctx.out("  " + row)
    for flagged in card.flagged:
        ctx.out(
            tr(
                "scorecard.flagged",
                compound=flagged.compound,
                household=flagged.household,
                question=flagged.question,
                value=flagged.value[:40],
            )
        )
    if written is not None:
        detail = tr(
            "cli.report_pages" if written["format"] == "pdf" else "cli.report_rows",
            rows=written["rows"],
        )
        ctx.out(tr("cli.scorecard_written", path=written["path"], detail=detail))
    return 0


def register(sub: Any, tr: Any) -> None:
    p = sub.add_parser("scorecard", help=tr("cli.help.scorecard"))
    p.add_argument(
        "--campaign",
        type=Ref(),
        required=True,
        metavar="NAME|ID",
        help=tr("cli.help.scorecard_campaign"),
    )
    p.add_argument("--out", type=OutFile(), metavar="FILE.xlsx|FILE.pdf")
    p.add_argument(
        "--min-answers",
        type=Integer(*MIN_ANSWERS_RANGE),
        default=MIN_ANSWERS,
        metavar="N",
        help=tr("cli.help.scorecard_min_answers", min=MIN_ANSWERS),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_scorecard)
