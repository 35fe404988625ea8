"""Paper commands: `receipt` (print), `receipt verify` (check), `sheets` (visit sheets).

`receipt` is both a command and the parent of `verify`: the sub-action is optional, so
`receipt --visit ID --out F` prints and `receipt verify PAYLOAD` checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gridapp.cli.args import Integer, OutFile, Ref, Text
from gridapp.cli.context import EXIT_BAD_INPUT, Context
from gridapp.clock import display_time
from gridapp.errors import InvalidInput
from gridapp.limits import TEAM_NUMBER
from gridapp.model import format_address
from gridapp.paper.receipt_code import MAX_PAYLOAD_CHARS
from gridapp.paper.receipt_pdf import LAYOUTS, render_receipts
from gridapp.paper.sheet_pdf import render_sheets


def _progress(ctx: Context, what: str) -> Any:
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty() and (done == total or done % 100 == 0):
            print(f"{what} {done}/{total}", file=sys.stderr)

    return report


def _receipt(args: argparse.Namespace, ctx: Context) -> int:
    if not args.visit or not args.out:
        raise InvalidInput("error.receipt_args")
    services = ctx.services()
    out = Path(args.out)
    # One unit: a receipt whose file cannot be written is neither stored nor audited.
    with services.store.unit_of_work(ctx.actor()):
        docs = services.paper.receipt_documents(args.visit, lang=ctx.catalog.lang)
        render_receipts(docs, out, args.layout, ctx.catalog, _progress(ctx, "receipt"))
    ctx.out(ctx.catalog.tr("cli.receipt_written", count=len(docs), path=str(out)))
    for doc in docs:
        address = format_address(doc.compound, doc.building, doc.unit, doc.room)
        ctx.out(ctx.catalog.tr("cli.receipt_code", address=address, code=doc.short_code))
    return 0


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    if args.office_key:
        # Offline: only the office's public key, no database (anyone can check).
        from gridapp.paper.receipt_code import verify_offline

        office_id, _, key = args.office_key.partition(":")
        status = verify_offline(args.payload, office_id, key)
        if status != "valid":
            print(f"gridapp-cli: {ctx.catalog.tr(f'cli.verdict_line.{status}')}", file=sys.stderr)
        if args.json:
            ctx.json({"verdict": status, "offline": True})
        else:
            ctx.out(ctx.catalog.tr(f"cli.offline_verdict.{status}"))
        return 0 if status == "valid" else EXIT_BAD_INPUT
    verdict = ctx.services().paper.verify(args.payload)
    summary = verdict.summary or {}
    if not verdict.valid:  # the verdict on stdout (below); one line for scripts on stderr
        print(
            f"gridapp-cli: {ctx.catalog.tr(f'cli.verdict_line.{verdict.status}')}", file=sys.stderr
        )
    if args.json:
        ctx.json(
            {
                "verdict": verdict.status,
                "visit_id": verdict.visit_id,
                "short_code": verdict.short_code,
                "summary": verdict.summary,
            }
        )
    else:
        ctx.out(
            ctx.catalog.tr(
                f"cli.verdict.{verdict.status}",
                address=summary.get("address", ""),
                time=display_time(summary.get("started_at", "")),
                worker=summary.get("worker", ""),
                outcome=ctx.catalog.code("outcome", summary.get("outcome")),
                code=verdict.short_code or "",
            )
        )
    return 0 if verdict.valid else EXIT_BAD_INPUT


def _sheets(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    out = Path(args.out)
    with services.store.unit_of_work(ctx.actor()):  # no audit entry for a file not written
        building = services.campaigns.building_id(args.building) if args.building else None
        grid = services.campaigns.grid_id(args.grid) if args.grid else None
        campaign = services.campaigns.campaign_ref(args.campaign) if args.campaign else None
        sheet = services.paper.sheet(building, args.team, args.mask_names, grid, campaign)
        pages = render_sheets(sheet, out, ctx.catalog, _progress(ctx, "page"))
    households = sum(len(g.rows) for g in sheet.groups)
    ctx.out(ctx.catalog.tr("cli.sheets_written", pages=pages, households=households, path=str(out)))
    return 0


def register(sub: Any, tr: Any) -> None:
    p = sub.add_parser("receipt", help=tr("cli.help.receipt"))
    p.add_argument("--visit", type=Ref(), action="append", default=[], metavar="ID")
    p.add_argument("--out", type=OutFile(), metavar="FILE.pdf")
    p.add_argument("--layout", choices=LAYOUTS, default="a5")
    p.set_defaults(handler=_receipt)
    rsub = p.add_subparsers(dest="action", required=False, metavar="ACTION")
    v = rsub.add_parser("verify", help=tr("cli.help.receipt_verify"))
    v.add_argument("payload", type=Text(MAX_PAYLOAD_CHARS), metavar="PAYLOAD")
    v.add_argument("--json", action="store_true")
    v.add_argument(
        "--office-key",
        type=Text(200),
        metavar="OFFICE_ID:SIGN_PUBLIC_KEY",
        help=tr("cli.help.office_key"),
    )
    v.set_defaults(handler=_verify)

    p = sub.add_parser("sheets", help=tr("cli.help.sheets"))
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--building", type=Ref(), metavar="NAME|ID")
    scope.add_argument("--grid", type=Ref(), metavar="NAME|ID")
    scope.add_argument("--team", type=Integer(1, TEAM_NUMBER), metavar="N")
    p.add_argument("--out", type=OutFile(), required=True, metavar="FILE.pdf")
    p.add_argument("--mask-names", action="store_true")
    p.add_argument("--campaign", type=Ref(), metavar="NAME|ID", help=tr("cli.help.sheets_campaign"))
    p.set_defaults(handler=_sheets)
