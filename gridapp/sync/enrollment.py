"""Enrollment: a laptop asks (`device request`), the office approves it for a team
(`device enroll`); both show the same short fingerprint to compare aloud."""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any

from gridapp import safe_json
from gridapp.clock import iso
from gridapp.errors import InvalidInput
from gridapp.files import write_atomic
from gridapp.storage import records, sync_store
from gridapp.storage.store import Store
from gridapp.sync import crypto
from gridapp.sync.crypto import DeviceKeys, PublicKeys

REQUEST_FORMAT = "gridapp-enrollment-request"
MAX_REQUEST_BYTES = 16 * 1024


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()


def write_request(store: Store, out: Path) -> PublicKeys:
    device = store.require_device()
    if device.role != "field":
        raise InvalidInput("error.sync.field_only")
    keys = DeviceKeys.of(device)
    body = {
        "format": REQUEST_FORMAT,
        "format_version": 1,
        "device_id": device.device_id,
        "name": device.name,
        "role": device.role,
        "sign_public_key": keys.public.sign_public_key,
        "box_public_key": keys.public.box_public_key,
        "created_at": iso(store.clock.now()),
        # Whether this laptop's database is encrypted (SQLCipher, opened with a key):
        # the office refuses to send residents to one that is not.
        "encrypted": store.key is not None,
    }
    # Signed by the laptop's own key: the office knows the request came from the holder.
    body["signature"] = crypto.b64(crypto.sign(keys, _canonical(body)))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, json.dumps(body, ensure_ascii=False, indent=1))
    return keys.public


def read_request(path: Path, allow_plain: bool = False) -> dict[str, Any]:
    """The request's fields, once its signature checks. A request that does not say
    its laptop's database is encrypted (`"encrypted": true`, signed with the rest) is
    refused unless `allow_plain` (demo and tests): a safety net against honest
    mistakes, not a defence (a modified laptop can claim anything; threat-model.md)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("error.sync.request_unreadable", file=str(path)) from exc
    if len(raw) > MAX_REQUEST_BYTES:
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="size")
    try:
        body = safe_json.loads(raw, max_bytes=MAX_REQUEST_BYTES, max_depth=2)
    except ValueError as exc:
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="json") from exc
    needed = ("format", "device_id", "name", "sign_public_key", "box_public_key", "signature")
    if not isinstance(body, dict) or any(not isinstance(body.get(k), str) for k in needed):
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="fields")
    if not _well_formed(body):
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="fields")
    if body["format"] != REQUEST_FORMAT:
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="format")
    signature = body.pop("signature")
    try:
        valid = crypto.verify(body["sign_public_key"], _canonical(body), crypto.unb64(signature))
    except ValueError:
        valid = False
    if not valid:
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="signature")
    if "encrypted" in body and not isinstance(body["encrypted"], bool):
        raise InvalidInput("error.sync.request_invalid", file=path.name, detail="fields")
    if body.get("encrypted") is not True and not allow_plain:
        raise InvalidInput("error.sync.request_unencrypted", file=path.name, name=body["name"])
    return body


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _well_formed(body: dict[str, Any]) -> bool:
    """Values that will be stored and shown: a canonical id, 32-byte keys, a short
    printable name."""
    name = body["name"]
    if not (_UUID.fullmatch(body["device_id"]) and 0 < len(name) <= 80 and name.isprintable()):
        return False
    for key in ("sign_public_key", "box_public_key"):
        try:
            if len(base64.b64decode(body[key], validate=True)) != 32:
                return False
        except (binascii.Error, ValueError):
            return False
    return True


def enroll(store: Store, request: dict[str, Any], team_id: str, actor: str) -> PublicKeys:
    """Register the laptop for a team (idempotent for the same keys)."""
    public = PublicKeys(request["device_id"], request["sign_public_key"], request["box_public_key"])
    certificate = crypto.certify(
        DeviceKeys.of(store.require_device()), public.device_id, public.sign_public_key
    )
    with store.unit_of_work(actor) as db:
        existing = sync_store.device(db, public.device_id)
        if existing is not None:
            if (existing["sign_public_key"], existing["box_public_key"]) != (
                public.sign_public_key,
                public.box_public_key,
            ):
                raise InvalidInput("error.sync.device_keys_differ", id=public.device_id)
            if existing["status"] == "revoked":
                raise InvalidInput("error.sync.device_revoked", id=public.device_id)
            changes = {"team_id": team_id, "certificate": certificate}
            records.update(
                db,
                "device",
                public.device_id,
                {k: v for k, v in changes.items() if existing.get(k) != v},
            )
        else:
            records.insert(
                db,
                "device",
                {
                    "id": public.device_id,
                    "name": request["name"][:80],
                    "role": "field",
                    "team_id": team_id,
                    "sign_public_key": public.sign_public_key,
                    "box_public_key": public.box_public_key,
                    "status": "active",
                    "certificate": certificate,
                    "created_at": iso(store.clock.now()),
                },
            )
    return public


def revoke(store: Store, device_id: str, actor: str) -> None:
    with store.unit_of_work(actor) as db:
        existing = sync_store.device(db, device_id)
        if existing is None or existing["role"] != "field":
            raise InvalidInput("error.sync.unknown_device", id=device_id)
        if existing["status"] != "revoked":
            records.update(db, "device", device_id, {"status": "revoked"})
