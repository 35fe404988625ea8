"""`household list/find` mask phones unless --reveal (audited); `audit` and `backup`
commands."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main

FULL_NUMBER = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    assert main(["--data-dir", str(tmp_path), "demo", "--households", "30", "--seed", "9"]) == 0
    return tmp_path


def test_phones_are_masked_unless_revealed_and_a_reveal_is_audited(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    for argv in (("household", "list", "--json"), ("household", "find", "1", "--json")):
        code, out, _ = run(capsys, "--data-dir", str(data), *argv)
        assert code == 0
        document = json.loads(out)
        assert document["phones_revealed"] is False
        assert any(h["phones"] for h in document["households"])
        assert not FULL_NUMBER.search(out), argv
    code, out, _ = run(capsys, "--data-dir", str(data), "household", "list", "--limit", "3")
    assert "****" in out and not FULL_NUMBER.search(out)
    code, out, _ = run(
        capsys, "--data-dir", str(data), "audit", "--action", "phone_revealed", "--json"
    )
    assert json.loads(out)["entries"] == []
    code, out, _ = run(
        capsys, "--data-dir", str(data), "household", "list", "--limit", "2", "--reveal",
        "--json",
    )  # fmt: skip
    assert code == 0 and FULL_NUMBER.search(out)
    ids = [h["id"] for h in json.loads(out)["households"]]
    code, out, _ = run(
        capsys, "--data-dir", str(data), "audit", "--action", "phone_revealed", "--json"
    )
    entries = json.loads(out)["entries"]
    assert sorted(e["target"] for e in entries) == sorted(ids)
    # A plain (demo) folder has no accounts: the app itself; signed in, the worker
    # (tests/unit/cli/test_accounts.py). No option names someone else.
    assert {e["actor"] for e in entries} == {"system"}
    assert not FULL_NUMBER.search(out)  # the log names households, not numbers


def test_audit_verify_and_export(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "--data-dir", str(data), "household", "list", "--limit", "1", "--reveal")
    code, out, _ = run(capsys, "--data-dir", str(data), "audit", "--verify")
    assert code == 0 and "哈希链校验通过" in out
    out_file = tmp_path / "audit.csv"
    code, out, _ = run(capsys, "--data-dir", str(data), "audit", "--export", str(out_file))
    assert code == 0
    rows = list(csv.reader(out_file.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["序号", "时间", "操作人", "操作"]
    assert "查看号码" in {r[3] for r in rows[1:]}
    code, _, err = run(capsys, "--data-dir", str(data), "audit", "--since", "yesterday")
    assert code == 2 and "日期" in err
    # Someone edits the log behind the triggers: --verify says where, exit 2.
    conn = sqlite3.connect(data / "gridapp.db")
    conn.execute("DROP TRIGGER _audit_append_only_update")
    conn.execute("UPDATE _audit SET actor = 'X' WHERE seq = 1")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "--data-dir", str(data), "audit", "--verify", "--json")
    assert code == 2 and "第 1 条" in err


def test_backup_now_list_and_restore(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code, out, _ = run(capsys, "--data-dir", str(data), "backup", "now", "--json")
    assert code == 0
    made = json.loads(out)
    code, out, _ = run(capsys, "--data-dir", str(data), "backup", "list", "--json")
    kinds = [b["kind"] for b in json.loads(out)["backups"]]
    assert "manual" in kinds and "daily" in kinds  # the first open of the day made one
    code, _, err = run(capsys, "--data-dir", str(data), "backup", "restore", made["path"])
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "--data-dir", str(data), "backup", "restore", made["path"], "--yes")
    assert code == 0 and "已从备份" in out
    code, out, _ = run(capsys, "--data-dir", str(data), "audit", "--action", "backup_restored")
    assert code == 0 and "从备份恢复" in out
