"""Suggestions to closure: steps are immutable records; the latest is the status."""

from __future__ import annotations

import csv
import errno
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from gridapp.clock import CHINA_TZ, FixedClock, iso
from gridapp.errors import DiskFull, InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.suggestions import (
    FORWARDED_DUE,
    NEW_DUE,
    SuggestionFilter,
    is_overdue,
)
from gridapp.services.visits import VisitInput

OFFICE = "B0001"
AFTER_WEEK = datetime(2023, 12, 8, 9, tzinfo=CHINA_TZ)


@pytest.fixture
def s(demo_services: Services, clock: FixedClock) -> Services:
    clock.set(AFTER_WEEK)
    return demo_services


def _resident_names(s: Services) -> set[str]:
    return {r[0] for r in s.store.db.execute("SELECT name FROM resident").fetchall()}


def test_a_suggestion_goes_through_every_step(s: Services, clock: FixedClock) -> None:
    first = s.suggestions.rows()[0]
    assert first.status == "new" and first.household_code and first.address
    s.suggestions.advance(first.id, "forwarded", handler="物业公司")
    s.suggestions.advance(first.id, "answered", response="已清运并增加保洁频次")
    s.suggestions.advance(first.id, "closed")
    row = s.suggestions.get(first.id)
    assert (row.status, row.handler, row.response) == ("closed", "物业公司", "已清运并增加保洁频次")
    steps = s.suggestions.history(first.id)
    assert [st["status"] for st in steps] == ["forwarded", "answered", "closed"]
    assert all(st["worker_code"] == OFFICE for st in steps)
    # the clock did not move: each step is still stamped after the one before
    assert steps[0]["at"] < steps[1]["at"] < steps[2]["at"]
    # the suggestion record itself is untouched (a laptop may send it again)
    raw = s.store.db.execute("SELECT status FROM suggestion WHERE id = ?", [first.id]).fetchone()
    assert raw[0] == "new"
    # reopening: forwarded again, then answered and closed again
    s.suggestions.advance(first.id, "forwarded", handler="居委会")
    assert s.suggestions.get(first.id).status == "forwarded"


def test_steps_that_are_not_allowed(s: Services) -> None:
    one = s.suggestions.rows()[0].id
    for to, kwargs in (
        ("closed", {}),
        ("forwarded", {}),
        ("forwarded", {"handler": "  "}),
        ("answered", {}),
        ("new", {}),
        ("done", {}),
    ):
        with pytest.raises(InvalidInput):
            s.suggestions.advance(one, to, **kwargs)
    with pytest.raises(NotFound):
        s.suggestions.advance("nope", "forwarded", handler="x")
    s.act_as("NOBODY", "office")  # an account that is no worker records no step
    with pytest.raises(NotFound):
        s.suggestions.advance(one, "forwarded", handler="x")
    s.act_as(OFFICE, "office")
    s.suggestions.advance(one, "forwarded", handler="物业")
    s.suggestions.advance(one, "answered", response="已答复")
    s.suggestions.advance(one, "closed")
    with pytest.raises(InvalidInput):
        s.suggestions.advance(one, "answered", response="再答")
    assert s.store.db.execute("SELECT count(*) FROM suggestion_status").fetchone()[0] == 3


def test_voided_suggestions_and_those_of_voided_visits_never_appear(s: Services) -> None:
    rows = s.suggestions.rows()
    assert len(rows) == s.read.counts().suggestions
    s.visits.void("suggestion", rows[0].id, "重复录入")
    visit_id = s.store.db.execute(
        "SELECT visit_id FROM suggestion WHERE id = ?", [rows[1].id]
    ).fetchone()[0]
    s.visits.void("visit", visit_id, "录错户")
    left = {r.id for r in s.suggestions.rows()}
    assert rows[0].id not in left and rows[1].id not in left
    assert len(left) == s.read.counts().suggestions
    with pytest.raises(InvalidInput):
        s.suggestions.advance(rows[0].id, "forwarded", handler="物业")


