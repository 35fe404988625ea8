"""Sensitive actions land in the audit log with the action, in its transaction; the
log is filtered, exported and verified; it never carries personal data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gridapp import audit_actions as A
from gridapp.clock import FixedClock
from gridapp.errors import InvalidInput, ReadOnlyLocation
from gridapp.services import Services
from gridapp.services.audit import check_detail
from tests.conftest import make_services
from tests.unit.paper.helpers import record_visit


def _actions(services: Services) -> list[str]:
    return [e.action for e in services.audit.entries()]


def test_record_filter_and_verify(services: Services, clock: FixedClock) -> None:
    services.audit.sign_in("W0101")
    clock.advance(days=1)
    services.audit.sign_in("W0102", ok=False)
    assert _actions(services) == [A.SIGN_IN_FAILED, A.SIGN_IN]
    assert [e.actor for e in services.audit.entries(A.SIGN_IN)] == ["W0101"]
    since = clock.now().date().isoformat()
    assert [e.actor for e in services.audit.entries(since=since)] == ["W0102"]
    assert [e.actor for e in services.audit.entries(actor="W0101")] == ["W0101"]
    assert services.audit.verify() is None
    with pytest.raises(InvalidInput):
        services.audit.entries("no_such_action")
    with pytest.raises(InvalidInput):
        services.audit.entries(since="last tuesday")


def test_entries_refuse_personal_data() -> None:
    with pytest.raises(ValueError):
        check_detail("hh-1", {"name": "张三"})
    with pytest.raises(ValueError):
        check_detail("13812345678", {})
    with pytest.raises(ValueError):
        check_detail("hh-1", {"phone": "138 1234 5678"})
    check_detail("018c0e4b-38e0-704b-9f45-f3bd96ff4d15", {"count": 3, "file": "a-20231204.db"})


def test_exports_csv_with_bom_and_xlsx(services: Services, tmp_path: Path) -> None:
    services.audit.sign_in("W0101")
    found = services.audit.entries()
    out = tmp_path / "audit.csv"
    assert services.audit.export(out, found, action_label=lambda a: "登录") == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "seq" and rows[1][3] == "登录" and rows[1][2] == "W0101"
    xlsx = tmp_path / "audit.xlsx"
    services.audit.export(xlsx, services.audit.entries(A.SIGN_IN))
    sheet = load_workbook(xlsx).active
    assert sheet is not None and sheet.cell(2, 4).value == A.SIGN_IN
    # the exports are audited themselves
    assert _actions(services)[:2] == [A.AUDIT_EXPORTED, A.AUDIT_EXPORTED]
    with pytest.raises(InvalidInput):
        services.audit.export(tmp_path / "audit.pdf", found)
    with pytest.raises(ReadOnlyLocation):
        services.audit.export(tmp_path / "missing" / "audit.csv", found)
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".part", ".tmp")]


def test_a_void_is_audited_in_its_transaction(demo_services: Services) -> None:
    visit_id = demo_services.store.db.execute("SELECT id FROM live_visit LIMIT 1").fetchone()[0]
    demo_services.act_as("A0001", "admin")  # the audit line names the signed-in worker
    demo_services.visits.void("visit", visit_id, "录错了住户")
    [entry] = demo_services.audit.entries(A.VOIDED)
    assert entry.target == visit_id and entry.actor == "A0001"
    assert "录错" not in str(entry.detail)  # the reason is free text: not in the log
    with pytest.raises(InvalidInput):  # refused: no audit line either
        demo_services.visits.void("visit", visit_id, "再作废一次")
    assert len(demo_services.audit.entries(A.VOIDED)) == 1


def test_phone_reveal_returns_numbers_and_audits_which_household(
    demo_services: Services,
) -> None:
    household_id = demo_services.read.household_ids()[0]
    detail = demo_services.read.household(household_id)
    assert detail is not None
    demo_services.act_as("A0001", "admin")
    phones = demo_services.households.reveal_phone(household_id)
    assert phones == {r.id: r.phones for r in detail.residents}
    [entry] = demo_services.audit.entries(A.PHONE_REVEALED)
    assert entry.target == household_id and entry.actor == "A0001"
    masked = demo_services.read.masked_phones([household_id])[household_id]
    assert masked and all("****" in m for m in masked)


def test_enrolment_revocation_import_export_and_paper_are_audited(
    tmp_path: Path, clock: FixedClock
) -> None:
    from gridapp.demo import DemoOptions, build_demo

    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=60, seed=2))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "req.json")
    office.sync.enroll(tmp_path / "req.json", 1, tmp_path / "roster.gsb")
    [result] = lap.sync.import_files([tmp_path / "roster.gsb"])
    assert result.status == "applied"
    household = lap.read.household_ids()[0]
    clock.advance(hours=1)
    from gridapp.services.visits import VisitInput

    visit = lap.visits.record(VisitInput(household, "W0101", "met"))
    lap.paper.receipt_documents([visit.visit_id])
    lap.sync.export(tmp_path / "b.gsb")
    office.sync.import_files([tmp_path / "b.gsb"])
    office.sync.revoke(lap.store.require_device().device_id)
    assert set(_actions(office)) >= {
        A.DEVICE_ENROLLED,
        A.ROSTER_EXPORTED,
        A.BUNDLE_IMPORTED,
        A.DEVICE_REVOKED,
    }
    assert set(_actions(lap)) >= {A.BUNDLE_IMPORTED, A.RECEIPT_EXPORTED, A.BUNDLE_EXPORTED}
    # No entry carries a resident's name or number.
    names = {r[0] for r in office.store.db.execute("SELECT name FROM resident")}
    numbers = {r[0] for r in office.store.db.execute("SELECT number FROM phone")}
    for services in (office, lap):
        for e in services.audit.entries():
            text = f"{e.actor} {e.target} {e.detail}"
            assert not any(n in text for n in names | numbers), e
        assert services.audit.verify() is None
    # the office's import was backed up first
    assert [b.kind for b in office.backup.list()] == ["pre-import"]


def test_an_all_digit_short_code_is_a_code_not_a_phone(
    demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight Crockford characters are all digits for about one receipt in 10,700: its
    receipt still prints, and the audit names its code."""
    check_detail("018c0e4b-38e0-704b-9f45-f3bd96ff4d15", {"code": "5751-0950"})
    with pytest.raises(ValueError):
        check_detail("hh-1", {"note": "5751-0950"})  # a free value that looks like a phone
    monkeypatch.setattr("gridapp.paper.receipt_code.short_code", lambda _payload: "5751-0950")
    demo_services.act_as("W0101", "field")
    visit = record_visit(demo_services, worker="")
    [doc] = demo_services.paper.receipt_documents([visit])
    assert doc.short_code == "5751-0950"
    demo_services.act_as("A0001", "admin")
    [entry] = demo_services.audit.entries(A.RECEIPT_EXPORTED)
    assert entry.target == visit and entry.detail == {"code": "5751-0950"}
