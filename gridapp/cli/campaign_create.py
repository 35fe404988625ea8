"""`campaign create`, `campaign list` and `campaign publish`: an office starts its own
campaigns from the rosters it imported (services/campaign_create.py checks the plan)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gridapp.cli.args import Day, InFile, LimitedText, Ref
from gridapp.cli.context import Context
from gridapp.forms.definition import DefinitionInvalid
from gridapp.services.campaign_create import CampaignPlan, NewPolicyItem


def _create(args: argparse.Namespace, ctx: Context) -> int:
    from gridapp.cli.forms import refuse_form

    services = ctx.services()
    campaigns = services.campaigns
    questionnaire_doc = None
    if args.xlsform is not None:
        from gridapp.forms.xlsform import read_xlsform  # openpyxl: load when used

        try:
            questionnaire_doc = read_xlsform(Path(args.xlsform))
        except DefinitionInvalid as invalid:
            return refuse_form(ctx, Path(args.xlsform), invalid, args.json)
    plan = CampaignPlan(
        name=args.name,
        starts_on=args.starts,
        ends_on=args.ends,
        description=args.purpose or "",
        compound_ids=[campaigns.compound_id(c) for c in args.compound],
        questionnaire_id=(
            campaigns.questionnaire_id(args.questionnaire) if args.questionnaire else None
        ),
        questionnaire=questionnaire_doc,
        policy_item_ids=[services.read.policy_item_id(p) for p in args.policy],
        new_policy_items=[NewPolicyItem(title, body) for title, body in args.new_policy],
        status="draft" if args.draft else "active",
    )
    try:
        record = campaigns.plan_campaign(plan)
    except DefinitionInvalid as invalid:
        return refuse_form(ctx, Path(args.xlsform or "questionnaire"), invalid, args.json)
    row = next(c for c in campaigns.campaign_list() if c["id"] == record.id)
    if args.json:
        ctx.json({"campaign": row})
    else:
        ctx.out(
            ctx.catalog.tr(
                "cli.campaign.created",
                name=row["name"],
                id=row["id"],
                starts=row["starts_on"],
                ends=row["ends_on"],
                compounds=row["compounds"],
                households=row["households"],
                status=ctx.catalog.code("campaign", row["status"]),
            )
        )
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.services().campaigns.campaign_list()
    if args.json:
        ctx.json({"campaigns": rows})
        return 0
    if not rows:
        ctx.out(ctx.catalog.tr("cli.no_campaign"))
    for row in rows:
        form = f"{row['questionnaire']}（{row['form_id']} v{row['form_version']}）"
        ctx.out(
            ctx.catalog.tr(
                "cli.campaign.list_line",
                name=row["name"],
                status=ctx.catalog.code("campaign", row["status"]),
                starts=row["starts_on"],
                ends=row["ends_on"],
                compounds=row["compounds"],
                households=row["households"],
                visits=row["visits"],
                questionnaire=form if row["form_id"] else "—",
            )
        )
    return 0


def _publish(args: argparse.Namespace, ctx: Context) -> int:
    campaigns = ctx.services().campaigns
    campaign_id = campaigns.campaign_ref(args.campaign)
    campaigns.publish_campaign(campaign_id)
    row = next(c for c in campaigns.campaign_list() if c["id"] == campaign_id)
    ctx.out(ctx.catalog.tr("cli.campaign.published", name=row["name"]))
    return 0


def _compound_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.services().campaigns.compound_firms()
    if args.json:
        ctx.json({"compounds": rows})
        return 0
    tr = ctx.catalog.tr
    for row in rows:
        firm = row["property_firm"] or tr("cli.compound.self_managed")
        ctx.out(tr("cli.compound.line", name=row["name"], firm=firm, households=row["households"]))
    return 0


def _compound_firm(args: argparse.Namespace, ctx: Context) -> int:
    campaigns = ctx.services().campaigns
    compound_id = campaigns.compound_id(args.compound)
    firm = "" if args.self_managed else args.firm
    campaigns.set_property_firm(compound_id, firm)
    row = next(c for c in campaigns.compound_firms() if c["id"] == compound_id)
    tr = ctx.catalog.tr
    ctx.out(
        tr(
            "cli.compound.firm_set",
            name=row["name"],
            firm=row["property_firm"] or tr("cli.compound.self_managed"),
        )
    )
    return 0


def register_compound(sub: Any, tr: Any) -> None:
    """`compound list` and `compound firm`: which property firm manages each compound."""
    compound = sub.add_parser("compound", help=tr("cli.help.compound"))
    csub = compound.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = csub.add_parser("list", help=tr("cli.help.compound_list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_compound_list)
    p = csub.add_parser("firm", help=tr("cli.help.compound_firm"))
    p.add_argument("compound", type=Ref(), metavar="NAME|ID")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--firm", type=LimitedText("property_firm"), metavar="NAME")
    who.add_argument("--self-managed", action="store_true", help=tr("cli.help.self_managed"))
    p.set_defaults(handler=_compound_firm)


def register(csub: Any, tr: Any) -> None:
    from gridapp.cli.campaign import CAMPAIGN_AHEAD

    p = csub.add_parser("create", help=tr("cli.help.campaign_create"))
    p.add_argument("--name", type=LimitedText("campaign_name"), required=True)
    p.add_argument("--starts", type=Day(CAMPAIGN_AHEAD), required=True, metavar="YYYY-MM-DD")
    p.add_argument("--ends", type=Day(CAMPAIGN_AHEAD), required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--purpose", type=LimitedText("campaign_description", multiline=True), metavar="TEXT"
    )
    p.add_argument("--compound", type=Ref(), action="append", required=True, metavar="NAME|ID")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--questionnaire", type=Ref(), metavar="ID|FORM_ID")
    form.add_argument("--xlsform", type=InFile(), metavar="FILE.xlsx")
    p.add_argument("--policy", type=Ref(120), action="append", default=[], metavar="ITEM")
    p.add_argument(
        "--new-policy",
        nargs=2,
        action="append",
        default=[],
        type=LimitedText("policy_body", multiline=True),  # the title's bound: the service
        metavar=("TITLE", "TEXT"),
        help=tr("cli.help.campaign_new_policy"),
    )
    p.add_argument("--draft", action="store_true", help=tr("cli.help.campaign_draft"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_create)

    p = csub.add_parser("list", help=tr("cli.help.campaign_list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_list)

    p = csub.add_parser("publish", help=tr("cli.help.campaign_publish"))
    p.add_argument("campaign", type=Ref(), metavar="NAME|ID")
    p.set_defaults(handler=_publish)