def test_the_overdue_rule() -> None:
    made = datetime(2023, 12, 4, 9, tzinfo=CHINA_TZ)
    at = iso(made)
    assert not is_overdue("new", at, at, made + NEW_DUE)
    assert is_overdue("new", at, at, made + NEW_DUE + timedelta(minutes=1))
    forwarded = iso(made + timedelta(days=2))
    late = made + timedelta(days=2) + FORWARDED_DUE + timedelta(minutes=1)
    assert not is_overdue("forwarded", at, forwarded, made + timedelta(days=8))
    assert is_overdue("forwarded", at, forwarded, late)
    assert not is_overdue("answered", at, at, late + timedelta(days=99))
    assert not is_overdue("closed", at, at, late + timedelta(days=99))


def test_filters(s: Services, clock: FixedClock) -> None:
    everything = s.suggestions.rows()
    category = everything[0].category
    same = s.suggestions.rows(SuggestionFilter(category=category))
    assert 0 < len(same) < len(everything) and {r.category for r in same} == {category}
    one = everything[0]
    s.suggestions.advance(one.id, "forwarded", handler="房管办")
    forwarded = s.suggestions.rows(SuggestionFilter(status="forwarded"))
    assert [r.id for r in forwarded] == [one.id]
    assert len(s.suggestions.rows(SuggestionFilter(status="new"))) == len(everything) - 1
    assert [r.id for r in s.suggestions.rows(SuggestionFilter(text="房管"))] == [one.id]
    word = everything[1].text[:2]  # two characters: found without the trigram index
    assert everything[1].id in {r.id for r in s.suggestions.rows(SuggestionFilter(text=word))}
    team = everything[2].team
    assert team is not None
    by_team = s.suggestions.rows(SuggestionFilter(team_number=team))
    assert by_team and {r.team for r in by_team} == {team}
    compound = s.campaigns.compounds(None)[0]["id"]
    in_compound = s.suggestions.rows(SuggestionFilter(compound_id=compound))
    assert 0 < len(in_compound) < len(everything)
    # a week after the campaign every new one is overdue; the forwarded one is not yet
    clock.set(AFTER_WEEK + timedelta(days=4))
    overdue = s.suggestions.rows(SuggestionFilter(overdue_only=True))
    assert one.id not in {r.id for r in overdue}
    assert len(overdue) == len(everything) - 1
    clock.advance(days=8)
    assert len(s.suggestions.rows(SuggestionFilter(overdue_only=True))) == len(everything)
    with pytest.raises(InvalidInput):
        s.suggestions.rows(SuggestionFilter(status="done"))


def test_a_fresh_suggestion_is_not_overdue(s: Services, clock: FixedClock) -> None:
    household = s.read.household_ids()[3]
    s.visits.record(VisitInput(household, "W0101", "met", suggestions=(("safety", "楼道灯坏了"),)))
    row = next(r for r in s.suggestions.rows() if r.text == "楼道灯坏了")
    assert not row.overdue and row.age_days == 0
    clock.advance(days=3, minutes=1)
    assert s.suggestions.get(row.id).overdue


def test_export_csv_and_xlsx_hold_no_names_or_phones(s: Services, tmp_path: Path) -> None:
    first = s.suggestions.rows()[0]
    s.suggestions.advance(first.id, "forwarded", handler="物业公司")
    out = tmp_path / "意见建议.csv"
    count = s.suggestions.export(out)
    assert count == len(s.suggestions.rows())
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][:3] == ["类别", "内容", "状态"]
    assert len(lines) == count + 1
    assert [lines[1][2], lines[1][4]] == ["已转办", "物业公司"]
    names = _resident_names(s)
    text = raw.decode("utf-8-sig")
    assert not any(name in text for name in names if len(name) >= 2)
    from openpyxl import load_workbook

    xlsx = tmp_path / "s.xlsx"
    assert s.suggestions.export(xlsx, SuggestionFilter(status="forwarded"), "en") == 1
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Category", "Text", "Status"]
    assert values[1][1] == first.text and values[1][4] == "物业公司"
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".part", ".tmp")]
    with pytest.raises(InvalidInput):
        s.suggestions.export(tmp_path / "s.txt")


@pytest.mark.parametrize("name", ["意见建议.csv", "意见建议.xlsx"])
def test_a_full_stick_says_it_is_full_and_keeps_the_last_export(
    s: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """It used to say "read-only": the user would look for a write-protect switch."""
    out = tmp_path / name
    s.suggestions.export(out)
    before = out.read_bytes()

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFull) as caught:
        s.suggestions.export(out)
    assert caught.value.params == {"path": str(out)}
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
