"""A household's lifecycle at the office (docs/household-lifecycle.md): household
move-out, move-in, merge, split. Households by code or id."""

from __future__ import annotations

import argparse
from typing import Any

from gridapp.cli.args import Ref, Text
from gridapp.cli.context import Context
from gridapp.codes import HouseholdStatus, Relation
from gridapp.errors import InvalidInput
from gridapp.services.households import NewResident


def household_ref(ctx: Context, ref: str) -> str:
    """A household by its code or id (a merged one too: the service says why not)."""
    read = ctx.services().read
    by_code = read.household_by_code(ref)
    if by_code is not None:
        return by_code
    if read.household_rows([ref]):
        return ref
    raise InvalidInput("error.household_not_found", id=ref)


def _resident(text: str) -> NewResident:
    """NAME or NAME:relation (head, spouse, child, parent, tenant, other)."""
    name, sep, relation = text.rpartition(":")
    if not sep:
        name, relation = text, Relation.OTHER.value
    name, relation = name.strip(), relation.strip()
    if relation not in {r.value for r in Relation}:
        raise InvalidInput("error.household.bad_relation", value=relation[:20])
    if not name:
        raise InvalidInput("error.household.no_residents")
    return NewResident(name, relation, is_owner=relation == Relation.HEAD)


def _move_out(args: argparse.Namespace, ctx: Context) -> int:
    household = household_ref(ctx, args.household)
    count = ctx.services().households.move_out(household)
    if args.json:
        ctx.json({"household": household, "moved_out": count})
    else:
        ctx.out(ctx.catalog.tr("cli.household.moved_out", code=args.household, count=count))
    return 0


def _move_in(args: argparse.Namespace, ctx: Context) -> int:
    household = household_ref(ctx, args.household)
    people = [_resident(text) for text in args.resident]
    ids = ctx.services().households.move_in(household, people, args.status)
    if args.json:
        ctx.json({"household": household, "residents": ids})
    else:
        ctx.out(ctx.catalog.tr("cli.household.moved_in", code=args.household, count=len(ids)))
    return 0


def _merge(args: argparse.Namespace, ctx: Context) -> int:
    keep, other = household_ref(ctx, args.keep), household_ref(ctx, args.other)
    room = ctx.services().households.merge(keep, other, args.room or "")
    if args.json:
        ctx.json({"household": keep, "merged": other, "room": room})
    else:
        ctx.out(ctx.catalog.tr("cli.household.merged", code=args.keep, room=room))
    return 0


def _split(args: argparse.Namespace, ctx: Context) -> int:
    household = household_ref(ctx, args.household)
    services = ctx.services()
    new = services.households.split(household, args.room, args.resident)
    row = services.read.household_rows([new])[0]
    if args.json:
        ctx.json({"household": household, "new": new, "code": row.code})
    else:
        ctx.out(ctx.catalog.tr("cli.household.split", code=row.code, count=len(args.resident)))
    return 0


def register(hsub: Any, tr: Any) -> None:
    """The lifecycle commands under `household`."""
    p = hsub.add_parser("move-out", help=tr("cli.help.household_move_out"))
    p.add_argument("household", type=Ref(), metavar="HOUSEHOLD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_move_out)
    p = hsub.add_parser("move-in", help=tr("cli.help.household_move_in"))
    p.add_argument("household", type=Ref(), metavar="HOUSEHOLD")
    p.add_argument(
        "--resident",
        type=Text(100),
        action="append",
        required=True,
        metavar="NAME[:RELATION]",
        help=tr("cli.help.household_resident"),
    )
    p.add_argument(
        "--status",
        choices=(HouseholdStatus.OWNER_OCCUPIED.value, HouseholdStatus.RENTED.value),
        default=HouseholdStatus.OWNER_OCCUPIED.value,
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_move_in)
    p = hsub.add_parser("merge", help=tr("cli.help.household_merge"))
    p.add_argument("keep", type=Ref(), metavar="KEEP")
    p.add_argument("other", type=Ref(), metavar="OTHER")
    p.add_argument("--room", type=Text(20), metavar="LABEL", help=tr("cli.help.household_room"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_merge)
    p = hsub.add_parser("split", help=tr("cli.help.household_split"))
    p.add_argument("household", type=Ref(), metavar="HOUSEHOLD")
    p.add_argument("--room", type=Text(20), required=True, metavar="ROOM")
    p.add_argument("--resident", type=Ref(), action="append", required=True, metavar="RESIDENT_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_split)
