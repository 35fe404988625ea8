"""The audit log as the app uses it: actions record themselves, staff read, filter,
export and check it.

Writing actions append their entry inside their own unit of work (`note`), so the
action and its audit line commit together or not at all; read-only actions (a phone
shown, a PDF written) call `AuditService.record`, one small transaction each.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from gridapp import audit_actions
from gridapp.clock import iso, parse_iso
from gridapp.errors import AccessDenied, InvalidInput
from gridapp.files import write_atomic
from gridapp.services.guard import acting, requires
from gridapp.storage import audit
from gridapp.storage.audit import AuditEntry
from gridapp.storage.database import translate_sqlite_errors
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

EXPORT_FORMATS = (".csv", ".xlsx")
COLUMNS = ("seq", "at", "actor", "action", "target", "detail", "hash")

#: Ids, codes, counts, format names: printable ASCII, short. A name (CJK), a path
#: with a person's folder, or a value that is a phone number never fits.
_SAFE_TEXT = re.compile(r"[\x20-\x7e]{0,120}")
_PHONE_LIKE = re.compile(r"\+?[\d][\d \-]{6,}")
#: A calendar day (2023-12-05) looks like digits and dashes but names no one.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Detail values the app made itself (a receipt's short code, a record kind, a day):
#: they may look like a phone number by chance (a short code of eight digits, about one
#: receipt in 10,700) and are never typed by anyone, so only their shape is checked.
#: Any other text, the target included, is also refused when it looks like a phone.
IDENTIFIER_KEYS = frozenset(
    {"code", "void", "entity", "field", "kind", "format", "reason", "created_at", "day"}
)


def check_detail(target: str, detail: dict[str, Any]) -> None:
    """Refuse personal data in an entry: a programming error, caught by the tests."""
    texts: list[tuple[str, bool]] = [(target, False)]
    for key, value in detail.items():
        texts.append((str(key), True))
        if value is None or isinstance(value, bool | int | float):
            continue
        if not isinstance(value, str):
            raise ValueError(f"audit detail must be scalar, got {type(value).__name__}")
        texts.append((value, key in IDENTIFIER_KEYS))
    for text, identifier in texts:
        if _ISO_DAY.fullmatch(text):
            continue
        if not _SAFE_TEXT.fullmatch(text) or (not identifier and _PHONE_LIKE.fullmatch(text)):
            raise ValueError(f"audit entries carry ids and codes only: {text[:20]!r}")


def safe_target(text: str) -> str:
    """A name the user chose (a backup's file name) as an entry's target, or "" when it
    would not pass the check (CJK, a phone-like name): the entry is still written."""
    try:
        check_detail(text, {})
    except ValueError:
        return ""
    return text


def note(
    store: Store, db: Database, actor: str, action: str, target: str = "", **detail: Any
) -> int:
    """Append inside the caller's open unit of work."""
    check_detail(target, detail)
    return audit.append(db, iso(store.clock.now()), actor, action, target, **detail)


#: What `AuditService.record` may write (the rest is written by the action itself).
RECORDABLE = frozenset(
    {
        audit_actions.ACCOUNT_ADDED,
        audit_actions.ACCOUNT_REMOVED,
        audit_actions.PIN_RESET,
        audit_actions.PIN_CHANGED,
        audit_actions.ACCOUNT_RECOVERED,
        audit_actions.PHONE_REVEALED,
    }
)


class AuditService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.VIEW)
    def record(self, action: str, target: str = "", **detail: Any) -> int:
        """One entry in a transaction of its own (or the caller's, when one is open):
        for actions that write nothing else: an account changed in the keyring, a phone
        shown. Only those: every other action audits itself inside its service."""
        if action not in RECORDABLE:
            raise InvalidInput("error.audit.unknown_action", action=action[:40])
        return self._record(action, target, **detail)

    def _record(self, action: str, target: str = "", **detail: Any) -> int:
        actor = acting(self.store, Action.VIEW).code
        with self.store.unit_of_work(actor) as db:
            return note(self.store, db, actor, action, target, **detail)

    def sign_in(self, code: str, ok: bool = True, **detail: Any) -> int:
        # A successful sign-in is recorded for the worker it bound, never for a name
        # passed in; a failed one names the code typed (that is the event).
        bound = self.store.actor
        if ok and bound is not None and code.strip().upper() != bound.code:
            raise AccessDenied("error.trust.not_yourself", code=bound.code, other=code)
        """For the sign-in screen, before or as a session begins: `code` is the worker
        code typed (the subject of the entry), never a name (what is typed may be
        anything: a code that is not one is logged as "?")."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", code):
            code = "?"
        action = audit_actions.SIGN_IN if ok else audit_actions.SIGN_IN_FAILED
        with self.store.unit_of_work(code) as db:
            return note(self.store, db, code, action, code, **detail)

    @requires(Action.AUDIT_LOG)
    def entries(
        self,
        action: str | None = None,
        since: str | None = None,
        actor: str | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """Newest first. `since` is a date (2026-11-26) or an ISO time."""
        if action is not None and action not in audit_actions.ALL:
            raise InvalidInput("error.audit.unknown_action", action=action)
        if since is not None and not _is_day_or_time(since):
            raise InvalidInput("error.audit.bad_date", value=since)
        with translate_sqlite_errors(self.store.path):
            found = audit.entries(self.store.db, action, since, None if actor else limit)
            rows = [e for e in found if actor is None or e.actor == actor]
        return rows[:limit] if (actor and limit is not None) else rows

    @requires(Action.AUDIT_LOG)
    def verify(self) -> int | None:
        """None when the chain is whole; else the seq where it breaks."""
        with translate_sqlite_errors(self.store.path):
            return audit.verify_chain(self.store.db)

    @requires(Action.AUDIT_LOG)
    def count(self) -> int:
        return len(self.entries())

    @requires(Action.AUDIT_LOG)
    def export(
        self,
        out: Path,
        found: Sequence[AuditEntry],
        headers: Sequence[str] = COLUMNS,
        action_label: Callable[[str], str] = str,
    ) -> int:
        """Write entries to .csv (UTF-8 with a BOM, so Excel reads the Chinese) or
        .xlsx, atomically; the export is itself audited. Returns rows written."""
        suffix = out.suffix.lower()
        if suffix not in EXPORT_FORMATS:
            raise InvalidInput("error.audit.export_format", file=out.name)
        rows = [_cells(e, action_label) for e in found]
        if suffix == ".csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(headers)
            writer.writerows(rows)
            data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        else:
            data = _xlsx(headers, rows)
        write_atomic(out, data)
        self._record(audit_actions.AUDIT_EXPORTED, "", format=suffix[1:], rows=len(rows))
        return len(rows)


def _is_day_or_time(text: str) -> bool:
    """A real calendar day (2026-11-26) or time, not 2099-13-45."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
        return False
    try:
        parse_iso(text)
    except (ValueError, OverflowError):
        return False
    return True


def _cells(e: AuditEntry, action_label: Callable[[str], str]) -> list[Any]:
    detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
    return [e.seq, e.at, e.actor, action_label(e.action), e.target, detail, e.hash]


def _xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook  # heavy: load when exporting

    book = Workbook(write_only=True)
    sheet = book.create_sheet("audit")
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
