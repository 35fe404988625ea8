"""The property-firm scorecard (物业测评, docs/scorecard.md): a satisfaction campaign's
rating questions are the dimensions; per firm and per compound, per dimension, the
answers behind each figure, their mean and spread, quarter over quarter, ranked by the
overall mean. A firm or compound with fewer than `MIN_ANSWERS` households answering is
listed, not ranked; compounds without a firm (自主管理) are shown apart. A stored score
outside the rating range is flagged, never averaged. Qt-free."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridapp.audit_actions import REPORT_EXPORTED
from gridapp.errors import InvalidInput, ReadOnlyLocation
from gridapp.forms.definition import RATING_RANGE, Label, load_definition
from gridapp.services.audit import note
from gridapp.services.guard import actor_of, requires
from gridapp.storage import scorecard_queries as sq
from gridapp.storage import setup_queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

if TYPE_CHECKING:
    from gridapp.i18n import Catalog

FORMATS = {".xlsx": "xlsx", ".pdf": "pdf"}

#: Households that must answer before a firm (or compound) is ranked. On a 1–5 scale
#: answers spread about one point (standard deviation); with 30 households a mean is
#: known to about ±0.35 (two standard errors), about the gap between neighbours in a
#: ranking. Fewer, and the ranking (which decides subsidies) would rank chance.
MIN_ANSWERS = 30
MIN_ANSWERS_RANGE = (1, 100_000)


@dataclass(frozen=True)
class Dimension:
    name: str  # the question's name
    label: Label


@dataclass(frozen=True)
class Figure:
    """One dimension's answers: how many, their mean, spread (sample standard
    deviation, None below two answers) and range."""

    n: int = 0
    mean: float | None = None
    sd: float | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Line:
    """A firm's or a compound's row of the scorecard."""

    key: str  # the firm's name, or the compound's id
    name: str
    firm: str  # the compound's firm ('' when self-managed); a firm's own name
    compounds: tuple[str, ...]  # a firm's compounds (a compound: itself)
    households: int  # households listed there
    answered: int  # households with at least one score counted
    figures: Mapping[str, Figure]
    overall: float | None  # the mean of the dimension means
    rank: int | None = None
    ranked: bool = False  # False: too few answers, or self-managed
    previous: float | None = None  # the overall mean in the previous campaign
    previous_figures: Mapping[str, float | None] = field(default_factory=dict)

    @property
    def change(self) -> float | None:
        if self.overall is None or self.previous is None:
            return None
        return self.overall - self.previous


@dataclass(frozen=True)
class Flagged:
    """A stored score the scorecard refused to average."""

    compound: str
    household: str  # the household's code
    question: str
    value: str  # as stored


@dataclass(frozen=True)
class Scorecard:
    campaign_id: str
    campaign: str
    starts_on: str
    ends_on: str
    previous_campaign: str | None
    dimensions: tuple[Dimension, ...]
    min_answers: int
    households_answered: int
    firms: tuple[Line, ...]  # ranked first, by overall mean; then the unranked
    compounds: tuple[Line, ...]  # compounds with a firm, the same way
    self_managed: tuple[Line, ...]  # compounds without a firm, apart, never ranked
    flagged: tuple[Flagged, ...]


def dimensions_of(definition: Mapping[str, Any] | str | None) -> tuple[Dimension, ...]:
    """A questionnaire's dimensions: its `rating` questions (1–5), in form order."""
    if definition is None:
        return ()
    doc = json.loads(definition) if isinstance(definition, str) else definition
    form = load_definition(doc)
    return tuple(Dimension(q.name, q.label) for q in form.questions if q.type == "rating")


def score(value: str) -> int | None:
    """A stored answer as a score, or None when it is none: out of range, not a whole
    number, not a number."""
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return None
    if isinstance(parsed, bool) or not isinstance(parsed, int | float):
        return None
    if parsed != int(parsed) or not RATING_RANGE[0] <= parsed <= RATING_RANGE[1]:
        return None
    return int(parsed)


def figure(values: Sequence[int]) -> Figure:
    if not values:
        return Figure()
    return Figure(
        n=len(values),
        mean=statistics.fmean(values),
        sd=statistics.stdev(values) if len(values) > 1 else None,
        low=min(values),
        high=max(values),
    )


def _overall(figures: Mapping[str, Figure]) -> float | None:
    means = [f.mean for f in figures.values() if f.mean is not None]
    return statistics.fmean(means) if means else None


def _rank(lines: Iterable[Line], min_answers: int) -> tuple[Line, ...]:
    """Ranked lines first (by overall mean, ties share a rank), then the others."""
    pool = sorted(lines, key=lambda x: (-(x.overall or 0.0), x.name))
    ranked = [x for x in pool if x.answered >= min_answers and x.overall is not None]
    out: list[Line] = []
    for i, line in enumerate(ranked):
        prev = out[-1] if out else None
        same = prev is not None and round(prev.overall or 0, 9) == round(line.overall or 0, 9)
        rank = prev.rank if same and prev is not None and prev.rank else i + 1
        out.append(replace(line, rank=rank, ranked=True))
    rest = sorted((x for x in pool if x not in ranked), key=lambda x: (-x.answered, x.name))
    return (*out, *rest)


@dataclass
class _Pool:
    """Scores gathered for one firm or compound."""

    name: str
    firm: str
    compounds: list[str] = field(default_factory=list)
    households: int = 0
    answered: set[str] = field(default_factory=set)
    values: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def line(self, key: str, dimensions: Sequence[Dimension]) -> Line:
        figures = {d.name: figure(self.values.get(d.name, [])) for d in dimensions}
        return Line(
            key=key,
            name=self.name,
            firm=self.firm,
            compounds=tuple(self.compounds),
            households=self.households,
            answered=len(self.answered),
            figures=figures,
            overall=_overall(figures),
        )


