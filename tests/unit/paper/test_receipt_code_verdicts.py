"""Every verdict a receipt can get: valid, forged, altered, voided, revoked, unknown,
malformed; and the refusals of issuing."""

from __future__ import annotations

from pathlib import Path

import pytest
from nacl.signing import SigningKey

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import InvalidInput, NotFound
from gridapp.paper import receipt_code as rc
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.sync.crypto import DeviceKeys, sign
from tests.conftest import make_services
from tests.unit.paper.helpers import record_visit


def test_a_receipt_is_valid_by_payload_and_by_short_code(demo_services: Services) -> None:
    visit_id = record_visit(demo_services)
    receipt = demo_services.paper.issue_receipt(visit_id)
    assert receipt.short_code == rc.short_code(receipt.payload)
    for text in (receipt.payload, receipt.short_code, receipt.short_code.lower().replace("-", "")):
        verdict = demo_services.paper.verify(text)
        assert verdict.status == "valid", text
        assert verdict.visit_id == visit_id
        assert verdict.summary is not None
        assert verdict.summary["outcome"] == "met" and verdict.summary["worker"]
        assert "室" in verdict.summary["address"]


def test_reissuing_returns_the_same_receipt(demo_services: Services) -> None:
    visit_id = record_visit(demo_services)
    first = demo_services.paper.issue_receipt(visit_id)
    assert demo_services.paper.issue_receipt(visit_id) == first
    rows = demo_services.store.db.execute(
        "SELECT count(*) FROM receipt WHERE visit_id = ?", [visit_id]
    ).fetchone()[0]
    assert rows == 1


def test_a_flipped_signature_character_is_forged(demo_services: Services) -> None:
    payload = demo_services.paper.issue_receipt(record_visit(demo_services)).payload
    head, sig = payload.rsplit(".", 1)
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    assert demo_services.paper.verify(f"{head}.{flipped}").status == "forged"


def test_a_body_signed_by_an_unknown_key_is_forged(demo_services: Services) -> None:
    payload = demo_services.paper.issue_receipt(record_visit(demo_services)).payload
    body, _ = rc.parse_payload(payload)
    stranger = SigningKey.generate()
    forged = rc.make_payload(body, lambda m: bytes(stranger.sign(m).signature))
    assert demo_services.paper.verify(forged).status == "forged"
    # the stranger claiming a device id nobody knows is forged too
    body["d"] = "018c0000-0000-7000-8000-000000000000"
    forged = rc.make_payload(body, lambda m: bytes(stranger.sign(m).signature))
    assert demo_services.paper.verify(forged).status == "forged"


def test_a_visit_changed_in_the_database_is_altered(demo_services: Services) -> None:
    visit_id = record_visit(demo_services, notes="住户满意")
    receipt = demo_services.paper.issue_receipt(visit_id)
    with demo_services.store.unit_of_work("t") as db:
        db.table("visit").update(visit_id, {"notes": "住户不满意"})
    verdict = demo_services.paper.verify(receipt.payload)
    assert verdict.status == "altered"
    assert verdict.summary is not None  # the office sees which visit was tampered with


def test_a_genuinely_signed_body_that_disagrees_with_the_visit_is_altered(
    demo_services: Services,
) -> None:
    """The signer's own key, but an outcome the stored visit does not have."""
    payload = demo_services.paper.issue_receipt(record_visit(demo_services)).payload
    body, _ = rc.parse_payload(payload)
    body["o"] = "refused"
    keys = DeviceKeys.of(demo_services.store.require_device())
    resigned = rc.make_payload(body, lambda m: sign(keys, m))
    assert demo_services.paper.verify(resigned).status == "altered"


def test_a_voided_or_corrected_visit_is_voided(demo_services: Services) -> None:
    voided = record_visit(demo_services)
    receipt = demo_services.paper.issue_receipt(voided)
    demo_services.visits.void("visit", voided, "录错住户")
    assert demo_services.paper.verify(receipt.payload).status == "voided"

    corrected = record_visit(demo_services)
    receipt = demo_services.paper.issue_receipt(corrected)
    household = demo_services.read.household_ids()[0]
    demo_services.visits.correct(corrected, VisitInput(household, "W0101", "not_home"))
    assert demo_services.paper.verify(receipt.payload).status == "voided"


@pytest.mark.parametrize("cut", [1, 20, 200])
def test_a_truncated_payload_is_malformed(demo_services: Services, cut: int) -> None:
    payload = demo_services.paper.issue_receipt(record_visit(demo_services)).payload
    verdict = demo_services.paper.verify(payload[:-cut])
    assert verdict.status == "malformed" and verdict.summary is None


