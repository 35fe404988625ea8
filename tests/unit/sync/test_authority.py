"""A signed bundle is a claim, not a command: an office and two enrolled laptops of
different teams; laptop 1's own keys sign every attack below. Each is refused with its
reason, the office's tables are byte-identical before and after, an alarm is raised,
and an honest bundle of laptop 2 in the same `import_files` call is applied."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gridapp.audit_actions import BUNDLE_REFUSED
from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store
from gridapp.sync.container import BundleReader, write_bundle
from gridapp.sync.crypto import DeviceKeys
from tests.conftest import START, make_services

# Refusing each attack is what this module tests: each refusal is logged.
pytestmark = pytest.mark.expected_log(r"^refused \S+: error\.bundle\.")

#: Local bookkeeping a refusal is meant to change: the alarm and its audit line.
EXPECTED_TO_CHANGE = {"_sync_alarm", "_audit"}


def keys(services: Services) -> DeviceKeys:
    return DeviceKeys.of(services.store.require_device())


@dataclass
class World:
    root: Path
    clock: FixedClock
    pristine: Path  # the office folder (store closed) before any attack
    lap1: DeviceKeys
    lap2: DeviceKeys
    office: DeviceKeys
    manifest: dict[str, Any]  # laptop 1's honest bundle's manifest
    records: list[dict[str, Any]]  # and its records (seq 1..n), not yet at the office
    honest: Path  # laptop 2's second bundle, not yet at the office
    ids: dict[str, str]  # named records of the office, for the attacks
    control: dict[str, list[tuple[Any, ...]]]  # the office after importing `honest` alone
    made: int = 0

    @property
    def last(self) -> dict[str, Any]:
        return self.records[-1]

    def change(
        self,
        entity: str,
        fields: dict[str, Any] | None,
        op: str = "insert",
        record_id: str | None = None,
        base: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One more entry of laptop 1, after its honest ones."""
        rid = record_id or (fields or {}).get("id") or str(uuid.uuid4())
        return {
            "t": "change",
            "device_id": self.lap1.device_id,
            "seq": self.last["seq"] + 1,
            "hlc": self.last["hlc"],
            "actor": "W0101",
            "entity": entity,
            "record_id": rid,
            "op": op,
            "fields": fields,
            "base": base,
        }

    def visit(self, **changes: Any) -> dict[str, Any]:
        """A copy of laptop 1's honest visit under a new id, with `changes`."""
        honest = next(r for r in self.records if r["entity"] == "visit")["fields"]
        return {**honest, "id": str(uuid.uuid4()), **changes}

    def bundle(self, extra: list[dict[str, Any] | bytes], signer: DeviceKeys | None = None) -> Path:
        """Laptop 1's honest records plus `extra`, signed by laptop 1."""
        self.made += 1
        path = self.root / "attacks" / f"a{self.made}.gsb"
        path.parent.mkdir(exist_ok=True)
        records: list[dict[str, Any] | bytes] = [*self.records, *extra]
        manifest = {
            **self.manifest,
            "bundle_id": str(uuid.uuid4()),
            "seq_to": self.manifest["seq_to"] + len(extra),
        }
        write_bundle(path, manifest, records, signer or self.lap1, [self.office.public])
        return path


