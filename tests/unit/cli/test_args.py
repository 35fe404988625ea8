"""What a refused value reads like: one line naming the option and the problem, in
Chinese by default; files to read and write told apart by what they are."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.cli.args import Code, Integer, Json, Moment, OutFile, Refused, Text, shown


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return code, err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["team", "add", "1" + "0" * 30, "组"],
         "参数 number：1000000000000000000000000000000 超出范围"),
        (["visit", "record", "--household", "h", "--worker", "W0101", "--outcome", "met",
          "--at", "0001-01-01T00:00"], "参数 --at：时间 0001-01-01T00:00:00+08:00 不在合理范围内"),
        (["audit", "--since", "2099-13-45"], "日期“2099-13-45”无效"),
        (["visit", "record", "--household", "h", "--worker", "W0101", "--outcome", "met",
          "--answers", "[" * 10_000 + "]" * 10_000], "JSON 嵌套太深"),
        (["visit", "record", "--household", "h", "--worker", "W0101", "--outcome", "met",
          "--notes", os.fsdecode(b"\xff\xfe")], "含有无效的 UTF-8 字节（\\xff\\xfe）"),
        (["team", "add", "7", "名" * 40_960], "太长了：40960 个字符，最多 80 个"),
        (["visit", "record", "--household", "h"], "缺少必需的参数：--worker, --outcome"),
        (["visit", "record", "--household", "h", "--worker", "W0101", "--outcome", "gone"],
         "“gone”不是可用的取值"),
        (["bundle", "export", "--out", ""], "没有给出文件名"),
        (["stats", "--bogus"], "无法识别的参数：--bogus"),
    ],
)  # fmt: skip
def test_one_clear_line_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    code, err = run(capsys, "--data-dir", str(tmp_path), *argv)
    assert code == 2 and err.startswith("gridapp-cli: ") and words in err, err
    assert list(tmp_path.iterdir()) == []  # refused before anything was opened


def test_english_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path), "team", "add", "-5", "x")
    assert code == 2 and "option number: -5 is out of range: from 1 to 9999." in err


def test_files_to_read_are_told_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    cases = {
        str(tmp_path): "是文件夹，不是文件",
        str(fifo): "是管道（FIFO），不是普通文件",
        "/dev/null": "是设备，不是普通文件",
        str(tmp_path / "missing.xlsx"): "找不到文件",
    }
    for path, words in cases.items():
        code, err = run(capsys, "--data-dir", str(tmp_path), "questionnaire", "import", path)
        assert code == 2 and words in err, err


def test_files_to_write_are_tried_first(tmp_path: Path) -> None:
    with pytest.raises(Refused) as refused:
        OutFile()(str(tmp_path))
    assert refused.value.key == "error.path.is_folder"
    for path, key in (
        ("/dev/null", "error.path.is_device"),
        (str(tmp_path / "no" / "r.pdf"), "error.path.no_folder"),
        ("/proc/r.pdf", "error.path.cannot_write"),
        ("", "error.path.empty"),
    ):
        with pytest.raises(Refused) as refused:
            OutFile()(path)
        assert refused.value.key == key, path
    assert OutFile()(str(tmp_path / "r.pdf")) and list(tmp_path.iterdir()) == []


def test_receipt_to_an_unwritable_place_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "demo", "--households", "20"]) == 0
    conn = sqlite3.connect(data / "gridapp.db")
    visit = conn.execute("SELECT id FROM visit LIMIT 1").fetchone()[0]
    conn.close()
    capsys.readouterr()
    code, err = run(capsys, "--data-dir", str(data), "receipt", "--visit", visit,
                    "--out", "/proc/r.pdf")  # fmt: skip
    assert code == 2 and "无法写入 /proc/r.pdf" in err
    conn = sqlite3.connect(data / "gridapp.db")
    assert conn.execute("SELECT count(*) FROM receipt").fetchone() == (0,)
    conn.close()


def test_validators_at_their_edges() -> None:
    assert Integer(1, 9999)(" 9999 ") == 9999
    for bad in ("10000", "0", "1e3", "1" * 5000, "٣"):
        with pytest.raises(Refused):
            Integer(1, 9999)(bad)
    assert Code()("w0101") == "w0101"
    for bad in ("-W", "W 1", "W" * 25):
        with pytest.raises(Refused):
            Code()(bad)
    assert Text(10, multiline=True)("a\nb") == "a\nb"
    with pytest.raises(Refused):
        Text(10)("a\nb")
    with pytest.raises(Refused):
        Text(10)("\u200b")  # only an invisible character
    assert Json(100)("null") is None
    with pytest.raises(Refused):
        Json(100, obj=True)("[1]")
    with pytest.raises(Refused):
        Moment()("9999-12-31T23:59-08:00")  # past year 9999 in China time
    assert shown("a\nb" + "x" * 100).startswith("a\\nb") and len(shown("x" * 100)) == 40
    assert shown("other:\u200b") == "other:\\u200b"
