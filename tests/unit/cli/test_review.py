"""`review list / approve / return` as office staff script them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gridapp.cli import main
from tests.unit.cli.helpers import ok, refused


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["--data-dir", str(tmp_path), "demo", "--households", "120", "--seed", "3"]) == 0
    return tmp_path


def _visits(capsys: pytest.CaptureFixture[str], folder: Path, *filters: str) -> list[Any]:
    return list(json.loads(ok(capsys, folder, "review", "list", "--json", *filters))["visits"])


def test_list_approve_return(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stats = ok(capsys, demo, "stats", "--json")
    queue = _visits(capsys, demo)
    assert len(queue) == json.loads(stats)["visits"]
    assert {v["state"] for v in queue} == {"new"}
    first, second, third = (v["id"] for v in queue[:3])
    assert "2 条" in ok(capsys, demo, "review", "approve", first, second[:12])
    out = ok(capsys, demo, "review", "return", third, "--comment", "请补填满意度")
    assert third in out and "名册包" in out
    assert [v["id"] for v in _visits(capsys, demo, "--state", "approved")] == [first, second]
    [back] = _visits(capsys, demo, "--state", "returned")
    assert (back["id"], back["comment"]) == (third, "请补填满意度")
    listed = ok(capsys, demo, "review", "list", "--state", "returned")
    assert "退回待改" in listed and "请补填满意度" in listed and "共 1 条走访" in listed
    assert ok(capsys, demo, "stats", "--json") == stats  # reviews never change the counts
    # filters
    team = queue[0]["team"]
    by_team = _visits(capsys, demo, "--team", str(team))
    assert by_team and {v["team"] for v in by_team} == {team}
    worker = queue[0]["worker_code"]
    assert {v["worker_code"] for v in _visits(capsys, demo, "--worker", worker.lower())} == {worker}
    day = queue[0]["started_at"][:10]
    assert {v["started_at"][:10] for v in _visits(capsys, demo, "--day", day)} == {day}
    flagged = _visits(capsys, demo, "--flag", "contradiction")
    assert all("contradiction" in v["flags"] for v in flagged)


def test_refusals_are_one_line(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _visits(capsys, demo)[0]["id"]
    ok(capsys, demo, "review", "approve", first)
    assert "已经审核通过" in refused(capsys, demo, "review", "approve", first)
    assert "找不到" in refused(capsys, demo, "review", "approve", "NOPE")
    refused(capsys, demo, "review", "return", first)  # no comment
    refused(capsys, demo, "review", "return", first, "--comment", " ")
    refused(capsys, demo, "review", "list", "--state", "done")
    refused(capsys, demo, "review", "list", "--team", "9998")
    refused(capsys, demo, "review", "list", "--day", "2023-13-01")