def dump(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a stable order (a byte-level comparison of content)."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in EXPECTED_TO_CHANGE
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def team_ids(s: Services, number: int) -> tuple[str, str, str]:
    """A household, its first resident and that resident's phone, in `number`'s
    buildings; and the team's first worker."""
    db = s.store.db
    row = db.execute(
        "SELECT h.id, r.id, p.id FROM household h JOIN resident r ON r.household_id = h.id"
        " JOIN phone p ON p.resident_id = r.id JOIN assignment a ON a.building_id = h.building_id"
        " JOIN team t ON t.id = a.team_id WHERE t.number = ? ORDER BY h.id LIMIT 1",
        [number],
    ).fetchone()
    return row[0], row[1], row[2]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("authority")
    clock = FixedClock(START)
    office = make_services(root / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=240, seed=1))
    laps = []
    for team in (1, 2):
        lap = make_services(root / f"lap{team}" / "gridapp.db", clock, role="field")
        lap.sync.request(root / f"req{team}.json")
        office.sync.enroll(root / f"req{team}.json", team, root / f"roster{team}.gsb")
        assert lap.sync.import_files([root / f"roster{team}.gsb"])[0].status == "applied"
        laps.append(lap)
    lap1, lap2 = laps
    clock.advance(days=30)  # the demo's visits are in Dec 2023
    db = office.store.db
    workers = {
        n: db.execute(
            "SELECT w.id FROM worker w JOIN team t ON t.id = w.team_id WHERE t.number = ?"
            " ORDER BY w.code LIMIT 1",
            [n],
        ).fetchone()[0]
        for n in (1, 2)
    }
    h2, r2, p2 = team_ids(office, 2)
    code2 = db.execute("SELECT code FROM worker WHERE id = ?", [workers[2]]).fetchone()[0]
    # Laptop 2 works: a visit with a suggestion reaches the office.
    first2 = lap2.visits.record(
        VisitInput(h2, code2, "met", answers={"stance": "agree"}, suggestions=(("fee", "贵"),))
    )
    lap2.sync.export(root / "lap2-1.gsb")
    assert office.sync.import_files([root / "lap2-1.gsb"])[0].status == "applied"
    suggestion2 = db.execute(
        "SELECT id FROM suggestion WHERE visit_id = ?", [first2.visit_id]
    ).fetchone()[0]
    lap2.visits.record(VisitInput(h2, code2, "not_home"))
    lap2.sync.export(root / "honest.gsb")
    # Laptop 1's honest work, not yet sent.
    h1, h1b = lap1.read.household_ids()[:2]
    lap1.visits.record(VisitInput(h1, "W0101", "met", answers={"stance": "agree"}))
    lap1.sync.export(root / "lap1.gsb")
    office_keys, k1, k2 = keys(office), keys(lap1), keys(lap2)
    with BundleReader(root / "lap1.gsb") as reader:
        _, manifest = reader.verify([k1.public])
        records = list(reader.records(manifest, office_keys))
    ids = {
        "household2": h2,
        "resident2": r2,
        "phone2": p2,
        "worker2": workers[2],
        "worker1": workers[1],
        "visit2": first2.visit_id,
        "suggestion2": suggestion2,
        "household1": h1,
        "household1b": h1b,
        "team1": db.execute("SELECT id FROM team WHERE number = 1").fetchone()[0],
    }
    for s in (office, lap1, lap2):
        s.store.close()
    pristine = root / "office"
    control_dir = root / "control"
    shutil.copytree(pristine, control_dir)
    control = Services(Store.open(control_dir / "gridapp.db", clock))
    assert control.sync.import_files([root / "honest.gsb"])[0].status == "applied"
    control.store.close()
    yield World(
        root,
        clock,
        pristine,
        k1,
        k2,
        office_keys,
        dict(manifest.raw),
        records,
        root / "honest.gsb",
        ids,
        dump(control_dir / "gridapp.db"),
    )


def attempt(world: World, attack: Path, reason: str) -> None:
    """Refused for `reason`, nothing applied (a dump equal to the control's, which
    imported only the honest bundle), alarm raised, the honest bundle applied."""
    folder = world.root / f"office-{attack.stem}"
    shutil.copytree(world.pristine, folder)
    before = dump(folder / "gridapp.db")
    office = Services(Store.open(folder / "gridapp.db", world.clock))
    try:
        results = office.sync.import_files([attack, world.honest])
        refused, honest = results
        assert refused.status == "refused", refused
        assert refused.reason == f"error.bundle.{reason}", refused
        assert honest.status == "applied", honest
        alarms = office.store.db.execute("SELECT device_id, reason FROM _sync_alarm").fetchall()
        assert alarms == [(world.lap1.device_id, reason)]
        audit = office.store.db.execute(
            "SELECT count(*) FROM _audit WHERE action = ?", [BUNDLE_REFUSED]
        ).fetchone()[0]
        assert audit == 1
        assert Path(refused.kept_at).read_bytes() == attack.read_bytes()
    finally:
        office.store.close()
    after = dump(folder / "gridapp.db")
    assert after == world.control
    assert after != before  # the honest bundle did apply
    shutil.rmtree(folder)


Attack = Callable[[World], list[dict[str, Any] | bytes]]
CASES: list[Any] = []


def case(id: str, reason: str, build: Attack) -> None:
    CASES.append(pytest.param(build, reason, id=id))


def field_named(name: str) -> Attack:
    return lambda w: [w.change("visit", {**w.visit(), name: "x"})]


