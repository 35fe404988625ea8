"""What may cross the wire: every change entry of a sync bundle and every row of a roster
bundle is decoded into a typed record of its entity before any SQL runs.

The schema is data (`TABLES`): per synced table, each column's type, bounds and code
set. msgspec Structs are built from it (`forbid_unknown_fields`), so an unknown entity,
an unknown field, a list where a scalar belongs, a string too long, a code outside its
set or a nested document is refused by the decoder itself, in C, several times faster
than `json.loads` followed by hand-written checks. What a Struct cannot say (ISO
times within plausible years, JSON held in a text column) is checked after it.

Field names therefore only ever come from this module: the SQL that writes a decoded
record takes its column names from `TABLES`, never from the bundle
(`tests/unit/sync/test_wire.py` checks that `TABLES` matches the database schema).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from gridapp import safe_json
from gridapp.clock import CHINA_TZ, parse_iso
from gridapp.privacy import PURGED_MARK
from gridapp.storage.changelog import ChangeEntry

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ISO_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
HLC_PATTERN = r"^\d{15}:\d{5}$"

Uuid = Annotated[str, Meta(pattern=UUID_PATTERN)]
Time = Annotated[str, Meta(pattern=ISO_PATTERN, max_length=40)]
Day = Annotated[str, Meta(pattern=DATE_PATTERN)]


def Text(n: int) -> Any:
    return Annotated[str, Meta(max_length=n)]


def Name(n: int) -> Any:
    return Annotated[str, Meta(min_length=1, max_length=n)]


def Int(lo: int, hi: int) -> Any:
    return Annotated[int, Meta(ge=lo, le=hi)]


def Real(lo: float, hi: float) -> Any:
    return Annotated[float, Meta(ge=lo, le=hi)]


Flag = Literal[0, 1]
Key32 = Annotated[str, Meta(min_length=40, max_length=48)]  # base64 of 32 bytes


@dataclass(frozen=True)
class Column:
    type: Any
    required: bool = False  # must be present in an inserted row (NOT NULL, no default)
    check: str = ""  # time | day | json_value | tags | candidates | key32 | definition
    ref: str = ""  # the table this id points to (checked by the authority)


def _c(type_: Any, *, req: bool = False, check: str = "", ref: str = "") -> Column:
    return Column(type_, req, check, ref)


ID = _c(Uuid, req=True)
ROLE = Literal["office", "field"]

#: Every synced table, every column: the one description of what may arrive.
TABLES: Final[dict[str, dict[str, Column]]] = {
    "device": {
        "id": ID,
        "name": _c(Name(80), req=True),
        "role": _c(ROLE, req=True),
        "team_id": _c(Uuid | None, ref="team"),
        "sign_public_key": _c(Key32, req=True, check="key32"),
        "box_public_key": _c(Key32, req=True, check="key32"),
        "status": _c(Literal["active", "retired", "revoked"]),
        "created_at": _c(Time, req=True, check="time"),
        "certificate": _c(Text(200)),
    },
    "compound": {
        "id": ID,
        "name": _c(Name(80), req=True),
        "street": _c(Text(80)),
        "neighbourhood_committee": _c(Text(80)),
        "address": _c(Text(200)),
        "property_firm": _c(Text(120)),
        "fee_per_m2": _c(Real(0, 1000) | None),
        "created_at": _c(Time, req=True, check="time"),
    },
    "grid": {
        "id": ID,
        "compound_id": _c(Uuid, req=True, ref="compound"),
        "name": _c(Name(80), req=True),
        "code": _c(Text(40)),
    },
    "building": {
        "id": ID,
        "compound_id": _c(Uuid, req=True, ref="compound"),
        "grid_id": _c(Uuid | None, ref="grid"),
        "number": _c(Name(40), req=True),
        "kind": _c(Literal["walkup", "highrise"], req=True),
        "floors": _c(Int(1, 200), req=True),
        "units": _c(Int(1, 100)),
        "sort_key": _c(Int(-(2**31), 2**31)),
    },
    "household": {
        "id": ID,
        "building_id": _c(Uuid, req=True, ref="building"),
        "unit": _c(Text(20)),
        "floor": _c(Int(-5, 200), req=True),
        "room": _c(Name(20), req=True),
        "area": _c(Real(0, 100_000) | None),
        "status": _c(Literal["owner_occupied", "rented", "vacant"]),
        "tags": _c(Text(400), check="tags"),
        "code": _c(Name(40), req=True),
        "note": _c(Text(2000)),
        "created_at": _c(Time, req=True, check="time"),
        "population": _c(Int(0, 100) | None),
    },
    "resident": {
        "id": ID,
        "household_id": _c(Uuid, req=True, ref="household"),
        "name": _c(Text(80), req=True),  # blank once purged (privacy.py)
        "relation": _c(Text(20)),
        "is_owner": _c(Flag),
        "birth_year": _c(Int(1880, 2100) | None),
        "note": _c(Text(2000)),
    },
    "phone": {
        "id": ID,
        "resident_id": _c(Uuid, req=True, ref="resident"),
        "number": _c(Annotated[str, Meta(pattern=r"^[0-9+\-]{0,20}$")], req=True),
        "label": _c(Text(40)),
    },
    "team": {
        "id": ID,
        "number": _c(Int(1, 9999), req=True),
        "name": _c(Name(80), req=True),
    },
    "worker": {
        "id": ID,
        "code": _c(Annotated[str, Meta(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,23}$")], req=True),
        "name": _c(Name(80), req=True),
        "team_id": _c(Uuid | None, ref="team"),
        "role": _c(Literal["field", "office", "admin"]),
        "active": _c(Flag),
    },
    "questionnaire": {
        "id": ID,
        "form_id": _c(Name(80), req=True),
        "version": _c(Int(1, 1_000_000), req=True),
        "title": _c(Name(200), req=True),
        "definition": _c(Text(2_000_000), req=True, check="definition"),
        "published_at": _c(Time, req=True, check="time"),
    },
    "policy_item": {
        "id": ID,
        "code": _c(Text(40)),
        "title": _c(Name(200), req=True),
        "body": _c(Text(100_000), req=True),
        "category": _c(Text(40)),
        "version": _c(Int(1, 1_000_000)),
        "active": _c(Flag),
    },
    "campaign": {
        "id": ID,
        "name": _c(Name(120), req=True),
        "description": _c(Text(4000)),
        "starts_on": _c(Day, req=True, check="day"),
        "ends_on": _c(Day, req=True, check="day"),
        "questionnaire_id": _c(Uuid | None, ref="questionnaire"),
        "status": _c(Literal["draft", "active", "closed"]),
    },
    "campaign_compound": {
        "id": ID,
        "campaign_id": _c(Uuid, req=True, ref="campaign"),
        "compound_id": _c(Uuid, req=True, ref="compound"),
    },
    "campaign_policy": {
        "id": ID,
        "campaign_id": _c(Uuid, req=True, ref="campaign"),
        "policy_item_id": _c(Uuid, req=True, ref="policy_item"),
        "position": _c(Int(0, 100_000)),
    },
    "assignment": {
        "id": ID,
        "campaign_id": _c(Uuid, req=True, ref="campaign"),
        "team_id": _c(Uuid, req=True, ref="team"),
        "building_id": _c(Uuid, req=True, ref="building"),
    },
    "visit": {
        "id": ID,
        "campaign_id": _c(Uuid | None, ref="campaign"),
        "household_id": _c(Uuid, req=True, ref="household"),
        "worker_id": _c(Uuid, req=True, ref="worker"),
        "team_id": _c(Uuid | None, ref="team"),
        "device_id": _c(Uuid, req=True, ref="device"),
        "mode": _c(Literal["in_person", "phone", "online"], req=True),
        "outcome": _c(
            Literal["met", "not_home", "refused", "vacant", "moved", "appointment"], req=True
        ),
        "people_met": _c(Int(0, 50)),
        "started_at": _c(Time, req=True, check="time"),
        "ended_at": _c(Time, req=True, check="time"),
        "questionnaire_id": _c(Uuid | None, ref="questionnaire"),
        "notes": _c(Text(4000)),
        "supersedes_id": _c(Uuid | None, ref="visit"),
    },
    "answer": {
        "id": ID,
        "visit_id": _c(Uuid, req=True, ref="visit"),
        "questionnaire_id": _c(Uuid | None, ref="questionnaire"),
        "question": _c(Name(80), req=True),
        "value": _c(Text(8000), req=True, check="json_value"),
    },
    "explanation": {
        "id": ID,
        "visit_id": _c(Uuid, req=True, ref="visit"),
        "policy_item_id": _c(Uuid, req=True, ref="policy_item"),
        "policy_version": _c(Int(1, 1_000_000)),
        "reaction": _c(Literal["understood", "doubts", "opposed"] | None),
    },
    "suggestion": {
        "id": ID,
        "campaign_id": _c(Uuid | None, ref="campaign"),
        "visit_id": _c(Uuid | None, ref="visit"),
        "household_id": _c(Uuid | None, ref="household"),
        "worker_id": _c(Uuid | None, ref="worker"),
        "category": _c(
            Literal["service", "fee", "facility", "safety", "environment", "other"], req=True
        ),
        "text": _c(Name(4000), req=True),
        "status": _c(Literal["new", "forwarded", "answered", "closed"]),
        "response": _c(Text(4000)),
        "created_at": _c(Time, req=True, check="time"),
    },
    "suggestion_status": {
        "id": ID,
        "suggestion_id": _c(Uuid, req=True, ref="suggestion"),
        "status": _c(Literal["new", "forwarded", "answered", "closed"], req=True),
        "handler": _c(Text(120)),
        "response": _c(Text(4000)),
        "worker_id": _c(Uuid | None, ref="worker"),
        "at": _c(Time, req=True, check="time"),
    },
    "online_answer": {
        "id": ID,
        "campaign_id": _c(Uuid | None, ref="campaign"),
        "worker_id": _c(Uuid, req=True, ref="worker"),
        "household_id": _c(Uuid | None, ref="household"),
        "channel": _c(Literal["wechat", "phone", "hotline", "other"], req=True),
        "question": _c(Name(4000), req=True),
        "answer": _c(Name(4000), req=True),
        "answered_at": _c(Time, req=True, check="time"),
    },
    "callback": {
        "id": ID,
        "campaign_id": _c(Uuid | None, ref="campaign"),
        "household_id": _c(Uuid, req=True, ref="household"),
        "visit_id": _c(Uuid | None, ref="visit"),
        "due_at": _c(Time, req=True, check="time"),
        "note": _c(Text(2000)),
        "created_at": _c(Time, req=True, check="time"),
    },
    "receipt": {
        "id": ID,
        "visit_id": _c(Uuid, req=True, ref="visit"),
        "short_code": _c(Annotated[str, Meta(pattern=r"^[0-9A-Z-]{4,24}$")], req=True),
        "payload": _c(Annotated[str, Meta(pattern=r"^[\x21-\x7e]{1,4000}$")], req=True),
        "issued_at": _c(Time, req=True, check="time"),
    },
    "void": {
        "id": ID,
        "entity": _c(Literal["visit", "online_answer", "suggestion", "callback"], req=True),
        "record_id": _c(Uuid, req=True),
        "reason": _c(Name(2000), req=True),
        "worker_id": _c(Uuid | None, ref="worker"),
        "voided_at": _c(Time, req=True, check="time"),
    },
    "conflict": {
        "id": ID,
        "entity": _c(Literal["household", "resident", "phone"], req=True),
        "record_id": _c(Uuid, req=True),
        "field": _c(Name(40), req=True),
        "candidates": _c(Text(100_000), req=True, check="candidates"),
        "provisional_value": _c(Text(10_000) | None, check="json_value"),
        "resolution": _c(Text(10_000) | None, check="json_value"),
        "resolved_by": _c(Text(64) | None),
        "resolved_at": _c(Time | None, check="time"),
        "created_at": _c(Time, req=True, check="time"),
    },
}


class Refused(ValueError):
    """An entry or row that does not fit the schema; `field` names where."""

    def __init__(self, detail: str, entity: str = "", field: str = "") -> None:
        super().__init__(f"{entity}.{field}: {detail}" if field else detail)
        self.detail, self.entity, self.field = detail, entity, field


def _struct(table: str, columns: Mapping[str, Column]) -> type[msgspec.Struct]:
    fields: list[tuple[str, Any, Any]] = [
        (name, col.type | UnsetType, UNSET) for name, col in columns.items()
    ]
    # A redacted entry's base carries the purge mark (privacy.py); nothing else may.
    fields.append(
        ("purged_mark", Literal[1] | UnsetType, msgspec.field(default=UNSET, name=PURGED_MARK))
    )
    return msgspec.defstruct(
        f"Wire_{table}", fields, forbid_unknown_fields=True, omit_defaults=True
    )


_STRUCTS: Final[dict[str, type[msgspec.Struct]]] = {
    table: _struct(table, columns) for table, columns in TABLES.items()
}
_DECODERS: Final[dict[str, msgspec.json.Decoder[Any]]] = {
    table: msgspec.json.Decoder(struct) for table, struct in _STRUCTS.items()
}
_REQUIRED: Final[dict[str, frozenset[str]]] = {
    table: frozenset(n for n, c in columns.items() if c.required)
    for table, columns in TABLES.items()
}
_CHECKED: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    table: tuple((n, c.check) for n, c in columns.items() if c.check)
    for table, columns in TABLES.items()
}


class WireChange(msgspec.Struct, forbid_unknown_fields=True):
    t: Literal["change"]
    device_id: Uuid
    seq: Annotated[int, Meta(ge=1, le=2**53)]
    hlc: Annotated[str, Meta(pattern=HLC_PATTERN)]
    actor: Annotated[str, Meta(min_length=1, max_length=64)]
    entity: Annotated[str, Meta(max_length=40)]
    record_id: Uuid
    op: Literal["insert", "update", "delete"]
    fields: msgspec.Raw  # decoded below by the entity's own Struct (null is b"null")
    base: msgspec.Raw


_CHANGE = msgspec.json.Decoder(WireChange)


class Window:
    """The plausible times: from 2020 (no laptop predates the app) to a year ahead of
    the receiver's clock (a callback may be set weeks ahead; 9999 is not a date)."""

    def __init__(self, now: datetime) -> None:
        self.earliest = datetime(2020, 1, 1, tzinfo=CHINA_TZ)
        self.latest = now + timedelta(days=366)

    def time(self, text: str) -> bool:
        try:
            moment = parse_iso(text)
        except (ValueError, OverflowError):
            return False
        return self.earliest <= moment <= self.latest

    def day(self, text: str) -> bool:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return False
        return self.earliest.date() <= day <= self.latest.date() + timedelta(days=3660)


