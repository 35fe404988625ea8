"""今日工作's data: the callbacks a worker has to make, by address and name."""

from __future__ import annotations

from datetime import datetime, timedelta

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.model import format_address
from gridapp.services import Services
from gridapp.services.visits import VisitInput


def test_callbacks_due_name_the_household_and_reach_past_tomorrow_evening(
    demo_services: Services, clock: FixedClock
) -> None:
    services = demo_services
    now = datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ)  # after the demo week
    clock.set(now)
    ids = services.read.household_ids()[:3]
    evening = (now + timedelta(days=1)).replace(hour=19)
    dues = (evening, now + timedelta(days=2), now + timedelta(days=6))
    for household, due in zip(ids, dues, strict=True):
        services.visits.record(VisitInput(household, "W0101", "not_home", callback_at=due))
    rows = {row["household_id"]: row for row in services.field.callbacks_due(None)}
    assert ids[0] in rows and ids[1] in rows and ids[2] not in rows  # six days on: later
    first = rows[ids[0]]
    detail = services.read.household(ids[0])
    assert detail is not None
    row = detail.row
    assert first["address"] == format_address(
        row.compound_name, row.building_number, row.unit, row.room
    )
    assert first["head_name"] == row.head_name != ""
    assert first["due_at"].startswith("2023-12-21T19:00") and not first["today"]
    assert not first["overdue"]