# Field names that would be SQL if they reached a statement.
case("field_name_quote", "entry", field_named('notes" ) VALUES (1); --'))
case(
    "field_name_on_conflict", "entry", field_named("id) ON CONFLICT DO UPDATE SET outcome='refused")
)
case("field_name_semicolon", "entry", field_named("notes; DELETE FROM visit"))
case("field_name_comment", "entry", field_named("notes /* x */"))
# The schema: entities, fields, types, depth, codes, references, times.
case("unknown_entity", "entry", lambda w: [w.change("_local_device", {"id": str(uuid.uuid4())})])
case("account_entity", "entry", lambda w: [w.change("account", {"id": str(uuid.uuid4())})])
case("unknown_field", "entry", field_named("secret"))
case("dict_for_scalar", "entry", lambda w: [w.change("visit", w.visit(notes={"a": 1}))])
case("list_for_scalar", "entry", lambda w: [w.change("visit", w.visit(outcome=["met"]))])
case(
    "nested_100000",
    "entry",
    lambda w: [
        json.dumps(w.change("visit", w.visit(notes="@")))
        .encode()
        .replace(b'"@"', b"[" * 100_000 + b"]" * 100_000)
    ],
)
case("check_violation_code", "entry", lambda w: [w.change("visit", w.visit(outcome="exploded"))])
case("people_met_huge", "entry", lambda w: [w.change("visit", w.visit(people_met=10**30))])
case("id_not_canonical", "entry", lambda w: [w.change("visit", w.visit(id="VISIT-1"))])
case(
    "foreign_key_missing",
    "authority.reference",
    lambda w: [w.change("visit", w.visit(campaign_id=str(uuid.uuid4())))],
)
case(
    "year_0001",
    "entry",
    lambda w: [w.change("visit", w.visit(started_at="0001-01-01T09:00:00+08:00"))],
)
case(
    "year_9999",
    "entry",
    lambda w: [w.change("visit", w.visit(ended_at="9999-12-31T09:00:00+08:00"))],
)
# Authority: whose households, workers, device ids and records.
case(
    "visit_other_team_household",
    "authority.other_team_household",
    lambda w: [w.change("visit", w.visit(household_id=w.ids["household2"]))],
)
case(
    "visit_by_other_team_worker",
    "authority.other_worker",
    lambda w: [w.change("visit", w.visit(worker_id=w.ids["worker2"]))],
)
case(
    "visit_with_other_device_id",
    "authority.other_device",
    lambda w: [w.change("visit", w.visit(device_id=w.lap2.device_id))],
)
case(
    "edit_other_team_phone",
    "authority.other_team_household",
    lambda w: [
        w.change("phone", {"number": "13800000000"}, "update", w.ids["phone2"], {"number": "1"})
    ],
)
case(
    "edit_other_team_resident",
    "authority.other_team_household",
    lambda w: [w.change("resident", {"name": "某某"}, "update", w.ids["resident2"], {"name": "x"})],
)
case(
    "new_resident_in_other_team_household",
    "authority.other_team_household",
    lambda w: [
        w.change(
            "resident",
            {"id": str(uuid.uuid4()), "household_id": w.ids["household2"], "name": "某某"},
        )
    ],
)
case(
    "household_code_changed",
    "authority.field",
    lambda w: [w.change("household", {"code": "X-1"}, "update", w.ids["household1"], {})],
)
case(
    "void_other_laptop_visit",
    "authority.not_own_record",
    lambda w: [
        w.change(
            "void",
            {
                "id": str(uuid.uuid4()),
                "entity": "visit",
                "record_id": w.ids["visit2"],
                "reason": "x",
                "worker_id": w.ids["worker1"],
                "voided_at": w.visit()["started_at"],
            },
        )
    ],
)
case(
    "correct_other_laptop_visit",
    "authority.not_own_record",
    lambda w: [w.change("visit", w.visit(supersedes_id=w.ids["visit2"]))],
)
case(
    "reuse_other_laptop_visit_id_then_answer_it",
    "authority.not_own_record",
    lambda w: [
        w.change("visit", w.visit(id=w.ids["visit2"])),
        {
            **w.change(
                "answer",
                {
                    "id": str(uuid.uuid4()),
                    "visit_id": w.ids["visit2"],
                    "question": "stance",
                    "value": '"oppose"',
                },
            ),
            "seq": w.last["seq"] + 2,
        },
    ],
)
case(
    "edit_other_laptop_visit",
    "authority.not_own_record",
    lambda w: [w.change("visit", {"outcome": "refused"}, "update", w.ids["visit2"], {})],
)
case(
    "suggestion_follow_up_step",
    "authority.office_owned",
    lambda w: [
        w.change(
            "suggestion_status",
            {
                "id": str(uuid.uuid4()),
                "suggestion_id": w.ids["suggestion2"],
                "status": "closed",
                "at": w.visit()["started_at"],
            },
        )
    ],
)
case(
    "review_of_a_visit",
    "authority.office_owned",
    lambda w: [
        w.change(
            "review",
            {
                "id": str(uuid.uuid4()),
                "visit_id": w.ids["visit2"],
                "status": "approved",
                "at": w.visit()["started_at"],
            },
        )
    ],
)
case(
    "suggestion_born_closed",
    "authority.office_owned",
    lambda w: [
        w.change(
            "suggestion",
            {
                "id": str(uuid.uuid4()),
                "category": "fee",
                "text": "x",
                "status": "closed",
                "created_at": w.visit()["started_at"],
            },
        )
    ],
)
case(
    "new_team",
    "authority.office_owned",
    lambda w: [w.change("team", {"id": str(uuid.uuid4()), "number": 99, "name": "x"})],
)
case(
    "new_worker",
    "authority.office_owned",
    lambda w: [
        w.change(
            "worker",
            {"id": str(uuid.uuid4()), "code": "W9999", "name": "x", "team_id": w.ids["team1"]},
        )
    ],
)
case(
    "move_own_worker",
    "authority.office_owned",
    lambda w: [w.change("worker", {"role": "admin"}, "update", w.ids["worker1"], {})],
)
case(
    "new_device",
    "authority.office_owned",
    lambda w: [
        w.change(
            "device",
            {
                **next(r for r in w.records if r["entity"] == "device")["fields"],
                "id": (new := str(uuid.uuid4())),
            },
            record_id=new,
        )
    ],
)
case(
    "assignment_for_own_team",
    "authority.office_owned",
    lambda w: [
        w.change("assignment", {"team_id": w.ids["team1"]}, "update", str(uuid.uuid4()), {})
    ],
)


