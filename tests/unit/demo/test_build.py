"""The demo campaign: realistic, deterministic for a seed, scalable."""

from __future__ import annotations

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from tests.conftest import make_services


def _fingerprint(s: Services) -> list[tuple[object, ...]]:
    rows = s.read.household_rows(s.read.household_ids())
    return [
        (r.id, r.code, r.head_name, r.area, r.status, tuple(r.tags), r.visits, r.last_outcome)
        for r in rows
    ]


def test_same_seed_same_campaign(clock: FixedClock) -> None:
    a, b, c = (make_services(None, clock) for _ in range(3))
    build_demo(a, DemoOptions(households=150, seed=11))
    build_demo(b, DemoOptions(households=150, seed=11))
    build_demo(c, DemoOptions(households=150, seed=12))
    assert _fingerprint(a) == _fingerprint(b)
    assert a.read.counts() == b.read.counts()
    assert _fingerprint(a) != _fingerprint(c)


def test_default_shape_matches_the_seed_case(clock: FixedClock) -> None:
    s = make_services(None, clock)
    build_demo(s, DemoOptions())
    c = s.read.counts()
    assert c.households == 2000
    assert c.teams == 16
    assert c.compounds == 4
    names = [compound.name for compound in s.read.compounds()]
    assert "建业新村" in names
    kinds = {b.kind for b in s.read.buildings()}
    assert kinds == {"walkup", "highrise"}
    # every building belongs to a team
    assert all(b.team_number is not None for b in s.read.buildings())
    rows = s.read.household_rows(s.read.household_ids())
    assert len({r.code for r in rows}) == 2000
    assert any("独居老人" in r.tags for r in rows)
    statuses = {r.status for r in rows}
    assert statuses == {"owner_occupied", "rented", "vacant"}


def test_scales_to_any_size(clock: FixedClock) -> None:
    for n in (1, 17, 999):
        s = make_services(None, clock)
        build_demo(s, DemoOptions(households=n, seed=5))
        assert s.read.counts().households == n


def test_residents_have_phones_that_mask(demo_services: Services) -> None:
    from gridapp.model import mask_phone

    detail = demo_services.read.household(demo_services.read.household_ids()[0])
    assert detail is not None
    phone = detail.residents[0].phones[0]
    masked = mask_phone(phone)
    assert "*" in masked and masked[-4:] == phone[-4:] and masked != phone


def test_the_demo_is_a_campaign_running_this_week_whatever_today_is() -> None:
    """Built on 2026-12-06 (or any day), the demo week is under way: it began four days
    ago and ends in two, every visit lies in the past, callbacks fall due this week."""
    from datetime import datetime

    from gridapp.clock import CHINA_TZ

    now = datetime(2026, 12, 6, 11, 0, tzinfo=CHINA_TZ)
    services = make_services(None, FixedClock(now))
    build_demo(services, DemoOptions(households=200, seed=5))
    d = services.dashboard.snapshot()
    assert (d.starts_on, d.ends_on) == ("2026-12-02", "2026-12-08")
    assert [day.day for day in d.days][:5] == [f"2026-12-0{n}" for n in range(2, 7)]
    walked = [day.visits for day in d.days]
    assert all(n > 0 for n in walked[:4]) and walked[5:] == [0, 0]  # nothing in the future
    # Callbacks fall due within the week, not years ago ("1098 天" overdue).
    assert d.callbacks and all("2026-12-02" <= c.due_at[:10] <= "2026-12-08" for c in d.callbacks)
    services.store.close()
