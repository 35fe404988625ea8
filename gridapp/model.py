"""The domain in the field's vocabulary (DESIGN.md §2): plain dataclasses, no Qt, no SQL.

Field names equal column names, so a record goes to storage as `asdict(record)`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    role: str
    sign_public_key: str
    box_public_key: str
    created_at: str
    team_id: str | None = None
    status: str = "active"
    certificate: str = ""  # the office's signature over this device's signing key


@dataclass(frozen=True)
class Compound:
    id: str
    name: str
    created_at: str
    street: str = ""
    neighbourhood_committee: str = ""
    address: str = ""
    property_firm: str = ""
    fee_per_m2: float | None = None


@dataclass(frozen=True)
class Grid:
    id: str
    compound_id: str
    name: str
    code: str = ""


@dataclass(frozen=True)
class Building:
    id: str
    compound_id: str
    number: str
    kind: str
    floors: int
    units: int = 1
    grid_id: str | None = None
    sort_key: int = 0


@dataclass(frozen=True)
class Household:
    id: str
    building_id: str
    floor: int
    room: str
    code: str
    created_at: str
    unit: str = ""
    area: float | None = None
    status: str = "owner_occupied"
    tags: str = "[]"  # JSON list of tag strings
    note: str = ""


@dataclass(frozen=True)
class HouseholdEvent:
    """One step of a household's lifecycle, written by the office (counts and ids only:
    no names travel with it)."""

    id: str
    household_id: str
    kind: str  # moved_out | moved_in | merged | merged_into | split | split_from
    at: str
    other_household_id: str | None = None
    residents: int = 0
    actor: str = ""


@dataclass(frozen=True)
class Resident:
    id: str
    household_id: str
    name: str
    relation: str = "other"
    is_owner: int = 0
    birth_year: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Phone:
    id: str
    resident_id: str
    number: str
    label: str = ""


@dataclass(frozen=True)
class Team:
    id: str
    number: int
    name: str


@dataclass(frozen=True)
class Worker:
    id: str
    code: str
    name: str
    team_id: str | None
    role: str = "field"
    active: int = 1


@dataclass(frozen=True)
class Questionnaire:
    id: str
    form_id: str
    version: int
    title: str
    definition: str  # JSON document; the questionnaire engine reads it
    published_at: str


@dataclass(frozen=True)
class PolicyItem:
    id: str
    title: str
    body: str
    code: str = ""
    category: str = ""
    version: int = 1
    active: int = 1


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    starts_on: str
    ends_on: str
    questionnaire_id: str | None = None
    description: str = ""
    status: str = "active"


@dataclass(frozen=True)
class Visit:
    id: str
    household_id: str
    worker_id: str
    device_id: str
    mode: str
    outcome: str
    started_at: str
    ended_at: str
    campaign_id: str | None = None
    team_id: str | None = None
    people_met: int = 0
    questionnaire_id: str | None = None
    notes: str = ""
    supersedes_id: str | None = None
    #: Who typed it, when not the visit's own worker: office staff transcribing a
    #: paper form (代录). None: the worker recorded it themself.
    recorded_by: str | None = None


@dataclass(frozen=True)
class Suggestion:
    id: str
    category: str
    text: str
    created_at: str
    campaign_id: str | None = None
    visit_id: str | None = None
    household_id: str | None = None
    worker_id: str | None = None
    status: str = "new"
    response: str = ""


@dataclass(frozen=True)
class OnlineAnswer:
    id: str
    worker_id: str
    channel: str
    question: str
    answer: str
    answered_at: str
    campaign_id: str | None = None
    household_id: str | None = None


@dataclass(frozen=True)
class Callback:
    id: str
    household_id: str
    due_at: str
    created_at: str
    campaign_id: str | None = None
    visit_id: str | None = None
    note: str = ""


# -- what screens and commands read ---------------------------------------------


@dataclass(frozen=True)
class Counts:
    """The counts of CLI.md, named as `stats --json` prints them."""

    compounds: int = 0
    buildings: int = 0
    households: int = 0
    residents: int = 0
    teams: int = 0
    workers: int = 0
    visits: int = 0
    households_visited: int = 0
    consultations: int = 0
    online_answers: int = 0
    policy_explanations: int = 0
    suggestions: int = 0
    callbacks_open: int = 0
    conflicts_open: int = 0


@dataclass(frozen=True)
class CompoundSummary:
    id: str
    name: str
    buildings: int
    households: int
    households_visited: int


@dataclass(frozen=True)
class BuildingSummary:
    id: str
    compound_id: str
    compound_name: str
    number: str
    kind: str
    floors: int
    households: int
    households_visited: int | None  # None: not fetched yet
    team_number: int | None


@dataclass(frozen=True)
class HouseholdRow:
    """One line of a household list: enough to show, nothing more."""

    id: str
    code: str
    compound_name: str
    building_number: str
    unit: str
    floor: int
    room: str
    area: float | None
    status: str
    tags: list[str]
    head_name: str
    visits: int
    last_outcome: str | None
    #: Found by a search through another resident than the head: whose name or phone.
    matched: str = ""

    @property
    def address(self) -> str:
        return format_address(self.compound_name, self.building_number, self.unit, self.room)


@dataclass(frozen=True)
class ResidentView:
    id: str
    name: str
    relation: str
    is_owner: bool
    phones: list[str]


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a household's history: a visit, online answer or suggestion."""

    at: str
    kind: str  # visit | online_answer | suggestion | callback | household_event
    record_id: str
    summary: dict[str, Any] = field(default_factory=dict)
    voided: bool = False


@dataclass(frozen=True)
class HouseholdDetail:
    row: HouseholdRow
    residents: list[ResidentView]
    timeline: list[TimelineEvent]
    open_callbacks: list[str]  # due times


def format_address(compound: str, building: str, unit: str, room: str) -> str:
    unit_part = f"{unit}单元" if unit else ""
    return f"{compound}{building}号{unit_part}{room}室"


#: Digits (half- or full-width) with single spaces or dashes between them, optionally
#: ending in X (an ID card); with 7 or more digits: a phone, ID or account number.
_NUMBER_IN_TEXT = re.compile(r"[0-9０-９](?:[ \-－]?[0-9０-９])*[Xx]?")
_DATE = re.compile(r"\d{4}[-－]\d{1,2}[-－]\d{1,2}")


def mask_numbers(text: str) -> str:
    """Free text as it may go on paper: every phone, ID card or account number typed
    into it masked like `mask_phone` ("联系 138****5678"); shorter numbers (rooms,
    floors, ages) and dates (2026-12-06) stay."""

    def masked(match: re.Match[str]) -> str:
        found = match.group(0)
        plain = unicodedata.normalize("NFKC", found)
        digits = "".join(ch for ch in plain if ch.isdigit())
        if len(digits) < 7 or _DATE.fullmatch(plain):
            return found
        return mask_phone(digits) + ("X" if plain[-1] in "Xx" else "")

    return _NUMBER_IN_TEXT.sub(masked, text)


def mask_phone(number: str) -> str:
    """138****1234: enough to recognise, not enough to call (PIPL minimum)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
