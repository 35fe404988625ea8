"""Sync commands: enrolment, bundles both ways, roster bundles, conflicts."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gridapp.cli.args import InFile, Integer, Json, OutFile, Ref
from gridapp.cli.context import Context
from gridapp.clock import display_time
from gridapp.errors import InvalidInput
from gridapp.limits import TEAM_NUMBER

TEAM = Integer(1, TEAM_NUMBER)
_NO_VALUE = object()  # (JSON null is a value)


def _request(args: argparse.Namespace, ctx: Context) -> int:
    public = ctx.services().sync.request(Path(args.out))
    ctx.out(ctx.catalog.tr("cli.request_written", path=args.out, fingerprint=public.fingerprint))
    return 0


def _enroll(args: argparse.Namespace, ctx: Context) -> int:
    ctx.services().sync.allow_plain_laptops = args.allow_plain  # demo and tests only
    request, manifest = ctx.services().sync.enroll(Path(args.request), args.team, Path(args.out))
    tr = ctx.catalog.tr
    ctx.out(
        tr(
            "cli.enrolled",
            name=request["name"],
            team=args.team,
            fingerprint=request["fingerprint"],
            path=args.out,
        )
    )
    ctx.out(tr("cli.office_fingerprint", fingerprint=ctx.services().sync.fingerprint()))
    _ = manifest
    return 0


def _revoke(args: argparse.Namespace, ctx: Context) -> int:
    ctx.services().sync.revoke(args.device_id)
    ctx.out(ctx.catalog.tr("cli.revoked", id=args.device_id))
    return 0


def _status(args: argparse.Namespace, ctx: Context) -> int:
    sync = ctx.services().sync
    status = sync.status()
    if status["role"] == "office":
        status["laptops"] = sync.peers()
        status["held"] = sync.held()
        status["quarantined"] = len(sync.quarantined())
    if args.json:
        ctx.json(status)
        return 0
    tr = ctx.catalog.tr
    ctx.out(tr("cli.status_device", fingerprint=status["fingerprint"], seq=status["last_seq"]))
    if status["role"] == "field":
        office = status["office"]
        if office is None:
            ctx.out(tr("cli.status_not_enrolled"))
        else:
            ctx.out(
                tr(
                    "cli.status_office",
                    name=office["name"],
                    fingerprint=office["fingerprint"],
                    seq=office["acked_seq"],
                    at=display_time(office["acked_at"]),
                    unsent=status["unsent"],
                )
            )
        return 0
    for laptop in status["laptops"]:
        ctx.out(
            tr(
                "cli.status_laptop",
                name=laptop["name"],
                team=laptop["team_number"] or "—",
                status=laptop["status"],
                seq=laptop["applied_seq"],
                highest=laptop["highest_seq"],
                at=display_time(laptop["last_bundle_at"]),
                held=laptop["held"],
                quarantined=laptop["quarantined"],
            )
        )
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    result = ctx.services().sync.export(Path(args.out))
    if args.json:
        ctx.json(asdict(result))
    else:
        ctx.out(
            ctx.catalog.tr(
                "cli.exported",
                path=args.out,
                changes=result.changes,
                first=result.seq_from,
                last=result.seq_to,
            )
        )
    return 0


def _import(args: argparse.Namespace, ctx: Context) -> int:
    sync = ctx.services().sync
    # Each file gets its own verdict, a missing one too: one bad file never stops the rest.
    results = sync.import_files([Path(f) for f in args.files])
    tr = ctx.catalog.tr
    if args.json:
        ctx.json(
            {
                "results": [
                    {**asdict(r), "message": tr(r.reason, **(r.params or {})) if r.reason else ""}
                    for r in results
                ]
            }
        )
    else:
        for r in results:
            detail = tr(r.reason, **(r.params or {})) if r.reason else ""
            ctx.out(tr(f"cli.import.{r.status}", file=r.file, applied=r.applied, reason=detail))
    refused = [r for r in results if r.status == "refused"]
    if refused:  # each file's verdict above; one line for scripts on stderr
        first = tr(refused[0].reason, **(refused[0].params or {}))
        raise InvalidInput(
            "error.cli.import_refused", refused=len(refused), total=len(results), first=first
        )
    return 0


def _force(args: argparse.Namespace, ctx: Context) -> int:
    results = ctx.services().sync.force_held(args.device_id)
    for r in results:
        ctx.out(
            ctx.catalog.tr(
                f"cli.import.{r.status}",
                file=r.file,
                applied=r.applied,
                reason=ctx.catalog.tr(r.reason, **(r.params or {})) if r.reason else "",
            )
        )
    return 0


def _roster(args: argparse.Namespace, ctx: Context) -> int:
    manifest = ctx.services().sync.roster(args.team, Path(args.out))
    ctx.out(
        ctx.catalog.tr(
            "cli.roster_written",
            path=args.out,
            team=args.team,
            records=manifest["records"],
            laptops=len(manifest["recipients"]),
        )
    )
    return 0


def _conflicts(args: argparse.Namespace, ctx: Context) -> int:
    sync = ctx.services().sync
    if args.value is not _NO_VALUE and not args.resolve:
        raise InvalidInput("error.cli.value_without_resolve")
    if args.resolve:
        if args.value is _NO_VALUE:
            raise InvalidInput("error.cli.bad_json", option="--value")
        sync.resolve(args.resolve, args.value)
        ctx.out(ctx.catalog.tr("cli.conflict_resolved", id=args.resolve))
        return 0
    rows = sync.conflicts(include_resolved=args.all)
    if args.json:
        ctx.json({"conflicts": rows})
        return 0
    tr = ctx.catalog.tr
    for row in rows:
        ctx.out(
            tr(
                "cli.conflict_line",
                id=row["id"],
                household=row["household_code"] or "—",
                entity=row["entity"],
                field=row["field"],
                candidates=" | ".join(json.dumps(c, ensure_ascii=False) for c in row["candidates"]),
                provisional=json.dumps(row["provisional_value"], ensure_ascii=False),
            )
        )
    ctx.out(tr("cli.conflict_count", count=len(rows)))
    return 0


def register(sub: Any, tr: Any) -> None:
    device = sub.add_parser("device", help=tr("cli.help.device"))
    dsub = device.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = dsub.add_parser("request", help=tr("cli.help.device_request"))
    p.add_argument("--out", type=OutFile(), required=True)
    p.set_defaults(handler=_request)
    p = dsub.add_parser("enroll", help=tr("cli.help.device_enroll"))
    p.add_argument("request", type=InFile())
    p.add_argument("--team", type=TEAM, required=True)
    p.add_argument("--out", type=OutFile(), required=True)
    p.add_argument("--allow-plain", action="store_true", help=tr("cli.help.enroll_allow_plain"))
    p.set_defaults(handler=_enroll)
    p = dsub.add_parser("revoke", help=tr("cli.help.device_revoke"))
    p.add_argument("device_id", type=Ref())
    p.set_defaults(handler=_revoke)
    p = dsub.add_parser("status", help=tr("cli.help.device_status"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_status)

    bundle = sub.add_parser("bundle", help=tr("cli.help.bundle"))
    bsub = bundle.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = bsub.add_parser("export", help=tr("cli.help.bundle_export"))
    p.add_argument("--out", type=OutFile(), required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_export)
    p = bsub.add_parser("import", help=tr("cli.help.bundle_import"))
    # Only the names here: each file, a missing one too, gets its own verdict.
    p.add_argument("files", type=InFile(exists=False), nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_import)
    p = bsub.add_parser("force", help=tr("cli.help.bundle_force"))
    p.add_argument("device_id", type=Ref())
    p.set_defaults(handler=_force)

    p = sub.add_parser("roster-bundle", help=tr("cli.help.roster_bundle"))
    p.add_argument("--team", type=TEAM, required=True)
    p.add_argument("--out", type=OutFile(), required=True)
    p.set_defaults(handler=_roster)

    p = sub.add_parser("conflicts", help=tr("cli.help.conflicts"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help=tr("cli.help.conflicts_all"))
    p.add_argument("--resolve", type=Ref(), metavar="CONFLICT_ID")
    p.add_argument("--value", type=Json(10_000), default=_NO_VALUE, metavar="JSON")
    p.set_defaults(handler=_conflicts)
