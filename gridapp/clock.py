"""Time for the whole core: one injectable clock, the hybrid logical clock, ISO formatting.

Timestamps are stored as ISO 8601 text in China Standard Time (+08:00) so that text
order equals time order and a printed time reads right to a Shanghai user.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

CHINA_TZ = timezone(timedelta(hours=8), "CST")
MAX_COUNTER = 99_999  # five digits in the encoding; past it the clock borrows a millisecond


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(CHINA_TZ)


class FixedClock:
    """A clock for tests and the demo: starts at `start`, advances only when told."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(CHINA_TZ)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(CHINA_TZ)


def iso(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


def display_time(text: str | None) -> str:
    """A stored time as people read it (2023-12-05 19:30), or a dash when there is none."""
    if not text:
        return "—"
    try:
        return parse_iso(text).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def display_short(text: str, now: datetime) -> str:
    """A time in a list (12-04 19:44), with its year when that is not this year's
    (2023-12-04 19:44): a history spanning New Year never reads as one year."""
    try:
        moment = parse_iso(text)
    except ValueError:
        return text
    shape = "%m-%d %H:%M" if moment.year == now.astimezone(moment.tzinfo).year else "%Y-%m-%d %H:%M"
    return moment.strftime(shape)


def day_labels(days: Sequence[str], today: date) -> list[str]:
    """Labels for a day axis (ISO dates in): 12-06 when every day is in this year,
    else 2023-12-06, so two years' 12-06 never stand side by side unnamed."""
    if all(day[:4] == f"{today.year:04d}" for day in days):
        return [day[5:] for day in days]
    return list(days)


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True, order=True)
class Hlc:
    """Hybrid logical clock stamp: wall milliseconds plus a counter for same-ms events.

    Used for tie-breaks and display only; order of one device's changes is its seq.
    """

    wall_ms: int
    counter: int = 0

    def encode(self) -> str:
        # Fixed width so text order equals clock order.
        return f"{self.wall_ms:015d}:{self.counter:05d}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        wall, _, counter = text.partition(":")
        return cls(int(wall), int(counter or 0))

    def tick(self, now_ms: int) -> Hlc:
        """The next stamp for a local event: never earlier than this one."""
        if now_ms > self.wall_ms:
            return Hlc(now_ms, 0)
        if self.counter >= MAX_COUNTER:
            return Hlc(self.wall_ms + 1, 0)
        return Hlc(self.wall_ms, self.counter + 1)

    def receive(self, remote: Hlc, now_ms: int) -> Hlc:
        """The next stamp after seeing a remote one (standard HLC receive rule)."""
        wall = max(self.wall_ms, remote.wall_ms, now_ms)
        if wall == self.wall_ms == remote.wall_ms:
            counter = max(self.counter, remote.counter) + 1
        elif wall == self.wall_ms:
            counter = self.counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        if counter > MAX_COUNTER:
            return Hlc(wall + 1, 0)
        return Hlc(wall, counter)


def monotonic_ms() -> float:
    return time.monotonic() * 1000
