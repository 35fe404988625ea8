"""Visits and what hangs off them: answers, explanations, suggestions, callbacks;
online answers; corrections and voids. Visit-side records are immutable: a correction
is a new visit that supersedes, a void is a record of its own, nothing is deleted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gridapp import limits
from gridapp.actor import Actor
from gridapp.audit_actions import VOIDED
from gridapp.clock import iso
from gridapp.codes import Channel, Outcome, Reaction, SuggestionCategory, VisitMode
from gridapp.errors import AccessDenied, InvalidInput, NotFound
from gridapp.model import Callback, OnlineAnswer, Suggestion, Visit
from gridapp.rules import (
    CALLBACK_OUTCOMES,
    default_people_met,
    people_met_fits,
    suggest_callback,
)
from gridapp.services.audit import note
from gridapp.services.guard import (
    active_worker,
    actor_of,
    household_in_scope,
    is_field,
    made_here_on_a_laptop,
    requires,
)
from gridapp.storage import content_queries, queries, records
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

VOIDABLE = frozenset({"visit", "online_answer", "suggestion", "callback"})


@dataclass(frozen=True)
class VisitInput:
    household_id: str
    #: Whose visit: empty for the signed-in worker; another worker's code only when
    #: office staff transcribe that worker's paper form (代录).
    worker_code: str
    outcome: str
    mode: str = VisitMode.IN_PERSON
    started_at: datetime | None = None
    ended_at: datetime | None = None
    people_met: int | None = None  # None: as the outcome implies (rules.default_people_met)
    answers: Mapping[str, Any] = field(default_factory=dict)
    explained: tuple[tuple[str, str | None], ...] = ()  # (policy item id, reaction)
    suggestions: tuple[tuple[str, str], ...] = ()  # (category, text)
    notes: str = ""
    callback_at: datetime | None = None


@dataclass(frozen=True)
class VisitResult:
    visit_id: str
    callback_id: str | None
    callback_due: str | None


class VisitService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.RECORD_VISITS)
    def record(self, visit: VisitInput, supersedes_id: str | None = None) -> VisitResult:
        """Record one whole visit in one transaction: nothing half-saved. The signed-in
        worker records their own visit; office staff may transcribe a paper form for
        the worker named on it (代录: `recorded_by` says who typed it)."""
        actor = actor_of(self.store)
        _check_codes(visit)
        now = self.store.clock.now()
        started = visit.started_at or now
        ended = visit.ended_at or max(now, started)
        if ended < started:
            raise InvalidInput("error.visit_times", started=iso(started), ended=iso(ended))
        limits.check_event_time(started, now)
        limits.check_event_time(ended, now)
        if visit.callback_at is not None and visit.callback_at < ended:
            # A callback promised for a time already gone would never show as due.
            raise InvalidInput("error.callback_past", at=iso(visit.callback_at))
        device = self.store.require_device()
        with self.store.unit_of_work(actor.code) as db:
            worker, recorded_by = _visit_worker(db, actor, visit.worker_code)
            household_in_scope(self.store, actor, visit.household_id)
            household = records.get(db, "household", visit.household_id)
            if household is None:
                raise NotFound("error.household_not_found", id=visit.household_id)
            if household.get("merged_into") and supersedes_id is None:
                # A room merged into another is no household to visit: visit that one.
                # (A correction of a visit made before the merge keeps its household.)
                raise InvalidInput("error.household.merged_visit", code=household["code"])
            if supersedes_id is not None:
                old = records.get(db, "visit", supersedes_id)
                if old is None:
                    raise NotFound("error.visit_not_found", id=supersedes_id)
                made_here_on_a_laptop(self.store, "visit", supersedes_id)
                if old["household_id"] != visit.household_id:
                    raise InvalidInput("error.correction_household", id=supersedes_id)
            campaign = queries.active_campaign(db)
            questionnaire_id = campaign["questionnaire_id"] if campaign else None
            answers = (
                _checked_answers(db, questionnaire_id, visit.answers, started.date().isoformat())
                if visit.answers
                else {}
            )
            record = Visit(
                id=self.store.new_id(started),
                household_id=visit.household_id,
                worker_id=worker["id"],
                device_id=device.device_id,
                mode=visit.mode,
                outcome=visit.outcome,
                started_at=iso(started),
                ended_at=iso(ended),
                campaign_id=campaign["id"] if campaign else None,
                team_id=worker["team_id"],
                people_met=people_met_of(visit),
                questionnaire_id=questionnaire_id if answers else None,
                notes=visit.notes,
                supersedes_id=supersedes_id,
                recorded_by=recorded_by,
            )
            records.insert(db, "visit", record)
            records.insert_many(
                db,
                "answer",
                (
                    {
                        "id": self.store.new_id(now),
                        "visit_id": record.id,
                        "questionnaire_id": questionnaire_id,
                        "question": name,
                        "value": json.dumps(value, ensure_ascii=False),
                    }
                    for name, value in answers.items()
                ),
            )
            for item_id, reaction in visit.explained:
                item = records.get(db, "policy_item", item_id)
                if item is None:
                    raise NotFound("error.policy_item_not_found", id=item_id)
                records.insert(
                    db,
                    "explanation",
                    {
                        "id": self.store.new_id(now),
                        "visit_id": record.id,
                        "policy_item_id": item_id,
                        "policy_version": item["version"],
                        "reaction": reaction,
                    },
                )
            records.insert_many(
                db,
                "suggestion",
                (
                    Suggestion(
                        id=self.store.new_id(now),
                        category=category,
                        text=text,
                        created_at=iso(ended),
                        campaign_id=record.campaign_id,
                        visit_id=record.id,
                        household_id=visit.household_id,
                        worker_id=worker["id"],
                    )
                    for category, text in visit.suggestions
                ),
            )
            callback = None
            if visit.outcome in CALLBACK_OUTCOMES:
                due = visit.callback_at or suggest_callback(ended)
                callback = Callback(
                    id=self.store.new_id(now),
                    household_id=visit.household_id,
                    due_at=iso(due),
                    created_at=iso(ended),
                    campaign_id=record.campaign_id,
                    visit_id=record.id,
                )
                records.insert(db, "callback", callback)
        return VisitResult(
            record.id, callback.id if callback else None, callback.due_at if callback else None
        )

    @requires(Action.RECORD_VISITS)
    def correct(self, visit_id: str, visit: VisitInput) -> VisitResult:
        """A corrected visit: a new record superseding the old; counts once."""
        return self.record(visit, supersedes_id=visit_id)

    @requires(Action.RECORD_VISITS)
    def void(self, entity: str, record_id: str, reason: str) -> str:
        actor = actor_of(self.store)
        if entity not in VOIDABLE:
            raise InvalidInput("error.not_voidable", entity=entity)
        if not reason.strip():
            raise InvalidInput("error.void_reason_missing")
        limits.check_text("void_reason", reason.strip())
        now = self.store.clock.now()
        void_id = self.store.new_id(now)
        with self.store.unit_of_work(actor.code) as db:
            record = records.get(db, entity, record_id)
            if record is None:
                raise NotFound("error.record_not_found", entity=entity, id=record_id)
            made_here_on_a_laptop(self.store, entity, record_id)
            if record.get("household_id"):
                household_in_scope(self.store, actor, record["household_id"])
            elif is_field(actor) and record.get("worker_id") != actor.worker_id:
                # No household to tell the team by: the worker's own records only.
                raise AccessDenied("error.trust.other_team", code=actor.code)
            if queries.is_voided(db, entity, record_id):
                raise InvalidInput("error.already_voided", id=record_id)
            found = queries.worker_by_code(db, actor.code)
            records.insert(
                db,
                "void",
                {
                    "id": void_id,
                    "entity": entity,
                    "record_id": record_id,
                    "reason": reason.strip(),
                    "worker_id": found["id"] if found else None,
                    "voided_at": iso(now),
                },
            )
            # The reason is free text a person typed: it stays in the void record.
            note(self.store, db, actor.code, VOIDED, record_id, entity=entity, void=void_id)
        return void_id

    @requires(Action.RECORD_VISITS)
    def add_online_answer(
        self,
        worker_code: str,
        channel: str,
        question: str,
        answer: str,
        household_id: str | None = None,
        at: datetime | None = None,
    ) -> str:
        if channel not in {c.value for c in Channel}:
            raise InvalidInput("error.bad_code", kind="channel", value=channel)
        if not question.strip() or not answer.strip():
            raise InvalidInput("error.online_answer_empty")
        limits.check_text("online_question", question.strip())
        limits.check_text("online_answer", answer.strip())
        actor = actor_of(self.store)
        now = self.store.clock.now()
        if at is not None:
            limits.check_event_time(at, now)
        with self.store.unit_of_work(actor.code) as db:
            worker, _recorded_by = _visit_worker(db, actor, worker_code)
            if household_id is not None:
                if not records.exists(db, "household", household_id):
                    raise NotFound("error.household_not_found", id=household_id)
                household_in_scope(self.store, actor, household_id)
            campaign = queries.active_campaign(db)
            record = OnlineAnswer(
                id=self.store.new_id(now),
                worker_id=worker["id"],
                channel=channel,
                question=question.strip(),
                answer=answer.strip(),
                answered_at=iso(at or now),
                campaign_id=campaign["id"] if campaign else None,
                household_id=household_id,
            )
            records.insert(db, "online_answer", record)
        return record.id


def _visit_worker(db: Any, actor: Actor, code: str) -> tuple[dict[str, Any], str | None]:
    """The worker a visit is credited to, and who typed it when that was someone else.

    Empty or the actor's own code: the actor. Another code: only office staff may
    transcribe a paper form for that worker (代录); a field worker records as
    themselves, never as a colleague."""
    code = code.strip().upper()
    own = not code or code == actor.code.upper()
    if not own and is_field(actor):
        raise AccessDenied("error.trust.not_yourself", code=actor.code, other=code)
    worker = active_worker(db, actor.code if own else code)
    return worker, None if own else actor.worker_id


def people_met_of(visit: VisitInput) -> int:
    if visit.people_met is None:
        return default_people_met(visit.outcome)
    return visit.people_met


def _check_codes(visit: VisitInput) -> None:
    checks = (
        ("mode", visit.mode, VisitMode),
        ("outcome", visit.outcome, Outcome),
    )
    for kind, value, enum in checks:
        if value not in {e.value for e in enum}:
            raise InvalidInput("error.bad_code", kind=kind, value=value)
    for _, reaction in visit.explained:
        if reaction is not None and reaction not in {r.value for r in Reaction}:
            raise InvalidInput("error.bad_code", kind="reaction", value=reaction)
    for category, text in visit.suggestions:
        if category not in {c.value for c in SuggestionCategory}:
            raise InvalidInput("error.bad_code", kind="category", value=category)
        if limits.blank(text):
            raise InvalidInput("error.suggestion_empty")
        limits.check_text("suggestion_text", text)
    people = people_met_of(visit)
    if not 0 <= people <= limits.PEOPLE_MET:
        raise InvalidInput("error.bad_people_met", value=people)
    if not people_met_fits(visit.outcome, people):
        key = "error.met_nobody" if visit.outcome == Outcome.MET else "error.nobody_to_meet"
        raise InvalidInput(key, people=people)
    limits.check_text("visit_notes", visit.notes)
    if visit.answers and visit.outcome != Outcome.MET:
        raise InvalidInput("error.answers_without_meeting", outcome=visit.outcome)


def _checked_answers(
    db: Any, questionnaire_id: str | None, answers: Mapping[str, Any], today: str
) -> dict[str, Any]:
    """The answers in their types, with answers to questions skip logic hid dropped.
    Wrong answers (type, choice, range, constraint, unknown question) are refused; a
    required question left open is allowed here — a resident may end the talk early —
    and the form on screen is what insists on completeness."""
    from gridapp.forms.definition import load_definition
    from gridapp.forms.engine import FormState, check_answers
    from gridapp.forms.limits import MAX_ANSWER_CHARS

    if questionnaire_id is None:
        raise InvalidInput("error.no_questionnaire")
    definition = load_definition(content_queries.questionnaire_definition(db, questionnaire_id))
    problems = [
        p for p in check_answers(definition, answers, today) if p.key != "error.answer.required"
    ]
    if problems:
        first = problems[0]
        raise InvalidInput(
            "error.answer.invalid", question=first.where, key=first.key, count=len(problems)
        )
    result = FormState(definition, answers, today).result()
    for name, value in result.items():  # a repeat's instances are one stored value
        size = len(json.dumps(value, ensure_ascii=False))
        if size > MAX_ANSWER_CHARS:
            raise InvalidInput(
                "error.answer.too_long", question=name, size=size, limit=MAX_ANSWER_CHARS
            )
    return result
