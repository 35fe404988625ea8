"""Every value on the command line is checked here, as argparse reads it, before any
command opens the database: text (length, valid UTF-8, no control characters), numbers
(bounds), dates (real calendar days in a plausible window), JSON (size, depth, shape)
and paths (a file to read must be a regular file; a file to write needs an existing,
writable folder and must not be a folder or a device).

A refused value is one line on stderr, naming the option, and exit code 2: the parser
raises rather than printing usage (`Parser`), and `describe` words what it raised.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

from gridapp import limits, safe_json
from gridapp.clock import CHINA_TZ, parse_iso
from gridapp.errors import GridappError, InvalidInput
from gridapp.files import kind_key, not_a_file
from gridapp.i18n import Catalog

#: Past this many characters a value (a path) is shown cut short in a message.
SHOWN = 40
PATH_SHOWN = 300


class Refused(argparse.ArgumentTypeError):
    """A value refused by a validator: a catalog key and its parameters."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class UsageError(GridappError):
    """argparse's own complaint (a missing option, an unknown word), in one line."""

    key = "error.cli.usage"


def shown(value: str, limit: int = SHOWN) -> str:
    """A value as it may appear inside a one-line message: control characters and
    undecodable bytes escaped, long values cut short."""
    cut = value if len(value) <= limit else value[: limit - 1] + "…"
    out = []
    for ch in cut:
        if "\udc80" <= ch <= "\udcff":  # an undecodable byte kept by surrogateescape
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape").decode("ascii"))  # \n, \u200b: visible
        else:
            out.append(ch)
    return "".join(out)


# -- text ----------------------------------------------------------------------------


def _check_text(value: str, max_chars: int, multiline: bool, empty: bool) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise Refused("error.input.not_utf8", value=shown(value))
    if len(value) > max_chars:
        raise Refused("error.input.too_long", length=len(value), max=max_chars)
    allowed = "\n\t" if multiline else ""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in allowed:
            if ch in "\u200d\u200c":  # joiners inside emoji and some scripts
                continue
            raise Refused("error.input.control", value=shown(value))
    if not empty and not value.strip():
        raise Refused("error.input.empty")
    return value


class Validator:
    """Base of every `type=` here, so a test can tell that an option is checked."""

    __name__ = "value"

    def __call__(self, value: str) -> Any:
        raise NotImplementedError


class Text(Validator):
    """Free text: at most `max_chars`, valid UTF-8, no control characters (line breaks
    and tabs only when `multiline`), not blank unless `empty`."""

    def __init__(self, max_chars: int = 200, *, multiline: bool = False, empty: bool = False):
        self.max_chars, self.multiline, self.empty = max_chars, multiline, empty

    def __call__(self, value: str) -> str:
        return _check_text(value, self.max_chars, self.multiline, self.empty)


class LimitedText(Text):
    """Text whose bound is a kind in gridapp.limits (the services check it too)."""

    def __init__(self, kind: str, *, multiline: bool = False, empty: bool = False) -> None:
        super().__init__(limits.TEXT_LIMITS[kind], multiline=multiline, empty=empty)


_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$")


class Code(Validator):
    """A worker or account code (W0101): letters, digits, - and _, at most 24."""

    def __call__(self, value: str) -> str:
        _check_text(value, 64, multiline=False, empty=False)
        if not _CODE.match(value.strip()):
            raise Refused("error.input.code", value=shown(value))
        return value.strip()


class Ref(Text):
    """What names a record: an id, a code or a name (at most 80 characters, one line)."""

    def __init__(self, max_chars: int = 80) -> None:
        super().__init__(max_chars)

    def __call__(self, value: str) -> str:
        return super().__call__(value).strip()


# -- numbers -------------------------------------------------------------------------


