"""Roster commands: import (and preview) a household roster from CSV or XLSX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gridapp.cli.args import InFile, OutFile, Text
from gridapp.cli.context import EXIT_BAD_INPUT, Context
from gridapp.i18n import Catalog
from gridapp.roster.check import RowProblem
from gridapp.roster.fields import Field, parse_overrides
from gridapp.roster.report import describe, locate, outcome_lines


def _labels(catalog: Catalog) -> dict[Field, str]:
    return {f: catalog.tr(f"ui.roster.field.{f.value}") for f in Field}


def _problems(problems: list[RowProblem], catalog: Catalog) -> list[dict[str, Any]]:
    return [{**p.as_dict(), "message": describe(p, catalog)} for p in problems]


def _mapping(args: argparse.Namespace, catalog: Catalog) -> dict[str, str | None]:
    overrides = parse_overrides(args.map or [], _labels(catalog))
    return {column: (f.value if f else None) for column, f in overrides.items()}


def _import(args: argparse.Namespace, ctx: Context) -> int:
    from gridapp.services.roster import RosterInvalid

    catalog = ctx.catalog
    tr = catalog.tr
    path = Path(args.file)
    try:
        result = ctx.services().roster.import_file(
            path,
            sheet=args.sheet,
            mapping=_mapping(args, catalog),
            skip_invalid=args.skip_invalid,
            error_workbook=Path(args.errors_out) if args.errors_out else None,
            lang=catalog.lang,
        )
    except RosterInvalid as invalid:
        if args.json:
            ctx.json({"imported": False, "problems": _problems(invalid.problems, catalog)})
        first = locate(invalid.problems[0], catalog)
        line = tr("cli.roster.refused", file=path.name, first=first, count=len(invalid.problems))
        print(f"gridapp-cli: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        ctx.json(
            {
                "imported": True,
                "rows": result.rows,
                "households": result.households,
                "residents": result.residents,
                "phones": result.phones,
                "new_compounds": result.new_compounds,
                "new_buildings": result.new_buildings,
                "skipped": result.skipped,
                "problems": _problems(result.problems, catalog),
                "error_workbook": str(result.error_workbook) if result.error_workbook else None,
            }
        )
        return 0
    for line in outcome_lines(result, ctx.catalog):
        ctx.out(line)
    return 0


def _preview(args: argparse.Namespace, ctx: Context) -> int:
    catalog = ctx.catalog
    tr = catalog.tr
    preview = ctx.services().roster.preview(
        Path(args.file), sheet=args.sheet, mapping=_mapping(args, catalog)
    )
    if args.json:
        ctx.json(
            {
                "file": str(preview.file),
                "encoding": preview.encoding,
                "sheet": preview.sheet,
                "header_row": preview.header_line,
                "columns": preview.columns.as_dict(),
                "rows": preview.rows,
                "valid": preview.valid,
                "invalid": preview.invalid,
                "duplicates": preview.duplicates,
                "new_compounds": preview.new_compounds,
                "new_buildings": preview.new_buildings,
                "problems": _problems(preview.problems, catalog),
            }
        )
        return 0
    ctx.out(
        tr(
            "cli.roster.preview",
            file=preview.file.name,
            rows=preview.rows,
            valid=preview.valid,
            invalid=preview.invalid,
            duplicates=preview.duplicates,
            compounds=len(preview.new_compounds),
            buildings=preview.new_buildings,
        )
    )
    for column, f in zip(preview.columns.headers, preview.columns.fields, strict=True):
        label = tr(f"ui.roster.field.{f.value}") if f else tr("ui.roster.field.none")
        ctx.out(tr("cli.roster.column", column=column, field=label))
    for problem in preview.problems:
        ctx.out(locate(problem, catalog))
    return 0


def register(sub: Any, tr: Any) -> None:
    roster = sub.add_parser("roster", help=tr("cli.help.roster"))
    rsub = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, handler, help_key in (
        ("import", _import, "cli.help.roster_import"),
        ("preview", _preview, "cli.help.roster_preview"),
    ):
        p = rsub.add_parser(name, help=tr(help_key))
        p.add_argument("file", type=InFile())
        p.add_argument("--sheet", type=Text(100), help=tr("cli.help.roster_sheet"))
        p.add_argument(
            "--map",
            type=Text(200),
            action="append",
            metavar="COL=FIELD",
            help=tr("cli.help.roster_map"),
        )
        p.add_argument("--json", action="store_true")
        if name == "import":
            p.add_argument("--skip-invalid", action="store_true", help=tr("cli.help.roster_skip"))
            p.add_argument(
                "--errors-out",
                type=OutFile(),
                metavar="FILE.xlsx",
                help=tr("cli.help.roster_errors_out"),
            )
        p.set_defaults(handler=handler)
