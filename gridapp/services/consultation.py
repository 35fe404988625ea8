"""Consultation results (stance by building and by compound) and the owners'-vote
forecast per compound (gridapp/forecast/vote.py; the rules in docs/forecast.md).

The stance question is configurable (`question`, default `stance`): a campaign whose
questionnaire names it otherwise (say `fee_view`) passes that name. Its answers are
read as choice codes: `agree` and `oppose` are positions, `undecided` — or any other
value — is a household consulted without a clear position; a household never
consulted is `unknown`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gridapp.errors import InvalidInput, NotFound
from gridapp.forecast.vote import Forecast, Owner, exact_area, forecast
from gridapp.services.guard import requires
from gridapp.storage import consultation_queries as cq
from gridapp.storage import content_queries, queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

DEFAULT_QUESTION = "stance"
DEFAULT_ATTEND_QUESTION = "attend_meeting"
_YES = {"yes", "true", "1", "是"}


@dataclass(frozen=True)
class StanceCounts:
    households: int = 0
    agree: int = 0
    undecided: int = 0
    oppose: int = 0
    unknown: int = 0

    @property
    def consulted(self) -> int:
        return self.households - self.unknown


@dataclass(frozen=True)
class StanceRow:
    """One building's (or, with `building` empty, one compound's) stances."""

    id: str
    compound: str
    building: str
    counts: StanceCounts


@dataclass(frozen=True)
class CompoundForecast:
    compound_id: str
    compound: str
    question: str
    forecast: Forecast


def stance_of(answer: object) -> str:
    if answer is None:
        return "unknown"
    if answer in ("agree", "oppose"):
        return str(answer)
    return "undecided"


def attends(answer: object) -> bool | None:
    if answer is None:
        return None
    if isinstance(answer, bool):
        return answer
    return str(answer).strip().lower() in _YES


class ConsultationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _stances(self, question: str, compound_id: str | None = None) -> list[cq.HouseholdStance]:
        self._check_question(question)
        return cq.household_stances(
            self.store.db, question, DEFAULT_ATTEND_QUESTION, compound_id=compound_id
        )

    def _check_question(self, question: str) -> None:
        """A name the active questionnaire does not have is a typo, not "all unknown"."""
        if not question.strip():
            raise InvalidInput("error.forecast.question_empty")
        campaign = queries.active_campaign(self.store.db)
        if campaign is None or campaign["questionnaire_id"] is None:
            return
        from gridapp.forms.definition import load_definition  # load when used

        definition = load_definition(
            content_queries.questionnaire_definition(self.store.db, campaign["questionnaire_id"])
        )
        if definition.question(question) is None:
            raise InvalidInput("error.forecast.unknown_question", name=question)

    # -- results -------------------------------------------------------------------
    @requires(Action.REPORTS)
    def stances_by_building(
        self, compound_id: str | None = None, question: str = DEFAULT_QUESTION
    ) -> list[StanceRow]:
        return _group(self._stances(question, compound_id), by_building=True)

    @requires(Action.REPORTS)
    def stances_by_compound(self, question: str = DEFAULT_QUESTION) -> list[StanceRow]:
        return _group(self._stances(question), by_building=False)

    # -- the forecast ----------------------------------------------------------------
    @requires(Action.REPORTS)
    def compound(self, ref: str) -> tuple[str, str]:
        """(id, name) of a compound named by id or exact name."""
        found = cq.compound_ref(self.store.db, ref.strip())
        if found is None:
            raise NotFound("error.forecast.compound_not_found", ref=ref)
        return found

    @requires(Action.REPORTS)
    def forecast(
        self,
        compound_id: str,
        question: str = DEFAULT_QUESTION,
        require_attendance: bool = False,
    ) -> CompoundForecast:
        compound_id, name = self.compound(compound_id)
        stances = self._stances(question, compound_id)
        return CompoundForecast(
            compound_id, name, question, forecast(_owners(stances), require_attendance)
        )

    @requires(Action.REPORTS)
    def forecasts(
        self, question: str = DEFAULT_QUESTION, require_attendance: bool = False
    ) -> list[CompoundForecast]:
        """One forecast per compound (each compound's owners vote on their own)."""
        return _forecasts(self._stances(question), question, require_attendance)

    @requires(Action.REPORTS)
    def overview(
        self, question: str = DEFAULT_QUESTION
    ) -> tuple[list[StanceRow], list[CompoundForecast]]:
        """Stances by building and every compound's forecast from one read (reports)."""
        rows = self._stances(question)
        return _group(rows, by_building=True), _forecasts(rows, question, False)


def _forecasts(
    rows: Iterable[cq.HouseholdStance], question: str, require_attendance: bool
) -> list[CompoundForecast]:
    by_compound: dict[str, list[cq.HouseholdStance]] = {}
    names: dict[str, str] = {}
    for row in rows:
        by_compound.setdefault(row.compound_id, []).append(row)
        names[row.compound_id] = row.compound
    return [
        CompoundForecast(cid, names[cid], question, forecast(_owners(group), require_attendance))
        for cid, group in by_compound.items()
    ]


def _owners(rows: Iterable[cq.HouseholdStance]) -> list[Owner]:
    return [
        Owner(r.household_id, exact_area(r.area), stance_of(r.answer), attends(r.attends))
        for r in rows
    ]


def _group(rows: Iterable[cq.HouseholdStance], by_building: bool) -> list[StanceRow]:
    counts: dict[str, Counter[str]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for r in rows:
        key = r.building_id if by_building else r.compound_id
        counts.setdefault(key, Counter())[stance_of(r.answer)] += 1
        labels.setdefault(key, (r.compound, r.building if by_building else ""))
    return [
        StanceRow(
            key,
            *labels[key],
            StanceCounts(
                households=sum(c.values()),
                agree=c["agree"],
                undecided=c["undecided"],
                oppose=c["oppose"],
                unknown=c["unknown"],
            ),
        )
        for key, c in counts.items()
    ]