def _fields(record: msgspec.Struct) -> dict[str, Any]:
    return {
        name: value
        for name in record.__struct_fields__
        if (value := getattr(record, name)) is not UNSET
    }


def _check_value(table: str, name: str, check: str, value: Any, window: Window) -> None:
    if value is None:
        return
    ok = True
    if check == "time":
        ok = window.time(value)
    elif check == "day":
        ok = window.day(value)
    elif check == "key32":
        try:
            ok = len(base64.b64decode(value, validate=True)) == 32
        except (binascii.Error, ValueError):
            ok = False
    elif check == "tags":
        ok = _json_ok(value, 4) and _is_tag_list(safe_json.loads(value, max_bytes=400))
    elif check == "json_value":
        ok = _json_ok(value, 8)
    elif check == "candidates":
        ok = _json_ok(value, 4) and _is_text_list(safe_json.loads(value, max_bytes=100_000))
    elif check == "definition":
        ok = _json_ok(value, 64) and isinstance(
            safe_json.loads(value, max_bytes=2_000_000, max_depth=64), dict
        )
    if not ok:
        raise Refused("value", table, name)


def _json_ok(text: str, depth: int) -> bool:
    try:
        safe_json.loads(text, max_bytes=2_000_000, max_depth=depth)
    except safe_json.JsonRefused:
        return False
    return True


