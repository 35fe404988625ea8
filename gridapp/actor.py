"""Who acts: the signed-in worker behind every service call (issue 13). Plain data, no
imports, so that the storage layer can carry it and every layer can read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The signed-in account, as the services see it.

    `code` is what the change log and the audit log name; `role` decides what may be
    done (trust/roles.py); `worker_id` and `team_id` come from the worker record, and
    the team bounds what a field worker sees and writes."""

    code: str
    role: str
    worker_id: str | None = None
    team_id: str | None = None


#: Plain databases (the explicit demo and test mode, no accounts to tell apart): one
#: local administrator. An encrypted database never acts as it.
PLAIN = Actor("system", "admin")
