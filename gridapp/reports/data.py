"""What a report holds: plain values the service fills and the writers lay out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gridapp.model import Counts

if TYPE_CHECKING:
    from gridapp.forms.definition import FormDefinition
    from gridapp.services.consultation import CompoundForecast, StanceCounts
    from gridapp.storage.answer_queries import AnsweredVisit

Rows = Callable[[], Iterator[tuple[Any, ...]]]


@dataclass(frozen=True)
class BuildingLine:
    compound: str
    building: str
    team: int | None
    households: int
    visited: int
    consultations: int
    stances: StanceCounts

    @property
    def coverage(self) -> float:
        return self.visited / self.households if self.households else 0.0


@dataclass(frozen=True)
class TeamLine:
    number: int
    name: str
    households: int
    visited: int

    @property
    def coverage(self) -> float:
        return self.visited / self.households if self.households else 0.0


@dataclass(frozen=True)
class DayLine:
    day: str
    visits: int
    consultations: int
    newly_visited: int


@dataclass(frozen=True)
class ReportData:
    campaign: str
    starts_on: str
    ends_on: str
    day: str  # the report's day, YYYY-MM-DD
    generated_at: str  # ISO 8601
    counts: Counts
    today: dict[str, int]  # the day's figures, keyed as `counts`
    buildings: list[BuildingLine]
    teams: list[TeamLine]
    daily: list[DayLine]
    outcomes: dict[str, int]  # the day's visits by outcome code
    forecasts: list[CompoundForecast]
    visit_total: int
    visits: Rows  # see report_queries.visit_rows
    suggestion_total: int
    suggestions: Rows  # see report_queries.suggestion_rows
    notes: list[str] = field(default_factory=list)  # catalog keys: what is missing and why
    #: The campaign's questionnaire: the answer sheets' columns, a sheet per repeat.
    questionnaire: FormDefinition | None = None
    #: Every questionnaire version the visits answered, by id: each visit's answers in
    #: the words of the version it answered.
    forms: dict[str, FormDefinition] = field(default_factory=dict)
    answered_total: int = 0
    answered: Callable[[], Iterator[AnsweredVisit]] = lambda: iter(())
