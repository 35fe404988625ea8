"""The wire's schema: one description per synced table, equal to the database's columns;
every class of bad value refused by the decoder; the storage API takes no identifier it
does not know."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.services import Services
from gridapp.storage import records
from gridapp.storage.schema import SYNCED_TABLES
from gridapp.sync import wire
from gridapp.sync.wire_tables import TABLES
from tests.conftest import START

PACKAGE = Path(__file__).resolve().parents[3] / "gridapp"
WINDOW = wire.Window(START)


def test_the_wire_schema_is_the_database_schema(services: Services) -> None:
    assert set(TABLES) == set(SYNCED_TABLES)
    for table in SYNCED_TABLES:
        columns = [r[1] for r in services.store.db.execute(f"PRAGMA table_info({table})")]
        assert list(TABLES[table]) == columns, table


def test_every_row_of_the_demo_decodes(demo_services: Services) -> None:
    """Roster bundles carry these rows: the office's own data must fit its schema."""
    db = demo_services.store.db
    count = 0
    for table in SYNCED_TABLES:
        for row in db.query(f"SELECT * FROM {table}"):
            assert wire.decode_row(table, json.dumps(row), WINDOW) == row
            count += 1
    assert count > 1000


def change(**overrides: Any) -> bytes:
    visit_id = str(uuid.uuid4())
    entry: dict[str, Any] = {
        "t": "change",
        "device_id": str(uuid.uuid4()),
        "seq": 1,
        "hlc": "001701651600000:00000",
        "actor": "W0101",
        "entity": "visit",
        "record_id": visit_id,
        "op": "insert",
        "fields": {
            "id": visit_id,
            "household_id": str(uuid.uuid4()),
            "worker_id": str(uuid.uuid4()),
            "device_id": str(uuid.uuid4()),
            "mode": "in_person",
            "outcome": "met",
            "started_at": "2023-12-04T09:00:00+08:00",
            "ended_at": "2023-12-04T09:10:00+08:00",
        },
        "base": None,
    }
    fields = overrides.pop("fields", {})
    entry.update(overrides)
    entry["fields"] = None if fields is None else {**entry["fields"], **fields}
    return json.dumps(entry).encode()


def test_a_good_entry_decodes() -> None:
    entry = wire.decode_change(change(), WINDOW)
    assert entry.entity == "visit" and entry.fields and entry.fields["outcome"] == "met"


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        (change(fields={'notes" ) --': "x"}), "field"),
        (change(fields={"notes; DROP TABLE visit": "x"}), "field"),
        (change(entity="_local_device"), "entity"),
        (change(entity="visit; --"), "entity"),
        (change(fields={"notes": {"a": 1}}), "value"),
        (change(fields={"notes": ["a"]}), "value"),
        (change(fields={"outcome": "exploded"}), "value"),
        (change(fields={"people_met": 10**30}), "value"),
        (change(fields={"people_met": True}), "value"),
        (change(fields={"started_at": "0001-01-01T00:00:00+08:00"}), "value"),
        (change(fields={"started_at": "9999-12-31T00:00:00+08:00"}), "value"),
        (change(fields={"started_at": "yesterday"}), "value"),
        (change(fields={"household_id": "H-1"}), "value"),
        (change(fields={"household_id": str(uuid.uuid4()).upper()}), "value"),
        (change(fields={"notes": "x" * 100_000}), "value"),
        (change(fields={"_purged": 1}), "field"),
        (change(seq=0), "value"),
        (change(seq="1"), "value"),
        (change(op="replace"), "value"),
        (change(extra=1), "field"),
        (change(fields=None, op="insert"), "shape"),
        (change(record_id=str(uuid.uuid4())), "value"),  # insert whose id differs
        (b"[" * 100_000 + b"]" * 100_000, "value"),  # not an object: refused at once
        (change().replace(b'"met"', b"[" * 100_000 + b"]" * 100_000), "json"),
        (b"{not json", "json"),
    ],
)
def test_bad_entries_are_refused(line: bytes, detail: str) -> None:
    with pytest.raises(wire.Refused) as caught:
        wire.decode_change(line, WINDOW)
    assert caught.value.detail == detail


def test_the_refusal_names_the_field_printably() -> None:
    with pytest.raises(wire.Refused) as caught:
        wire.decode_change(change(fields={"notes\n\x00" + "x" * 100: "y"}), WINDOW)
    assert caught.value.field.isprintable() and len(caught.value.field) <= 40


def test_an_answer_holds_bounded_json() -> None:
    ok = {"id": str(uuid.uuid4()), "visit_id": str(uuid.uuid4()), "question": "q"}
    assert wire.decode_row("answer", json.dumps({**ok, "value": '"agree"'}), WINDOW)
    deep = "[" * 50 + "]" * 50
    with pytest.raises(wire.Refused):
        wire.decode_row("answer", json.dumps({**ok, "value": deep}), WINDOW)


def test_storage_takes_no_unknown_identifier(services: Services) -> None:
    with services.store.unit_of_work("system") as db:
        with pytest.raises(ValueError, match="not a column"):
            records.insert(db, "team", {"id": "t", "number": 1, 'name" ) --': "x"})
        with pytest.raises(ValueError, match="not a column"):
            records.update(db, "team", "t", {"name = 'x', number": 2})
        with pytest.raises(ValueError, match="not a synced table"):
            records.insert(db, "team; DROP TABLE visit", {"id": "t"})


def test_only_the_records_module_builds_statements_from_names() -> None:
    """sqlite-utils' Table API takes column names from a dict's keys: only records.py
    uses it, after checking every name against the schema."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE).as_posix()
        if rel != "storage/records.py" and re.search(
            r"\.table\(|\.insert_all\(|\.upsert(_all)?\(", text
        ):
            offenders.append(rel)
    assert not offenders


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def test_an_answer_with_repeats_nested_to_the_limit_crosses_the_wire() -> None:
    from gridapp.forms.limits import MAX_REPEAT_DEPTH
    from gridapp.sync.wire import _json_ok
    from gridapp.sync.wire_tables import JSON_VALUE_DEPTH

    value: object = ["a", "b"]  # a multi-select in the innermost instance
    for _ in range(MAX_REPEAT_DEPTH):
        value = [{"inner": value}]
    assert _json_ok(json.dumps(value), JSON_VALUE_DEPTH)
    assert not _json_ok(json.dumps([[value]]), JSON_VALUE_DEPTH)
