"""The CLI on an encrypted data folder: init with a first account, sign-in by code and
PIN from the environment, one clear line without them, roles checked per command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.cli.guard import COMMAND_ACTIONS
from gridapp.cli.main import build_parser
from gridapp.i18n import Catalog
from gridapp.services import session as session_module
from gridapp.storage.database import is_plain
from gridapp.trust.crypto import FAST

ADMIN_PIN, WORKER_PIN = "246813", "135792"


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "KDF_PARAMS", FAST)
    for name in ("GRIDAPP_WORKER", "GRIDAPP_PIN", "GRIDAPP_NEW_PIN", "GRIDAPP_RECOVERY_CODE"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """An encrypted office folder: admin A0001, field worker W0101, a small demo."""
    folder = tmp_path / "office"
    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    code, out, err = run(capsys, "--data-dir", str(folder), "init", "--role", "office",
                         "--worker", "a0001")  # fmt: skip
    assert code == 0, err
    assert "恢复码" in out
    assert not is_plain(folder / "gridapp.db")
    base = ("--data-dir", str(folder), "--worker", "A0001")
    assert run(capsys, *base, "demo", "--households", "40")[0] == 0
    monkeypatch.setenv("GRIDAPP_NEW_PIN", WORKER_PIN)
    code, out, err = run(capsys, *base, "account", "add", "W0101", "--role", "field")
    assert code == 0, err
    monkeypatch.delenv("GRIDAPP_PIN")
    monkeypatch.delenv("GRIDAPP_NEW_PIN")
    return folder


def test_without_credentials_one_clear_line(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--data-dir", str(office), "stats")
    assert code == 2 and not out
    assert err.count("\n") == 1 and "需要登录" in err and "--worker" in err


def test_with_code_and_pin_the_data_opens(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDAPP_WORKER", "W0101")
    monkeypatch.setenv("GRIDAPP_PIN", WORKER_PIN)
    code, out, _ = run(capsys, "--data-dir", str(office), "stats", "--json")
    assert code == 0 and json.loads(out)["households"] == 40
    monkeypatch.setenv("GRIDAPP_PIN", "000000")
    code, _, err = run(capsys, "--data-dir", str(office), "stats")
    assert code == 2 and "还可以再试 4 次" in err


def test_sign_ins_and_the_wrong_pins_before_them_are_audited(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ("--data-dir", str(office))
    monkeypatch.setenv("GRIDAPP_WORKER", "W0101")
    for pin in ("000000", "000001"):  # refused before the database could be opened
        monkeypatch.setenv("GRIDAPP_PIN", pin)
        assert run(capsys, *base, "stats")[0] == 2
    monkeypatch.setenv("GRIDAPP_PIN", WORKER_PIN)
    assert run(capsys, *base, "stats")[0] == 0
    monkeypatch.setenv("GRIDAPP_WORKER", "A0001")
    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    code, out, err = run(capsys, *base, "audit", "--action", "sign_in", "--json")
    assert code == 0, err
    worker = [e for e in json.loads(out)["entries"] if e["actor"] == "W0101"]
    assert [e["detail"] for e in worker] == [{"failed_before": 2}]
    code, out, err = run(capsys, *base, "audit", "--action", "account_added", "--json")
    assert code == 0, err
    assert [(e["actor"], e["target"]) for e in json.loads(out)["entries"]] == [("A0001", "W0101")]


def test_a_field_worker_cannot_run_office_commands(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDAPP_PIN", WORKER_PIN)
    base = ("--data-dir", str(office), "--worker", "W0101")
    for command in (("conflicts",), ("account", "list"), ("roster-bundle", "--team", "1",
                    "--out", str(office / "r.gsb"))):  # fmt: skip
        code, _, err = run(capsys, *base, *command)
        assert code == 2 and "没有权限" in err, command
    assert run(capsys, *base, "household", "list", "--limit", "1")[0] == 0


def test_pin_change_and_account_list(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDAPP_PIN", WORKER_PIN)
    monkeypatch.setenv("GRIDAPP_NEW_PIN", "975310")
    assert run(capsys, "--data-dir", str(office), "--worker", "W0101", "account", "pin")[0] == 0
    monkeypatch.setenv("GRIDAPP_PIN", "975310")
    assert run(capsys, "--data-dir", str(office), "--worker", "W0101", "stats")[0] == 0
    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    code, out, _ = run(capsys, "--data-dir", str(office), "--worker", "A0001", "account",
                       "list", "--json")  # fmt: skip
    assert code == 0
    assert [(a["code"], a["role"]) for a in json.loads(out)["accounts"]] == [
        ("A0001", "admin"),
        ("W0101", "field"),
    ]
    code, _, _ = run(capsys, "--data-dir", str(office), "--worker", "A0001", "account",
                     "remove", "W0101")  # fmt: skip
    assert code == 0


def test_setup_encrypts_an_existing_plain_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plain"
    assert run(capsys, "--data-dir", str(folder), "demo", "--households", "40")[0] == 0
    assert is_plain(folder / "gridapp.db")
    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    assert run(capsys, "--data-dir", str(folder), "account", "setup", "A0001")[0] == 0
    assert not is_plain(folder / "gridapp.db")
    code, out, _ = run(capsys, "--data-dir", str(folder), "--worker", "A0001", "stats", "--json")
    assert code == 0 and json.loads(out)["households"] == 40


def test_every_command_has_a_role_rule() -> None:
    parser = build_parser(Catalog())
    paths: set[str] = set()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        assert isinstance(action, argparse._SubParsersAction)
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
            if nested and nested[0].required:
                paths |= {f"{name} {child}" for child in nested[0].choices}
            else:
                paths.add(name)
                paths |= {f"{name} {child}" for n in nested for child in n.choices}
    assert paths - set(COMMAND_ACTIONS) == set()


def test_close_and_purge_are_audited_under_the_signed_in_worker(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    base = ("--data-dir", str(office), "--worker", "A0001")
    code, _, err = run(capsys, *base, "campaign", "close", "--actor", "Z9999")
    assert code == 2 and "--actor" in err  # no option names an actor any more
    code, _, err = run(capsys, *base, "campaign", "close")
    assert code == 0, err
    code, out, _ = run(capsys, *base, "audit", "--action", "campaign_close", "--json")
    assert [e["actor"] for e in json.loads(out)["entries"]] == ["A0001"]  # not Z9999


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:3100] = bytes(3000)  # the first page: SQLCipher cannot tell this from a wrong key
    path.write_bytes(bytes(data))


def test_a_damaged_encrypted_database_is_restored_by_an_administrator_only(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    admin = ("--data-dir", str(office), "--worker", "A0001")
    code, out, err = run(capsys, *admin, "backup", "now", "--json")
    assert code == 0, err
    made = json.loads(out)["path"]
    _damage(office / "gridapp.db")
    code, _, err = run(capsys, *admin, "stats")
    assert code == 2 and err.count("\n") == 1

    monkeypatch.setenv("GRIDAPP_PIN", WORKER_PIN)
    worker = ("--data-dir", str(office), "--worker", "W0101")
    code, _, err = run(capsys, *worker, "backup", "restore", "--yes", made)
    assert code == 2 and "没有权限" in err

    monkeypatch.setenv("GRIDAPP_PIN", ADMIN_PIN)
    code, _, err = run(capsys, *admin, "backup", "restore", "--yes", made)
    assert code == 0, err
    code, out, _ = run(capsys, *admin, "stats", "--json")
    assert code == 0 and json.loads(out)["households"] == 40
