"""Field rules: pure functions, the clock passed in."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from gridapp.codes import Outcome

#: Outcomes after which somebody must come back.
CALLBACK_OUTCOMES = frozenset({Outcome.NOT_HOME, Outcome.APPOINTMENT})

#: Outcomes where nobody was met: the household was not found in (people met = 0).
NOBODY_MET_OUTCOMES = frozenset({Outcome.NOT_HOME, Outcome.VACANT, Outcome.MOVED})


def default_people_met(outcome: str) -> int:
    """People met when nobody said: none when nobody was found in, else one."""
    return 0 if outcome in NOBODY_MET_OUTCOMES else 1


def people_met_fits(outcome: str, people_met: int) -> bool:
    """见面 means somebody was met; 无人在家, 空置 and 已搬离 mean nobody was."""
    if outcome == Outcome.MET:
        return people_met >= 1
    if outcome in NOBODY_MET_OUTCOMES:
        return people_met == 0
    return True


_EVENING = time(19, 0)
_WEEKEND_MORNING = time(10, 0)
_WEEKEND_AFTERNOON = time(15, 0)


def suggest_callback(after: datetime) -> datetime:
    """When grid workers find people in: weekday evenings at 19:00, weekends at 10:00
    or 15:00. Returns the first such slot at least two hours after `after`."""
    earliest = after + timedelta(hours=2)
    day = earliest.date()
    for _ in range(8):
        slots = (_WEEKEND_MORNING, _WEEKEND_AFTERNOON) if day.weekday() >= 5 else (_EVENING,)
        for slot in slots:
            candidate = datetime.combine(day, slot, tzinfo=after.tzinfo)
            if candidate >= earliest:
                return candidate
        day += timedelta(days=1)
    raise AssertionError("a slot exists within a week")