def _is_tag_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= 20
        and all(isinstance(t, str) and 0 < len(t) <= 20 for t in value)
    )


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) for t in value)


def decode_row(
    table: str, raw: bytes | str, window: Window, *, whole: bool = True, base: bool = False
) -> dict[str, Any]:
    """One record of `table` as a dict of its present columns. `whole`: every required
    column must be there (an insert, a roster row); otherwise a partial (an update's
    fields). `base`: the values replaced, which may carry the purge mark."""
    decoder = _DECODERS.get(table)
    if decoder is None:
        raise Refused("entity", table)
    try:
        record = decoder.decode(raw)
    except msgspec.ValidationError as exc:
        raise Refused(_validation_detail(exc), table, _path_field(exc)) from exc
    except (msgspec.DecodeError, RecursionError) as exc:
        raise Refused("json", table) from exc
    row = _fields(record)
    mark = row.pop("purged_mark", None)
    if mark is not None:
        if not base:
            raise Refused("field", table, PURGED_MARK)
        row[PURGED_MARK] = mark
    if whole:
        missing = _REQUIRED[table] - row.keys()
        if missing:
            raise Refused("missing", table, sorted(missing)[0])
    for name, check in _CHECKED[table]:
        if name in row:
            _check_value(table, name, check, row[name], window)
    return row


