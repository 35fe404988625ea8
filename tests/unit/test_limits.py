"""The bounds people type within are the wire's: nothing saved is refused on its way
to the office; a visit dated 1900 or 2099 is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, get_args

import pytest

from gridapp import limits
from gridapp.clock import CHINA_TZ
from gridapp.errors import InvalidInput
from gridapp.sync.wire_tables import TABLES

COLUMNS = {
    "visit_notes": ("visit", "notes"),
    "suggestion_text": ("suggestion", "text"),
    "online_question": ("online_answer", "question"),
    "online_answer": ("online_answer", "answer"),
    "void_reason": ("void", "reason"),
    "team_name": ("team", "name"),
    "worker_name": ("worker", "name"),
    "campaign_name": ("campaign", "name"),
    "campaign_description": ("campaign", "description"),
    "suggestion_handler": ("suggestion_status", "handler"),
    "suggestion_response": ("suggestion_status", "response"),
    "review_comment": ("review", "comment"),
    "policy_title": ("policy_item", "title"),
    "policy_body": ("policy_item", "body"),
    "property_firm": ("compound", "property_firm"),
}


def _meta(table: str, column: str) -> Any:
    return get_args(TABLES[table][column].type)[1]


def test_text_limits_are_the_wires() -> None:
    assert set(COLUMNS) == set(limits.TEXT_LIMITS)
    for kind, (table, column) in COLUMNS.items():
        assert limits.TEXT_LIMITS[kind] == _meta(table, column).max_length, kind
    assert _meta("team", "number").le == limits.TEAM_NUMBER
    assert _meta("visit", "people_met").le == limits.PEOPLE_MET


def test_a_text_one_past_its_limit_is_refused() -> None:
    limits.check_text("team_name", "组" * 80)
    with pytest.raises(InvalidInput) as refused:
        limits.check_text("team_name", "组" * 81)
    assert refused.value.key == "error.limit.team_name"
    assert refused.value.params == {"length": 81, "max": 80}


@pytest.mark.parametrize(
    ("moment", "ok"),
    [
        (datetime(1900, 1, 1, tzinfo=CHINA_TZ), False),
        (datetime(2019, 12, 31, 23, 59, tzinfo=CHINA_TZ), False),
        (datetime(2020, 1, 1, tzinfo=CHINA_TZ), True),
        (datetime(2027, 12, 6, tzinfo=CHINA_TZ), True),
        (datetime(2027, 12, 8, tzinfo=CHINA_TZ), False),
        (datetime(2099, 1, 1, tzinfo=CHINA_TZ), False),
    ],
)
def test_event_times_within_a_plausible_window(moment: datetime, ok: bool) -> None:
    now = datetime(2026, 12, 6, 12, tzinfo=CHINA_TZ)
    if ok:
        limits.check_event_time(moment, now)
    else:
        with pytest.raises(InvalidInput, match=r"error.limit.event_time"):
            limits.check_event_time(moment, now)


def test_days_and_blank_text() -> None:
    now = datetime(2026, 12, 6, 12, tzinfo=CHINA_TZ)
    limits.check_day(date(2031, 1, 1), now, timedelta(days=5 * 366))
    with pytest.raises(InvalidInput, match=r"error.limit.day"):
        limits.check_day(date(2031, 1, 1), now)
    assert limits.blank(" \u3000\u200b\n") and not limits.blank(" 好 ")


def test_the_deepest_repeat_a_form_may_hold_fits_the_wire() -> None:
    from gridapp import safe_json
    from gridapp.forms.limits import MAX_REPEAT_DEPTH
    from gridapp.sync.wire_tables import JSON_VALUE_DEPTH

    value: object = ["a", "b"]  # a multi-select in the innermost entry
    for _ in range(MAX_REPEAT_DEPTH):
        value = [{"q": value}]
    safe_json.check_depth(value, JSON_VALUE_DEPTH)
