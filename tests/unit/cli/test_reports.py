"""`gridapp-cli report` and `gridapp-cli forecast`: formats by extension, one-line
errors with exit 2, JSON documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(path), "demo", "--households", "300", "--seed", "3"]) == 0
    return path


@pytest.mark.parametrize(("name", "fmt"), [("r.xlsx", "xlsx"), ("r.CSV", "csv"), ("r.pdf", "pdf")])
def test_report_format_follows_the_extension(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, fmt: str
) -> None:
    out = tmp_path / name
    code, text, err = run(
        capsys, "--data-dir", str(demo_dir), "report", "--out", str(out), "--date", "2023-12-05",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(text)
    assert doc == {"path": str(out), "format": fmt, "day": "2023-12-05", "rows": doc["rows"]}
    assert out.exists() and doc["rows"] > 0
    code, text, _ = run(capsys, "--data-dir", str(demo_dir), "audit", "--action", "report_exported",
                        "--json")  # fmt: skip
    [entry, *_] = json.loads(text)["entries"]  # newest first
    assert entry["target"] == fmt and entry["detail"] == {"day": "2023-12-05", "rows": doc["rows"]}
    assert str(out) not in text  # a path may name a person: never in the audit log


def test_report_in_words(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "建议.csv"
    code, text, _ = run(
        capsys, "--data-dir", str(demo_dir), "report", "--out", str(out), "--sheet", "suggestions"
    )
    assert code == 0 and "已生成报表" in text and str(out) in text
    assert out.read_text(encoding="utf-8-sig").startswith("时间,小区,户编码,类别,内容,状态")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "r.docx"], "无法识别报表格式"),
        (["--out", "missing/dir/r.xlsx"], "无法写入"),
        (["--out", "r.pdf", "--date", "12/05/2023"], "日期“12/05/2023”无效"),
    ],
)
def test_bad_report_requests_exit_2_with_one_line(
    demo_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    args = [str(tmp_path / a) if a.startswith(("r.", "missing")) else a for a in args]
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "report", *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err
    assert list(tmp_path.iterdir()) == []


def test_forecast_says_it_is_no_vote(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "forecast")
    assert code == 0
    assert out.count("本预测依据入户征询结果推算，不是表决结果") == 2
    assert "参与表决的专有部分面积" in out and "同意的业主人数" in out
    for name in ("建业新村", "临沂二村", "光鸿苑", "东方城市花园二期"):
        assert name in out


def test_forecast_json_for_one_compound(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--data-dir", str(demo_dir), "forecast", "--compound", "光鸿苑", "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert (
        doc["disclaimer"].startswith("本预测依据入户征询结果推算") and doc["question"] == "stance"
    )
    [compound] = doc["compounds"]
    assert compound["name"] == "光鸿苑"
    participation = compound["participation"]
    assert participation["owners"]["threshold"] == "2/3"
    assert participation["owners"]["rule"] == "at_least"
    assert compound["approval"]["area"]["rule"] == "more_than"
    stances = compound["stances"]
    assert sum(s["households"] for s in stances.values()) == compound["owners"]
    assert compound["participating"]["households"] == (
        stances["agree"]["households"] + stances["oppose"]["households"]
    )
    assert compound["passes"] == (participation["passed"] and compound["approval"]["passed"])


def test_forecast_refusals(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "forecast", "--compound", "无此小区")
    assert code == 2 and "找不到小区" in err
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "forecast", "--question", "stanse")
    assert code == 2 and "stanse" in err
