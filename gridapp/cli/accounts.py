"""Accounts: `account setup|list|add|remove|pin|recover`.

PINs never appear on the command line (shell history, `ps`): the signed-in worker's
from GRIDAPP_PIN, a new one from GRIDAPP_NEW_PIN, a recovery code from
GRIDAPP_RECOVERY_CODE, else each is typed hidden on a terminal.
"""

from __future__ import annotations

import argparse
from typing import Any

from gridapp.cli.args import Code
from gridapp.cli.context import Context
from gridapp.trust.accounts import check_new_pin
from gridapp.trust.roles import Action, Session, require

NEW_PIN_ENV = "GRIDAPP_NEW_PIN"
RECOVERY_ENV = "GRIDAPP_RECOVERY_CODE"


def _new_pin(ctx: Context, code: str) -> str:
    pin = ctx.secret(NEW_PIN_ENV, "cli.account.prompt_new_pin", confirm=True, code=code)
    check_new_pin(pin)
    return pin


def set_up_accounts(ctx: Context, code: str, role: str) -> Session:
    """The first account: the database is (or will be) encrypted under a new key; the
    recovery code is printed once."""
    pin = ctx.secret(
        "GRIDAPP_PIN", "cli.account.prompt_new_pin", confirm=True, code=code.strip().upper()
    )
    session, recovery = ctx.sessions.set_up(code, role, pin)
    ctx.session = session
    tr, label = ctx.catalog.tr, ctx.catalog.code("account_role", role)
    ctx.out(tr("cli.account.set_up", code=session.code, role=label))
    ctx.out(tr("cli.account.recovery_code", recovery=recovery))
    return session


def _admin(ctx: Context, action: Action) -> Session:
    session = ctx.sign_in()
    require(session, action)
    return session


def _setup(args: argparse.Namespace, ctx: Context) -> int:
    code = args.code or ctx.worker
    if not code:
        from gridapp.errors import AccessDenied

        raise AccessDenied("error.trust.sign_in_needed", path=str(ctx.data_dir))
    set_up_accounts(ctx, code, args.role)
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    _admin(ctx, Action.MANAGE_ACCOUNTS)
    accounts = ctx.sessions.accounts.accounts()
    if args.json:
        ctx.json({"accounts": [vars(a) for a in accounts]})
        return 0
    code = ctx.catalog.code
    for a in accounts:
        locked = (
            ctx.catalog.tr("cli.account.locked_until", until=a.locked_until)
            if (a.locked_until)
            else ""
        )
        ctx.out(f"{a.code:<10} {code('account_role', a.role):<8} {a.created_at[:10]}  {locked}")
    return 0


def _add(args: argparse.Namespace, ctx: Context) -> int:
    session = _admin(ctx, Action.MANAGE_ACCOUNTS)
    code = args.code.strip().upper()
    ctx.sessions.accounts.add(session, code, args.role, _new_pin(ctx, code))
    ctx.out(
        ctx.catalog.tr(
            "cli.account.added", code=code, role=ctx.catalog.code("account_role", args.role)
        )
    )
    return 0


def _remove(args: argparse.Namespace, ctx: Context) -> int:
    session = _admin(ctx, Action.MANAGE_ACCOUNTS)
    ctx.sessions.accounts.remove(session, args.code)
    ctx.out(ctx.catalog.tr("cli.account.removed", code=args.code.strip().upper()))
    return 0


def _pin(args: argparse.Namespace, ctx: Context) -> int:
    if args.for_code:  # an administrator resets someone's PIN
        session = _admin(ctx, Action.MANAGE_ACCOUNTS)
        target = args.for_code.strip().upper()
        ctx.sessions.accounts.reset_pin(session, target, _new_pin(ctx, target))
    else:
        code = ctx.worker or ""
        if not code:
            from gridapp.errors import AccessDenied

            raise AccessDenied("error.trust.sign_in_needed", path=str(ctx.data_dir))
        target = code.strip().upper()
        old = ctx.secret("GRIDAPP_PIN", "cli.account.prompt_pin", code=target)
        ctx.sessions.accounts.change_pin(target, old, _new_pin(ctx, target))
    ctx.out(ctx.catalog.tr("cli.account.pin_changed", code=target))
    return 0


def _recover(args: argparse.Namespace, ctx: Context) -> int:
    target = args.for_code.strip().upper()
    recovery = ctx.secret(RECOVERY_ENV, "cli.account.prompt_recovery")
    ctx.sessions.accounts.recover(recovery, target, _new_pin(ctx, target))
    ctx.out(ctx.catalog.tr("cli.account.pin_changed", code=target))
    return 0


def register(sub: Any, tr: Any) -> None:
    account = sub.add_parser("account", help=tr("cli.help.account"))
    asub = account.add_subparsers(dest="action", required=True, metavar="ACTION")
    roles = ("admin", "office", "field")
    p = asub.add_parser("setup", help=tr("cli.help.account_setup"))
    p.add_argument("code", type=Code(), nargs="?")
    p.add_argument("--role", choices=roles, default="admin")
    p.set_defaults(handler=_setup)
    p = asub.add_parser("list", help=tr("cli.help.account_list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_list)
    p = asub.add_parser("add", help=tr("cli.help.account_add"))
    p.add_argument("code", type=Code())
    p.add_argument("--role", choices=roles, required=True)
    p.set_defaults(handler=_add)
    p = asub.add_parser("remove", help=tr("cli.help.account_remove"))
    p.add_argument("code", type=Code())
    p.set_defaults(handler=_remove)
    p = asub.add_parser("pin", help=tr("cli.help.account_pin"))
    p.add_argument("--for", dest="for_code", type=Code(), metavar="CODE")
    p.set_defaults(handler=_pin)
    p = asub.add_parser("recover", help=tr("cli.help.account_recover"))
    p.add_argument("--for", dest="for_code", type=Code(), metavar="CODE", required=True)
    p.set_defaults(handler=_recover)
