"""The receipt's QR payload and short code.

Payload: ``GR1.<body>.<sig>``, all ASCII because zbar-based scanners garble UTF-8.

- body: base64url (no padding) of canonical JSON (sorted keys, compact, ASCII) with
  short keys, because every byte makes the QR denser: ``v`` visit id, ``h`` household
  code, ``d`` the signing device id, ``t`` started_at, ``m`` mode, ``o`` outcome,
  ``c`` content digest (see `content_digest`), ``k`` the signer's Ed25519 public key
  and ``x`` the office's certificate of it (base64; empty for the office's own key).
- sig: base64url of the Ed25519 signature over the body's JSON bytes.

The short code (``XXXX-XXXX``) is 8 Crockford base32 characters of sha256(payload): 40
bits, enough to look a receipt up by phone without a scanner.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from gridapp import safe_json

PREFIX = "GR1"
SIGNATURE_BYTES = 64
#: Body keys and what they hold, in the order a reader expects them.
BODY_KEYS = ("v", "h", "d", "t", "m", "o", "c", "k", "x")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Letters people confuse when reading aloud map to the digit Crockford means.
_CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHORT = re.compile(r"^[0-9A-Z]{4}-?[0-9A-Z]{4}$")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")


class MalformedPayload(ValueError):
    """Not a GR1 payload, or a damaged one (truncated, garbled, wrong shape)."""


def canonical_json(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise MalformedPayload("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedPayload("not base64url") from exc


def content_digest(content: Mapping[str, Any]) -> str:
    """sha256 over the canonical serialisation of a visit's stored content, first 16
    bytes: a receipt binds to what was recorded, not only to the visit's id."""
    return b64url(hashlib.sha256(canonical_json(content)).digest()[:16])


def make_body(
    visit_id: str,
    household_code: str,
    device_id: str,
    started_at: str,
    mode: str,
    outcome: str,
    digest: str,
    sign_public_key: str = "",
    certificate: str = "",
) -> dict[str, str]:
    """`k` and `x` (the signer's public key and the office's certificate of it) let
    anyone holding the office's public key check a receipt with nothing else."""
    return {
        "k": sign_public_key,
        "x": certificate,
        "v": visit_id,
        "h": household_code,
        "d": device_id,
        "t": started_at,
        "m": mode,
        "o": outcome,
        "c": digest,
    }


def make_payload(body: Mapping[str, str], sign: Callable[[bytes], bytes]) -> str:
    """The payload for `body`, signed by `sign` (the recording device's Ed25519 key)."""
    missing = [k for k in BODY_KEYS if not isinstance(body.get(k), str)]
    if missing:
        raise ValueError(f"receipt body lacks {missing}")
    message = canonical_json(dict(body))
    if not message.isascii():
        raise ValueError("receipt body must be ASCII")
    return f"{PREFIX}.{b64url(message)}.{b64url(sign(message))}"


#: A receipt payload is a few hundred ASCII characters; anything far longer is not one.
MAX_PAYLOAD_CHARS = 4000


def parse_payload(text: str) -> tuple[dict[str, str], bytes]:
    """(body, signature) of a payload; `MalformedPayload` for anything else. The body
    must be exactly its canonical form, so one receipt has one payload and one code."""
    if len(text) > MAX_PAYLOAD_CHARS:
        raise MalformedPayload("too long")
    parts = text.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise MalformedPayload("not a GR1 payload")
    raw = unb64url(parts[1])
    signature = unb64url(parts[2])
    if len(signature) != SIGNATURE_BYTES:
        raise MalformedPayload("signature truncated")
    try:
        body = safe_json.loads(raw.decode("ascii"), max_bytes=MAX_PAYLOAD_CHARS, max_depth=1)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedPayload("body is not JSON") from exc
    if (
        not isinstance(body, dict)
        or set(body) != set(BODY_KEYS)
        or not all(isinstance(v, str) for v in body.values())
    ):
        raise MalformedPayload("body has the wrong fields")
    if canonical_json(body) != raw:
        raise MalformedPayload("body is not canonical")
    return body, signature


def verify_offline(payload: str, office_device_id: str, office_sign_public_key: str) -> str:
    """With only the office's public key: `valid` if an enrolled device (certified by
    the office) or the office itself signed this body, `forged` if not, `malformed`
    for what is no receipt. Whether the visit was later voided needs the office's
    records (`PaperService.verify`)."""
    from gridapp.sync.crypto import certificate_valid, unb64, verify

    try:
        body, signature = parse_payload(payload)
    except MalformedPayload:
        return "malformed"
    key = body["k"]
    try:
        unb64(key)
    except ValueError:
        return "forged"
    if body["d"] == office_device_id:
        trusted = key == office_sign_public_key
    else:
        trusted = certificate_valid(office_sign_public_key, body["d"], key, body["x"])
    if not trusted or not verify(key, signed_message(body), signature):
        return "forged"
    return "valid"


def signed_message(body: Mapping[str, str]) -> bytes:
    """The bytes the signature covers (the body's canonical JSON)."""
    return canonical_json(dict(body))


def short_code(payload: str) -> str:
    """8 Crockford base32 characters of sha256(payload), shown as XXXX-XXXX."""
    value = int.from_bytes(hashlib.sha256(payload.encode("ascii")).digest()[:5], "big")
    chars = "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_short_code(text: str) -> str | None:
    """A typed short code in its stored form (XXXX-XXXX), or None if it is not one.
    Lower case, no dash and the look-alikes O/I/L are accepted."""
    candidate = text.strip().upper().replace(" ", "")
    if not _SHORT.match(candidate):
        return None
    plain = candidate.replace("-", "").translate(_CROCKFORD_ALIASES)
    if any(ch not in _CROCKFORD for ch in plain):
        return None
    return f"{plain[:4]}-{plain[4:]}"
