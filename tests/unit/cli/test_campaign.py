"""Set-up and suggestion commands as office staff script them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from gridapp.cli import main
from tests.unit.cli.helpers import ok, refused


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["--data-dir", str(tmp_path), "demo", "--households", "300", "--seed", "3"]) == 0
    return tmp_path


def test_campaign_team_worker_and_assign(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = ok(capsys, demo, "campaign", "show", "--json")
    ends = date.fromisoformat(json.loads(before)["campaigns"][0]["ends_on"])
    after_the_end = (ends + timedelta(days=30)).isoformat()
    assert "日期" in refused(capsys, demo, "campaign", "edit", "--starts", after_the_end)
    assert "2023/12/31" in refused(capsys, demo, "campaign", "edit", "--ends", "2023/12/31")
    assert "光鸿苑" not in refused(capsys, demo, "campaign", "edit", "--compound", "无此小区")
    assert ok(capsys, demo, "campaign", "show", "--json") == before
    edited = json.loads(
        ok(
            capsys,
            demo,
            "campaign",
            "edit",
            "--name",
            "调价征询",
            "--ends",
            after_the_end,
            "--json",
        )
    )
    assert edited["campaign"]["name"] == "调价征询"
    assert edited["campaign"]["ends_on"] == after_the_end

    ok(capsys, demo, "team", "add", "17", "机动组")
    assert "17" in refused(capsys, demo, "team", "add", "17", "重复")
    ok(capsys, demo, "team", "rename", "17", "第17组")
    ok(capsys, demo, "worker", "add", "w1701", "曾小芳", "--team", "17")
    assert "W1701" in refused(capsys, demo, "worker", "add", "W1701", "重名", "--team", "17")
    assert "99" in refused(capsys, demo, "worker", "add", "W1702", "某某", "--team", "99")
    ok(capsys, demo, "worker", "move", "W1701", "--team", "3")
    ok(capsys, demo, "worker", "retire", "W1701")
    workers = json.loads(ok(capsys, demo, "worker", "list", "--all", "--json"))["workers"]
    assert {"code": "W1701", "active": 0, "team": 3}.items() <= next(
        w for w in workers if w["code"] == "W1701"
    ).items()
    active = json.loads(ok(capsys, demo, "worker", "list", "--json"))["workers"]
    assert "W1701" not in [w["code"] for w in active]
    household = json.loads(ok(capsys, demo, "household", "list", "--limit", "1", "--json"))
    code = household["households"][0]["code"]
    visit = ("visit", "record", "--household", code, "--worker", "W1701", "--outcome", "met")
    err = refused(capsys, demo, *visit)
    assert "停用" in err

    result = json.loads(
        ok(capsys, demo, "assign", "--team", "17", "--compound", "光鸿苑", "--json")
    )
    assert result["moved"] == result["total"] > 0
    teams = json.loads(ok(capsys, demo, "team", "list", "--json"))["teams"]
    assert next(t for t in teams if t["number"] == 17)["buildings"] == result["total"]
    assert "nope" in refused(capsys, demo, "assign", "--team", "17", "--building", "nope")
    unassigned = json.loads(ok(capsys, demo, "unassign", "--compound", "光鸿苑", "--json"))
    assert unassigned == {"unassigned": result["total"]}
    show = json.loads(ok(capsys, demo, "campaign", "show", "--json"))["campaigns"][0]
    assert next(t for t in show["teams"] if t["number"] == 17)["buildings"] == []


def test_suggestion_list_advance_export(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = json.loads(ok(capsys, demo, "suggestion", "list", "--json"))["suggestions"]
    assert rows and all(r["status"] == "new" for r in rows)
    assert "household_code" in rows[0] and "name" not in rows[0]
    first = rows[0]["id"]
    refused(capsys, demo, "suggestion", "advance", first, "--to", "closed")
    refused(capsys, demo, "suggestion", "advance", first, "--to", "forwarded")
    refused(capsys, demo, "suggestion", "advance", "0000", "--to", "forwarded", "--handler", "x")
    ok(capsys, demo, "suggestion", "advance", first[:30], "--to", "forwarded", "--handler", "物业")
    out = ok(
        capsys,
        demo,
        "suggestion",
        "advance",
        first,
        "--to",
        "answered",
        "--response",
        "已答复",
        "--json",
    )
    assert json.loads(out)["suggestion"]["status"] == "answered"
    assert "已办结" in ok(capsys, demo, "suggestion", "advance", first, "--to", "closed")
    closed = json.loads(ok(capsys, demo, "suggestion", "list", "--status", "closed", "--json"))
    assert [r["id"] for r in closed["suggestions"]] == [first]
    overdue = json.loads(ok(capsys, demo, "suggestion", "list", "--overdue", "--json"))
    assert first not in [r["id"] for r in overdue["suggestions"]]
    assert "超期" in ok(capsys, demo, "suggestion", "list", "--overdue")
    target = tmp_path / "out" / "意见建议.xlsx"
    target.parent.mkdir()
    assert str(len(rows)) in ok(capsys, demo, "suggestion", "export", "--out", str(target))
    assert target.stat().st_size > 0
    refused(capsys, demo, "suggestion", "export", "--out", str(tmp_path / "x.pdf"))