class Integer(Validator):
    """A whole number from `lo` to `hi`."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi

    def __call__(self, value: str) -> int:
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise Refused("error.input.not_integer", value=shown(value))
        # (past 18 digits it is out of any range here; int() of 5,000 digits is refused)
        number = int(text) if len(text.lstrip("+-")) <= 18 else None
        if number is None or not self.lo <= number <= self.hi:
            raise Refused("error.input.out_of_range", value=shown(text), lo=self.lo, hi=self.hi)
        return number


class Real(Validator):
    """A finite number from `lo` to `hi`."""

    def __init__(self, lo: float, hi: float) -> None:
        self.lo, self.hi = lo, hi

    def __call__(self, value: str) -> float:
        try:
            number = float(value) if len(value) <= 40 else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise Refused("error.input.not_number", value=shown(value))
        if not self.lo <= number <= self.hi:
            raise Refused("error.input.out_of_range", value=shown(value), lo=self.lo, hi=self.hi)
        return number


# -- dates and times -----------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(CHINA_TZ)


class Day(Validator):
    """A real calendar day, YYYY-MM-DD, from 2020 to `ahead` after today."""

    def __init__(self, ahead: timedelta = limits.EVENT_HORIZON) -> None:
        self.ahead = ahead

    def __call__(self, value: str) -> str:
        text = value.strip()
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            raise Refused("error.input.bad_day", value=shown(value)) from None
        _within(lambda: limits.check_day(day, _now(), self.ahead))
        return day.isoformat()


class Moment(Validator):
    """An ISO 8601 time (2023-12-05T19:30, China time unless it says otherwise) from
    2020 to a year ahead."""

    def __call__(self, value: str) -> datetime:
        text = value.strip()
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+\-Z]{1,40}", text):
                raise ValueError(text)
            moment = parse_iso(text)
        except (ValueError, OverflowError):
            raise Refused("error.input.bad_time", value=shown(value)) from None
        _within(lambda: limits.check_event_time(moment, _now()))
        return moment


class Since(Validator):
    """A day (2023-12-05) or a time, as `Day` or `Moment`, for filters: the text back."""

    def __call__(self, value: str) -> str:
        text = value.strip()
        if len(text) <= 10:
            return Day()(text)
        return Moment()(text).isoformat(timespec="seconds")


def _within(check: Callable[[], None]) -> None:
    try:
        check()
    except InvalidInput as exc:
        raise Refused(exc.key, **exc.params) from None
    except OverflowError:  # a time zone pushed the year past 9999
        raise Refused("error.input.bad_time", value="") from None


# -- JSON ----------------------------------------------------------------------------


class Json(Validator):
    """A JSON document within `max_bytes` and `max_depth`; `obj` wants {…}."""

    def __init__(self, max_bytes: int, max_depth: int = 8, *, obj: bool = False) -> None:
        self.max_bytes, self.max_depth, self.obj = max_bytes, max_depth, obj

    def __call__(self, value: str) -> Any:
        _check_text(value, self.max_bytes, multiline=True, empty=False)
        try:
            document = safe_json.loads(
                value.encode("utf-8"), max_bytes=self.max_bytes, max_depth=self.max_depth
            )
        except safe_json.JsonRefused as exc:
            key = {"size": "error.input.json_size", "depth": "error.input.json_depth"}
            raise Refused(
                key.get(exc.reason, "error.input.json"), max=self.max_bytes, depth=self.max_depth
            ) from None
        if self.obj and not isinstance(document, dict):
            raise Refused("error.input.json_object", example='{"stance": "agree"}')
        return document


# -- paths ---------------------------------------------------------------------------


def _path_text(value: str) -> str:
    if not value:
        raise Refused("error.path.empty")
    if "\x00" in value:
        raise Refused("error.path.nul")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise Refused("error.path.not_utf8", file=shown(value, PATH_SHOWN))
    if len(value) > 4096:
        raise Refused("error.input.too_long", length=len(value), max=4096)
    _check_text(value, 4096, multiline=False, empty=False)
    return value


class InFile(Validator):
    """A file to read: it exists and is a regular file we may read. With `exists=False`
    only the name is checked (bundle import gives each file its own verdict)."""

    def __init__(self, *, exists: bool = True) -> None:
        self.exists = exists

    def __call__(self, value: str) -> str:
        _path_text(value)
        problem = not_a_file(Path(value)) if self.exists else None
        if problem is not None:
            raise Refused(problem, file=shown(value, PATH_SHOWN))
        return value


class OutFile(Validator):
    """A file to write: not a folder or a device; its folder exists and takes a new
    file (tried, then removed), so a command never stores rows for a file it cannot
    write."""

    def __call__(self, value: str) -> str:
        _path_text(value)
        path = Path(value)
        try:
            mode: int | None = os.stat(path).st_mode
        except FileNotFoundError:
            mode = None
        except OSError:
            raise Refused("error.path.cannot_write", file=shown(value, PATH_SHOWN)) from None
        if mode is not None and (kind := kind_key(mode)) is not None:
            raise Refused(kind, file=shown(value, PATH_SHOWN))
        if value.endswith(("/", os.sep)):
            raise Refused("error.path.is_folder", file=shown(value, PATH_SHOWN))
        folder = path.parent
        try:
            folder_mode = os.stat(folder).st_mode
        except OSError:
            folder_mode = 0
        if not stat.S_ISDIR(folder_mode):
            where = shown(str(folder), PATH_SHOWN)
            raise Refused("error.path.no_folder", file=shown(value, PATH_SHOWN), folder=where)
        _try_writing(folder, value)
        return value


def _try_writing(folder: Path, value: str) -> None:
    probe = folder / f".gridapp-probe-{secrets.token_hex(6)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        raise Refused("error.path.cannot_write", file=shown(value, PATH_SHOWN)) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


class DataDir(Validator):
    """--data-dir: a folder, or a name where one may be made."""

    def __call__(self, value: str) -> str:
        _path_text(value)
        try:
            mode = os.stat(value).st_mode
        except FileNotFoundError:
            return value
        except OSError:
            raise Refused("error.path.unreadable", file=shown(value, PATH_SHOWN)) from None
        if not stat.S_ISDIR(mode):
            raise Refused("error.path.data_dir_not_folder", folder=shown(value, PATH_SHOWN))
        return value


# -- the parser ----------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """Raises instead of printing usage and exiting; every option that takes a value
    and names no `type=` or `choices` gets plain `Text()`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("exit_on_error", False)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        takes_value = action.nargs != 0 and not isinstance(
            action, argparse._SubParsersAction | argparse._VersionAction | argparse._HelpAction
        )
        if takes_value and action.type is None and action.choices is None:
            action.type = Text()
        return action

    def error(self, message: str) -> NoReturn:
        raise UsageError(message=message, prog=self.prog)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is not None and value not in choices:
            names = ", ".join(str(c) for c in choices)
            try:
                raise Refused("error.cli.choice", value=shown(str(value)), choices=names)
            except Refused as exc:
                raise argparse.ArgumentError(action, str(exc)) from exc


