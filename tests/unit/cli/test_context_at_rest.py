"""Personal data is encrypted at rest, from the first command: `init` makes no plain
database unless told `--plain` (demo and tests), the office refuses an unencrypted
laptop's enrolment, a roster on an encrypted laptop leaves no name or phone in the
bytes of any file, and every folder and file gridapp makes is private (0700 / 0600)
whatever the umask."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.services import session as session_module
from gridapp.storage.database import is_plain
from gridapp.trust.crypto import FAST

PIN = "246813"
POSIX = os.name == "posix"


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "KDF_PARAMS", FAST)
    for name in ("GRIDAPP_WORKER", "GRIDAPP_PIN", "GRIDAPP_NEW_PIN", "GRIDAPP_RECOVERY_CODE"):
        monkeypatch.delenv(name, raising=False)


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every encrypted folder of these tests has A0001 with PIN: the CLI signs in as it
    (plain folders ignore it)."""
    monkeypatch.setenv("GRIDAPP_WORKER", "A0001")
    monkeypatch.setenv("GRIDAPP_PIN", PIN)


# -- init: an account first, or an explicit --plain -------------------------------------


@pytest.mark.parametrize("role", ["field", "office"])
def test_init_without_a_worker_exits_2_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    monkeypatch.setenv("GRIDAPP_PIN", PIN)  # a PIN alone names no account
    folder = tmp_path / "new" / "data"
    code, out, err = run(capsys, "--data-dir", str(folder), "init", "--role", role)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--worker" in err and "加密" in err
    assert "Traceback" not in err
    assert not (tmp_path / "new").exists()  # not the folder, not its logs


def test_init_refusals_create_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    base = ("--data-dir", str(folder), "init")
    code, _, err = run(capsys, *base, "--role", "field", "--plain", "--worker", "A0001")
    assert code == 2 and "--plain" in err and "--worker" in err
    code, _, err = run(capsys, *base, "--role", "office", "--worker", "B0001",
                       "--account-role", "office")  # fmt: skip
    assert code == 2 and "管理员" in err
    code, _, err = run(capsys, *base, "--role", "field", "--worker", "A0001")
    assert code == 2 and "GRIDAPP_PIN" in err  # no PIN, no terminal
    monkeypatch.setenv("GRIDAPP_PIN", "123456")
    code, _, err = run(capsys, *base, "--role", "field", "--worker", "A0001")
    assert code == 2 and "太简单" in err
    assert not folder.exists()


def test_the_worker_may_come_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(monkeypatch)
    folder = tmp_path / "lap"
    out = ok(capsys, "--data-dir", str(folder), "init", "--role", "field")
    assert "A0001" in out and "恢复码" in out
    assert not is_plain(folder / "gridapp.db") and (folder / "keyring.json").exists()
    assert "尚未登记" in ok(capsys, "--data-dir", str(folder), "device", "status")


def test_plain_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "plain"
    ok(capsys, "--data-dir", str(folder), "init", "--role", "office", "--plain")
    assert is_plain(folder / "gridapp.db") and not (folder / "keyring.json").exists()
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    assert "仅供演示和测试" in capsys.readouterr().out


# -- enrolment: the office refuses an unencrypted laptop --------------------------------


def _office_and_laptop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], laptop_flags: tuple[str, ...]
) -> tuple[Path, Path, Path]:
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    ok(capsys, "--data-dir", str(office), "init", "--role", "office", "--worker", "A0001")
    ok(capsys, "--data-dir", str(office), "demo", "--households", "60", "--seed", "3")
    ok(capsys, "--data-dir", str(laptop), "init", "--role", "field", *laptop_flags)
    request = tmp_path / "request.json"
    ok(capsys, "--data-dir", str(laptop), "device", "request", "--out", str(request))
    return office, laptop, request