def _validation_detail(exc: msgspec.ValidationError) -> str:
    text = str(exc)
    return "field" if text.startswith("Object contains unknown field") else "value"


def _path_field(exc: msgspec.ValidationError) -> str:
    """msgspec says `... - at `$.name``; an unknown field is named in the message."""
    text = str(exc)
    if text.startswith("Object contains unknown field"):
        name = text.split("`")[1] if "`" in text else ""
    elif "at `$." in text:
        name = text.rsplit("at `$.", 1)[1].split("`")[0].split("[")[0]
    else:
        name = ""
    # Bounded and printable: the name goes into a message and a file.
    return "".join(ch for ch in name[:40] if ch.isprintable())


def decode_change(line: bytes, window: Window) -> ChangeEntry:
    """One payload line of a sync bundle as a validated change entry."""
    try:
        wire = _CHANGE.decode(line)
    except msgspec.ValidationError as exc:
        raise Refused(_validation_detail(exc), "change", _path_field(exc)) from exc
    except (msgspec.DecodeError, RecursionError) as exc:
        raise Refused("json", "change") from exc
    entity = wire.entity
    if entity not in TABLES:
        raise Refused("entity", "change", "entity")
    fields = base = None
    has_fields, has_base = _present(wire.fields), _present(wire.base)
    if wire.op == "delete":
        if has_fields or not has_base:
            raise Refused("shape", entity)
        base = decode_row(entity, wire.base, window, whole=False, base=True)
    else:
        if not has_fields:
            raise Refused("shape", entity)
        fields = decode_row(entity, wire.fields, window, whole=wire.op == "insert")
        if not fields:
            raise Refused("shape", entity)
        if has_base:
            base = decode_row(entity, wire.base, window, whole=False, base=True)
        if wire.op == "insert" and fields["id"] != wire.record_id:
            raise Refused("value", entity, "id")
        if wire.op == "update" and "id" in fields:
            raise Refused("value", entity, "id")
    if base is not None and base.get("id", wire.record_id) != wire.record_id:
        raise Refused("value", entity, "id")
    return ChangeEntry(
        device_id=wire.device_id,
        seq=wire.seq,
        hlc=wire.hlc,
        actor=wire.actor,
        entity=entity,
        record_id=wire.record_id,
        op=wire.op,
        fields=fields,
        base=base,
    )


