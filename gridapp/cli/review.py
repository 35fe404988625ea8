"""The office's review of visits (docs/office-review.md): review list, approve, return."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from gridapp.cli.args import Code, Day, Integer, LimitedText, Ref
from gridapp.cli.context import Context
from gridapp.clock import display_time
from gridapp.limits import TEAM_NUMBER
from gridapp.services.review import ReviewFilter
from gridapp.storage.review_queries import FLAGS, STATES


def _list(args: argparse.Namespace, ctx: Context) -> int:
    if args.team is not None:
        from gridapp.cli.core import team_exists

        team_exists(ctx, args.team)
    rows = ctx.services().review.queue(
        ReviewFilter(
            team=args.team, worker=args.worker, day=args.day, state=args.state, flag=args.flag
        )
    )
    if args.json:
        ctx.json({"visits": [asdict(r) for r in rows]})
        return 0
    tr, code = ctx.catalog.tr, ctx.catalog.code
    for r in rows:
        flags = "、".join(code("review_flag", f) for f in r.flags)
        line = (
            f"{r.id}  {display_time(r.started_at)}  {r.address}  {r.worker_code}  "
            f"{code('outcome', r.outcome)}  {code('review_state', r.state)}"
        )
        if flags:
            line += f"  [{flags}]"
        if r.state == "returned" and r.comment:
            line += f"  {tr('cli.review.comment', comment=r.comment)}"
        ctx.out(line)
    ctx.out(tr("cli.review.count", count=len(rows)))
    return 0


def _approve(args: argparse.Namespace, ctx: Context) -> int:
    review = ctx.services().review
    ids = [review.resolve_id(ref) for ref in args.visits]
    count = review.approve(ids)
    if args.json:
        ctx.json({"approved": list(dict.fromkeys(ids))})
    else:
        ctx.out(ctx.catalog.tr("cli.review.approved", count=count))
    return 0


def _return(args: argparse.Namespace, ctx: Context) -> int:
    review = ctx.services().review
    visit_id = review.resolve_id(args.visit)
    review.return_visit(visit_id, args.comment)
    if args.json:
        ctx.json({"returned": visit_id})
    else:
        ctx.out(ctx.catalog.tr("cli.review.returned", id=visit_id))
    return 0


def register(sub: Any, tr: Any) -> None:
    review = sub.add_parser("review", help=tr("cli.help.review"))
    rsub = review.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = rsub.add_parser("list", help=tr("cli.help.review_list"))
    p.add_argument("--team", type=Integer(1, TEAM_NUMBER))
    p.add_argument("--worker", type=Code(), metavar="CODE")
    p.add_argument("--day", type=Day(), metavar="YYYY-MM-DD")
    p.add_argument("--state", choices=STATES)
    p.add_argument("--flag", choices=tuple(FLAGS))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_list)
    p = rsub.add_parser("approve", help=tr("cli.help.review_approve"))
    p.add_argument("visits", type=Ref(), nargs="+", metavar="VISIT_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_approve)
    p = rsub.add_parser("return", help=tr("cli.help.review_return"))
    p.add_argument("visit", type=Ref(), metavar="VISIT_ID")
    p.add_argument(
        "--comment",
        type=LimitedText("review_comment", multiline=True),
        required=True,
        metavar="TEXT",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_return)
