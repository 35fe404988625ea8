"""Set-up and reading commands: init, demo, stats, campaign show, household list and find."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from typing import Any

from gridapp.cli import campaign as campaign_cli
from gridapp.cli import campaign_create, lifecycle, privacy
from gridapp.cli.args import Code, Integer, Real, Ref, Text
from gridapp.cli.context import WORKER_ENV, Context
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import InvalidInput
from gridapp.limits import TEAM_NUMBER
from gridapp.model import HouseholdRow


def _init(args: argparse.Namespace, ctx: Context) -> int:
    """A new database is encrypted from the start, under its first account (the PIN
    from GRIDAPP_PIN or typed hidden): residents' names and phones never reach the disk
    in the clear. `--plain` (demo and tests only) makes one without accounts. Every
    refusal comes before anything is created."""
    if ctx.db_path.exists():
        raise InvalidInput("error.already_initialised", path=str(ctx.db_path))
    named = args.worker or ctx.worker
    if args.plain:
        if named:
            raise InvalidInput("error.init.plain_and_worker")
    else:
        from gridapp.cli.accounts import set_up_accounts

        code = named or os.environ.get(WORKER_ENV, "")
        if not code.strip():
            raise InvalidInput("error.init.worker_needed")
        if args.role == "office" and args.account_role != "admin":
            raise InvalidInput("error.init.office_admin_first", role=args.account_role)
        set_up_accounts(ctx, code, args.account_role)
    services = ctx.services(create=True)
    name = args.name or ctx.catalog.tr(f"cli.default_device_name.{args.role}")
    device = services.device.initialise(args.role, name)
    ctx.out(
        ctx.catalog.tr(
            "cli.init_done",
            role=ctx.catalog.code("role", args.role),
            device=device.id,
            path=str(ctx.db_path),
        )
    )
    return 0


def _demo(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services(create=True)
    device = services.store.local_device()
    if device is None:
        services.device.initialise("office", ctx.catalog.tr("cli.default_device_name.office"))
    elif device.role != "office":
        raise InvalidInput("error.demo_needs_office")
    last = [-1]

    def progress(stage: str, fraction: float) -> None:
        step = int(fraction * 10)
        if sys.stderr.isatty() and step != last[0]:
            last[0] = step
            print(
                ctx.catalog.tr(f"cli.demo_stage.{stage}", percent=int(fraction * 100)),
                file=sys.stderr,
            )

    summary = build_demo(
        services,
        DemoOptions(
            households=args.households,
            seed=args.seed,
            progress=args.progress,
            templates=args.templates,
        ),
        progress,
    )
    if args.json:
        ctx.json(asdict(summary))
    else:
        ctx.out(
            ctx.catalog.tr(
                "cli.demo_done",
                households=summary.households,
                visits=summary.visits,
                online=summary.online_answers,
                path=str(ctx.db_path),
            )
        )
    return 0


def _stats(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    campaign = services.campaigns.campaign_ref(args.campaign) if args.campaign else None
    counts = asdict(services.read.counts(campaign))
    if args.json:
        ctx.json(counts)
        return 0
    width = max(len(ctx.catalog.tr(f"count.{k}")) for k in counts)
    for key, value in counts.items():
        label = ctx.catalog.tr(f"count.{key}")
        ctx.out(f"{label}{'　' * (width - len(label))}  {value:>8}")
    return 0


def _campaign_show(args: argparse.Namespace, ctx: Context) -> int:
    services = ctx.services()
    campaigns = services.read.campaigns()
    if args.campaign:
        wanted = services.campaigns.campaign_ref(args.campaign)
        campaigns = [c for c in campaigns if c["id"] == wanted]
    if args.json:
        ctx.json({"campaigns": campaigns})
        return 0
    tr = ctx.catalog.tr
    if not campaigns:
        ctx.out(tr("cli.no_campaign"))
    for c in campaigns:
        status = ctx.catalog.code("campaign", c["status"])
        ctx.out(f"{c['name']}  ({c['starts_on']} – {c['ends_on']}, {status})")
        ctx.out(f"  {tr('cli.compounds')}: {'、'.join(c['compounds'])}")
        q = c["questionnaire"]
        if q:
            ctx.out(f"  {tr('cli.questionnaire')}: {q['title']} ({q['form_id']} v{q['version']})")
        ctx.out(f"  {tr('cli.policy_items')}:")
        for p in c["policy_items"]:
            ctx.out(f"    - {p['title']}")
        ctx.out(f"  {tr('cli.teams')}:")
        for t in c["teams"]:
            workers = "、".join(f"{w['name']}({w['code']})" for w in t["workers"])
            ctx.out(f"    {t['name']}: {workers}")
            ctx.out(f"      {tr('cli.buildings')}: {'、'.join(t['buildings']) or '—'}")
    return 0


def _household_list(args: argparse.Namespace, ctx: Context) -> int:
    read = ctx.services().read
    if args.team is not None:
        team_exists(ctx, args.team)
    building = ctx.services().campaigns.building_id(args.building) if args.building else None
    ids = read.household_ids(building_id=building, team_number=args.team)
    if args.limit:
        ids = ids[: args.limit]
    _print_households(read.household_rows(ids), args, ctx)
    return 0


def _household_find(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.services().search.find(args.query, limit=args.limit)
    _print_households(rows, args, ctx)
    return 0


def _print_households(rows: list[HouseholdRow], args: argparse.Namespace, ctx: Context) -> None:
    """`household list` and `household find` print alike, so scripts read either.
    Phones are masked (138****1234) unless `--reveal`, which the audit log records."""
    services = ctx.services()
    ids = [r.id for r in rows]
    if args.reveal:
        phones = services.households.reveal_phones(ids)
    else:
        phones = services.read.masked_phones(ids)
    if args.json:
        ctx.json(
            {
                "households": [
                    {**asdict(r), "address": r.address, "phones": phones.get(r.id, [])}
                    for r in rows
                ],
                "phones_revealed": bool(args.reveal),
            }
        )
        return
    code = ctx.catalog.code
    for r in rows:
        tags = "、".join(r.tags)
        last = (
            code("outcome", r.last_outcome) if r.last_outcome else ctx.catalog.tr("cli.not_visited")
        )
        who = (
            ctx.catalog.tr("ui.search.matched", head=r.head_name, name=r.matched)
            if r.matched
            else r.head_name
        )
        ctx.out(
            f"{r.code:<16} {r.address:<24} {who:<6} {code('household_status', r.status):<4}"
            f" {r.area or '':>7} {last:<6} {tags}  {'、'.join(phones.get(r.id, []))}".rstrip()
        )
    ctx.out(ctx.catalog.tr("cli.household_count", count=len(rows)))


def team_exists(ctx: Context, number: int) -> None:
    """A team named on the command line (a filter too) must exist: 0 rows for a typo
    would read as "nothing there"."""
    if number not in {t["number"] for t in ctx.services().campaigns.teams(None)}:
        raise InvalidInput("error.team_not_found", team=number)


def register(sub: Any, tr: Any) -> None:
    p = sub.add_parser("init", help=tr("cli.help.init"))
    p.add_argument("--role", choices=("office", "field"), required=True)
    p.add_argument("--name", type=Text(80))
    p.add_argument("--worker", type=Code(), metavar="CODE", help=tr("cli.help.init_worker"))
    p.add_argument(
        "--account-role",
        choices=("admin", "office", "field"),
        default="admin",
        help=tr("cli.help.account_role"),
    )
    p.add_argument("--plain", action="store_true", help=tr("cli.help.init_plain"))
    p.set_defaults(handler=_init)

    p = sub.add_parser("demo", help=tr("cli.help.demo"))
    p.add_argument("--households", type=Integer(1, 1_000_000), default=2000)
    p.add_argument("--seed", type=Integer(0, 2**32 - 1), default=20231204)
    p.add_argument("--progress", type=Real(0.0, 1.0), default=0.6, help=tr("cli.help.progress"))
    p.add_argument("--templates", action="store_true", help=tr("cli.help.demo_templates"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_demo)

    p = sub.add_parser("stats", help=tr("cli.help.stats"))
    p.add_argument("--campaign", type=Ref(), metavar="NAME|ID", help=tr("cli.help.stats_campaign"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_stats)

    campaign = sub.add_parser("campaign", help=tr("cli.help.campaign"))
    csub = campaign.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = csub.add_parser("show", help=tr("cli.help.campaign_show"))
    p.add_argument("campaign", nargs="?", type=Ref(), metavar="NAME|ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_campaign_show)
    campaign_cli.register_campaign(csub, tr)
    campaign_create.register(csub, tr)
    campaign_create.register_compound(sub, tr)
    privacy.register(csub, tr)

    household = sub.add_parser("household", help=tr("cli.help.household"))
    hsub = household.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = hsub.add_parser("list", help=tr("cli.help.household_list"))
    p.add_argument("--team", type=Integer(1, TEAM_NUMBER))
    p.add_argument("--building", type=Ref(), metavar="NAME|ID")
    p.add_argument("--limit", type=Integer(0, 1_000_000), default=0)
    p.add_argument("--json", action="store_true")
    _reveal_options(p, tr)
    p.set_defaults(handler=_household_list)
    p = hsub.add_parser("find", help=tr("cli.help.household_find"))
    p.add_argument("query", type=Text(100))
    p.add_argument("--limit", type=Integer(1, 1000), default=50)
    p.add_argument("--json", action="store_true")
    _reveal_options(p, tr)
    p.set_defaults(handler=_household_find)
    lifecycle.register(hsub, tr)


def _reveal_options(p: Any, tr: Any) -> None:
    p.add_argument("--reveal", action="store_true", help=tr("cli.help.reveal"))
