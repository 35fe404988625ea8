"""Permissions in the core: every service call that writes or reveals checks here who
acts and whether they may (trust/roles.py is the one table). The CLI and the desktop
only decide what to show; a screen that forgets a gate is no hole.

- `acting(store, action)`: the signed-in actor, if their role allows `action`;
- `@requires(action)` on a service method: the same check before the method runs (the
  permission test, tests/unit/services/test_guard_permissions.py, reads these marks);
- `household_in_scope(...)`: a field worker sees and writes only their team's
  households (phone reveals included);
- `active_worker(db, code)`: the one check that a worker may record something new
  (known and not retired), for every service that credits or moves a worker.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from gridapp.actor import PLAIN, Actor
from gridapp.errors import AccessDenied, InvalidInput, NotFound
from gridapp.storage import queries, scope_queries
from gridapp.storage.store import Store
from gridapp.trust.roles import AccountRole, Action, can

F = TypeVar("F", bound=Callable[..., Any])
REQUIRES = "__gridapp_requires__"


class HasStore(Protocol):
    store: Store


def actor_of(store: Store) -> Actor:
    """Who acts on this store: the bound actor; on a plain database with nobody signed
    in, the local administrator of the demo and test mode."""
    if store.actor is not None:
        return store.actor
    if store.key is not None:
        raise AccessDenied("error.trust.no_session")
    return PLAIN


def acting(store: Store, action: Action) -> Actor:
    actor = actor_of(store)
    if not can(actor.role, action):
        raise AccessDenied(
            "error.trust.not_permitted", code=actor.code, role=actor.role, action=action
        )
    return actor


def requires(action: Action) -> Callable[[F], F]:
    def mark(method: F) -> F:
        @functools.wraps(method)
        def guarded(self: HasStore, *args: Any, **kwargs: Any) -> Any:
            acting(self.store, action)
            return method(self, *args, **kwargs)

        setattr(guarded, REQUIRES, action)
        return cast(F, guarded)

    return mark


def is_field(actor: Actor) -> bool:
    return actor.role == AccountRole.FIELD


def household_in_scope(store: Store, actor: Actor, household_id: str) -> None:
    """A field worker acts only on households of buildings assigned to their team."""
    if is_field(actor) and not scope_queries.household_in_team(
        store.db, household_id, actor.team_id
    ):
        raise AccessDenied("error.trust.other_team", code=actor.code)


def refresh_actor(store: Store) -> None:
    """Re-read the signed-in worker's record (a laptop's first roster bundle brings it,
    and with it the team that bounds what they see)."""
    actor = store.actor
    if actor is None:
        return
    try:
        worker: dict[str, Any] | None = active_worker(store.db, actor.code)
    except (NotFound, InvalidInput):
        worker = None  # not on this laptop's roster yet, or retired: bound to no team
    store.actor = Actor(
        actor.code,
        actor.role,
        worker["id"] if worker else None,
        worker["team_id"] if worker else None,
    )


def active_worker(db: Any, code: str) -> dict[str, Any]:
    """The worker record of `code` (case and spaces around it ignored) if they may
    record something new. An unknown code is NotFound; a retired worker (kept: their
    visits point at them) is InvalidInput `error.worker_retired`."""
    worker = queries.worker_by_code(db, code.strip().upper())
    if worker is None:
        raise NotFound("error.worker_not_found", code=code)
    if not worker["active"]:
        raise InvalidInput("error.worker_retired", code=worker["code"])
    return worker


def visible(store: Store, ids: list[str]) -> list[str]:
    """The households of `ids` the actor may see, in the order given: all for office
    staff; a field worker's own team's only."""
    actor = actor_of(store)
    if not is_field(actor):
        return ids
    allowed = scope_queries.in_team(store.db, ids, actor.team_id or "")
    return [i for i in ids if i in allowed]


def team_asked(store: Store, asked: int | None) -> int | None:
    """The team a listing is for: a field worker's own, whatever was asked."""
    actor = actor_of(store)
    if not is_field(actor):
        return asked
    return scope_queries.team_number(store.db, actor.team_id) if actor.team_id else -1


def visit_in_scope(store: Store, visit_id: str) -> None:
    """A field worker reads and prints only their team's visits."""
    actor = actor_of(store)
    if is_field(actor):
        household = scope_queries.visit_household(store.db, visit_id)
        if household is not None:
            household_in_scope(store, actor, household)


def made_here_on_a_laptop(store: Store, entity: str, record_id: str) -> None:
    """On a laptop, corrections, voids and receipts are only of what this laptop
    recorded: the office accepts nothing else from it (docs/sync-bundles.md), so a
    teammate's visit from the roster is theirs to correct, on their laptop."""
    device = store.require_device()
    if device.role == "field" and not scope_queries.made_here(
        store.db, entity, record_id, device.device_id
    ):
        raise InvalidInput("error.visit.other_laptop", id=record_id)
