"""Which role may run which command: one table, checked once by the Context when it
opens an encrypted database (a plain database has no accounts to tell apart)."""

from __future__ import annotations

import argparse

from gridapp.trust.roles import Action

#: "command" or "command action" → what it does. Commands not listed are refused to
#: everyone but administrators: a new command must be placed here on purpose.
COMMAND_ACTIONS: dict[str, Action] = {
    "init": Action.VIEW,
    "demo": Action.CAMPAIGN_SETUP,
    "stats": Action.VIEW,
    "campaign show": Action.VIEW,
    "household list": Action.VIEW,
    "household find": Action.VIEW,
    "household move-out": Action.ROSTER_IMPORT,
    "household move-in": Action.ROSTER_IMPORT,
    "household merge": Action.ROSTER_IMPORT,
    "household split": Action.ROSTER_IMPORT,
    "roster import": Action.ROSTER_IMPORT,
    "questionnaire import": Action.CAMPAIGN_SETUP,
    "questionnaire preview": Action.VIEW,
    "questionnaire export": Action.VIEW,
    "questionnaire list": Action.VIEW,
    "visit record": Action.RECORD_VISITS,
    "visit void": Action.RECORD_VISITS,
    "online-answer add": Action.RECORD_VISITS,
    "device request": Action.EXPORT_BUNDLE,
    "device enroll": Action.MANAGE_DEVICES,
    "device revoke": Action.MANAGE_DEVICES,
    "device status": Action.VIEW,
    "bundle export": Action.EXPORT_BUNDLE,
    "bundle import": Action.IMPORT_BUNDLES,
    "bundle force": Action.IMPORT_BUNDLES,
    "roster-bundle": Action.CAMPAIGN_SETUP,
    "conflicts": Action.RESOLVE_CONFLICTS,
    "receipt": Action.PRINT_RECEIPTS,
    "receipt verify": Action.VIEW,
    "sheets": Action.REPORTS,
    "report": Action.REPORTS,
    "account list": Action.MANAGE_ACCOUNTS,
    "account add": Action.MANAGE_ACCOUNTS,
    "account remove": Action.MANAGE_ACCOUNTS,
    "account pin": Action.CHANGE_OWN_PIN,
    "account setup": Action.VIEW,
    "account recover": Action.VIEW,
    "roster preview": Action.ROSTER_IMPORT,
    "forecast": Action.REPORTS,
    "campaign edit": Action.CAMPAIGN_SETUP,
    "campaign close": Action.CAMPAIGN_SETUP,
    "campaign purge": Action.PURGE,
    "team add": Action.CAMPAIGN_SETUP,
    "team rename": Action.CAMPAIGN_SETUP,
    "team list": Action.VIEW,
    "worker add": Action.CAMPAIGN_SETUP,
    "worker move": Action.CAMPAIGN_SETUP,
    "worker retire": Action.CAMPAIGN_SETUP,
    "worker list": Action.VIEW,
    "assign": Action.CAMPAIGN_SETUP,
    "unassign": Action.CAMPAIGN_SETUP,
    "suggestion list": Action.SUGGESTIONS,
    "suggestion advance": Action.SUGGESTIONS,
    "suggestion export": Action.SUGGESTIONS,
    "review list": Action.REVIEW,
    "review approve": Action.REVIEW,
    "review return": Action.REVIEW,
    "backup now": Action.BACKUP,
    "backup list": Action.BACKUP,
    "backup restore": Action.RESTORE,
    "audit": Action.AUDIT_LOG,
}


def command_path(args: argparse.Namespace) -> str:
    action = getattr(args, "action", None)
    return f"{args.command} {action}" if isinstance(action, str) else str(args.command)


def action_for(path: str, device_role: str | None) -> Action:
    action = COMMAND_ACTIONS.get(path, Action.ADMINISTER)
    if action is Action.IMPORT_BUNDLES and device_role == "field":
        return Action.RECEIVE_ROSTER  # a laptop imports only the office's roster bundles
    return action
