"""`scorecard --campaign NAME|ID [--out FILE.xlsx|FILE.pdf] [--json] [--min-answers N]`
on the small office of tests/unit/services/scorecard_world.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gridapp.clock import FixedClock
from tests.conftest import make_services
from tests.unit.cli.helpers import ok, refused
from tests.unit.services.scorecard_world import build_world

Q4 = "2023年第四季度物业满意度测评"


@pytest.fixture
def office(tmp_path: Path, clock: FixedClock) -> Path:
    s = make_services(tmp_path / "gridapp.db", clock)
    build_world(s)
    s.close()
    return tmp_path


def test_terminal_shows_ranking_and_why_not_ranked(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ok(capsys, office, "scorecard", "--campaign", Q4, "--min-answers", "3")
    assert "物业服务测评：2023年第四季度物业满意度测评" in out
    assert "共 7 户作答；2 家物业企业，1 家参加排名（作答不少于 3 户）" in out
    assert "环比：2023年第三季度物业满意度测评" in out
    lines = out.splitlines()
    first = next(x for x in lines if "甲物业" in x)
    assert "第 1 名" in first and "3.75" in first and "+0.75" in first
    assert any("只有 2 户作答，少于 3 户，不排名" in x and "乙物业" in x for x in lines)
    assert any("自主管理" in x for x in lines) and any("丁小区" in x for x in lines)


def test_json_has_the_figures(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(ok(capsys, office, "scorecard", "--campaign", Q4, "--json"))
    assert doc["min_answers"] == 30 and doc["households_answered"] == 7
    jia = next(x for x in doc["firms"] if x["name"] == "甲物业")
    assert jia["figures"]["clean"] == {
        "n": 4,
        "mean": 3.5,
        "sd": pytest.approx(1.2910, abs=1e-4),
        "low": 2,
        "high": 5,
    }
    assert jia["ranked"] is False and jia["standing"] == "只有 4 户作答，少于 30 户，不排名"
    assert jia["change"] == pytest.approx(0.75)


def test_workbook_sheets_with_numbers_as_numbers(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "测评.xlsx"
    text = ok(
        capsys, office, "scorecard", "--campaign", Q4, "--min-answers", "3", "--out", str(out)
    )
    assert "物业测评已写入" in text
    book = load_workbook(out)
    assert book.sheetnames == ["排名", "按小区", "按维度"]
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[0][:6] == ("名次", "物业企业", "服务小区", "户数", "作答户数", "总分")
    assert ranking[1][:6] == ("第 1 名", "甲物业", "甲小区、乙小区", 6, 4, 3.75)
    assert ranking[1][8:] == (3.5, 4.0)  # 保洁, 秩序维护 as numbers
    compounds = [r[1] for r in book["按小区"].iter_rows(min_row=2, values_only=True)]
    assert compounds == ["甲小区", "丙小区", "乙小区", "丁小区"]
    dims = list(book["按维度"].iter_rows(min_row=2, values_only=True))
    assert dims[0] == ("物业企业", "甲物业", "保洁", 4, 3.5, 1.29, 2, 5, 3.0)


def test_pdf_embeds_the_cjk_font(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scorecard.pdf"
    ok(capsys, office, "scorecard", "--campaign", Q4, "--min-answers", "3", "--out", str(out))
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True)
    assert "WenQuanYi" in fonts.stdout and " yes " in fonts.stdout  # embedded
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = "".join(text.split())
    assert "第1名甲物业43.75+0.753.54.0" in words
    assert "只有2户作答，少于3户，不排名乙物业" in words


def test_refused_with_one_line_and_nothing_written(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "没有这个" in refused(capsys, office, "scorecard", "--campaign", "没有这个")
    assert ".xlsx 或 .pdf" in refused(
        capsys, office, "scorecard", "--campaign", Q4, "--out", str(tmp_path / "s.csv")
    )
    refused(capsys, office, "scorecard", "--campaign", Q4, "--min-answers", "0")
    assert not (tmp_path / "s.csv").exists()
