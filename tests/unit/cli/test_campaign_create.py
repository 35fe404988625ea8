"""`campaign create`, `list`, `show NAME` and `publish` from an office's own roster: no
demo involved. Bad input is one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.unit.cli.helpers import ok, refused, run
from tests.unit.roster.helpers import write_xlsx


def lift_workbook(path: Path, *, broken: bool = False) -> Path:
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label", "required"])
    survey.append(["select_one yn", "willing", "是否同意加装电梯", "yes"])
    survey.append(["integer", "floor", "所住楼层", ""])
    if broken:
        survey.append(["integer", "floor", "重复的题目", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["yn", "yes", "同意"])
    choices.append(["yn", "no", "不同意"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["加装电梯意愿征询", "lift", 1])
    book.save(path)
    return path


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "office"
    ok(capsys, folder, "init", "--role", "office", "--plain")
    ok(capsys, folder, "roster", "import", str(write_xlsx(tmp_path / "roster.xlsx")))
    return folder


def _campaigns(capsys: pytest.CaptureFixture[str], folder: Path) -> list[dict[str, object]]:
    return list(json.loads(ok(capsys, folder, "campaign", "list", "--json"))["campaigns"])


def test_an_empty_office_creates_its_first_campaign(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "尚无专项行动" in ok(capsys, office, "campaign", "list")
    out = ok(
        capsys,
        office,
        "campaign",
        "create",
        "--name",
        "加装电梯意愿征询",
        "--starts",
        "2027-01-04",
        "--ends",
        "2027-01-31",
        "--compound",
        "建业新村",
        "--xlsform",
        str(lift_workbook(tmp_path / "lift.xlsx")),
        "--new-policy",
        "加装电梯补贴",
        "每台补贴最高 28 万元。",
        "--purpose",
        "征询加装电梯意愿",
    )
    assert "已新建专项行动“加装电梯意愿征询”" in out and "1 个小区" in out
    (row,) = _campaigns(capsys, office)
    assert row["status"] == "active" and row["form_id"] == "lift" and row["households"] == 4
    listed = ok(capsys, office, "campaign", "list")
    assert "加装电梯意愿征询" in listed and "lift v1" in listed
    shown = ok(capsys, office, "campaign", "show", "加装电梯意愿征询")
    assert "加装电梯补贴" in shown and "建业新村" in shown
    assert "加装电梯意愿征询" in ok(capsys, office, "campaign", "show", str(row["id"]))


def test_a_draft_starts_when_published(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, office, "campaign", "create", "--name", "四百走访", "--starts", "2027-01-04",
       "--ends", "2027-03-31", "--compound", "光鸿苑", "--draft")  # fmt: skip
    assert _campaigns(capsys, office)[0]["status"] == "draft"
    assert "已启动" in ok(capsys, office, "campaign", "publish", "四百走访")
    assert _campaigns(capsys, office)[0]["status"] == "active"
    err = refused(capsys, office, "campaign", "publish", "四百走访")
    assert "不是草稿" in err


NAME = ["--name", "测试"]
DAYS = ["--starts", "2027-01-04", "--ends", "2027-01-31"]
HERE = ["--compound", "建业新村"]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([*NAME, "--starts", "2027-02-01", "--ends", "2027-01-01", *HERE], "早于开始日期"),
        ([*NAME, *DAYS, "--compound", "没有这个小区"], "没有这个小区"),
        ([*NAME, *DAYS, *HERE, "--questionnaire", "nope"], "nope"),
        ([*NAME, *DAYS, *HERE, "--new-policy", "补贴", "  "], "不能为空"),
        ([*NAME, *DAYS, *HERE, "--policy", "NOPE-1"], "NOPE-1"),
        ([*NAME, "--starts", "2027-02-30", "--ends", "2027-03-01", *HERE], "2027-02-30"),
        (["--name", "　", *DAYS, *HERE], "不能为空"),
    ],
)
def test_bad_input_is_refused_in_one_line(
    office: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    err = refused(capsys, office, "campaign", "create", *argv)
    assert says in err, err
    assert _campaigns(capsys, office) == []


def test_the_same_name_twice_is_refused(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["campaign", "create", "--name", "四百走访", "--starts", "2027-01-04", "--ends",
            "2027-03-31", "--compound", "光鸿苑"]  # fmt: skip
    ok(capsys, office, *argv)
    err = refused(capsys, office, *argv[:3], "四百走访 ", *argv[4:])
    assert "已有名为“四百走访”" in err
    assert len(_campaigns(capsys, office)) == 1


def test_a_workbook_that_fails_lists_its_problems_and_writes_nothing(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, office, "campaign", "create", "--name", "电梯",
                         "--starts", "2027-01-04", "--ends", "2027-01-31",
                         "--compound", "建业新村", "--xlsform",
                         str(lift_workbook(tmp_path / "bad.xlsx", broken=True)))  # fmt: skip
    assert code == 2 and out == ""
    assert "bad.xlsx" in err and "floor" in err
    assert _campaigns(capsys, office) == []
    assert json.loads(ok(capsys, office, "questionnaire", "list", "--json"))["questionnaires"] == []


def test_an_office_names_its_compounds_property_firms(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = json.loads(ok(capsys, office, "compound", "list", "--json"))["compounds"]
    assert {(c["name"], c["property_firm"], c["households"]) for c in listed} == {
        ("建业新村", "", 4),
        ("光鸿苑", "", 2),
    }
    out = ok(capsys, office, "compound", "firm", "光鸿苑", "--firm", "上海光鸿物业  管理有限公司")
    assert "上海光鸿物业 管理有限公司" in out
    assert "自主管理" in ok(capsys, office, "compound", "firm", "建业新村", "--self-managed")
    shown = ok(capsys, office, "compound", "list")
    assert "光鸿苑  上海光鸿物业 管理有限公司  2 户" in shown and "建业新村  自主管理" in shown
    refused(capsys, office, "compound", "firm", "没有的小区", "--firm", "某物业")
    err = refused(capsys, office, "compound", "firm", "光鸿苑", "--firm", "物" * 121)
    assert "太长" in err