case(
    "backdated_entry",
    "authority.clock_backwards",
    lambda w: [{**w.change("visit", w.visit()), "hlc": "000000000000001:00000"}],
)
case(
    "correction_moves_household",
    "authority.field",
    lambda w: [
        w.change(
            "visit",
            w.visit(
                supersedes_id=next(r for r in w.records if r["entity"] == "visit")["record_id"],
                household_id=w.ids["household1b"],
            ),
        )
    ],
)
case(
    "suggestion_without_a_home",
    "authority.reference",
    lambda w: [
        w.change(
            "suggestion",
            {
                "id": str(uuid.uuid4()),
                "category": "fee",
                "text": "x",
                "created_at": w.visit()["started_at"],
            },
        )
    ],
)


@pytest.mark.parametrize(("build", "reason"), CASES)
def test_an_attack_is_refused_and_the_honest_bundle_applies(
    world: World, build: Attack, reason: str
) -> None:
    attempt(world, world.bundle(build(world)), reason)


def test_the_honest_records_alone_apply(world: World) -> None:
    """Control: the attacks fail for their own entry, not for the rewriting."""
    folder = world.root / "office-control-lap1"
    shutil.copytree(world.pristine, folder)
    office = Services(Store.open(folder / "gridapp.db", world.clock))
    try:
        [result] = office.sync.import_files([world.bundle([])])
        assert result.status == "applied"
        assert result.applied == len(world.records)
    finally:
        office.store.close()


def test_an_entry_of_its_own_may_follow_up_its_own_visit(world: World) -> None:
    """Voiding and correcting its own visit, in the same bundle, is within authority."""
    honest_visit = next(r for r in world.records if r["entity"] == "visit")["fields"]
    extra: list[dict[str, Any] | bytes] = [
        world.change(
            "void",
            {
                "id": str(uuid.uuid4()),
                "entity": "visit",
                "record_id": honest_visit["id"],
                "reason": "录错了",
                "worker_id": world.ids["worker1"],
                "voided_at": honest_visit["started_at"],
            },
        )
    ]
    folder = world.root / "office-own"
    shutil.copytree(world.pristine, folder)
    office = Services(Store.open(folder / "gridapp.db", world.clock))
    try:
        [result] = office.sync.import_files([world.bundle(extra)])
        assert result.status == "applied", result
    finally:
        office.store.close()
