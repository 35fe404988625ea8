"""Hostile values into every command of the argument parser (issue 13, part 7).

The parser is walked: every command and sub-command, every option and positional that
takes a value, each fed values from the classes in HOSTILE (huge and negative numbers,
year 0001/9999 and 2099-13-45 dates, JSON nested 10,000 deep, invalid UTF-8, 120 KB,
empty, control characters, a folder, a FIFO, /dev/zero, /proc paths, ids that do not
exist). Each must give no traceback, exit 2 with exactly one line on stderr, and write
nothing — unless ACCEPTED says why that value is legitimate for that option (then exit
0, with nothing on stderr).

"Nothing written": a fingerprint of the command's folders (every file's size and
mtime, the database and its WAL included) before and after; where it moved, a dump of
every table of the database and a listing of the folders are compared, so a WAL touched
by a rolled-back transaction is not a write but a changed row is. Each command runs on
its own copy of a prepared folder (an office demo, a field laptop, or an empty one).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from gridapp.cli.main import build_parser, main
from gridapp.i18n import Catalog
from tests.unit.roster.helpers import write_csv

pytestmark = pytest.mark.slow  # every hostile value for every option: half a minute

FORMS = Path(__file__).resolve().parents[2] / "fixtures" / "forms"
GLOBAL = "(global)"  # the options before the command: --data-dir, --lang, --worker

#: Each class of hostile value; "{hostile}" is a folder holding the folder and FIFO,
#: "{zero}" a device reading zeros (see _private_zero).
HOSTILE: dict[str, str] = {
    "huge": "1" + "0" * 30,
    "negative": "-5",
    "year_0001": "0001-01-01T00:00",
    "year_9999": "9999-12-31T23:59",
    "day_2099_13_45": "2099-13-45",
    "json_10000_deep": "[" * 10_000 + "]" * 10_000,
    "invalid_utf8": os.fsdecode(b"\xff\xfe"),
    "120kb": "名" * 40_960,
    "empty": "",
    "control": "a\nb\x1b[2J",
    "nul": "a\x00b",
    "folder": "{hostile}/folder",
    "fifo": "{hostile}/fifo",
    "dev_zero": "{zero}",
    "proc_new": "/proc/gridapp-r.pdf",
    "proc_file": "/proc/self/status",
    "unknown_id": "NOPE",
}
#: Values that are only words: fine as free text (a name, a note, a search).
WORDS = frozenset(
    {
        "huge",
        "negative",
        "year_0001",
        "year_9999",
        "day_2099_13_45",
        "folder",
        "fifo",
        "dev_zero",
        "proc_new",
        "proc_file",
        "unknown_id",
    }
)
#: Code-shaped values (letters, digits, - and _): a well-formed code.
CODE_SHAPED = frozenset({"day_2099_13_45", "unknown_id"})
#: Plain file names (the command runs in its output folder): fine for a file to write.
FILE_NAMES = frozenset(
    {"huge", "negative", "year_0001", "year_9999", "day_2099_13_45", "unknown_id"}
)
OUTPUTS = (
    ("questionnaire export", "out"),
    ("device request", "out"),
    ("device enroll", "out"),
    ("bundle export", "out"),
    ("roster-bundle", "out"),
    ("receipt", "out"),
    ("sheets", "out"),
    ("report", "out"),
    ("suggestion export", "out"),
    ("audit", "export"),
    ("roster import", "errors_out"),
)
#: Refused, yet recorded by design: a regular file that is no bundle is kept in
#: refused/ for review, with an audit entry, after the backup taken before every import
#: (README, "Where data lives"). Only these tables and folders may change then.
RECORDED: dict[tuple[str, str], frozenset[str]] = {
    ("bundle import", "files"): frozenset({"proc_file"}),
}
RECORD_TABLES = frozenset({"_audit", "_sync_alarm", "_local_device"})  # (its clock ticks)
RECORD_FOLDERS = ("data/refused", "data/backups")
#: A team number in range that no team has: tried on every team option too.
EXTRA = {"team": {"unknown_team": "9998"}, "number": {"unknown_team": "9998"}}

#: (command, option dest) → the classes legitimately accepted there, and why.
ACCEPTED: dict[tuple[str, str], frozenset[str]] = {
    # Free text: any readable words are a name, a note or a search.
    ("init", "name"): WORDS,
    ("campaign edit", "name"): WORDS,
    ("campaign edit", "description"): WORDS | {"empty"},
    ("household find", "query"): WORDS,
    ("visit record", "notes"): WORDS | {"empty"},
    ("visit void", "reason"): WORDS,
    ("online-answer add", "question"): WORDS,
    ("online-answer add", "answer"): WORDS,
    ("team add", "name"): WORDS,
    ("team rename", "name"): WORDS,
    ("worker add", "name"): WORDS,
    ("suggestion list", "search"): WORDS,
    ("suggestion export", "search"): WORDS,
    ("suggestion advance", "step_handler"): WORDS,
    ("suggestion advance", "response"): WORDS,
    ("review return", "comment"): WORDS,
    # A new record's own number or code: any well-formed one is new.
    ("team add", "number"): frozenset({"unknown_team"}),
    ("worker add", "code"): CODE_SHAPED,
    # A filter that matches nobody lists nothing (the audit log keeps system actors too).
    ("audit", "actor"): CODE_SHAPED,
    ("review list", "worker"): CODE_SHAPED,
    # A plain database has no accounts: the sign-in code is not read.
    (GLOBAL, "sign_in"): CODE_SHAPED,
    # Names the audit log's actor on a plain database (no sign-in to take it from).
    ("campaign close", "actor"): CODE_SHAPED,
    ("campaign purge", "actor"): CODE_SHAPED,
    **{output: FILE_NAMES for output in OUTPUTS},
}


@dataclass(frozen=True)
class Base:
    """A command line that works, to vary one value at a time."""

    template: str  # office | field | empty
    positionals: tuple[str, ...] = ()
    options: tuple[tuple[str, str | None], ...] = ()  # None: a flag
    #: When this option is varied, leave these out (mutually exclusive with it).
    drop: dict[str, tuple[str, ...]] = field(default_factory=dict)


OUT = "{out}"
BASES: dict[str, Base] = {
    GLOBAL: Base("office", ("stats",)),
    "init": Base("empty", options=(("--role", "field"), ("--plain", None))),
    "demo": Base("empty", options=(("--households", "2"),)),
    "stats": Base("office"),
    "campaign show": Base("office"),
    "campaign edit": Base("office"),
    "campaign close": Base("office"),
    "campaign purge": Base("office", options=(("--dry-run", None),)),
    "household list": Base("office"),
    "household find": Base("office", ("王",)),
    # The demo's first household has residents and a visit is none of them: each
    # varied value still ends refused, nothing written.
    "household move-out": Base("office", ("{household}",)),
    "household move-in": Base("office", ("{household}",), (("--resident", "王新:head"),)),
    "household merge": Base("office", ("{household}", "{household}")),
    "household split": Base(
        "office", ("{household}",), (("--room", "9901"), ("--resident", "{visit}"))
    ),
    "visit record": Base(
        "office",
        options=(("--household", "{household}"), ("--worker", "W0101"), ("--outcome", "met")),
    ),
    "visit void": Base("office", ("{visit}",), (("--reason", "录错了住户"),)),
    "online-answer add": Base(
        "office",
        options=(
            ("--worker", "W0101"),
            ("--channel", "wechat"),
            ("--question", "物业费怎么算？"),
            ("--answer", "按建筑面积计算。"),
        ),
    ),
    "questionnaire import": Base("office", ("{xlsx}",)),
    "questionnaire preview": Base("office", ("{xlsx}",)),
    "questionnaire export": Base("office", ("{questionnaire}",), (("--out", f"{OUT}/q.xlsx"),)),
    "questionnaire list": Base("office"),
    "device request": Base("field", options=(("--out", f"{OUT}/request.json"),)),
    "device enroll": Base(
        "office", ("{request}",), (("--team", "1"), ("--out", f"{OUT}/roster.gsb"))
    ),
    "device revoke": Base("office", ("{device}",)),
    "device status": Base("office"),
    "bundle export": Base("field", options=(("--out", f"{OUT}/field.gsb"),)),
    "bundle import": Base("office", ("{bundle}",)),
    "bundle force": Base("office", ("{device}",)),
    "roster-bundle": Base("office", options=(("--team", "1"), ("--out", f"{OUT}/roster.gsb"))),
    "conflicts": Base("office"),
    "receipt": Base("office", options=(("--visit", "{visit}"), ("--out", f"{OUT}/r.pdf"))),
    "receipt verify": Base("office", ("NOTAPAYLOAD",)),
    "sheets": Base(
        "office",
        options=(("--team", "1"), ("--out", f"{OUT}/s.pdf")),
        drop={"building": ("--team",), "grid": ("--team",)},
    ),
    "roster import": Base("office", ("{csv}",)),
    "roster preview": Base("office", ("{csv}",)),
    "report": Base("office", options=(("--out", f"{OUT}/report.xlsx"),)),
    "forecast": Base("office"),
    "audit": Base("office"),
    "backup now": Base("office"),
    "backup list": Base("office"),
    "backup restore": Base("office", ("{backup}",), (("--yes", None),)),
    "team add": Base("office", ("9998", "新小组")),
    "team rename": Base("office", ("1", "新名字")),
    "team list": Base("office"),
    "worker add": Base("office", ("W9999", "新网格员")),
    "worker move": Base("office", ("W0101",), (("--team", "2"),)),
    "worker retire": Base("office", ("W0102",)),
    "worker list": Base("office"),
    "assign": Base("office", options=(("--team", "1"), ("--building", "{building}"))),
    "unassign": Base("office", options=(("--building", "{building}"),)),
    "suggestion list": Base("office"),
    "suggestion advance": Base(
        "office", ("{suggestion}",), (("--to", "forwarded"), ("--handler", "物业公司"))
    ),
    "suggestion export": Base("office", options=(("--out", f"{OUT}/s.xlsx"),)),
    "review list": Base("office"),
    "review approve": Base("office", ("{visit}",)),
    "review return": Base("office", ("{visit}",), (("--comment", "请核实住户"),)),
    "account setup": Base("office", ("A0001",)),
    "account list": Base("office"),
    "account add": Base("office", ("W0103",), (("--role", "field"),)),
    "account remove": Base("office", ("W0103",)),
    "account pin": Base("office"),
    "account recover": Base("office", options=(("--for", "A0001"),)),
}


# -- the parser, walked --------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    return build_parser(Catalog())


def _children(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands() -> dict[str, argparse.ArgumentParser]:
    """Every command path, as the role table names them ("campaign edit")."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        children = _children(parser)
        nested = next(
            (a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        if prefix and (nested is None or not nested.required):
            found[prefix] = parser
        for name, child in children.items():
            walk(f"{prefix} {name}".strip(), child)

    walk("", _parser())
    return found


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(
        action,
        argparse._SubParsersAction | argparse._HelpAction | argparse._VersionAction,
    )


def _valued(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if _takes_value(a)]


# -- folders: prepared once, copied per command ---------------------------------------


@dataclass
class World:
    root: Path
    templates: dict[str, Path]
    values: dict[str, str]


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    assert code == 0, argv
    return out.getvalue()


def _one(db: Path, sql: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _private_zero(folder: Path) -> str:
    """A device like /dev/zero for the commands to meet. As root, a regressed command
    writing `--out /dev/zero` through a temporary file and a rename would replace the
    machine's own /dev/zero with a regular file: root gets a private node (char 1:5)
    instead; anyone else cannot rename over /dev/zero."""
    if os.geteuid() != 0:
        return "/dev/zero"
    node = folder / "zero"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    except OSError:
        pytest.skip("root without mknod: /dev/zero itself is not safe to aim at")
    return str(node)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("hostile")
    office, field_dir, spare = root / "office", root / "field", root / "spare"
    files = root / "files"
    files.mkdir()
    _cli("--data-dir", str(office), "demo", "--households", "60")
    _cli("--data-dir", str(field_dir), "init", "--role", "field", "--plain")  # test mode
    _cli("--data-dir", str(field_dir), "device", "request", "--out", str(files / "r1.json"))
    _cli("--data-dir", str(office), "device", "enroll", str(files / "r1.json"),
         "--team", "1", "--out", str(files / "roster.gsb"), "--allow-plain")  # fmt: skip
    _cli("--data-dir", str(field_dir), "bundle", "import", str(files / "roster.gsb"))
    household = _one(field_dir / "gridapp.db", "SELECT code FROM household LIMIT 1")
    _cli("--data-dir", str(field_dir), "visit", "record", "--household", household,
         "--worker", "W0101", "--outcome", "not_home")  # fmt: skip
    _cli("--data-dir", str(field_dir), "bundle", "export", "--out", str(files / "field.gsb"))
    _cli("--data-dir", str(spare), "init", "--role", "field", "--plain")  # not yet enrolled
    _cli("--data-dir", str(spare), "device", "request", "--out", str(files / "r2.json"))
    empty = root / "empty"
    empty.mkdir()
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "folder").mkdir()
    os.mkfifo(hostile / "fifo")
    zero = _private_zero(hostile)
    db = office / "gridapp.db"
    values = {
        "hostile": str(hostile),
        "zero": zero,
        "household": _one(db, "SELECT code FROM household ORDER BY code LIMIT 1"),
        "visit": _one(db, "SELECT id FROM visit ORDER BY id LIMIT 1"),
        "suggestion": _one(db, "SELECT id FROM suggestion ORDER BY id LIMIT 1"),
        "building": _one(db, "SELECT id FROM building ORDER BY id LIMIT 1"),
        "questionnaire": _one(db, "SELECT id FROM questionnaire LIMIT 1"),
        "device": _one(db, "SELECT id FROM device WHERE role = 'field' LIMIT 1"),
        "request": str(files / "r2.json"),
        "bundle": str(files / "field.gsb"),
        "xlsx": str(FORMS / "fee_authored.xlsx"),
        "csv": str(write_csv(files / "roster.csv")),
        "backup": str(next((office / "backups").glob("*.db"))),
    }
    return World(root, {"office": office, "field": field_dir, "empty": empty}, values)


# -- what "nothing written" means -----------------------------------------------------


def _fingerprint(*folders: Path) -> list[tuple[str, int, int, int]]:
    """Every file and folder under `folders`: name, kind, size, mtime (not logs/)."""
    seen = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder.parent)
            if rel.parts[:2] == ("data", "logs"):
                continue  # the data folder's log records refusals by design: no data
            info = path.lstat()
            seen.append((str(rel), stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns))
    return seen


def _listing(*folders: Path) -> list[tuple[str, int]]:
    """Names and sizes, without the database's own files (compared by their rows)."""
    return [
        (name, size if not name.endswith((".db-wal", ".db-shm", "gridapp.db")) else 0)
        for name, _kind, size, _mtime in _fingerprint(*folders)
        if not name.endswith((".db-wal", ".db-shm"))
    ]


def _dump(db: Path) -> dict[str, str]:
    """Every table's rows, hashed: what the database holds."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            n: hashlib.sha256(
                repr(conn.execute(f'SELECT * FROM "{n}"').fetchall()).encode()
            ).hexdigest()
            for n in names
        }
    finally:
        conn.close()


@dataclass
class Outcome:
    code: int | None
    out: str
    err: str
    raised: str = ""


class _Hung(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _Hung


def _run(argv: list[str]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 30)  # a FIFO opened for reading would block
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException as exc:  # anything escaping main() is a traceback
        return Outcome(None, out.getvalue(), err.getvalue(), f"{type(exc).__name__}: {exc!s:.200}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(code, out.getvalue(), err.getvalue())


# -- the walk ------------------------------------------------------------------------


@dataclass
class Run:
    command: str
    folder: Path
    world: World
    inputs: int = 0
    tracebacks: int = 0
    writes: int = 0
    recorded: int = 0
    accepted: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seen: list[tuple[str, int, int, int]] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)
    names: list[tuple[str, int]] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def out(self) -> Path:
        return self.folder / "out"

    @property
    def folders(self) -> tuple[Path, ...]:
        return (self.data, self.out, self.world.root / "hostile")

    def fresh(self) -> None:
        """A new copy of the command's folder, and what it holds."""
        if self.folder.exists():
            shutil.rmtree(self.data)
            for path in self.out.iterdir():  # the working directory: emptied, not removed
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        else:
            self.folder.mkdir()
            self.out.mkdir()
        shutil.copytree(self.world.templates[BASES[self.command].template], self.data)
        self.seen = _fingerprint(*self.folders)
        self.rows = _dump(self.data / "gridapp.db")
        self.names = _listing(*self.folders)

    def changed(self) -> tuple[set[str], set[tuple[str, int]]]:
        """The tables and the folder entries that differ from the copy's."""
        now = _fingerprint(*self.folders)
        if now == self.seen:
            return set(), set()  # no file touched: nothing can have been written
        rows = _dump(self.data / "gridapp.db")
        tables = {t for t in rows.keys() | self.rows.keys() if rows.get(t) != self.rows.get(t)}
        names = set(_listing(*self.folders)) ^ set(self.names)
        if not tables and not names:
            self.seen = now  # touched, not changed (a checkpoint, a rolled-back WAL frame)
        return tables, names

    def fill(self, text: str) -> str:
        return text.format(**self.world.values, out=str(self.out))

    def argv(self, action: argparse.Action | None, value: str) -> list[str]:
        base = BASES[self.command]
        positionals = [self.fill(p) for p in base.positionals]
        options = {k: None if v is None else self.fill(v) for k, v in base.options}
        words = [] if self.command == GLOBAL else self.command.split()
        front: list[str] = []
        if action is not None and not action.option_strings:
            index = [a for a in _valued(_commands_cached()[self.command]) if not a.option_strings]
            positionals[index.index(action)] = value
        elif action is not None:
            for dropped in base.drop.get(action.dest, ()):
                options.pop(dropped, None)
            if self.command == GLOBAL:
                front = [action.option_strings[-1], value]
            else:
                options[action.option_strings[-1]] = value
        flat = [w for k, v in options.items() for w in ((k,) if v is None else (k, v))]
        if self.command == GLOBAL and action is not None and action.dest == "data_dir":
            return [*front, *positionals]
        return ["--data-dir", str(self.data), *front, *words, *positionals, *flat]

    def check(self, action: argparse.Action, kind: str, value: str) -> None:
        self.inputs += 1
        result = _run(self.argv(action, value))
        where = f"{self.command} {action.dest}={kind}"
        accepted = kind in ACCEPTED.get((self.command, action.dest), frozenset())
        if result.raised or "Traceback" in result.err:
            self.tracebacks += 1
            self.failures.append(f"{where}: traceback {result.raised or result.err[-300:]}")
            self.fresh()
            return
        lines = result.err.splitlines()
        tables, names = self.changed()
        changed = bool(tables or names)
        if result.code == 0 and accepted:
            self.accepted.append(where)
            if result.err:
                self.failures.append(f"{where}: accepted but said {result.err!r:.200}")
            if changed:
                self.fresh()  # a legitimate write: the next value starts from the copy
            return
        if result.code != 2:
            self.failures.append(f"{where}: exit {result.code}, out {result.out[:200]!r}")
        elif len(lines) != 1 or not lines[0].startswith("gridapp-cli: "):
            self.failures.append(f"{where}: stderr not one line: {result.err[:300]!r}")
        recorded = kind in RECORDED.get((self.command, action.dest), frozenset())
        if (
            changed
            and recorded
            and tables <= RECORD_TABLES
            and all(name.startswith(RECORD_FOLDERS) for name, _size in names)
        ):
            self.recorded += 1
            self.fresh()
            return
        if changed:
            self.writes += 1
            self.failures.append(
                f"{where}: refused (exit {result.code}) but wrote {tables} {names}"
            )
            self.fresh()


_CACHE: dict[str, dict[str, argparse.ArgumentParser]] = {}


def _commands_cached() -> dict[str, argparse.ArgumentParser]:
    if "all" not in _CACHE:
        _CACHE["all"] = {GLOBAL: _parser(), **_commands()}
    return _CACHE["all"]


def _values_for(action: argparse.Action) -> dict[str, str]:
    return {**HOSTILE, **EXTRA.get(action.dest, {})}


def test_every_command_has_a_base_line() -> None:
    assert set(_commands()) | {GLOBAL} == set(BASES)


def test_every_value_is_checked_by_a_validator() -> None:
    """No option or positional reads a raw string: each has one of cli/args.py's
    validators (or a fixed set of choices)."""
    from gridapp.cli import args as cli_args

    raw = [
        f"{path} {action.dest}"
        for path, parser in _commands_cached().items()
        for action in _valued(parser)
        if action.choices is None and not isinstance(action.type, cli_args.Validator)
    ]
    assert raw == []


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GRIDAPP_PIN", "GRIDAPP_NEW_PIN", "GRIDAPP_WORKER", "GRIDAPP_RECOVERY_CODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRIDAPP_DATA_DIR", "/nonexistent/gridapp-data")


# `bundle import` is given a file named like a word ("status"): refused, and logged.
_REFUSED_IMPORT = pytest.mark.expected_log(r"^refused \S+: error\.bundle\.")


@pytest.mark.parametrize(
    "command",
    [pytest.param(c, marks=_REFUSED_IMPORT) if c == "bundle import" else c for c in sorted(BASES)],
)
def test_hostile_values(
    command: str,
    world: World,
    tmp_path: Path,
    clean_env: None,
    record: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = Run(command, tmp_path / "run", world)
    run.fresh()
    monkeypatch.chdir(run.out)  # where a relative name lands
    parser = _commands_cached()[command]
    actions = [a for a in _valued(parser) if command == GLOBAL or a.dest != "help"]
    if command == GLOBAL:
        actions = [a for a in actions if a.option_strings]
    for action in actions:
        for kind, value in _values_for(action).items():
            value = value.replace("{hostile}", world.values["hostile"])
            run.check(action, kind, value.replace("{zero}", world.values["zero"]))
    record(run)
    assert run.failures == [], "\n".join(run.failures)


@pytest.fixture(scope="module")
def record() -> Iterator[Any]:
    """With GRIDAPP_HOSTILE_STATS=FILE, each command's counts as one JSON line."""
    target = os.environ.get("GRIDAPP_HOSTILE_STATS")

    def keep(run: Run) -> None:
        if target:
            with open(target, "a", encoding="utf-8") as handle:
                row = {
                    "command": run.command,
                    "inputs": run.inputs,
                    "tracebacks": run.tracebacks,
                    "writes": run.writes,
                    "recorded": run.recorded,
                    "accepted": run.accepted,
                    "failures": run.failures,
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    yield keep
