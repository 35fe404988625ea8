"""The office's review of visits: approve, return with a comment, the refusals, the
flags, the state per team; counts never change with a review."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridapp import audit_actions
from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.errors import AccessDenied, InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.review import ReviewFilter
from gridapp.services.visits import VisitInput

AFTER_WEEK = datetime(2023, 12, 8, 9, tzinfo=CHINA_TZ)


@pytest.fixture
def s(demo_services: Services, clock: FixedClock) -> Services:
    clock.set(AFTER_WEEK)
    return demo_services


def _household(s: Services, team: int = 1) -> str:
    return s.read.household_ids(team_number=team)[0]


def test_approve_and_return_are_steps_and_counts_stay(s: Services) -> None:
    before = s.read.counts()
    queue = s.review.queue()
    assert len(queue) == before.visits  # every live visit is reviewed, none left out
    assert {r.state for r in queue} == {"new"}
    first, second = queue[0].id, queue[1].id
    assert s.review.approve([first, first]) == 1
    s.review.return_visit(second, "  问卷第3题请补充  ")
    rows = {r.id: r for r in s.review.queue()}
    assert rows[first].state == "approved"
    assert (rows[second].state, rows[second].comment) == ("returned", "问卷第3题请补充")
    assert rows[second].reviewed_at is not None
    assert s.read.counts() == before  # reviewing never changes what counts
    # the queue filters by state, and the states per team add up
    assert [r.id for r in s.review.queue(ReviewFilter(state="approved"))] == [first]
    assert [r.id for r in s.review.queue(ReviewFilter(state="returned"))] == [second]
    states = s.review.team_states()
    assert sum(t["new"] + t["approved"] + t["returned"] for t in states) == before.visits
    assert sum(t["approved"] for t in states) == 1 and sum(t["returned"] for t in states) == 1
    # a change of mind is a new step: the returned visit approved after all
    s.review.approve([second])
    assert s.review.queue(ReviewFilter(state="returned")) == []
    steps = s.store.db.execute(
        "SELECT r.status, w.code FROM review r JOIN worker w ON w.id = r.worker_id"
        " WHERE r.visit_id = ? ORDER BY r.at",
        [second],
    ).fetchall()
    assert [tuple(x) for x in steps] == [("returned", "B0001"), ("approved", "B0001")]


def test_refusals_have_their_own_words(s: Services) -> None:
    queue = s.review.queue()
    one, two = queue[0].id, queue[1].id
    with pytest.raises(InvalidInput) as caught:
        s.review.return_visit(one, " \u200b ")
    assert caught.value.key == "error.review.comment_missing"
    with pytest.raises(InvalidInput) as caught:
        s.review.return_visit(one, "改" * 2001)
    assert caught.value.key == "error.limit.review_comment"
    with pytest.raises(NotFound) as missing:
        s.review.approve(["018c0000-0000-7000-8000-000000000000"])
    assert missing.value.key == "error.review.not_found"
    with pytest.raises(InvalidInput) as caught:
        s.review.approve([])
    assert caught.value.key == "error.review.nothing_chosen"
    s.review.approve([one])
    with pytest.raises(InvalidInput) as caught:
        s.review.approve([one])
    assert caught.value.key == "error.review.already_approved"
    s.review.return_visit(two, "请核实")
    with pytest.raises(InvalidInput) as caught:
        s.review.return_visit(two, "再次")
    assert caught.value.key == "error.review.already_returned"
    # all or none: one bad visit in the batch writes nothing
    third = queue[2].id
    with pytest.raises(InvalidInput):
        s.review.approve([third, one])
    assert s.review.queue(ReviewFilter(state="new"))[0].id == third
    s.visits.void("visit", third, "录错了住户")
    with pytest.raises(InvalidInput) as caught:
        s.review.approve([third])
    assert caught.value.key == "error.review.voided"


def test_a_correction_supersedes_the_returned_visit_and_is_new(s: Services) -> None:
    before = s.read.counts()
    household = _household(s)
    made = s.visits.record(VisitInput(household, "W0101", "met", answers={"stance": "agree"}))
    s.review.return_visit(made.visit_id, "请补填满意度")
    assert [r.id for r in s.review.returned_for_me()] == [made.visit_id]
    fixed = s.visits.correct(
        made.visit_id,
        VisitInput(household, "W0101", "met", answers={"stance": "agree", "satisfaction": 4}),
    )
    assert s.review.returned_for_me() == []
    ids = {r.id: r for r in s.review.queue()}
    assert made.visit_id not in ids
    assert (ids[fixed.visit_id].state, ids[fixed.visit_id].corrects) == ("new", made.visit_id)
    with pytest.raises(InvalidInput) as caught:
        s.review.approve([made.visit_id])
    assert caught.value.key == "error.review.superseded"
    assert s.read.counts().visits == before.visits + 1  # the correction counts once


def test_flags(s: Services) -> None:
    household = _household(s)
    start = AFTER_WEEK - timedelta(hours=2)

    def visit(minutes: int, answers: dict[str, object], outcome: str = "met") -> str:
        return s.visits.record(
            VisitInput(
                household,
                "W0101",
                outcome,
                started_at=start,
                ended_at=start + timedelta(minutes=minutes),
                answers=answers,
            )
        ).visit_id

    ok = visit(10, {"stance": "agree", "satisfaction": 4})
    short = visit(1, {"stance": "agree", "satisfaction": 4})
    knock = visit(1, {}, outcome="not_home")
    empty = visit(10, {})
    agree_1 = visit(10, {"stance": "agree", "satisfaction": 1})
    oppose_5 = visit(10, {"stance": "oppose", "reasons": ["history"], "satisfaction": 5})
    flags = {r.id: set(r.flags) for r in s.review.queue(ReviewFilter(day="2023-12-08"))}
    assert flags[ok] == set() and flags[knock] == set()
    assert flags[short] == {"short"}
    assert flags[empty] == {"no_answers"}
    assert flags[agree_1] == flags[oppose_5] == {"contradiction"}
    found = s.review.queue(ReviewFilter(flag="contradiction", worker="w0101", team=1))
    assert {agree_1, oppose_5} <= {r.id for r in found}
    assert all("contradiction" in r.flags and r.worker_code == "W0101" for r in found)
    with pytest.raises(InvalidInput):
        s.review.queue(ReviewFilter(flag="odd"))
    with pytest.raises(InvalidInput):
        s.review.queue(ReviewFilter(state="done"))


def test_each_review_is_audited_with_its_actor(s: Services) -> None:
    s.act_as("B0001", "office")
    one, two = (r.id for r in s.review.queue()[:2])
    s.review.approve([one])
    s.review.return_visit(two, "请核实住户")
    s.act_as("A0001", "admin")
    approved = s.audit.entries(audit_actions.VISIT_APPROVED)
    returned = s.audit.entries(audit_actions.VISIT_RETURNED)
    assert [(e.actor, e.target) for e in approved] == [("B0001", one)]
    assert [(e.actor, e.target) for e in returned] == [("B0001", two)]
    assert "请核实住户" not in str(returned[0])  # the comment is no audit text


def test_field_workers_may_not_review_but_see_their_returns(s: Services) -> None:
    household = _household(s)
    mine = s.visits.record(VisitInput(household, "W0101", "met")).visit_id
    theirs = s.visits.record(VisitInput(household, "W0102", "met")).visit_id
    other_team = s.visits.record(VisitInput(_household(s, 2), "W0201", "met")).visit_id
    for visit_id in (mine, theirs, other_team):
        s.review.return_visit(visit_id, "请补充")
    s.act_as("W0101", "field")
    with pytest.raises(AccessDenied):
        s.review.approve([mine])
    with pytest.raises(AccessDenied):
        s.review.queue()
    assert [r.id for r in s.review.returned_for_me()] == [mine]
    s.act_as("B0001", "office")
    assert {mine, theirs, other_team} <= {r.id for r in s.review.returned_for_me()}
