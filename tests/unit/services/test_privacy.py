"""Closing a campaign and purging the office's copy of its personal data: one
transaction, counts in the audit log, statistics unchanged, nothing left to find in the
search index or in the file's bytes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import InvalidInput
from gridapp.privacy import retention_date
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage import audit, changelog
from tests.conftest import make_services

AFTER_RETENTION = datetime(2024, 6, 8, 9, tzinfo=CHINA_TZ)


@pytest.fixture
def office(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    """The demo (240 households) in a file, so its bytes can be read."""
    s = make_services(tmp_path / "gridapp.db", clock)
    build_demo(s, DemoOptions(households=240, seed=11))
    s.act_as("A0001", "admin")  # closes and purges as the signed-in administrator
    yield s
    s.store.close()


def _one(s: Services, sql: str, *params: object) -> Any:
    return s.store.db.execute(sql, list(params)).fetchone()[0]


def _a_resident(s: Services) -> tuple[str, str, str]:
    """(household id, name, phone) of a resident with a phone, and a name found nowhere
    else, so that its absence later means something."""
    for hid, name, number in s.store.db.execute(
        "SELECT r.household_id, r.name, p.number FROM resident r"
        " JOIN phone p ON p.resident_id = r.id ORDER BY r.id"
    ):
        if _one(s, "SELECT count(*) FROM resident WHERE name = ?", name) == 1 and len(name) >= 3:
            return str(hid), str(name), str(number)
    raise AssertionError("no resident with a unique three-character name")


def _file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("gridapp.db*")))


def test_closing_a_campaign_is_a_logged_office_write_with_an_audit_line(
    office: Services,
) -> None:
    campaign = office.read.campaigns()[0]
    result = office.privacy.close_campaign()

    assert result["campaign_id"] == campaign["id"]
    assert result["households"] == 240
    assert result["retention_until"] == retention_date(campaign["ends_on"]).isoformat()
    assert _one(office, "SELECT status FROM campaign") == "closed"
    (entry,) = audit.entries(office.store.db, action="campaign_close")
    assert (entry.actor, entry.target, entry.detail) == (
        "A0001",
        campaign["id"],
        {"households": 240},
    )
    with pytest.raises(InvalidInput) as again:
        office.privacy.close_campaign()
    assert again.value.key == "error.privacy.already_closed"


def test_purge_waits_for_closing_and_for_the_retention_date(
    office: Services, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as open_campaign:
        office.privacy.purge()
    assert open_campaign.value.key == "error.privacy.not_closed"
    office.privacy.close_campaign()
    with pytest.raises(InvalidInput) as early:
        office.privacy.purge()
    assert early.value.key == "error.privacy.too_early"
    assert early.value.params["until"] == "2024-06-07"
    assert _one(office, "SELECT count(*) FROM phone") > 0  # refused: nothing changed
    # A dry run is allowed any time and changes nothing.
    seq = changelog.last_seq(office.store.db, office.store.require_device().device_id)
    dry = office.privacy.purge(dry_run=True)
    assert dry.dry_run and dry.early
    assert dry.counts.households == 240 and dry.counts.phones > 0
    assert dry.counts.phones == _one(office, "SELECT count(*) FROM phone")
    assert not list(audit.entries(office.store.db, action="purge"))
    assert changelog.last_seq(office.store.db, office.store.require_device().device_id) == seq
    # After the date it runs; before it only with now=True (the lead checks the role).
    clock.set(AFTER_RETENTION)
    report = office.privacy.purge()
    assert not report.early and report.counts.phones == dry.counts.phones
    assert report.counts.residents == dry.counts.residents


def test_the_early_purge_of_an_administrator(office: Services) -> None:
    office.privacy.close_campaign()
    report = office.privacy.purge(now=True)
    assert report.early and report.counts.phones > 0
    assert _one(office, "SELECT count(*) FROM phone") == 0


def test_purge_removes_personal_data_everywhere_and_keeps_the_statistics(
    office: Services, tmp_path: Path
) -> None:
    household, name, phone = _a_resident(office)
    office.visits.record(
        VisitInput(household, "W0101", "met", answers={"stance": "agree"}, notes=f"{name}说漏水")
    )
    assert office.search.find_ids(name) and office.search.find_ids(phone)
    assert name.encode() in _file_bytes(tmp_path)
    before = asdict(office.read.counts())
    device = office.store.require_device().device_id
    seq = changelog.last_seq(office.store.db, device)
    office.privacy.close_campaign()

    report = office.privacy.purge(now=True)

    counts = report.counts
    assert counts.households == 240 and counts.residents > 0 and counts.phones > 0
    assert counts.notes >= 1 and counts.log_entries > 0
    assert asdict(office.read.counts()) == before  # residents stay, nameless
    assert _one(office, "SELECT count(*) FROM phone") == 0
    assert _one(office, "SELECT count(*) FROM resident WHERE name <> '' OR birth_year") == 0
    assert _one(office, "SELECT count(*) FROM visit WHERE notes <> ''") == 0
    # The purge itself is not a change to send anywhere; closing was the last entry.
    assert changelog.last_seq(office.store.db, device) == seq + 1
    assert office.search.find_ids(name) == [] and office.search.find_ids(phone) == []
    assert office.search.find_ids(office.read.household_rows([household])[0].code)[0] == household
    (entry,) = audit.entries(office.store.db, action="purge")
    assert entry.actor == "A0001"
    assert entry.detail == {
        "households": 240,
        "residents": counts.residents,
        "phones": counts.phones,
    }
    assert audit.verify_chain(office.store.db) is None
    found = _one(
        office,
        "SELECT count(*) FROM change_log WHERE instr(fields, ?) OR instr(base, ?)"
        " OR instr(fields, ?) OR instr(base, ?)",
        name,
        name,
        phone,
        phone,
    )
    assert found == 0
    data = _file_bytes(tmp_path)
    assert name.encode() not in data and phone.encode() not in data
    # Run again: nothing more to remove.
    assert not office.privacy.purge(now=True).counts.changed


def test_households_another_open_campaign_needs_are_kept(office: Services) -> None:
    compound_id = office.read.compounds()[0].id
    kept = set(office.read.household_ids(compound_id=compound_id))
    office.privacy.close_campaign()
    office.campaigns.create_campaign(
        {"name": "加装电梯意见征询", "starts_on": "2024-03-01", "ends_on": "2024-03-31"},
        [compound_id],
        [],
    )
    report = office.privacy.purge(now=True)

    assert report.counts.households == 240 - len(kept)
    names = {r[0]: r[1] for r in office.store.db.execute("SELECT household_id, name FROM resident")}
    assert all(names[h] for h in kept if h in names)
    assert not any(name for h, name in names.items() if h not in kept)


def test_only_the_office_purges_on_command(clock: FixedClock) -> None:
    laptop = make_services(None, clock, role="field")
    with pytest.raises(InvalidInput) as refused:
        laptop.privacy.close_campaign()
    assert refused.value.key == "error.sync.office_only"
    laptop.store.close()
