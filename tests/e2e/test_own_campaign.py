"""Issue 18, end to end on the command line from an empty folder, no demo: an office
initialises, imports its own roster, creates a campaign from an XLSForm it wrote, sets
up a team and its buildings, enrols a laptop; the laptop records visits and exports;
the office imports and reports. Then a second campaign over the same households: each
campaign counts its own visits and the totals are the sum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gridapp.cli import main
from tests.unit.cli.test_campaign_create import lift_workbook
from tests.unit.roster.helpers import write_xlsx

pytestmark = pytest.mark.slow  # end to end (scripts/fast.sh leaves it out)


def cli(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str, code: int = 0) -> str:
    result = main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    assert result == code, err
    return out if code == 0 else err


def stats(capsys: pytest.CaptureFixture[str], folder: Path, *campaign: str) -> dict[str, int]:
    args = ["--campaign", campaign[0]] if campaign else []
    return dict(json.loads(cli(capsys, folder, "stats", "--json", *args)))


def test_an_office_runs_its_own_campaigns_from_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    cli(capsys, office, "init", "--role", "office", "--plain")
    assert "尚无专项行动" in cli(capsys, office, "campaign", "list")
    cli(capsys, office, "roster", "import", str(write_xlsx(tmp_path / "roster.xlsx")))
    lift = lift_workbook(tmp_path / "lift.xlsx")
    out = cli(capsys, office, "campaign", "create", "--name", "加装电梯意愿征询",
              "--starts", "2026-12-01", "--ends", "2027-01-31", "--compound", "建业新村",
              "--compound", "光鸿苑", "--xlsform", str(lift),
              "--new-policy", "加装电梯补贴", "每台补贴最高 28 万元。")  # fmt: skip
    assert "6 户" in out
    cli(capsys, office, "team", "add", "1", "第一小组")
    cli(capsys, office, "worker", "add", "W0101", "李网格", "--team", "1")
    cli(capsys, office, "assign", "--campaign", "加装电梯意愿征询", "--team", "1",
        "--compound", "建业新村", "--compound", "光鸿苑")  # fmt: skip
    shown = cli(capsys, office, "campaign", "show", "加装电梯意愿征询")
    assert "第一小组" in shown and "李网格(W0101)" in shown

    cli(capsys, laptop, "init", "--role", "field", "--name", "lap", "--plain")
    request = tmp_path / "request.json"
    cli(capsys, laptop, "device", "request", "--out", str(request))
    roster = tmp_path / "roster.gsb"
    cli(capsys, office, "device", "enroll", str(request), "--team", "1",
        "--out", str(roster), "--allow-plain")  # fmt: skip
    cli(capsys, laptop, "bundle", "import", str(roster))
    homes = json.loads(cli(capsys, laptop, "household", "list", "--json"))["households"]
    assert len(homes) == 6
    for n, home in enumerate(homes[:4]):
        if n < 3:
            cli(capsys, laptop, "visit", "record", "--household", home["code"],
                "--worker", "W0101", "--outcome", "met",
                "--answers", json.dumps({"willing": "yes" if n else "no", "floor": n + 1}),
                "--explained", "加装电梯补贴:understood")  # fmt: skip
        else:
            cli(capsys, laptop, "visit", "record", "--household", home["code"],
                "--worker", "W0101", "--outcome", "not_home")  # fmt: skip
    bundle = tmp_path / "work.gsb"
    cli(capsys, laptop, "bundle", "export", "--out", str(bundle))
    cli(capsys, office, "bundle", "import", str(bundle))
    merged = stats(capsys, office)
    assert merged["visits"] == 4 and merged["consultations"] == 3
    assert stats(capsys, office, "加装电梯意愿征询") == merged

    report = tmp_path / "report.xlsx"
    cli(capsys, office, "report", "--campaign", "加装电梯意愿征询", "--out", str(report))
    book = load_workbook(report, read_only=True)
    text = "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "加装电梯意愿征询" in text and "同意" in text and "不同意" in text

    # A second campaign over the same households, started the same month.
    cli(capsys, office, "campaign", "create", "--name", "四百走访", "--starts", "2026-12-05",
        "--ends", "2027-02-28", "--compound", "建业新村", "--compound", "光鸿苑")  # fmt: skip
    cli(capsys, office, "assign", "--campaign", "四百走访", "--team", "1",
        "--compound", "建业新村", "--compound", "光鸿苑")  # fmt: skip
    code = homes[0]["code"]
    err = cli(capsys, office, "visit", "record", "--household", code, "--worker", "W0101",
              "--outcome", "not_home", code=2)  # fmt: skip
    assert "请选择这次走访属于哪一个" in err
    cli(capsys, office, "visit", "record", "--household", code, "--worker", "W0101",
        "--outcome", "not_home", "--campaign", "四百走访")  # fmt: skip
    four, lift_stats, every = (
        stats(capsys, office, "四百走访"),
        stats(capsys, office, "加装电梯意愿征询"),
        stats(capsys, office),
    )
    assert (four["visits"], lift_stats["visits"], every["visits"]) == (1, 4, 5)
    listed = json.loads(cli(capsys, office, "campaign", "list", "--json"))["campaigns"]
    assert {c["name"]: c["visits"] for c in listed} == {"加装电梯意愿征询": 4, "四百走访": 1}
