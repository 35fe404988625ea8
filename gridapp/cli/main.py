"""`gridapp-cli`: the same services as the GUI, for batch work, scripts and tests.

Success exits 0; bad input prints one clear line on stderr and exits 2; `--json` prints
one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence

from gridapp import __version__
from gridapp.cli import (
    accounts,
    admin,
    campaign,
    core,
    forms,
    paper,
    reports,
    roster,
    sync,
    visits,
)
from gridapp.cli.context import EXIT_BAD_INPUT, Context, Handler
from gridapp.cli.guard import command_path
from gridapp.errors import GridappError
from gridapp.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalog
from gridapp.logs import setup_logging
from gridapp.paths import resolve_data_dir
from gridapp.storage.database import translate_sqlite_errors


def build_parser(catalog: Catalog) -> argparse.ArgumentParser:
    tr = catalog.tr
    parser = argparse.ArgumentParser(prog="gridapp-cli", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"gridapp {__version__}")
    parser.add_argument("--data-dir", help=tr("cli.help.data_dir"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=tr("cli.help.lang"))
    parser.add_argument("--worker", dest="sign_in", metavar="CODE", help=tr("cli.help.sign_in"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    core.register(sub, tr)
    visits.register(sub, tr)
    forms.register(sub, tr)
    sync.register(sub, tr)
    paper.register(sub, tr)
    roster.register(sub, tr)
    reports.register(sub, tr)
    admin.register(sub, tr)
    campaign.register(sub, tr)
    accounts.register(sub, tr)
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
    ctx.worker, ctx.command = args.sign_in, command_path(args)
    with contextlib.suppress(OSError):  # a read-only data folder is reported by the command
        setup_logging(ctx.data_dir, console=False)
    handler: Handler = args.handler
    try:
        # The machine's faults met anywhere (a read of a damaged file, a full disk)
        # become the same one-line message as a refused input.
        with translate_sqlite_errors(ctx.db_path):
            return handler(args, ctx)
    except GridappError as exc:
        # The key only: parameters may carry a resident's name or phone (the log is plain).
        logging.getLogger("gridapp.cli").info("refused: %s", exc.key)
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
