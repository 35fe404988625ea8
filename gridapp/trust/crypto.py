"""The key-encryption key from a PIN (argon2id) and the wrapped database key (SecretBox).

One guess at a PIN costs the thief one argon2id run with `PRODUCTION` parameters
(measured in bench/trust_bench.py: ~0.45 s and 128 MiB on the development laptop). Tests
pass `FAST` so hundreds of sign-ins stay quick; the parameters used are stored with each
wrapped key, so a keyring made with either opens with the right cost.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import asdict, dataclass
from typing import Any

SALT_BYTES = 16
KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost: passes over memory, memory in KiB, lanes."""

    time_cost: int = 3
    memory_kib: int = 131_072
    parallelism: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"alg": "argon2id", **asdict(self)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> KdfParams:
        if raw.get("alg") != "argon2id":
            raise ValueError(f"unknown key derivation {raw.get('alg')!r}")
        return cls(int(raw["time_cost"]), int(raw["memory_kib"]), int(raw["parallelism"]))


#: What a laptop uses: one guess ≈ 0.3–0.5 s on a 2-core laptop, 128 MiB of memory.
PRODUCTION = KdfParams()
#: Tests only: the same algorithm at its cheapest.
FAST = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def derive_kek(secret: str, salt: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def seal(kek: bytes, plaintext: bytes) -> bytes:
    """XSalsa20-Poly1305 with a random nonce (carried in front of the ciphertext)."""
    from nacl.secret import SecretBox

    return bytes(SecretBox(kek).encrypt(plaintext))


def open_sealed(kek: bytes, sealed: bytes) -> bytes | None:
    """The plaintext, or None when the key is wrong or the blob was altered."""
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    try:
        return bytes(SecretBox(kek).decrypt(sealed))
    except CryptoError:
        return None


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_recovery_code() -> str:
    """160 random bits as 8 groups of 4 base32 letters: typed once, in an emergency."""
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_code(text: str) -> str:
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    letters = letters.replace("0", "O").replace("1", "I").replace("8", "B")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))
