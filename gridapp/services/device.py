"""This device: its identity and keys."""

from __future__ import annotations

import base64

from gridapp.clock import iso
from gridapp.codes import DeviceRole
from gridapp.errors import InvalidInput
from gridapp.model import Device
from gridapp.storage import records
from gridapp.storage.store import LocalDevice, Store


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


class DeviceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def initialise(self, role: str, name: str) -> Device:
        """New database identity: device id, Ed25519 signing key, X25519 box key.

        The secrets stay in this database's local table; the public half is a synced
        `device` record, so the office learns it through the change log.
        """
        from nacl.public import PrivateKey  # once per database: keep start-up lean
        from nacl.signing import SigningKey

        if role not in {r.value for r in DeviceRole}:
            raise InvalidInput("error.bad_role", role=role)
        now = self.store.clock.now()
        signing = SigningKey.generate()
        box = PrivateKey.generate()
        device = Device(
            id=self.store.new_id(now),
            name=name,
            role=role,
            sign_public_key=_b64(bytes(signing.verify_key)),
            box_public_key=_b64(bytes(box.public_key)),
            created_at=iso(now),
        )
        self.store.claim_identity(
            LocalDevice(device.id, role, name, _b64(bytes(signing)), _b64(bytes(box)))
        )
        with self.store.unit_of_work("system") as db:
            records.insert(db, "device", device)
        return device

    def local(self) -> LocalDevice | None:
        return self.store.local_device()


__all__ = ["DeviceService", "LocalDevice"]
