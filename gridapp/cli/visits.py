"""Field commands: record and void visits, add online answers."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from gridapp.cli.args import Code, Integer, Json, LimitedText, Moment, Ref, Text
from gridapp.cli.context import Context
from gridapp.clock import CHINA_TZ
from gridapp.codes import Channel, Outcome, VisitMode
from gridapp.errors import InvalidInput
from gridapp.limits import PEOPLE_MET, TEXT_LIMITS
from gridapp.services.visits import VisitInput


def _household(ctx: Context, ref: str) -> str:
    read = ctx.services().read
    by_code = read.household_by_code(ref)
    if by_code is not None:
        return by_code
    if read.household_rows([ref]):
        return ref
    raise InvalidInput("error.household_not_found", id=ref)


def _record(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    answers: dict[str, Any] = args.answers or {}  # an object within bounds (args.Json)
    explained = []
    for item in args.explained:
        ref, _, reaction = item.partition(":")
        explained.append((services.read.policy_item_id(ref), reaction or None))
    suggestions = []
    for item in args.suggestion:
        category, sep, text = item.partition(":")
        if not sep:
            raise InvalidInput("error.cli.bad_suggestion", value=item)
        suggestions.append((category, text))
    at: datetime | None = args.at
    result = services.visits.record(
        VisitInput(
            household_id=_household(ctx, args.household),
            worker_code=args.worker,
            outcome=args.outcome,
            mode=args.mode,
            started_at=at,
            ended_at=at,
            people_met=args.people_met,  # None: as the outcome implies
            answers=answers,
            explained=tuple(explained),
            suggestions=tuple(suggestions),
            notes=args.notes or "",
            campaign_id=_campaign(ctx, args.campaign),
        )
    )
    if args.json:
        ctx.json(
            {
                "visit_id": result.visit_id,
                "callback_id": result.callback_id,
                "callback_due": result.callback_due,
            }
        )
    else:
        ctx.out(ctx.catalog.tr("cli.visit_recorded", id=result.visit_id))
        if result.callback_due:
            ctx.out(ctx.catalog.tr("cli.callback_due", at=result.callback_due))
    return 0


def _campaign(ctx: Context, ref: str | None) -> str | None:
    return ctx.services().campaigns.campaign_ref(ref) if ref else None


def _void(args: argparse.Namespace, ctx: Context) -> int:
    ctx.services().visits.void("visit", args.visit_id, args.reason)
    ctx.out(ctx.catalog.tr("cli.visit_voided", id=args.visit_id))
    return 0


def _online(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    household = _household(ctx, args.household) if args.household else None
    record_id = services.visits.add_online_answer(
        args.worker,
        args.channel,
        args.question,
        args.answer,
        household,
        args.at or datetime.now(CHINA_TZ),
        campaign_id=_campaign(ctx, args.campaign),
    )
    if args.json:
        ctx.json({"online_answer_id": record_id})
    else:
        ctx.out(ctx.catalog.tr("cli.online_added", id=record_id))
    return 0


def register(sub: Any, tr: Any) -> None:
    visit = sub.add_parser("visit", help=tr("cli.help.visit"))
    vsub = visit.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = vsub.add_parser("record", help=tr("cli.help.visit_record"))
    p.add_argument("--household", type=Ref(), required=True, help=tr("cli.help.household_ref"))
    p.add_argument("--worker", type=Code(), required=True)
    p.add_argument("--outcome", choices=[o.value for o in Outcome], required=True)
    p.add_argument("--mode", choices=[m.value for m in VisitMode], default="in_person")
    # Default: 1 for 见面 (and refusals, appointments), 0 when nobody was found in.
    p.add_argument("--people-met", type=Integer(0, PEOPLE_MET), default=None)
    p.add_argument("--answers", type=Json(64 * 1024, obj=True), metavar="JSON")
    explained = Ref(120)
    p.add_argument(
        "--explained", type=explained, action="append", default=[], metavar="ITEM[:REACTION]"
    )
    suggestion = Text(TEXT_LIMITS["suggestion_text"] + 20, multiline=True)
    p.add_argument(
        "--suggestion", type=suggestion, action="append", default=[], metavar="CATEGORY:TEXT"
    )
    p.add_argument("--notes", type=LimitedText("visit_notes", multiline=True, empty=True))
    p.add_argument("--at", type=Moment(), metavar="ISO8601")
    p.add_argument("--campaign", type=Ref(), metavar="NAME|ID", help=tr("cli.help.visit_campaign"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_record)
    p = vsub.add_parser("void", help=tr("cli.help.visit_void"))
    p.add_argument("visit_id", type=Ref())
    p.add_argument("--reason", type=LimitedText("void_reason", multiline=True), required=True)
    p.set_defaults(handler=_void)

    online = sub.add_parser("online-answer", help=tr("cli.help.online"))
    osub = online.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = osub.add_parser("add", help=tr("cli.help.online_add"))
    p.add_argument("--worker", type=Code(), required=True)
    p.add_argument("--channel", choices=[c.value for c in Channel], required=True)
    p.add_argument("--question", type=LimitedText("online_question", multiline=True), required=True)
    p.add_argument("--answer", type=LimitedText("online_answer", multiline=True), required=True)
    p.add_argument("--household", type=Ref())
    p.add_argument("--at", type=Moment(), metavar="ISO8601")
    p.add_argument("--campaign", type=Ref(), metavar="NAME|ID", help=tr("cli.help.visit_campaign"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_online)
