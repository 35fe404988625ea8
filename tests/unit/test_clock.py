from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from gridapp.clock import CHINA_TZ, MAX_COUNTER, Hlc, iso, parse_iso
from gridapp.ids import is_uuid7, uuid7
from gridapp.rules import suggest_callback


def test_hlc_tick_and_encoding_order() -> None:
    a = Hlc(1000)
    b = a.tick(999)
    c = b.tick(2000)
    assert a < b < c
    assert a.encode() < b.encode() < c.encode()
    assert Hlc.decode(b.encode()) == b
    assert Hlc(5, MAX_COUNTER).tick(1) == Hlc(6, 0)


def test_hlc_receive_moves_past_both() -> None:
    local = Hlc(1000, 3)
    remote = Hlc(5000, 7)
    merged = local.receive(remote, now_ms=10)
    assert merged > remote and merged > local


def test_uuid7_is_time_ordered() -> None:
    t = datetime(2023, 12, 4, 9, tzinfo=CHINA_TZ)
    first, second = uuid7(t), uuid7(t + timedelta(milliseconds=1))
    assert is_uuid7(first) and uuid.UUID(first).variant == uuid.RFC_4122
    assert first < second
    assert not is_uuid7("not-a-uuid")


def test_iso_roundtrip_in_china_time() -> None:
    moment = datetime(2023, 12, 4, 19, 30, tzinfo=CHINA_TZ)
    assert iso(moment) == "2023-12-04T19:30:00+08:00"
    assert parse_iso("2023-12-04T11:30:00+00:00") == moment


def test_callback_suggestions_are_evenings_and_weekends() -> None:
    monday_10 = datetime(2023, 12, 4, 10, tzinfo=CHINA_TZ)
    assert suggest_callback(monday_10) == datetime(2023, 12, 4, 19, tzinfo=CHINA_TZ)
    monday_18 = datetime(2023, 12, 4, 18, tzinfo=CHINA_TZ)
    assert suggest_callback(monday_18) == datetime(2023, 12, 5, 19, tzinfo=CHINA_TZ)
    friday_19 = datetime(2023, 12, 8, 19, tzinfo=CHINA_TZ)
    assert suggest_callback(friday_19) == datetime(2023, 12, 9, 10, tzinfo=CHINA_TZ)
    saturday_9 = datetime(2023, 12, 9, 9, tzinfo=CHINA_TZ)
    assert suggest_callback(saturday_9) == datetime(2023, 12, 9, 15, tzinfo=CHINA_TZ)


def test_a_short_time_shows_the_year_only_when_it_is_not_this_one() -> None:
    from datetime import datetime

    from gridapp.clock import CHINA_TZ, display_short

    now = datetime(2026, 12, 6, 9, tzinfo=CHINA_TZ)
    assert display_short("2026-12-04T19:44:00+08:00", now) == "12-04 19:44"
    assert display_short("2023-12-04T19:44:00+08:00", now) == "2023-12-04 19:44"
    assert display_short("not a time", now) == "not a time"


def test_day_labels_name_the_year_unless_all_days_are_this_years() -> None:
    from datetime import date

    from gridapp.clock import day_labels

    assert day_labels(["2026-12-05", "2026-12-06"], date(2026, 12, 6)) == ["12-05", "12-06"]
    spanning = ["2023-12-06", "2026-12-06"]
    assert day_labels(spanning, date(2026, 12, 6)) == spanning  # never "12-06" twice
    assert day_labels(["2023-12-06"], date(2026, 12, 6)) == ["2023-12-06"]