#: argparse's own messages (Python 3.11 words), by their start, to catalog keys.
_ARGPARSE: Sequence[tuple[str, str]] = (
    ("the following arguments are required: ", "error.cli.required"),
    ("unrecognized arguments: ", "error.cli.unrecognized"),
    ("one of the arguments ", "error.cli.one_of"),
    ("expected ", "error.cli.value_missing"),
    ("not allowed with argument ", "error.cli.not_together"),
    ("ambiguous option: ", "error.cli.ambiguous"),
)


def describe(exc: BaseException, catalog: Catalog) -> str:
    """One line for what the parser raised."""
    if isinstance(exc, argparse.ArgumentError):
        cause = exc.__cause__ or exc.__context__
        option = exc.argument_name or ""
        if isinstance(cause, Refused):
            message = catalog.tr(cause.key, **cause.params)
        else:
            message = _argparse_words(exc.message, catalog)
        return catalog.tr("error.cli.option", option=option, message=message)
    if isinstance(exc, UsageError):
        return _argparse_words(str(exc.params.get("message", "")), catalog)
    if isinstance(exc, GridappError):
        return catalog.error(exc)
    return str(exc)


def _argparse_words(message: str, catalog: Catalog) -> str:
    for start, key in _ARGPARSE:
        if message.startswith(start):
            return catalog.tr(key, detail=shown(message[len(start) :]))
    return catalog.tr("error.cli.usage", message=shown(message))


def one_line(text: str) -> str:
    """A message as one line: line breaks and other control characters escaped."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")
        else ch
        for ch in text
    )


def safe_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters of a service's refusal as they may be shown: long text cut short."""
    return {k: shown(v, PATH_SHOWN) if isinstance(v, str) else v for k, v in params.items()}
