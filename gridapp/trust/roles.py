"""Roles and what each may do: one table, one `can`, one `require` for every surface."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from gridapp.errors import AccessDenied


class AccountRole(StrEnum):
    """What a sign-in account may do (the table below). Not a person's job on the staff
    list: that is the worker record's role, codes.StaffRole."""

    FIELD = "field"  # 网格员
    OFFICE = "office"  # 办公室工作人员
    ADMIN = "admin"  # 管理员


class Action(StrEnum):
    VIEW = "view"
    RECORD_VISITS = "record_visits"
    PRINT_RECEIPTS = "print_receipts"
    EXPORT_BUNDLE = "export_bundle"
    RECEIVE_ROSTER = "receive_roster"  # a laptop reads the office's roster bundle
    CHANGE_OWN_PIN = "change_own_pin"
    IMPORT_BUNDLES = "import_bundles"
    RESOLVE_CONFLICTS = "resolve_conflicts"
    ROSTER_IMPORT = "roster_import"
    CAMPAIGN_SETUP = "campaign_setup"
    REPORTS = "reports"
    DASHBOARD = "dashboard"
    SUGGESTIONS = "suggestions"  # follow a suggestion to closure
    REVIEW = "review"  # approve a visit, or return it to its worker with a comment
    BACKUP = "backup"  # make a copy now (restoring one is RESTORE)
    MANAGE_DEVICES = "manage_devices"
    MANAGE_ACCOUNTS = "manage_accounts"
    AUDIT_LOG = "audit_log"
    RESTORE = "restore"
    PURGE = "purge"
    ADMINISTER = "administer"  # anything no other action names: administrators only


_FIELD = frozenset(
    {
        Action.VIEW,
        Action.RECORD_VISITS,
        Action.PRINT_RECEIPTS,
        Action.EXPORT_BUNDLE,
        Action.RECEIVE_ROSTER,
        Action.CHANGE_OWN_PIN,
    }
)
_OFFICE = _FIELD | {
    Action.IMPORT_BUNDLES,
    Action.RESOLVE_CONFLICTS,
    Action.ROSTER_IMPORT,
    Action.CAMPAIGN_SETUP,
    Action.REPORTS,
    Action.DASHBOARD,
    Action.SUGGESTIONS,
    Action.REVIEW,
    Action.BACKUP,
    Action.MANAGE_DEVICES,
}

PERMISSIONS: dict[AccountRole, frozenset[Action]] = {
    AccountRole.FIELD: _FIELD,
    AccountRole.OFFICE: frozenset(_OFFICE),
    AccountRole.ADMIN: frozenset(Action),
}


def can(role: str, action: str) -> bool:
    try:
        return Action(action) in PERMISSIONS[AccountRole(role)]
    except ValueError:
        return False


@dataclass(frozen=True)
class Session:
    """Who is signed in, and the database key their PIN unwrapped (never printed)."""

    code: str
    role: str
    key: bytes = field(repr=False)
    signed_in_at: datetime
    #: Wrong PINs typed for this account since its last sign-in (for the audit log:
    #: they happened while the database was still locked, so only now can they be told).
    failed_before: int = 0

    def can(self, action: str) -> bool:
        return can(self.role, action)


def require(session: Session | None, action: str) -> None:
    """Refuse an action the signed-in role may not take. No session means no accounts
    exist (a plain single-user database): there is nobody to tell apart."""
    if session is not None and not session.can(action):
        raise AccessDenied(
            "error.trust.not_permitted", code=session.code, role=session.role, action=action
        )
