"""The names of audited actions: one place, Qt-free, so the sign-in screen, the
services, the CLI filter (`audit --action`) and the audit screen agree on spelling.

An entry names *what* was done to *which record* (ids and codes); never a name, a
phone number or free text a person typed (storage/audit.py).
"""

from __future__ import annotations

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
PHONE_REVEALED = "phone_revealed"
VOIDED = "voided"  # a visit (or online answer, suggestion, callback) voided
CONFLICT_RESOLVED = "conflict_resolved"
DEVICE_ENROLLED = "device_enrolled"
DEVICE_REVOKED = "device_revoked"
BUNDLE_IMPORTED = "bundle_imported"
BUNDLE_REFUSED = "bundle_refused"  # a signed bundle outside its sender's authority
BUNDLE_EXPORTED = "bundle_exported"
ROSTER_EXPORTED = "roster_exported"
RECEIPT_EXPORTED = "receipt_exported"
SHEET_EXPORTED = "sheet_exported"
REPORT_EXPORTED = "report_exported"
AUDIT_EXPORTED = "audit_exported"
BACKUP_MADE = "backup_made"
BACKUP_RESTORED = "backup_restored"
ACCOUNT_ADDED = "account_added"
ACCOUNT_REMOVED = "account_removed"
PIN_RESET = "pin_reset"  # by an administrator
PIN_CHANGED = "pin_changed"  # by the account's owner
ACCOUNT_RECOVERED = "account_recovered"  # with the recovery code
CAMPAIGN_CLOSED = "campaign_close"  # laptops purge its personal data next
PURGED = "purge"  # a campaign's personal data erased (counts only in the entry)
VISIT_APPROVED = "visit_approved"  # the office's review: approved
VISIT_RETURNED = "visit_returned"  # the office's review: returned to its worker to correct
HOUSEHOLD_MOVED_OUT = "household_moved_out"  # its residents left (deleted; counts only)
HOUSEHOLD_MOVED_IN = "household_moved_in"  # new residents in an empty household
HOUSEHOLD_MERGED = "household_merged"  # two rooms became one household
HOUSEHOLD_SPLIT = "household_split"  # a new household split off with some residents
#: A laptop let go of households and workers its team no longer holds (a roster's
#: `holds` record; counts only).
ROSTER_ERASED = "roster_erased"
#: Backups that could hold erased personal data replaced by a fresh one.
BACKUPS_SCRUBBED = "backups_scrubbed"

#: Every action, in the order the audit screen's filter lists them.
ALL: tuple[str, ...] = (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_OUT,
    PHONE_REVEALED,
    VOIDED,
    CONFLICT_RESOLVED,
    DEVICE_ENROLLED,
    DEVICE_REVOKED,
    BUNDLE_IMPORTED,
    BUNDLE_REFUSED,
    BUNDLE_EXPORTED,
    ROSTER_EXPORTED,
    RECEIPT_EXPORTED,
    SHEET_EXPORTED,
    REPORT_EXPORTED,
    AUDIT_EXPORTED,
    BACKUP_MADE,
    BACKUP_RESTORED,
    ACCOUNT_ADDED,
    ACCOUNT_REMOVED,
    PIN_RESET,
    PIN_CHANGED,
    ACCOUNT_RECOVERED,
    CAMPAIGN_CLOSED,
    PURGED,
    VISIT_APPROVED,
    VISIT_RETURNED,
    ROSTER_ERASED,
    BACKUPS_SCRUBBED,
    HOUSEHOLD_MOVED_OUT,
    HOUSEHOLD_MOVED_IN,
    HOUSEHOLD_MERGED,
    HOUSEHOLD_SPLIT,
)

#: The app itself, when it acts on its own (daily and pre-import backups, finishing a
#: staged restore at start-up) or on a plain demo database where nobody signs in.
SYSTEM_ACTOR = "system"