@dataclass(frozen=True)
class _Gathered:
    firms: dict[str, Line]
    compounds: dict[str, Line]
    answered: int
    flagged: list[Flagged]


def _gather(db: Any, campaign_id: str, dimensions: Sequence[Dimension]) -> _Gathered:
    names = [d.name for d in dimensions]
    firms: dict[str, _Pool] = {}
    compounds: dict[str, _Pool] = {}
    for c in sq.campaign_compounds(db, campaign_id):
        firm = str(c["firm"]).strip()
        compounds[c["id"]] = _Pool(c["name"], firm, [c["name"]], int(c["households"]))
        if firm:
            pool = firms.setdefault(firm, _Pool(firm, firm))
            pool.compounds.append(c["name"])
            pool.households += int(c["households"])
    flagged: list[Flagged] = []
    answered: set[str] = set()
    for row in sq.scores(db, campaign_id, names):
        value = score(row.value)
        if value is None:
            flagged.append(Flagged(row.compound, row.household_code, row.question, row.value))
            continue
        answered.add(row.household_id)
        firm = row.firm.strip()
        for found in (compounds.get(row.compound_id), firms.get(firm) if firm else None):
            if found is not None:
                found.answered.add(row.household_id)
                found.values[row.question].append(value)
    return _Gathered(
        {k: p.line(k, dimensions) for k, p in firms.items()},
        {k: p.line(k, dimensions) for k, p in compounds.items()},
        len(answered),
        flagged,
    )


def _with_previous(lines: dict[str, Line], before: dict[str, Line] | None) -> list[Line]:
    if before is None:
        return list(lines.values())
    out = []
    for key, line in lines.items():
        old = before.get(key)
        if old is None:
            out.append(line)
            continue
        out.append(
            replace(
                line,
                previous=old.overall,
                previous_figures={k: f.mean for k, f in old.figures.items()},
            )
        )
    return out


class ScorecardService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.REPORTS)
    def campaigns(self) -> list[tuple[str, str, str]]:
        """(id, name, status) of every campaign whose questionnaire has dimensions:
        assessments (several dimensions) first, then campaigns asking one rating among
        other questions; each latest started first."""
        found = []
        for row in sq.rated_campaigns(self.store.db):
            count = len(dimensions_of(row["definition"]))
            if count:
                found.append((count < 2, str(row["id"]), str(row["name"]), str(row["status"])))
        found.sort(key=lambda x: x[0])  # stable: latest started first within each
        return [(cid, name, status) for _, cid, name, status in found]

    @requires(Action.REPORTS)
    def scorecard(self, campaign_ref: str, min_answers: int = MIN_ANSWERS) -> Scorecard:
        """The scorecard of the campaign named (its id or name)."""
        low, high = MIN_ANSWERS_RANGE
        if isinstance(min_answers, bool) or not low <= min_answers <= high:
            raise InvalidInput("error.scorecard.min_answers", value=min_answers, low=low, high=high)
        db = self.store.db
        campaign_id = setup_queries.campaign_by_ref(db, campaign_ref.strip())
        if campaign_id is None:
            raise InvalidInput("error.campaign_not_found", ref=campaign_ref[:80])
        campaign = sq.campaign_with_form(db, campaign_id)
        assert campaign is not None  # found just above
        dimensions = dimensions_of(campaign["definition"])
        if not dimensions:
            raise InvalidInput("error.scorecard.no_dimensions", name=campaign["name"])
        now = _gather(db, campaign_id, dimensions)
        previous = sq.previous_campaign(db, campaign_id)
        before = _gather(db, previous["id"], dimensions) if previous else None
        firms = _with_previous(now.firms, before.firms if before else None)
        compounds = _with_previous(now.compounds, before.compounds if before else None)
        return Scorecard(
            campaign_id=campaign_id,
            campaign=str(campaign["name"]),
            starts_on=str(campaign["starts_on"]),
            ends_on=str(campaign["ends_on"]),
            previous_campaign=str(previous["name"]) if previous else None,
            dimensions=dimensions,
            min_answers=min_answers,
            households_answered=now.answered,
            firms=_rank(firms, min_answers),
            compounds=_rank((c for c in compounds if c.firm), min_answers),
            self_managed=tuple(c for c in compounds if not c.firm),
            flagged=tuple(now.flagged),
        )

    @requires(Action.REPORTS)
    def write(self, card: Scorecard, out: Path, catalog: Catalog) -> tuple[str, int]:
        """The scorecard into `out` (.xlsx: its rows; .pdf: its pages), atomically; the
        export is audited (format and rows, never a path or a name)."""
        actor = actor_of(self.store).code
        fmt = scorecard_format(out)
        if not out.parent.is_dir() or out.is_dir():
            raise ReadOnlyLocation("error.read_only", path=str(out))
        from gridapp.reports import scorecard as outputs  # openpyxl, reportlab: when used

        if fmt == "pdf":
            rows = outputs.write_pdf(card, out, catalog)
        else:
            rows = outputs.write_xlsx(card, out, catalog)
        with self.store.unit_of_work(actor) as db:
            note(self.store, db, actor, REPORT_EXPORTED, "scorecard", format=fmt, rows=rows)
        return fmt, rows


def scorecard_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InvalidInput("error.scorecard.format", path=str(out), ext=out.suffix or "—")
    return fmt