def test_an_unencrypted_laptop_is_not_enrolled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(monkeypatch)
    office, _laptop, request = _office_and_laptop(tmp_path, capsys, ("--plain",))
    assert json.loads(request.read_text(encoding="utf-8"))["encrypted"] is False
    roster = tmp_path / "roster.gsb"
    enroll = ("--data-dir", str(office), "device", "enroll", str(request), "--team", "1",
              "--out", str(roster))  # fmt: skip
    code, out, err = run(capsys, *enroll)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "没有加密" in err and "account setup" in err
    assert not roster.exists()
    laptops = json.loads(ok(capsys, "--data-dir", str(office), "device", "status", "--json"))
    assert laptops["laptops"] == []
    # demo and tests only, and explicit:
    ok(capsys, *enroll, "--allow-plain")
    assert roster.exists()


def test_a_roster_on_an_encrypted_laptop_leaves_no_name_or_phone_in_any_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(monkeypatch)
    office, laptop, request = _office_and_laptop(tmp_path, capsys, ())
    assert json.loads(request.read_text(encoding="utf-8"))["encrypted"] is True
    roster = tmp_path / "roster.gsb"
    ok(capsys, "--data-dir", str(office), "device", "enroll", str(request), "--team", "1",
       "--out", str(roster))  # fmt: skip
    assert "已应用" in ok(capsys, "--data-dir", str(laptop), "bundle", "import", str(roster))
    # the laptop works: a visit, a backup, an export (the files a day leaves behind)
    listed = json.loads(
        ok(capsys, "--data-dir", str(laptop), "household", "list", "--reveal", "--json")
    )["households"]
    assert listed
    ok(capsys, "--data-dir", str(laptop), "visit", "record", "--household", listed[0]["code"],
       "--worker", "W0101", "--outcome", "met", "--notes", "门口聊了几句")  # fmt: skip
    ok(capsys, "--data-dir", str(laptop), "backup", "now")
    ok(capsys, "--data-dir", str(laptop), "bundle", "export", "--out", str(tmp_path / "b.gsb"))
    secrets = _personal_values(listed)
    assert len(secrets) >= 20
    files, size = _scan(laptop, secrets)
    assert files >= 4 and size > 100_000  # database, backup and its manifest, keyring, log
    # The scan finds them where they are plain: the same roster on a plain laptop.
    plain = tmp_path / "plain"
    ok(capsys, "--data-dir", str(plain), "init", "--role", "field", "--plain")
    ok(capsys, "--data-dir", str(plain), "device", "request", "--out", str(tmp_path / "p.json"))
    ok(capsys, "--data-dir", str(office), "device", "enroll", str(tmp_path / "p.json"),
       "--team", "1", "--out", str(tmp_path / "p.gsb"), "--allow-plain")  # fmt: skip
    ok(capsys, "--data-dir", str(plain), "bundle", "import", str(tmp_path / "p.gsb"))
    found = _all_bytes(plain)
    assert all(value in found for value in secrets)


def _personal_values(households: list[dict[str, object]]) -> set[bytes]:
    values: set[bytes] = set()
    for h in households:
        name = str(h["head_name"])
        if len(name) >= 2:
            values.add(name.encode("utf-8"))
        values |= {str(p).encode("ascii") for p in h["phones"]}  # type: ignore[attr-defined]
    return values


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _scan(folder: Path, secrets: set[bytes]) -> tuple[int, int]:
    """Every file of the folder, byte by byte (UTF-8 and UTF-16 for names): none holds
    a name or a phone. Returns how many files and bytes were read."""
    files = size = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        files, size = files + 1, size + len(data)
        for value in secrets:
            text = value.decode("utf-8")
            for form in (value, text.encode("utf-16-le"), text.encode("utf-16-be")):
                assert form not in data, f"{text} in {path.relative_to(folder)}"
    return files, size


# -- modes: 0700 folders, 0600 files, whatever the umask --------------------------------


def _loose(folder: Path) -> list[str]:
    """Everything under (and including) `folder` that others could read."""
    found = []
    for path in [folder, *sorted(folder.rglob("*"))]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            found.append(f"{oct(mode)} {path.relative_to(folder.parent)}")
    return found


