"""No input, signed or not, gives a traceback: deep JSON in an enrolment request, a first
roster bundle or a receipt payload is refused with a reason; one bad or crashing file
never stops the files after it; refused files are kept within a quota."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store
from gridapp.sync import merge, refused
from gridapp.sync.container import BundleReader, BundleRefused, write_bundle
from gridapp.sync.crypto import DeviceKeys
from tests.conftest import START, make_services

DEEP = b"[" * 100_000 + b"]" * 100_000


def keys(services: Services) -> DeviceKeys:
    return DeviceKeys.of(services.store.require_device())


@dataclass
class Two:
    root: Path
    clock: FixedClock
    office: Services
    lap: Services
    new_lap: Services  # initialised, its request written, not enrolled

    def bundles(self, n: int) -> list[Path]:
        """`n` consecutive sync bundles of the laptop, one visit each."""
        out = []
        for i in range(n):
            hid = self.lap.read.household_ids()[i]
            self.lap.visits.record(VisitInput(hid, "W0101", "met"))
            path = self.root / f"b{i}.gsb"
            self.lap.sync.export(path)
            out.append(path)
        return out


@pytest.fixture
def two(tmp_path: Path, clock: FixedClock) -> Iterator[Two]:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=60, seed=1))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "req.json")
    office.sync.enroll(tmp_path / "req.json", 1, tmp_path / "roster.gsb")
    assert lap.sync.import_files([tmp_path / "roster.gsb"])[0].status == "applied"
    new_lap = make_services(tmp_path / "new" / "gridapp.db", clock, role="field")
    new_lap.sync.request(tmp_path / "new-req.json")
    clock.advance(days=30)
    yield Two(tmp_path, clock, office, lap, new_lap)
    for s in (office, lap, new_lap):
        s.store.close()


# -- unsigned input: enrolment requests, first roster bundles, receipt payloads -------


def test_a_deeply_nested_enrolment_request_is_refused(two: Two) -> None:
    path = two.root / "deep-req.json"
    path.write_bytes(b'{"format": ' + b"[" * 8000 + b"]" * 8000 + b"}")
    assert 15_000 < path.stat().st_size <= 16 * 1024
    with pytest.raises(InvalidInput) as caught:
        two.office.sync.enroll(path, 1, two.root / "x.gsb")
    assert caught.value.params["detail"] == "json"
    assert not (two.root / "x.gsb").exists()


def test_an_enrolment_request_with_odd_values_is_refused(two: Two) -> None:
    body = json.loads((two.root / "new-req.json").read_text(encoding="utf-8"))
    for key, value in (("device_id", "../../x"), ("name", "x" * 500), ("box_public_key", "AAAA")):
        path = two.root / f"odd-{key}.json"
        path.write_text(json.dumps({**body, key: value}), encoding="utf-8")
        with pytest.raises(InvalidInput) as caught:
            two.office.sync.enroll(path, 1, two.root / "x.gsb")
        assert caught.value.params["detail"] == "fields"


def first_roster(two: Two, *, manifest: dict[str, Any] | None = None, row: bytes = b"") -> Path:
    """The new laptop's first roster bundle, as the office would write it, but with
    `manifest` changes and one more raw payload line."""
    real = two.root / "real-roster.gsb"
    two.office.sync.enroll(two.root / "new-req.json", 1, real)
    with BundleReader(real) as reader:
        _, parsed = reader.verify([keys(two.office).public])
        lines = list(reader.records(parsed, keys(two.new_lap)))
    fields = ("kind", "created_at", "schema", "team", "office")
    head = {k: parsed.raw[k] for k in fields} | {"bundle_id": str(uuid.uuid4())}
    out = two.root / f"roster-{uuid.uuid4().hex[:6]}.gsb"
    records: list[dict[str, Any] | bytes] = [*lines, *([row] if row else [])]
    write_bundle(
        out, head | (manifest or {}), records, keys(two.office), [keys(two.new_lap).public]
    )
    return out


@pytest.mark.expected_log(r"^refused roster-\w+\.gsb: error\.bundle\.entry ")  # the refusal
def test_a_deeply_nested_first_roster_row_is_refused(two: Two) -> None:
    path = first_roster(two, row=b'{"t":"row","table":"team","row":' + DEEP + b"}")
    [result] = two.new_lap.sync.import_files([path])
    assert result.status == "refused" and result.reason == "error.bundle.entry", result
    assert two.new_lap.sync.status()["office"] is None  # trusted nothing


@pytest.mark.expected_log(r"^refused roster-\w+\.gsb: error\.bundle\.manifest ")  # the refusal
def test_a_deeply_nested_first_roster_manifest_is_refused(two: Two) -> None:
    nested: Any = "x"
    for _ in range(200):
        nested = [nested]
    path = first_roster(two, manifest={"office": nested})
    [result] = two.new_lap.sync.import_files([path])
    assert result.status == "refused" and result.reason == "error.bundle.manifest", result


def test_an_honest_first_roster_still_applies(two: Two) -> None:
    [result] = two.new_lap.sync.import_files([first_roster(two)])
    assert result.status == "applied", result


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "payload",
    [
        "GR1." + b64url(DEEP[:20_000]) + "." + b64url(bytes(64)),
        "GR1." + b64url(b'{"v": ' + DEEP[:2000] + b"}") + "." + b64url(bytes(64)),
        "GR1." + "A" * 1_000_000 + "." + b64url(bytes(64)),
    ],
    ids=["deep_list", "deep_value", "huge"],
)
def test_a_deeply_nested_receipt_payload_is_malformed(two: Two, payload: str) -> None:
    assert two.office.paper.verify(payload).status == "malformed"


# -- one file's fate is its own ---------------------------------------------------------


# the crash is logged with its traceback, then the file is refused
@pytest.mark.expected_log(
    r"^importing b0\.gsb failed$", r"^refused b0\.gsb: error\.bundle\.internal "
)
def test_a_crashing_file_does_not_stop_the_next(two: Two, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = two.bundles(2)
    calls = {"n": 0}
    real = merge.apply_batch

    def crash_once(*args: Any, **kw: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a bug of ours")
        real(*args, **kw)

    monkeypatch.setattr(merge, "apply_batch", crash_once)
    # `second` repeats `first`'s entries: it applies everything once `first` failed.
    results = two.office.sync.import_files([first, second])
    assert [r.status for r in results] == ["refused", "applied"]
    assert results[0].reason == "error.bundle.internal"
    assert results[1].applied > 0


# the refusal (logged) is what this tests
@pytest.mark.expected_log(r"^refused b0\.gsb: error\.bundle\.constraint ")
def test_a_database_rule_that_still_fires_is_a_clear_refusal(
    two: Two, monkeypatch: pytest.MonkeyPatch
) -> None:
    [bundle] = two.bundles(1)

    def violate(*_: Any, **__: Any) -> None:
        raise sqlite3.IntegrityError("UNIQUE constraint failed: receipt.short_code")

    monkeypatch.setattr(merge, "apply_batch", violate)
    before = two.office.read.counts()
    [result] = two.office.sync.import_files([bundle])
    assert result.status == "refused" and result.reason == "error.bundle.constraint"
    assert result.params and "receipt.short_code" in result.params["detail"]
    assert two.office.read.counts() == before
    alarms = two.office.store.db.execute("SELECT reason FROM _sync_alarm").fetchall()
    assert alarms == [("constraint",)]


# a bad file among good ones: its refusal is logged
@pytest.mark.expected_log(r"^refused bad\.gsb: error\.bundle\.not_a_bundle ")
def test_the_cli_gives_each_file_its_verdict(two: Two, capsys: pytest.CaptureFixture[str]) -> None:
    from gridapp.cli import main

    good = two.bundles(1)[0]
    bad = two.root / "bad.gsb"
    bad.write_bytes(b"not a bundle")
    folder = two.root / "office"
    two.office.store.close()
    missing = two.root / "missing.gsb"
    argv = ["bundle", "import", str(bad), str(missing), str(good), "--json"]
    code = main(["--data-dir", str(folder), *argv])
    out = json.loads(capsys.readouterr().out)
    two.office = Services(Store.open(folder / "gridapp.db", two.clock))
    assert code == 2
    assert [r["status"] for r in out["results"]] == ["refused", "refused", "applied"], out
    assert all(r["message"] for r in out["results"][:2])


# -- refused files within bounds -------------------------------------------------------


def test_an_oversized_refused_file_keeps_only_its_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refused, "WHOLE_LIMIT", 1000)
    path = tmp_path / "big.gsb"
    path.write_bytes(b"x" * 200_000)
    kept = refused.keep(tmp_path / "refused", path, START, BundleRefused("not_a_bundle"))
    assert kept.endswith(".head") and Path(kept).stat().st_size == refused.HEAD_BYTES
    verdict = json.loads(Path(kept + refused.REASON_SUFFIX).read_text(encoding="utf-8"))
    assert verdict["size"] == 200_000 and len(verdict["sha256"]) == 64
    assert verdict["reason"] == "not_a_bundle"


def test_refused_files_rotate_within_the_quota(tmp_path: Path) -> None:
    folder = tmp_path / "refused"
    for i in range(30):
        path = tmp_path / f"f{i}.gsb"
        path.write_bytes(bytes([i]) * 10_000)
        refused.keep(folder, path, START.replace(second=i), BundleRefused("not_a_bundle"))
    removed = refused.rotate(folder, quota_bytes=10**9, quota_files=10)
    assert removed == 20
    kept = sorted(p.name for p in folder.iterdir() if not p.name.endswith(refused.REASON_SUFFIX))
    assert len(kept) == 10 and kept[0].startswith(f"{START:%Y%m%d-%H%M}20")
    refused.rotate(folder, quota_bytes=50_000, quota_files=100)
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 50_000


def test_a_fifo_or_a_device_is_refused_without_reading_it(two: Two) -> None:
    fifo = two.root / "pipe.gsb"
    import os

    os.mkfifo(fifo)
    results = two.office.sync.import_files([fifo, Path("/dev/zero")])
    assert [r.status for r in results] == ["refused", "refused"]


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    shutil.rmtree(tmp_path / "refused", ignore_errors=True)
