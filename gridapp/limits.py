"""Bounds on what a person may enter, one set for the command line, the desktop and the
services: text lengths equal to the wire's (sync/wire_tables.py, held equal by
tests/unit/test_limits.py), so nothing saved here is refused on its way to the office;
event times within a plausible window; counts within what a form can mean.

Each check raises InvalidInput with a catalog key, before anything is written."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from gridapp.clock import CHINA_TZ, iso
from gridapp.errors import InvalidInput

#: Nothing the app records happened before it existed.
EARLIEST_EVENT: Final = datetime(2020, 1, 1, tzinfo=CHINA_TZ)
#: An appointment or a wrong clock may be ahead, but not by more than this.
EVENT_HORIZON: Final = timedelta(days=366)

TEAM_NUMBER: Final = 9999
PEOPLE_MET: Final = 50

#: Characters, per kind of text (the wire's bound for that column).
TEXT_LIMITS: Final[dict[str, int]] = {
    "visit_notes": 4000,
    "suggestion_text": 4000,
    "online_question": 4000,
    "online_answer": 4000,
    "void_reason": 2000,
    "team_name": 80,
    "worker_name": 80,
    "campaign_name": 120,
    "campaign_description": 4000,
    "suggestion_handler": 120,
    "suggestion_response": 4000,
    "review_comment": 2000,
    "policy_title": 200,
    "policy_body": 100_000,
    "property_firm": 120,
}

#: The catalog key that names each kind of text in a refusal.
_TOO_LONG: Final[dict[str, str]] = {
    "visit_notes": "error.limit.visit_notes",
    "suggestion_text": "error.limit.suggestion_text",
    "online_question": "error.limit.online_question",
    "online_answer": "error.limit.online_answer",
    "void_reason": "error.limit.void_reason",
    "team_name": "error.limit.team_name",
    "worker_name": "error.limit.worker_name",
    "campaign_name": "error.limit.campaign_name",
    "campaign_description": "error.limit.campaign_description",
    "suggestion_handler": "error.limit.suggestion_handler",
    "suggestion_response": "error.limit.suggestion_response",
    "review_comment": "error.limit.review_comment",
    "policy_title": "error.limit.policy_title",
    "policy_body": "error.limit.policy_body",
    "property_firm": "error.limit.property_firm",
}


def blank(text: str) -> bool:
    """No visible character: empty, spaces, or only invisible ones (a zero-width space)."""
    return not any(ch.isprintable() and not ch.isspace() for ch in text)


def check_text(kind: str, text: str) -> None:
    """Refuse text longer than its kind allows."""
    limit = TEXT_LIMITS[kind]
    if len(text) > limit:
        raise InvalidInput(_TOO_LONG[kind], length=len(text), max=limit)


def event_window(now: datetime) -> tuple[datetime, datetime]:
    return EARLIEST_EVENT, now + EVENT_HORIZON


def check_event_time(moment: datetime, now: datetime) -> None:
    """A visit or an answer dated before 2020 or more than a year ahead is a typo."""
    earliest, latest = event_window(now)
    if not earliest <= moment <= latest:
        raise InvalidInput(
            "error.limit.event_time",
            at=iso(moment),
            earliest=earliest.date().isoformat(),
            latest=latest.date().isoformat(),
        )


def check_day(day: date, now: datetime, ahead: timedelta = EVENT_HORIZON) -> None:
    """A calendar day (a campaign's start, a report's date) within the same window."""
    earliest, latest = EARLIEST_EVENT.date(), (now + ahead).date()
    if not earliest <= day <= latest:
        raise InvalidInput(
            "error.limit.day",
            value=day.isoformat(),
            earliest=earliest.isoformat(),
            latest=latest.isoformat(),
        )
