"""`household move-out / move-in / merge / split` as office staff script them."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.cli.guard import action_for
from gridapp.trust.roles import Action, can
from tests.unit.cli.helpers import ok, refused


def rows(folder: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(folder / "gridapp.db")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["--data-dir", str(tmp_path), "demo", "--households", "120", "--seed", "3"]) == 0
    return tmp_path


def _occupied_pair(folder: Path) -> tuple[str, str]:
    """Codes of two occupied households of one building."""
    found = rows(
        folder,
        """SELECT h.code, h.building_id FROM household h WHERE EXISTS
           (SELECT 1 FROM resident r WHERE r.household_id = h.id) ORDER BY h.building_id, h.code""",
    )
    for (a, ba), (b, bb) in itertools.pairwise(found):
        if ba == bb:
            return str(a), str(b)
    raise AssertionError("no building with two occupied households")


def test_move_out_then_in(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _occupied_pair(demo)
    before = rows(demo, "SELECT count(*) FROM resident r JOIN household h"
                  " ON h.id = r.household_id WHERE h.code = ?", code)[0][0]  # fmt: skip
    out = ok(capsys, demo, "household", "move-out", code)
    assert f"已迁出 {before} 人" in out and code in out
    assert "没有居民" in refused(capsys, demo, "household", "move-out", code)
    answer = json.loads(
        ok(
            capsys,
            demo,
            "household",
            "move-in",
            code,
            "--resident",
            "王新:head",
            "--resident",
            "李新",
            "--status",
            "rented",
            "--json",
        )
    )
    assert len(answer["residents"]) == 2
    assert rows(demo, "SELECT status FROM household WHERE code = ?", code) == [("rented",)]
    assert "仍有居民" in refused(capsys, demo, "household", "move-in", code, "--resident", "赵")
    err = refused(capsys, demo, "household", "move-in", code, "--resident", "赵:boss")
    assert "boss" in err
    kinds = rows(
        demo,
        "SELECT e.kind, e.residents FROM household_event e JOIN household h"
        " ON h.id = e.household_id WHERE h.code = ? ORDER BY e.at, e.rowid",
        code,
    )
    assert kinds == [("moved_out", before), ("moved_in", 2)]


def test_merge_and_split(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keep, other = _occupied_pair(demo)
    listed = len(json.loads(ok(capsys, demo, "household", "list", "--json"))["households"])
    answer = json.loads(ok(capsys, demo, "household", "merge", keep, other, "--room", "东套",
                           "--json"))  # fmt: skip
    assert answer["room"] == "东套"
    after = json.loads(ok(capsys, demo, "household", "list", "--json"))["households"]
    assert len(after) == listed - 1  # one household to visit now
    assert "已并入" in refused(capsys, demo, "household", "merge", keep, other)
    resident = rows(demo, "SELECT r.id FROM resident r JOIN household h"
                    " ON h.id = r.household_id WHERE h.code = ? LIMIT 1", keep)[0][0]  # fmt: skip
    split = json.loads(
        ok(
            capsys,
            demo,
            "household",
            "split",
            keep,
            "--room",
            "9901",
            "--resident",
            str(resident),
            "--json",
        )
    )
    assert split["code"].endswith("9901")
    assert rows(demo, "SELECT household_id FROM resident WHERE id = ?", resident) == [
        (split["new"],)
    ]
    far = rows(demo, "SELECT code FROM household WHERE building_id != (SELECT building_id"
               " FROM household WHERE code = ?) LIMIT 1", keep)[0][0]  # fmt: skip
    assert "同一幢楼" in refused(capsys, demo, "household", "merge", keep, str(far))
    assert "NOPE" in refused(capsys, demo, "household", "merge", keep, "NOPE")


@pytest.mark.parametrize("command", ["move-out", "move-in", "merge", "split"])
def test_only_office_staff_change_the_lifecycle(command: str) -> None:
    """A signed-in field worker is refused before the command runs (the service checks
    the same right again: tests/unit/services/test_households_lifecycle.py)."""
    action = action_for(f"household {command}", "office")
    assert action is Action.ROSTER_IMPORT
    assert can("office", action) and can("admin", action) and not can("field", action)
