"""Keeping the data safe: `audit` (read, export, verify the log) and `backup`
(now, list, restore)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gridapp.audit_actions import ALL
from gridapp.cli.args import Code, InFile, Integer, OutFile, Since
from gridapp.cli.context import EXIT_BAD_INPUT, Context
from gridapp.clock import display_time
from gridapp.errors import AccessDenied, InvalidInput, UnreadableFile
from gridapp.storage.audit import AuditEntry
from gridapp.storage.backup import as_dict
from gridapp.storage.database import unopenable
from gridapp.trust.roles import Action, require


def _action_label(ctx: Context, action: str) -> str:
    return ctx.catalog.code("audit_action", action)


def _entry_json(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor,
        "action": e.action,
        "target": e.target,
        "detail": e.detail,
        "hash": e.hash,
    }


def _audit(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.services().audit
    tr = ctx.catalog.tr
    if args.verify:
        broken = service.verify()
        count = service.count()
        if args.json:
            ctx.json({"intact": broken is None, "broken_at": broken, "entries": count})
        elif broken is None:
            ctx.out(tr("cli.audit.intact", count=count))
        if broken is not None:
            print(f"gridapp-cli: {tr('error.audit.chain_broken', seq=broken)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        return 0
    found = service.entries(args.action, args.since, args.actor, args.limit or None)
    if args.export:
        out = Path(args.export)
        headers = [
            tr(f"ui.audit.column.{c}")
            for c in ("seq", "at", "actor", "action", "target", "detail", "hash")
        ]
        rows = service.export(out, found, headers, lambda a: _action_label(ctx, a))
        ctx.out(tr("cli.audit.exported", count=rows, path=str(out)))
        return 0
    if args.json:
        ctx.json({"entries": [_entry_json(e) for e in found]})
        return 0
    for e in found:
        detail = " ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))
        ctx.out(
            f"{e.seq:>6}  {display_time(e.at)}  {e.actor:<10} "
            f"{_action_label(ctx, e.action):<10} {e.target}  {detail}".rstrip()
        )
    ctx.out(tr("cli.audit.count", count=len(found)))
    return 0


def _backup_now(args: argparse.Namespace, ctx: Context) -> int:
    info = ctx.services().backup.now()
    if args.json:
        ctx.json(as_dict(info))
    else:
        ctx.out(ctx.catalog.tr("cli.backup.made", path=info.path, size=_size(info.size)))
    return 0


def _backup_list(args: argparse.Namespace, ctx: Context) -> int:
    found = ctx.services().backup.list()
    if args.json:
        ctx.json({"backups": [as_dict(b) for b in found]})
        return 0
    tr = ctx.catalog.tr
    for b in found:
        ctx.out(
            f"{display_time(b.created_at)}  {tr(f'ui.backup.kind.{b.kind}'):<8} "
            f"{_size(b.size):>9}  {b.path}"
        )
    ctx.out(tr("cli.backup.count", count=len(found)))
    return 0


def _backup_restore(args: argparse.Namespace, ctx: Context) -> int:
    from gridapp.services.backup import restore_closed

    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput("error.cli.no_file", file=args.file)
    tr = ctx.catalog.tr
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInput("error.backup.confirm_needed")
        print(tr("cli.backup.confirm", file=path.name), file=sys.stderr)
        if input("> ").strip().lower() not in ("y", "yes", "是"):
            ctx.out(tr("cli.backup.cancelled"))
            return 0
    try:
        service = ctx.services().backup
    except (UnreadableFile, AccessDenied) as exc:
        if not unopenable(exc):
            raise
        # The live database cannot be opened: restore without it, as someone allowed to.
        session = ctx.sign_in() if ctx.sessions.protected() else None
        require(session, Action.RESTORE)
        key = session.key if session is not None else None
        aside = restore_closed(ctx.data_dir, path, ctx.actor(), key=key)
    else:
        aside = service.restore(path)
    ctx.out(tr("cli.backup.restored", file=path.name, aside=str(aside)))
    return 0


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MB"


def register(sub: Any, tr: Any) -> None:
    p = sub.add_parser("audit", help=tr("cli.help.audit"))
    p.add_argument("--action", choices=ALL, metavar="ACTION")
    p.add_argument("--since", type=Since(), metavar="DATE")
    p.add_argument("--actor", type=Code(), metavar="CODE")
    p.add_argument("--limit", type=Integer(0, 1_000_000), default=0)
    p.add_argument("--json", action="store_true")
    p.add_argument("--export", type=OutFile(), metavar="FILE.csv|FILE.xlsx")
    p.add_argument("--verify", action="store_true", help=tr("cli.help.audit_verify"))
    p.set_defaults(handler=_audit)

    backup = sub.add_parser("backup", help=tr("cli.help.backup"))
    bsub = backup.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = bsub.add_parser("now", help=tr("cli.help.backup_now"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_backup_now)
    p = bsub.add_parser("list", help=tr("cli.help.backup_list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_backup_list)
    p = bsub.add_parser("restore", help=tr("cli.help.backup_restore"))
    p.add_argument("file", type=InFile(), metavar="FILE")
    p.add_argument("--yes", action="store_true", help=tr("cli.help.backup_yes"))
    p.set_defaults(handler=_backup_restore)
