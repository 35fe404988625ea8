"""Errors the user can act on. Each carries a catalog key and parameters, never prose,
so the UI and the CLI word it in the user's language (STYLE.md habit 9)."""

from __future__ import annotations

from typing import Any


class GridappError(Exception):
    """A known failure with a message for the user; anything else is our bug."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class InvalidInput(GridappError):
    key = "error.invalid_input"


class NotFound(GridappError):
    key = "error.not_found"


class EnvironmentFault(GridappError):
    """The machine's fault, not the user's or ours: disk full, locked, unreadable."""

    key = "error.environment"


class DiskFull(EnvironmentFault):
    key = "error.disk_full"


class DatabaseLocked(EnvironmentFault):
    key = "error.db_locked"


class UnreadableFile(EnvironmentFault):
    key = "error.unreadable_file"


class ReadOnlyLocation(EnvironmentFault):
    """A place that takes no writes. Its own key words the unknown case (read-only,
    missing or not permitted); gridapp.files gives the known ones theirs
    (`error.write.read_only`, `error.write.no_permission`, `error.write.device`)."""

    key = "error.read_only"


class AccessDenied(GridappError):
    """Sign-in refused, an account locked, a role without the right, a wrong database key."""

    key = "error.trust.denied"
