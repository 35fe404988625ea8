"""`gridapp-cli`: the same services as the GUI, for batch work, scripts and tests.

Success exits 0; bad input prints one clear line on stderr and exits 2; `--json` prints
one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
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
    review,
    roster,
    scorecard,
    sync,
    visits,
)
from gridapp.cli.args import Code, DataDir, Parser, describe, one_line, safe_params
from gridapp.cli.context import EXIT_BAD_INPUT, Context, Handler
from gridapp.cli.guard import command_path
from gridapp.errors import GridappError
from gridapp.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalog
from gridapp.logs import setup_logging
from gridapp.paths import resolve_data_dir
from gridapp.storage.database import translate_sqlite_errors


def build_parser(catalog: Catalog) -> argparse.ArgumentParser:
    tr = catalog.tr
    parser = Parser(prog="gridapp-cli", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"gridapp {__version__}")
    parser.add_argument("--data-dir", type=DataDir(), help=tr("cli.help.data_dir"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=tr("cli.help.lang"))
    parser.add_argument(
        "--worker", dest="sign_in", type=Code(), metavar="CODE", help=tr("cli.help.sign_in")
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    core.register(sub, tr)
    visits.register(sub, tr)
    forms.register(sub, tr)
    sync.register(sub, tr)
    paper.register(sub, tr)
    roster.register(sub, tr)
    reports.register(sub, tr)
    scorecard.register(sub, tr)
    admin.register(sub, tr)
    campaign.register(sub, tr)
    review.register(sub, tr)
    accounts.register(sub, tr)
    return parser


@functools.lru_cache(maxsize=len(LANGUAGES))
def _parser(lang: str) -> argparse.ArgumentParser:
    """One parser per language, built once (~10 ms: sixty sub-commands); a parse does
    not change it."""
    return build_parser(Catalog(lang))


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
    try:
        # Every value is checked as it is read (cli/args.py): a refused one is one line.
        args = _parser(catalog.lang).parse_args(argv)
    except (argparse.ArgumentError, GridappError) as exc:
        print(f"gridapp-cli: {one_line(describe(exc, catalog))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    ctx = Context(resolve_data_dir(args.data_dir), catalog)
    ctx.worker, ctx.command = args.sign_in, command_path(args)
    if ctx.db_path.exists() or args.command in ("init", "demo"):
        # (the log lives in a data folder: none is made for a command that then fails)
        with contextlib.suppress(OSError):  # a read-only data folder: the command says so
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
        words = catalog.tr(exc.key, **safe_params(exc.params))
        print(f"gridapp-cli: {one_line(words)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `gridapp-cli household list | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
