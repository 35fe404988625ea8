"""What goes on paper: plain data the services fill and the PDF writers lay out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("valid", "forged", "altered", "voided", "revoked", "unknown", "malformed")


@dataclass(frozen=True)
class Receipt:
    id: str
    visit_id: str
    short_code: str
    payload: str
    issued_at: str


@dataclass(frozen=True)
class Verdict:
    """The answer to "is this receipt genuine?"; `summary` (address, started_at, worker,
    mode, outcome) is filled whenever the visit is known, whatever the verdict."""

    status: str  # one of VERDICTS
    visit_id: str | None = None
    short_code: str | None = None
    summary: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return self.status == "valid"


@dataclass(frozen=True)
class ReceiptDoc:
    payload: str
    short_code: str
    compound: str
    building: str
    unit: str
    room: str
    started_at: str  # ISO 8601 with offset
    mode: str  # codes: the writer puts them in words
    outcome: str
    worker: str
    team: str
    campaign: str = ""
    questionnaire_title: str = ""
    #: (question, answer in words); a repeat's answer is its entries, one per line
    #: ("1. 张三 · 配偶 · 年龄 45\n2. …"), set under the question.
    answers: list[tuple[str, str]] = field(default_factory=list)
    explained: list[tuple[str, str | None]] = field(default_factory=list)  # (title, reaction)
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (category, text)
    phone_masked: str = ""


@dataclass(frozen=True)
class SheetRow:
    code: str  # the household code: the QR payload, what the search box opens
    unit: str
    floor: int
    room: str
    head_name: str  # already masked when the sheet asks for it
    status: str


@dataclass(frozen=True)
class SheetGroup:
    """One building's households in walking order; a group starts a new page."""

    compound: str
    building: str
    rows: list[SheetRow]


@dataclass(frozen=True)
class SheetDoc:
    campaign: str
    team: str
    date: str
    groups: list[SheetGroup]


def mask_name(name: str) -> str:
    """张*丰, 张*, 欧**娜: first and (for three or more) last character kept, so a
    worker still recognises the household but a lost sheet names nobody."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
