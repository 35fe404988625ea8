"""Office set-up commands: campaign edit, team, worker, assign/unassign; following
suggestions up (suggestion list, advance, export)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from gridapp.cli.args import Code, Day, Integer, LimitedText, OutFile, Ref, Text
from gridapp.cli.context import Context
from gridapp.clock import display_time
from gridapp.codes import SuggestionCategory
from gridapp.errors import InvalidInput
from gridapp.limits import TEAM_NUMBER
from gridapp.services.campaign_setup import Scope
from gridapp.services.suggestions import SuggestionFilter

TEAM = Integer(1, TEAM_NUMBER)
#: A campaign may be planned this far ahead.
CAMPAIGN_AHEAD = timedelta(days=5 * 366)


def _campaign_id(ctx: Context, ref: str | None) -> str:
    campaigns = ctx.services().campaigns
    campaign = campaigns.campaign(campaigns.campaign_ref(ref) if ref else None)
    if campaign is None:
        if ref:
            raise InvalidInput("error.setup.campaign_not_found", id=ref)
        raise InvalidInput("error.setup.no_campaign")
    return str(campaign["id"])


def _campaign_edit(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    campaign_id = _campaign_id(ctx, args.campaign)
    changes: dict[str, Any] = {}
    for option, field in (
        ("name", "name"),
        ("description", "description"),
        ("starts", "starts_on"),
        ("ends", "ends_on"),
    ):
        if getattr(args, option) is not None:
            changes[field] = getattr(args, option)
    if args.questionnaire is not None:
        changes["questionnaire_id"] = services.campaigns.questionnaire_id(args.questionnaire)
    compounds = [services.campaigns.compound_id(c) for c in args.compound] or None
    policy = [services.read.policy_item_id(p) for p in args.policy] or None
    services.campaigns.edit_campaign(campaign_id, changes, compounds, policy)
    campaign = next(c for c in services.read.campaigns() if c["id"] == campaign_id)
    if args.json:
        ctx.json({"campaign": campaign})
    else:
        ctx.out(
            ctx.catalog.tr(
                "cli.setup.campaign_saved",
                name=campaign["name"],
                starts=campaign["starts_on"],
                ends=campaign["ends_on"],
                compounds="、".join(campaign["compounds"]),
            )
        )
    return 0


def _team_add(args: argparse.Namespace, ctx: Context) -> int:
    team = ctx.services().campaigns.add_team(args.number, args.name)
    ctx.out(ctx.catalog.tr("cli.setup.team_added", number=team.number, name=team.name))
    return 0


def _team_rename(args: argparse.Namespace, ctx: Context) -> int:
    ctx.services().campaigns.rename_team(args.number, args.name)
    ctx.out(ctx.catalog.tr("cli.setup.team_renamed", number=args.number, name=args.name.strip()))
    return 0


def _team_list(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    campaign = services.campaigns.campaign(None)
    teams = services.campaigns.teams(campaign["id"] if campaign else None)
    if args.json:
        ctx.json({"teams": [{k: v for k, v in t.items() if k != "id"} for t in teams]})
        return 0
    for t in teams:
        ctx.out(ctx.catalog.tr("cli.setup.team_line", **t))
    return 0


def _worker_add(args: argparse.Namespace, ctx: Context) -> int:
    worker = ctx.services().campaigns.add_worker(args.code, args.name, args.team, args.role)
    ctx.out(ctx.catalog.tr("cli.setup.worker_added", code=worker.code, name=worker.name))
    return 0


def _worker_move(args: argparse.Namespace, ctx: Context) -> int:
    ctx.services().campaigns.move_worker(args.code, args.team)
    ctx.out(ctx.catalog.tr("cli.setup.worker_moved", code=args.code.upper(), team=args.team))
    return 0


def _worker_retire(args: argparse.Namespace, ctx: Context) -> int:
    ctx.services().campaigns.retire_worker(args.code)
    ctx.out(ctx.catalog.tr("cli.setup.worker_retired", code=args.code.upper()))
    return 0


def _worker_list(args: argparse.Namespace, ctx: Context) -> int:
    workers = [
        {k: v for k, v in w.items() if k not in ("id", "team_id")}
        for w in ctx.services().campaigns.workers()
        if args.all or w["active"]
    ]
    if args.json:
        ctx.json({"workers": workers})
        return 0
    code = ctx.catalog.code
    for w in workers:
        state = "" if w["active"] else ctx.catalog.tr("cli.setup.retired_mark")
        team = w["team_name"] or "—"
        role = code("worker_role", w["role"])
        ctx.out(f"{w['code']:<10} {w['name']:<6} {role:<6} {team} {state}")
    return 0


def _scope(ctx: Context, args: argparse.Namespace) -> Scope:
    campaigns = ctx.services().campaigns
    compounds = [campaigns.compound_id(c) for c in args.compound]
    buildings = [campaigns.building_id(b) for b in args.building]
    grids = [campaigns.grid_id(g) for g in args.grid]
    return Scope(buildings=buildings, grids=grids, compounds=compounds)


def _assign(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    result = services.campaigns.assign(
        _campaign_id(ctx, args.campaign), args.team, _scope(ctx, args)
    )
    if args.json:
        ctx.json({**asdict(result), "total": result.total})
    else:
        ctx.out(ctx.catalog.tr("cli.setup.assigned", team=args.team, **asdict(result)))
    return 0


def _unassign(args: argparse.Namespace, ctx: Context) -> int:
    count = ctx.services().campaigns.unassign(_campaign_id(ctx, args.campaign), _scope(ctx, args))
    if args.json:
        ctx.json({"unassigned": count})
    else:
        ctx.out(ctx.catalog.tr("cli.setup.unassigned", count=count))
    return 0


def _filters(args: argparse.Namespace, ctx: Context) -> SuggestionFilter:
    compound = ctx.services().campaigns.compound_id(args.compound) if args.compound else None
    if args.team is not None:
        from gridapp.cli.core import team_exists

        team_exists(ctx, args.team)
    return SuggestionFilter(
        status=args.status,
        category=args.category,
        compound_id=compound,
        team_number=args.team,
        text=args.search,
        overdue_only=args.overdue,
    )


def _suggestion_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.services().suggestions.rows(_filters(args, ctx))
    if args.json:
        ctx.json({"suggestions": [asdict(r) for r in rows]})
        return 0
    code, tr = ctx.catalog.code, ctx.catalog.tr
    for r in rows:
        overdue = tr("cli.suggestion.overdue_mark") if r.overdue else ""
        ctx.out(
            f"{r.id}  {code('category', r.category)}  {code('suggestion_status', r.status)}"
            f"{overdue}  {r.household_code or '—'}  {display_time(r.created_at)}  {r.text}"
        )
    ctx.out(tr("cli.suggestion.count", count=len(rows)))
    return 0


def _suggestion_advance(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    suggestion_id = services.suggestions.resolve_id(args.id)
    handler, response = args.step_handler or "", args.response or ""
    step = services.suggestions.advance(suggestion_id, args.to, handler=handler, response=response)
    row = services.suggestions.get(suggestion_id)
    if args.json:
        ctx.json({"step_id": step, "suggestion": asdict(row)})
    else:
        status = ctx.catalog.code("suggestion_status", row.status)
        ctx.out(ctx.catalog.tr("cli.suggestion.advanced", id=suggestion_id, status=status))
    return 0


def _suggestion_export(args: argparse.Namespace, ctx: Context) -> int:
    out = Path(args.out)
    count = ctx.services().suggestions.export(out, _filters(args, ctx), ctx.catalog.lang)
    ctx.out(ctx.catalog.tr("cli.suggestion.exported", count=count, path=str(out)))
    return 0


def register_campaign(csub: Any, tr: Any) -> None:
    """`campaign edit`, next to core's `campaign show`."""
    p = csub.add_parser("edit", help=tr("cli.help.campaign_edit"))
    p.add_argument("--campaign", type=Ref(), help=tr("cli.help.campaign_id"))
    p.add_argument("--name", type=LimitedText("campaign_name"))
    p.add_argument(
        "--description", type=LimitedText("campaign_description", multiline=True, empty=True)
    )
    p.add_argument("--starts", type=Day(CAMPAIGN_AHEAD), metavar="YYYY-MM-DD")
    p.add_argument("--ends", type=Day(CAMPAIGN_AHEAD), metavar="YYYY-MM-DD")
    p.add_argument("--compound", type=Ref(), action="append", default=[], metavar="ID|NAME")
    p.add_argument("--questionnaire", type=Ref(), metavar="ID|FORM_ID")
    p.add_argument("--policy", type=Ref(120), action="append", default=[], metavar="ITEM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_campaign_edit)


def _scope_options(p: Any) -> None:
    p.add_argument("--campaign", type=Ref())
    p.add_argument("--building", type=Ref(), action="append", default=[], metavar="NAME|ID")
    p.add_argument("--grid", type=Ref(), action="append", default=[], metavar="NAME|ID")
    p.add_argument("--compound", type=Ref(), action="append", default=[], metavar="ID|NAME")
    p.add_argument("--json", action="store_true")


def _filter_options(p: Any) -> None:
    p.add_argument("--status", choices=("new", "forwarded", "answered", "closed"))
    p.add_argument("--category", choices=[c.value for c in SuggestionCategory])
    p.add_argument("--compound", type=Ref(), metavar="ID|NAME")
    p.add_argument("--team", type=TEAM)
    p.add_argument("--search", type=Text(100), metavar="TEXT")
    p.add_argument("--overdue", action="store_true")


def register(sub: Any, tr: Any) -> None:
    team = sub.add_parser("team", help=tr("cli.help.team"))
    tsub = team.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = tsub.add_parser("add", help=tr("cli.help.team_add"))
    p.add_argument("number", type=TEAM)
    p.add_argument("name", type=LimitedText("team_name"))
    p.set_defaults(handler=_team_add)
    p = tsub.add_parser("rename", help=tr("cli.help.team_rename"))
    p.add_argument("number", type=TEAM)
    p.add_argument("name", type=LimitedText("team_name"))
    p.set_defaults(handler=_team_rename)
    p = tsub.add_parser("list", help=tr("cli.help.team_list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_team_list)

    worker = sub.add_parser("worker", help=tr("cli.help.worker"))
    wsub = worker.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = wsub.add_parser("add", help=tr("cli.help.worker_add"))
    p.add_argument("code", type=Code())
    p.add_argument("name", type=LimitedText("worker_name"))
    p.add_argument("--team", type=TEAM)
    p.add_argument("--role", choices=("field", "office", "admin"), default="field")
    p.set_defaults(handler=_worker_add)
    p = wsub.add_parser("move", help=tr("cli.help.worker_move"))
    p.add_argument("code", type=Code())
    p.add_argument("--team", type=TEAM, required=True)
    p.set_defaults(handler=_worker_move)
    p = wsub.add_parser("retire", help=tr("cli.help.worker_retire"))
    p.add_argument("code", type=Code())
    p.set_defaults(handler=_worker_retire)
    p = wsub.add_parser("list", help=tr("cli.help.worker_list"))
    p.add_argument("--all", action="store_true", help=tr("cli.help.worker_list_all"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_worker_list)

    p = sub.add_parser("assign", help=tr("cli.help.assign"))
    p.add_argument("--team", type=TEAM, required=True)
    _scope_options(p)
    p.set_defaults(handler=_assign)
    p = sub.add_parser("unassign", help=tr("cli.help.unassign"))
    _scope_options(p)
    p.set_defaults(handler=_unassign)

    suggestion = sub.add_parser("suggestion", help=tr("cli.help.suggestion"))
    ssub = suggestion.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = ssub.add_parser("list", help=tr("cli.help.suggestion_list"))
    _filter_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_suggestion_list)
    p = ssub.add_parser("advance", help=tr("cli.help.suggestion_advance"))
    p.add_argument("id", type=Ref())
    p.add_argument("--to", choices=("forwarded", "answered", "closed"), required=True)
    handler = LimitedText("suggestion_handler")
    p.add_argument("--handler", dest="step_handler", type=handler, metavar="WHO")
    p.add_argument("--response", type=LimitedText("suggestion_response", multiline=True))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_suggestion_advance)
    p = ssub.add_parser("export", help=tr("cli.help.suggestion_export"))
    p.add_argument("--out", type=OutFile(), required=True, metavar="FILE.xlsx|FILE.csv")
    _filter_options(p)
    p.set_defaults(handler=_suggestion_export)
