"""`gridapp-cli`: the same services as the GUI, for batch work, scripts and tests.

Success exits 0; bad input prints one clear line on stderr and exits 2; `--json` prints
one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gridapp import __version__
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import GridappError, InvalidInput
from gridapp.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalog
from gridapp.logs import setup_logging
from gridapp.paths import resolve_data_dir
from gridapp.services import Services
from gridapp.storage.store import DB_FILENAME, Store

EXIT_BAD_INPUT = 2

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What a command needs: the data folder, the catalog, and the services on demand."""

    def __init__(self, data_dir: Path, catalog: Catalog) -> None:
        self.data_dir = data_dir
        self.catalog = catalog
        self._services: Services | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    def services(self, create: bool = False) -> Services:
        if self._services is None:
            if not create and not self.db_path.exists():
                raise InvalidInput("error.no_database", path=str(self.db_path))
            self._services = Services(Store.open(self.db_path))
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.store.close()

    def out(self, text: str = "") -> None:
        print(text)

    def json(self, document: Any) -> None:
        print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def _init(args: argparse.Namespace, ctx: Context) -> int:
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
        DemoOptions(households=args.households, seed=args.seed, progress=args.progress),
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
    counts = asdict(ctx.services().read.counts())
    if args.json:
        ctx.json(counts)
        return 0
    width = max(len(ctx.catalog.tr(f"count.{k}")) for k in counts)
    for key, value in counts.items():
        label = ctx.catalog.tr(f"count.{key}")
        ctx.out(f"{label}{'　' * (width - len(label))}  {value:>8}")
    return 0


def _campaign_show(args: argparse.Namespace, ctx: Context) -> int:
    campaigns = ctx.services().read.campaigns()
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
    ids = read.household_ids(building_id=args.building, team_number=args.team)
    if args.limit:
        ids = ids[: args.limit]
    rows = read.household_rows(ids)
    if args.json:
        ctx.json({"households": [{**asdict(r), "address": r.address} for r in rows]})
        return 0
    code = ctx.catalog.code
    for r in rows:
        tags = "、".join(r.tags)
        last = (
            code("outcome", r.last_outcome) if r.last_outcome else ctx.catalog.tr("cli.not_visited")
        )
        ctx.out(
            f"{r.code:<16} {r.address:<24} {r.head_name:<6} {code('household_status', r.status):<4}"
            f" {r.area or '':>7} {last:<6} {tags}"
        )
    ctx.out(ctx.catalog.tr("cli.household_count", count=len(rows)))
    return 0


def build_parser(catalog: Catalog) -> argparse.ArgumentParser:
    tr = catalog.tr
    parser = argparse.ArgumentParser(prog="gridapp-cli", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"gridapp {__version__}")
    parser.add_argument("--data-dir", help=tr("cli.help.data_dir"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=tr("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help=tr("cli.help.init"))
    p.add_argument("--role", choices=("office", "field"), required=True)
    p.add_argument("--name")
    p.set_defaults(handler=_init)

    p = sub.add_parser("demo", help=tr("cli.help.demo"))
    p.add_argument("--households", type=int, default=2000)
    p.add_argument("--seed", type=int, default=20231204)
    p.add_argument("--progress", type=float, default=0.6, help=tr("cli.help.progress"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_demo)

    p = sub.add_parser("stats", help=tr("cli.help.stats"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_stats)

    campaign = sub.add_parser("campaign", help=tr("cli.help.campaign"))
    csub = campaign.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = csub.add_parser("show", help=tr("cli.help.campaign_show"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_campaign_show)

    household = sub.add_parser("household", help=tr("cli.help.household"))
    hsub = household.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = hsub.add_parser("list", help=tr("cli.help.household_list"))
    p.add_argument("--team", type=int)
    p.add_argument("--building")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_household_list)
    return parser


def _language(argv: Sequence[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return DEFAULT_LANGUAGE


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    catalog = Catalog(_language(argv))
    args = build_parser(catalog).parse_args(argv)
    ctx = Context(resolve_data_dir(args.data_dir), catalog)
    with contextlib.suppress(OSError):  # a read-only data folder is reported by the command
        setup_logging(ctx.data_dir, console=False)
    handler: Handler = args.handler
    try:
        return handler(args, ctx)
    except GridappError as exc:
        logging.getLogger("gridapp.cli").info("refused: %s", exc)
        print(f"gridapp-cli: {catalog.error(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `gridapp-cli household list | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