def _present(raw: msgspec.Raw) -> bool:
    return bytes(raw).strip() != b"null"


# -- roster bundles (office → laptop) --------------------------------------------------


class WireAck(msgspec.Struct, tag_field="t", tag="ack", forbid_unknown_fields=True):
    device: Uuid
    seq: Annotated[int, Meta(ge=0, le=2**53)]


class WirePurge(msgspec.Struct, tag_field="t", tag="purge", forbid_unknown_fields=True):
    campaign: Uuid
    households: Annotated[list[Uuid], Meta(max_length=1_000_000)]


class WireRow(msgspec.Struct, tag_field="t", tag="row", forbid_unknown_fields=True):
    table: Annotated[str, Meta(max_length=40)]
    row: msgspec.Raw


RosterRecord = WireAck | WirePurge | WireRow
_ROSTER = msgspec.json.Decoder(RosterRecord)


def decode_roster_record(
    line: bytes, window: Window
) -> WireAck | WirePurge | tuple[str, dict[str, Any]]:
    """One payload line of a roster bundle: an ack, a purge order or a (table, row)."""
    try:
        record = _ROSTER.decode(line)
    except msgspec.ValidationError as exc:
        raise Refused(_validation_detail(exc), "record", _path_field(exc)) from exc
    except (msgspec.DecodeError, RecursionError) as exc:
        raise Refused("json", "record") from exc
    if isinstance(record, WireRow):
        if record.table not in TABLES:
            raise Refused("entity", "record", "table")
        return record.table, decode_row(record.table, record.row, window)
    return record
