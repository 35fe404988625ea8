"""Permissions live in the core: every service call is checked against the one table
(trust/roles.py) as the signed-in worker, whatever front end made it. Each service
method, called directly as each role: refused exactly when the role lacks the right."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import AccessDenied, GridappError, InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.guard import REQUIRES
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store
from gridapp.trust.roles import PERMISSIONS, AccountRole, Action
from tests.conftest import make_services

#: Public methods that check nothing, each for a reason.
UNGUARDED = {
    "DeviceService.initialise": "creates the database's identity, before any account",
    "DeviceService.local": "this device's own id and role, needed to sign in",
    "AuditService.sign_in": "records the sign-in attempt itself, before a session",
    "BackupService.ensure_daily": "the app's own daily copy, whoever signed in",
    "BackupService.before_import": "the app's own copy before an import it was asked for",
    "BackupService.stage_restore": "called by restore(), which requires RESTORE",
    "BackupService.expected_identity": "which database a backup must belong to: no data",
    "SyncService.import_files": "checks IMPORT_BUNDLES or RECEIVE_ROSTER by device role",
    "SuggestionService.allowed": "the next statuses of a status: no data",
    "SuggestionService.default_recorder": "the plain demo mode's recorder: a worker code",
    "ReadingService.is_empty": "whether the database is empty (first run, demo)",
    "ReadingService.now": "the store's clock: no data",
    "FieldService.now": "the store's clock: no data",
    "ReadingService.interrupt": "stops this connection's own statement: no data",
    "ReadingService.close": "closes this connection: no data",
}

SERVICES = (
    "audit",
    "backup",
    "campaigns",
    "device",
    "drafts",
    "field",
    "households",
    "privacy",
    "read",
    "search",
    "visits",
    "sync",
    "paper",
    "roster",
    "consultation",
    "reports",
    "suggestions",
    "dashboard",
    "review",
)

ROLES = {AccountRole.FIELD: "W0101", AccountRole.OFFICE: "B0001", AccountRole.ADMIN: "A0001"}


def public_methods(services: Services) -> Iterator[tuple[str, Any, Action | None]]:
    for name in SERVICES:
        service = getattr(services, name)
        cls = type(service)
        for attr, member in inspect.getmembers(cls, inspect.isfunction):
            if attr.startswith("_"):
                continue
            yield f"{cls.__name__}.{attr}", getattr(service, attr), getattr(member, REQUIRES, None)


@pytest.fixture(scope="module")
def demo() -> Iterator[Services]:
    from tests.conftest import START

    s = make_services(None, FixedClock(START))
    build_demo(s, DemoOptions(households=240, seed=5))
    yield s
    s.store.close()


def test_every_public_service_method_declares_its_right(demo: Services) -> None:
    undeclared = [
        name
        for name, _method, action in public_methods(demo)
        if action is None and name not in UNGUARDED
    ]
    assert undeclared == []
    named = {name for name, _m, _a in public_methods(demo)}
    assert set(UNGUARDED) <= named  # no stale exemption


def _dummies(method: Any) -> list[Any]:
    params = inspect.signature(method).parameters.values()
    return [
        None
        for p in params
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


@pytest.mark.parametrize("role", list(ROLES), ids=[r.value for r in ROLES])
def test_every_service_method_as_every_role(role: AccountRole, tmp_path: Any) -> None:
    """Called with placeholder arguments: a role without the right is refused before
    anything else is looked at; a role with it gets past the check (and then fails on
    the placeholders, or works)."""
    from tests.conftest import START

    services = make_services(tmp_path / "gridapp.db", FixedClock(START))
    build_demo(services, DemoOptions(households=60, seed=5))
    services.act_as(ROLES[role], role)
    checked = 0
    for name, method, action in public_methods(services):
        if action is None:
            continue
        checked += 1
        try:
            method(*_dummies(method))
        except AccessDenied as exc:
            if exc.key == "error.trust.not_permitted":
                assert action not in PERMISSIONS[role], f"{name} refused {role}"
                continue
        except (
            GridappError,
            TypeError,
            AttributeError,
            ValueError,
            KeyError,
            OSError,
            sqlite3.Error,
        ):
            pass  # past the check, stopped by the placeholders
        assert action in PERMISSIONS[role], f"{name} ({action}) not refused to {role}"
    assert checked > 80
    services.store.close()


# -- scopes: a field worker's team ----------------------------------------------------


def _team_household(s: Services, number: int) -> str:
    row = s.store.db.execute(
        "SELECT h.id FROM household h JOIN assignment a ON a.building_id = h.building_id"
        " JOIN team t ON t.id = a.team_id WHERE t.number = ? ORDER BY h.id LIMIT 1",
        [number],
    ).fetchone()
    return str(row[0])


@pytest.fixture
def office(demo: Services) -> Iterator[Services]:
    yield demo
    demo.sign_out()


def test_a_field_worker_sees_and_writes_only_the_team(office: Services) -> None:
    own, other = _team_household(office, 1), _team_household(office, 2)
    office.act_as("W0101", "field")
    assert other not in office.read.household_ids()
    assert own in office.read.household_ids()
    assert office.read.household(other) is None
    assert office.read.household_rows([own, other])[0].id == own
    with pytest.raises(AccessDenied) as caught:
        office.households.reveal_phone(other)
    assert caught.value.key == "error.trust.other_team"
    assert office.households.reveal_phone(own)
    with pytest.raises(AccessDenied):
        office.visits.record(VisitInput(other, "", "met"))
    with pytest.raises(AccessDenied):
        office.households.update_household(other, {"note": "x"})


def test_a_field_worker_records_as_themself_only(office: Services) -> None:
    own = _team_household(office, 1)
    office.act_as("W0101", "field")
    with pytest.raises(AccessDenied) as caught:
        office.visits.record(VisitInput(own, "W0102", "not_home"))
    assert caught.value.key == "error.trust.not_yourself"
    result = office.visits.record(VisitInput(own, "", "not_home"))
    row = office.store.db.execute(
        "SELECT w.code, v.recorded_by FROM visit v JOIN worker w ON w.id = v.worker_id"
        " WHERE v.id = ?",
        [result.visit_id],
    ).fetchone()
    assert tuple(row) == ("W0101", None)


def test_office_staff_transcribe_a_paper_form_as_an_explicit_field(office: Services) -> None:
    other = _team_household(office, 2)
    office.act_as("B0001", "office")
    result = office.visits.record(VisitInput(other, "W0201", "not_home"))
    row = office.store.db.execute(
        "SELECT w.code, r.code FROM visit v JOIN worker w ON w.id = v.worker_id"
        " JOIN worker r ON r.id = v.recorded_by WHERE v.id = ?",
        [result.visit_id],
    ).fetchone()
    assert tuple(row) == ("W0201", "B0001")  # the worker's visit, typed by B0001
    actor = office.store.db.execute(
        "SELECT actor FROM change_log WHERE record_id = ?", [result.visit_id]
    ).fetchone()[0]
    assert actor == "B0001"
    with pytest.raises(NotFound):
        office.visits.record(VisitInput(other, "NOPE", "not_home"))


def test_an_encrypted_database_acts_only_as_someone(tmp_path: Any) -> None:
    import secrets

    from tests.conftest import START

    services = Services(Store.open(tmp_path / "g.db", FixedClock(START), secrets.token_bytes(32)))
    services.device.initialise("office", "test")
    with pytest.raises(AccessDenied) as caught:
        services.read.counts()
    assert caught.value.key == "error.trust.no_session"
    services.act_as("A0001", "admin")
    assert services.read.counts().households == 0
    services.sign_out()
    with pytest.raises(AccessDenied):
        services.households.add_compound("x")
    services.store.close()


def test_a_sibling_connection_acts_as_the_same_worker(tmp_path: Any) -> None:
    from tests.conftest import START

    services = make_services(tmp_path / "g.db", FixedClock(START))
    services.act_as("W0101", "field")
    other = services.store.sibling()
    try:
        assert other.actor == services.store.actor
    finally:
        other.close()
        services.store.close()
    with pytest.raises(InvalidInput):
        make_services(None, FixedClock(START)).store.sibling()


def test_siblings_follow_the_actor_as_it_changes(tmp_path: Any) -> None:
    """A read-pool connection made before a laptop's first roster sees the team the
    roster brought, with no restart."""
    from tests.conftest import START

    services = make_services(tmp_path / "g.db", FixedClock(START))
    other = services.store.sibling()
    try:
        services.act_as("W0101", "field")
        assert other.actor == services.store.actor
        services.sign_out()
        assert other.actor is None
    finally:
        other.close()
        services.store.close()


def test_a_field_account_on_the_office_pc_reads_only_its_team(office: Services) -> None:
    """Conflicts and quarantine are the office's; callbacks, visits and receipts of other
    teams are not the field worker's, whatever team number is asked for."""
    other_visit = office.store.db.execute(
        "SELECT v.id FROM visit v JOIN assignment a ON a.building_id ="
        " (SELECT building_id FROM household WHERE id = v.household_id)"
        " JOIN team t ON t.id = a.team_id WHERE t.number = 2 LIMIT 1"
    ).fetchone()[0]
    everyone = {row["household_id"] for row in office.field.callbacks_due(None, days_ahead=999)}
    office.act_as("W0101", "field")
    for call in (office.sync.conflicts, office.sync.quarantined, office.sync.peers):
        with pytest.raises(AccessDenied):
            call()
    team1 = {
        r[0]
        for r in office.store.db.execute(
            "SELECT h.id FROM household h JOIN assignment a ON a.building_id = h.building_id"
            " JOIN team t ON t.id = a.team_id WHERE t.number = 1"
        )
    }
    assert everyone - team1  # as the office, other teams' callbacks are listed
    for asked in (None, 2):
        due = office.field.callbacks_due(asked, days_ahead=999)
        assert {row["household_id"] for row in due} <= team1
    assert {w["team"] for w in office.field.workers(2)} <= {1}
    for read in (office.field.visit_for_correction, office.read.visit_answers):
        with pytest.raises(AccessDenied):
            read(other_visit)
    with pytest.raises(AccessDenied):
        office.paper.issue_receipt(other_visit)


def test_the_audit_log_takes_no_made_up_entry(office: Services) -> None:
    office.act_as("W0101", "field")
    with pytest.raises(InvalidInput):
        office.audit.record("totally.made.up")
    with pytest.raises(AccessDenied):
        office.audit.sign_in("A0001")  # a sign-in is the bound worker's, or a failure
    office.audit.sign_in("A0001", ok=False)  # a failed attempt names the code typed
