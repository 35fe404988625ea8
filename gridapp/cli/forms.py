"""Questionnaire commands: preview, import and export XLSForm workbooks, list versions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gridapp.cli.args import InFile, OutFile, Ref
from gridapp.cli.context import EXIT_BAD_INPUT, Context
from gridapp.forms.definition import DefinitionInvalid, load_definition
from gridapp.forms.describe import describe, shown_when
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_export import write_xlsform


def _refused(args: argparse.Namespace, ctx: Context, path: Path, invalid: DefinitionInvalid) -> int:
    tr = ctx.catalog.tr
    problems = [
        {"where": p.where, "field": p.part, "message": tr(p.key, **p.params)}
        for p in invalid.problems
    ]
    if args.json:
        ctx.json({"published": False, "problems": problems})
    print(
        f"gridapp-cli: {tr('error.form.invalid_file', file=path.name, count=len(problems))}",
        file=sys.stderr,
    )
    for p in problems:
        print(f"  {p['where']}  {p['message']}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _preview(args: argparse.Namespace, ctx: Context) -> int:
    """The workbook's questions, their types and when each is shown; nothing stored."""
    tr = ctx.catalog.tr
    path = Path(args.file)
    try:
        definition = load_definition(read_xlsform(path))
    except DefinitionInvalid as invalid:
        return _refused(args, ctx, path, invalid)
    lang = ctx.catalog.lang
    items = shown_when(definition, lang)
    if args.json:
        ctx.json(
            {
                "published": False,
                "id": definition.id,
                "version": definition.version,
                "questions": [
                    {
                        "path": "/".join(item.path),
                        "type": item.question.type,
                        "label": item.label,
                        "required": item.question.required,
                        "shown": describe(item, tr),
                    }
                    for item in items
                ],
            }
        )
        return 0
    ctx.out(
        tr("cli.form_preview", form=definition.id, version=definition.version, count=len(items))
    )
    for item in items:
        indent = "  " * (item.depth + 1)
        star = " *" if item.question.required else ""
        ctx.out(f"{indent}{'/'.join(item.path)}  [{item.question.type}]  {item.label}{star}")
        ctx.out(f"{indent}    {describe(item, tr)}")
    return 0


def _import(args: argparse.Namespace, ctx: Context) -> int:
    tr = ctx.catalog.tr
    path = Path(args.file)
    try:
        doc = read_xlsform(path)
        record = ctx.services().campaigns.publish_questionnaire(doc)
    except DefinitionInvalid as invalid:
        return _refused(args, ctx, path, invalid)
    if args.use:
        campaign = ctx.services().read.campaigns()
        if campaign:
            ctx.services().campaigns.use_questionnaire(campaign[-1]["id"], record.id)
    if args.json:
        ctx.json(
            {
                "published": True,
                "id": record.id,
                "form_id": record.form_id,
                "version": record.version,
                "title": record.title,
            }
        )
    else:
        ctx.out(
            tr(
                "cli.form_published",
                title=record.title,
                form=record.form_id,
                version=record.version,
                id=record.id,
            )
        )
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    definition = services.read.questionnaire(args.id)
    write_xlsform(definition, Path(args.out))
    ctx.out(
        ctx.catalog.tr(
            "cli.form_exported", form=definition.id, version=definition.version, path=args.out
        )
    )
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.services().read.questionnaires()
    if args.json:
        ctx.json({"questionnaires": rows})
        return 0
    for row in rows:
        ctx.out(f"{row['form_id']} v{row['version']}  {row['title']}  {row['id']}")
    return 0


def register(sub: Any, tr: Any) -> None:
    form = sub.add_parser("questionnaire", help=tr("cli.help.questionnaire"))
    fsub = form.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = fsub.add_parser("import", help=tr("cli.help.questionnaire_import"))
    p.add_argument("file", type=InFile())
    p.add_argument("--use", action="store_true", help=tr("cli.help.questionnaire_use"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_import)
    p = fsub.add_parser("preview", help=tr("cli.help.questionnaire_preview"))
    p.add_argument("file", type=InFile())
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_preview)
    p = fsub.add_parser("export", help=tr("cli.help.questionnaire_export"))
    p.add_argument("id", type=Ref())
    p.add_argument("--out", type=OutFile(), required=True)
    p.set_defaults(handler=_export)
    p = fsub.add_parser("list", help=tr("cli.help.questionnaire_list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_list)
