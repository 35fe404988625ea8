"""The wire's schema as data: per synced table, each column's type, bounds, code set,
what it must hold beyond its type (`check`) and what it points to (`ref`). One
description of what may cross the wire, read by the decoder (wire.py) and the authority
checks (authority.py); `tests/unit/sync/test_wire.py` holds it equal to the database's
columns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from msgspec import Meta

from gridapp.forms.limits import ANSWER_JSON_DEPTH, MAX_ANSWER_CHARS

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ISO_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
#: JSON nesting a `json_value` may have (a stored answer's, with its repeats).
JSON_VALUE_DEPTH = max(8, ANSWER_JSON_DEPTH)
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
        "merged_into": _c(Uuid | None, ref="household"),
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
        # XLSForm versions are often yyyymmddnn (2024010101): forms/xlsform.py MAX_VERSION
        "version": _c(Int(1, 99_999_999_999_999), req=True),
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
        "recorded_by": _c(Uuid | None, ref="worker"),
    },
    "answer": {
        "id": ID,
        "visit_id": _c(Uuid, req=True, ref="visit"),
        "questionnaire_id": _c(Uuid | None, ref="questionnaire"),
        "question": _c(Name(80), req=True),
        # a repeat's answer is one value: the list of its instances (forms/limits.py)
        "value": _c(Text(MAX_ANSWER_CHARS), req=True, check="json_value"),
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
    "review": {
        "id": ID,
        "visit_id": _c(Uuid, req=True, ref="visit"),
        "status": _c(Literal["approved", "returned"], req=True),
        "comment": _c(Text(2000)),
        "worker_id": _c(Uuid | None, ref="worker"),
        "at": _c(Time, req=True, check="time"),
    },
    "household_event": {
        "id": ID,
        "household_id": _c(Uuid, req=True, ref="household"),
        "kind": _c(
            Literal["moved_out", "moved_in", "merged", "merged_into", "split", "split_from"],
            req=True,
        ),
        "other_household_id": _c(Uuid | None, ref="household"),
        "residents": _c(Int(0, 1000)),
        "at": _c(Time, req=True, check="time"),
        "actor": _c(Text(64)),
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
