"""Closing a campaign and purging its personal data: `campaign close`, `campaign purge`."""

from __future__ import annotations

import argparse
from typing import Any

from gridapp.cli.args import Ref
from gridapp.cli.context import Context


def _campaign(ctx: Context, ref: str | None) -> str | None:
    """A campaign named by id or name; None: the active one."""
    return ctx.services().campaigns.campaign_ref(ref) if ref else None


def _close(args: argparse.Namespace, ctx: Context) -> int:
    privacy = ctx.services().privacy  # signs in first, when the folder has accounts
    result = privacy.close_campaign(_campaign(ctx, args.campaign))
    if args.json:
        ctx.json(result)
    else:
        ctx.out(ctx.catalog.tr("cli.privacy.closed", **result))
    return 0


def _purge(args: argparse.Namespace, ctx: Context) -> int:
    privacy = ctx.services().privacy
    report = privacy.purge(_campaign(ctx, args.campaign), dry_run=args.dry_run, now=args.now)
    if args.json:
        ctx.json(report.as_dict())
        return 0
    tr = ctx.catalog.tr
    values = report.as_dict()
    ctx.out(tr("cli.privacy.dry_run" if report.dry_run else "cli.privacy.purged", **values))
    if report.dry_run and report.early:
        ctx.out(tr("cli.privacy.dry_run_early", until=report.retention_until))
    return 0


def register(campaign_actions: Any, tr: Any) -> None:
    """Adds `close` and `purge` under `campaign`."""
    p = campaign_actions.add_parser("close", help=tr("cli.help.campaign_close"))
    p.add_argument("--campaign", type=Ref(), help=tr("cli.help.purge_campaign_id"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_close)

    p = campaign_actions.add_parser("purge", help=tr("cli.help.campaign_purge"))
    p.add_argument("--campaign", type=Ref(), help=tr("cli.help.purge_campaign_id"))
    p.add_argument("--dry-run", action="store_true", help=tr("cli.help.purge_dry_run"))
    p.add_argument("--now", action="store_true", help=tr("cli.help.purge_now"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_purge)