def test_unknown_codes_and_visits(demo_services: Services) -> None:
    assert demo_services.paper.verify("ZZZZ-ZZZZ").status == "unknown"
    # genuinely signed by this device, for a visit this database never had
    keys = DeviceKeys.of(demo_services.store.require_device())
    body = rc.make_body(
        "018c0000-0000-7000-8000-00000000abcd",
        "X-1",
        keys.device_id,
        "2023-12-04T09:00:00+08:00",
        "in_person",
        "met",
        "AAAA",
        sign_public_key=keys.public.sign_public_key,
    )
    payload = rc.make_payload(body, lambda m: sign(keys, m))
    assert demo_services.paper.verify(payload).status == "unknown"
    assert demo_services.paper.verify("hello").status == "malformed"


def test_issuing_refuses_missing_and_voided_visits(demo_services: Services) -> None:
    with pytest.raises(NotFound) as missing:
        demo_services.paper.issue_receipt("018c0000-0000-7000-8000-000000000000")
    assert missing.value.key == "error.visit_not_found"
    visit_id = record_visit(demo_services)
    demo_services.visits.void("visit", visit_id, "重复")
    with pytest.raises(InvalidInput):
        demo_services.paper.issue_receipt(visit_id)


def test_a_receipt_from_a_revoked_laptop(tmp_path: Path, clock: FixedClock) -> None:
    """Issued on the laptop, verified at the office: valid, then revoked."""
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=80, seed=4))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "roster.gsb")
    [applied] = lap.sync.import_files([tmp_path / "roster.gsb"])
    assert applied.status == "applied"
    clock.advance(days=1)
    receipt = lap.paper.issue_receipt(record_visit(lap))
    assert lap.paper.verify(receipt.payload).status == "valid"
    lap.sync.export(tmp_path / "day.gsb")
    [result] = office.sync.import_files([tmp_path / "day.gsb"])
    assert result.status == "applied"
    assert office.paper.verify(receipt.payload).status == "valid"
    assert office.paper.verify(receipt.short_code).status == "valid"  # the receipt synced too
    # With nothing but the office's public key: the laptop's key is certified by it.
    key = DeviceKeys.of(office.store.require_device()).public
    assert rc.verify_offline(receipt.payload, key.device_id, key.sign_public_key) == "valid"
    flipped = (
        receipt.payload[:-6] + ("A" if receipt.payload[-6] != "A" else "B") + receipt.payload[-5:]
    )
    assert rc.verify_offline(flipped, key.device_id, key.sign_public_key) == "forged"
    stranger = DeviceKeys.of(make_services(None, clock, role="field").store.require_device())
    body, _ = rc.parse_payload(receipt.payload)
    fake = rc.make_payload(
        {**body, "d": stranger.device_id, "k": stranger.public.sign_public_key, "x": body["x"]},
        lambda m: sign(stranger, m),
    )
    assert rc.verify_offline(fake, key.device_id, key.sign_public_key) == "forged"
    own = office.paper.issue_receipt(record_visit(office))
    assert rc.verify_offline(own.payload, key.device_id, key.sign_public_key) == "valid"
    device_id = lap.store.require_device().device_id
    office.sync.revoke(device_id)
    verdict = office.paper.verify(receipt.payload)
    assert verdict.status == "revoked"
    assert verdict.summary is not None
    for s in (office, lap):
        s.store.close()


def test_cli_verifies_offline_with_only_the_office_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from gridapp.cli import main
    from gridapp.storage.store import Store

    data = tmp_path / "office"
    assert main(["--data-dir", str(data), "demo", "--households", "30"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "device", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    office_key = f"{status['device_id']}:{status['sign_public_key']}"
    services = Services(Store.open_in(data))
    visit_id = services.store.db.execute("SELECT id FROM live_visit LIMIT 1").fetchone()[0]
    payload = services.paper.issue_receipt(visit_id).payload
    services.store.close()
    # a different folder: no database at all, only the key
    elsewhere = str(tmp_path / "nobody")
    assert (
        main(
            [
                "--data-dir",
                elsewhere,
                "receipt",
                "verify",
                payload,
                "--office-key",
                office_key,
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["verdict"] == "valid"
    assert (
        main(
            [
                "--data-dir",
                elsewhere,
                "receipt",
                "verify",
                payload[:-3] + "xyz",
                "--office-key",
                office_key,
            ]
        )
        == 2
    )
    assert "伪造" in capsys.readouterr().out
