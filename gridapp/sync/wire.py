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
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from gridapp import safe_json
from gridapp.clock import CHINA_TZ
from gridapp.privacy import PURGED_MARK
from gridapp.storage.changelog import ChangeEntry
from gridapp.sync.wire_tables import HLC_PATTERN, JSON_VALUE_DEPTH, TABLES, Column, Uuid


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
            moment = datetime.fromisoformat(text)
        except (ValueError, OverflowError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=CHINA_TZ)  # as parse_iso reads it
        return self.earliest <= moment <= self.latest

    def day(self, text: str) -> bool:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return False
        return self.earliest.date() <= day <= self.latest.date() + timedelta(days=3660)


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
    elif check == "json_value":  # a repeat nests two levels per repeat (forms/limits.py)
        ok = _json_ok(value, JSON_VALUE_DEPTH)
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
    record = _decode(decoder, raw, table)
    # Only the fields present (UNSET ones are left out), under their wire names: in C.
    row: dict[str, Any] = msgspec.to_builtins(record)
    mark = row.pop(PURGED_MARK, None)
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


def _decode(decoder: msgspec.json.Decoder[Any], line: bytes | str, kind: str) -> Any:
    """`line` by `decoder`; what does not fit is a `Refused` naming the field."""
    try:
        return decoder.decode(line)
    except msgspec.ValidationError as exc:
        raise Refused(_validation_detail(exc), kind, _path_field(exc)) from exc
    except (msgspec.DecodeError, RecursionError) as exc:
        raise Refused("json", kind) from exc


def decode_change(line: bytes, window: Window) -> ChangeEntry:
    """One payload line of a sync bundle as a validated change entry."""
    wire: WireChange = _decode(_CHANGE, line, "change")
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
    return raw != _NULL and bytes(raw).strip() != b"null"


_NULL = msgspec.Raw(b"null")


# -- roster bundles (office → laptop) --------------------------------------------------


class WireAck(msgspec.Struct, tag_field="t", tag="ack", forbid_unknown_fields=True):
    device: Uuid
    seq: Annotated[int, Meta(ge=0, le=2**53)]


class WirePurge(msgspec.Struct, tag_field="t", tag="purge", forbid_unknown_fields=True):
    campaign: Uuid
    households: Annotated[list[Uuid], Meta(max_length=1_000_000)]


class WireHolds(msgspec.Struct, tag_field="t", tag="holds", forbid_unknown_fields=True):
    """What the team's laptops should hold now (roster format 2): anything else of
    these kinds on a laptop leaves it (storage/holdings.py)."""

    households: Annotated[list[Uuid], Meta(max_length=1_000_000)]
    assignments: Annotated[list[Uuid], Meta(max_length=1_000_000)]
    workers: Annotated[list[Uuid], Meta(max_length=100_000)]


class WireRow(msgspec.Struct, tag_field="t", tag="row", forbid_unknown_fields=True):
    table: Annotated[str, Meta(max_length=40)]
    row: msgspec.Raw


RosterRecord = WireAck | WirePurge | WireHolds | WireRow
_ROSTER = msgspec.json.Decoder(RosterRecord)


def decode_roster_record(
    line: bytes, window: Window
) -> WireAck | WirePurge | WireHolds | tuple[str, dict[str, Any]]:
    """One payload line of a roster bundle: an ack, a purge order, what the team holds
    or a (table, row)."""
    record: RosterRecord = _decode(_ROSTER, line, "record")
    if isinstance(record, WireRow):
        if record.table not in TABLES:
            raise Refused("entity", "record", "table")
        return record.table, decode_row(record.table, record.row, window)
    return record