# junk is imported on purpose to make the refused/ folder: its refusal is logged
@pytest.mark.expected_log(r"^refused junk\.gsb: error\.bundle\.not_a_bundle ")
@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_every_kind_of_folder_is_private_under_umask_022(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(monkeypatch)
    root = tmp_path / "root"
    with umask(0o022):
        office, laptop, request = _office_and_laptop(root, capsys, ())
        ok(capsys, "--data-dir", str(office), "backup", "now")
        monkeypatch.setenv("GRIDAPP_NEW_PIN", "135792")
        ok(capsys, "--data-dir", str(office), "account", "add", "W0101", "--role", "field")
        roster = tmp_path / "roster.gsb"
        ok(capsys, "--data-dir", str(office), "device", "enroll", str(request), "--team", "1",
           "--out", str(roster))  # fmt: skip
        ok(capsys, "--data-dir", str(laptop), "bundle", "import", str(roster))
        code = json.loads(ok(capsys, "--data-dir", str(laptop), "household", "list", "--json"))[
            "households"
        ][0]["code"]
        bundles = []
        for n in range(2):
            ok(capsys, "--data-dir", str(laptop), "visit", "record", "--household", code,
               "--worker", "W0101", "--outcome", "not_home")  # fmt: skip
            bundles.append(tmp_path / f"b{n}.gsb")
            ok(capsys, "--data-dir", str(laptop), "bundle", "export", "--out", str(bundles[-1]))
            if n == 0:  # another copy of the office confirms it: the next starts after it
                scratch = tmp_path / "scratch"
                shutil.copytree(office, scratch)
                ok(capsys, "--data-dir", str(scratch), "bundle", "import", str(bundles[0]))
                ack = tmp_path / "ack.gsb"
                ok(capsys, "--data-dir", str(scratch), "roster-bundle", "--team", "1",
                   "--out", str(ack))  # fmt: skip
                ok(capsys, "--data-dir", str(laptop), "bundle", "import", str(ack))
        ok(capsys, "--data-dir", str(laptop), "backup", "now")
        # at the office: the second bundle alone waits (held/); junk is kept (refused/)
        assert "held" in ok(
            capsys, "--data-dir", str(office), "bundle", "import", str(bundles[1]), "--json"
        )
        junk = tmp_path / "junk.gsb"
        junk.write_bytes(b"PK\x03\x04 not a bundle")
        run(capsys, "--data-dir", str(office), "bundle", "import", str(junk))
        plain = root / "plain"
        ok(capsys, "--data-dir", str(plain), "init", "--role", "office", "--plain")
        demo = root / "demo"
        ok(capsys, "--data-dir", str(demo), "demo", "--households", "40")
        ok(capsys, "--data-dir", str(demo), "backup", "now")
    assert (office / "held").is_dir() and (office / "refused").is_dir()
    assert list((laptop / "backups").glob("*.db")) and list((office / "backups").glob("*.db"))
    assert (office / "keyring.json.lock").exists() and (laptop / "logs" / "gridapp.log").exists()
    for folder in (office, laptop, plain, demo):
        assert _loose(folder) == [], folder.name
    assert stat.S_IMODE(root.stat().st_mode) == 0o700  # made by gridapp for --data-dir


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_files_an_older_version_left_open_are_narrowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "old"
    ok(capsys, "--data-dir", str(folder), "init", "--role", "office", "--plain")
    ok(capsys, "--data-dir", str(folder), "backup", "now")
    opened = [folder / "gridapp.db", *(folder / "backups").iterdir(), folder / "backups"]
    for path in opened:
        path.chmod(0o755 if path.is_dir() else 0o644)
    folder.chmod(0o755)
    ok(capsys, "--data-dir", str(folder), "stats")
    assert _loose(folder) == [f"{oct(0o755)} old"]  # the folder itself is the user's
