"""`gridapp-cli roster import` as office staff drive it: one line naming file, row and
column for a bad file (exit 2, nothing written), every problem with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridapp.cli import main
from tests.unit.roster.helpers import GOOD, write_csv, write_xlsx


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "office"
    assert main(["--data-dir", str(folder), "init", "--role", "office", "--plain"]) == 0
    capsys.readouterr()
    return folder


def _stats(capsys: pytest.CaptureFixture[str], data_dir: Path) -> dict[str, int]:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "stats", "--json")
    assert code == 0
    return dict(json.loads(out))


BAD = [GOOD[0], ("建业新村", "12", "2", "303", "李", "1.38E+10", "", "", ""), GOOD[0]]


def test_a_clean_file_imports(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", sheet="一期", extra_sheets=["二期"])
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "roster", "import", str(path), "--sheet", "一期"
    )
    assert (code, err) == (0, "")
    assert "已导入 6 户" in out
    assert _stats(capsys, data_dir)["households"] == 6


def test_a_bad_file_is_refused_in_one_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "r.csv", BAD, encoding="gbk")
    before = _stats(capsys, data_dir)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "roster", "import", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "r.csv" in err and "第 3 行" in err and "联系电话" in err and "共 2 个问题" in err
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "roster", "import", str(path), "--json"
    )
    assert code == 2
    doc = json.loads(out)
    assert doc["imported"] is False
    assert [(p["row"], p["column"], p["key"]) for p in doc["problems"]] == [
        (3, "联系电话", "error.roster.phone_lost_digits"),
        (4, "室号", "error.roster.duplicate_in_file"),
    ]
    assert doc["problems"][1]["first"] == 2
    assert _stats(capsys, data_dir) == before


def test_skip_invalid_says_where_the_problems_went(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "r.csv", BAD)
    out_file = tmp_path / "errors.xlsx"
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(data_dir),
        "roster",
        "import",
        str(path),
        "--skip-invalid",
        "--errors-out",
        str(out_file),
    )
    assert code == 0
    assert "已导入 1 户" in out and str(out_file) in out and "2 行" in out
    assert out_file.exists()


def test_map_fixes_a_column_we_did_not_recognise(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = (
        "小区名称",
        "楼宇",
        "单元",
        "室号",
        "户主姓名",
        "联系电话",
        "建筑面积",
        "户籍人数",
        "备注",
    )
    path = write_csv(tmp_path / "r.csv", header=header)
    code, _, err = run(capsys, "--data-dir", str(data_dir), "roster", "import", str(path))
    assert code == 2 and "找不到“楼号”列" in err and "楼宇" in err
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(data_dir),
        "roster",
        "preview",
        str(path),
        "--map",
        "楼宇=building",
        "--map",
        "备注=",
        "--json",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["columns"]["楼宇"] == "building" and doc["columns"]["备注"] is None
    assert doc["valid"] == 6
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(data_dir),
        "roster",
        "import",
        str(path),
        "--map",
        "楼宇=楼号",
        "--json",
    )
    assert code == 0 and json.loads(out)["households"] == 6


def test_mojibake_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes("社區,樓號,室號\n建業新村,12,301\n".encode("big5"))
    code, _, err = run(capsys, "--data-dir", str(data_dir), "roster", "import", str(path))
    assert code == 2 and "big5.csv" in err and "编码" in err
