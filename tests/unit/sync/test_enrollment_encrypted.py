"""The enrolment request says, signed, whether the laptop's database is encrypted; the
office refuses one that says it is not, or says nothing (an older version): a safety
net for honest mistakes (a modified laptop can lie: docs/threat-model.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.storage.database import is_plain
from gridapp.storage.store import Store
from gridapp.sync import crypto, enrollment
from gridapp.sync.crypto import DeviceKeys
from tests.conftest import make_services


@pytest.fixture
def office(clock: FixedClock) -> Iterator[Services]:
    services = make_services(None, clock)
    services.sync.allow_plain_laptops = False  # the real office's rule, not test mode
    yield services
    services.store.close()


def _laptop(path: Path, clock: FixedClock, key: bytes | None) -> Services:
    services = Services(Store.open(path, clock, key))
    services.device.initialise("field", "第1组笔记本")
    services.act_as("W0101", "field")  # an encrypted laptop acts as its signed-in worker
    return services


def _resign(laptop: Services, body: dict[str, Any], out: Path) -> Path:
    """A request as the laptop itself would sign it, with other fields."""
    body = {k: v for k, v in body.items() if k != "signature"}
    keys = DeviceKeys.of(laptop.store.require_device())
    signature = crypto.sign(keys, enrollment._canonical(body))
    out.write_text(json.dumps({**body, "signature": crypto.b64(signature)}), encoding="utf-8")
    return out


def test_an_encrypted_laptop_says_so_and_is_accepted(
    tmp_path: Path, clock: FixedClock, office: Services
) -> None:
    laptop = _laptop(tmp_path / "lap" / "gridapp.db", clock, os.urandom(32))
    try:
        laptop.sync.request(tmp_path / "req.json")
    finally:
        laptop.store.close()
    assert not is_plain(tmp_path / "lap" / "gridapp.db")
    body = office.sync.read_request(tmp_path / "req.json")
    assert body["encrypted"] is True and body["fingerprint"]


def test_unencrypted_old_or_odd_requests_are_refused(
    tmp_path: Path, clock: FixedClock, office: Services
) -> None:
    laptop = _laptop(tmp_path / "plain" / "gridapp.db", clock, None)
    try:
        request = tmp_path / "req.json"
        laptop.sync.request(request)
        body = json.loads(request.read_text(encoding="utf-8"))
        assert body["encrypted"] is False
        old = _resign(laptop, {k: v for k, v in body.items() if k != "encrypted"}, tmp_path / "o")
        odd = _resign(laptop, {**body, "encrypted": "yes"}, tmp_path / "odd.json")
    finally:
        laptop.store.close()
    for path in (request, old):  # says no, or says nothing: the same refusal
        with pytest.raises(InvalidInput) as caught:
            office.sync.read_request(path)
        assert caught.value.key == "error.sync.request_unencrypted"
        assert caught.value.params == {"file": path.name, "name": "第1组笔记本"}
    with pytest.raises(InvalidInput) as caught:
        office.sync.read_request(odd)
    assert caught.value.params["detail"] == "fields"
    # The claim is signed: turning false into true breaks the signature.
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**body, "encrypted": True}), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        office.sync.read_request(forged)
    assert caught.value.params["detail"] == "signature"
    # Demo and tests only, and explicitly:
    office.sync.allow_plain_laptops = True
    assert office.sync.read_request(request)["encrypted"] is False
    assert "encrypted" not in enrollment.read_request(old, allow_plain=True)
