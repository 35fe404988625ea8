"""Keys and the primitives bundles use, all from libsodium through PyNaCl:
Ed25519 signatures, sealed boxes (X25519) for the payload key, and secretstream
(XChaCha20-Poly1305) for the chunked payload."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import nacl.bindings as sodium
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from gridapp.storage.store import LocalDevice

CHUNK = 64 * 1024
KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
A_BYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
SEALED_KEY_BYTES = KEY_BYTES + 48  # ephemeral public key 32 + MAC 16
SIGNATURE_BYTES = 64


ReadFn = Callable[[int], bytes]


class DecryptionFailed(Exception):
    pass


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class PublicKeys:
    device_id: str
    sign_public_key: str
    box_public_key: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public_key, self.box_public_key)


@dataclass(frozen=True)
class DeviceKeys:
    device_id: str
    signing: SigningKey
    box: PrivateKey

    @classmethod
    def of(cls, device: LocalDevice) -> DeviceKeys:
        return cls(
            device.device_id,
            SigningKey(unb64(device.sign_secret)),
            PrivateKey(unb64(device.box_secret)),
        )

    @property
    def public(self) -> PublicKeys:
        return PublicKeys(
            self.device_id, b64(bytes(self.signing.verify_key)), b64(bytes(self.box.public_key))
        )


def fingerprint(sign_public_key: str, box_public_key: str) -> str:
    """A short code two people compare aloud: 16 base32 letters in groups of four."""
    digest = hashlib.sha256(unb64(sign_public_key) + unb64(box_public_key)).digest()
    text = base64.b32encode(digest[:10]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def sign(keys: DeviceKeys, message: bytes) -> bytes:
    return bytes(keys.signing.sign(message).signature)


def verify(sign_public_key: str, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(unb64(sign_public_key)).verify(message, signature)
    except (BadSignatureError, ValueError, CryptoError):
        return False
    return True


def _certificate_message(device_id: str, sign_public_key: str) -> bytes:
    return f"gridapp-device-certificate:1:{device_id}:{sign_public_key}".encode("ascii")


def certify(office: DeviceKeys, device_id: str, sign_public_key: str) -> str:
    """The office vouches that this signing key is this enrolled device's."""
    return b64(sign(office, _certificate_message(device_id, sign_public_key)))


def certificate_valid(
    office_sign_public_key: str, device_id: str, sign_public_key: str, certificate: str
) -> bool:
    try:
        signature = unb64(certificate)
    except ValueError:
        return False
    return verify(
        office_sign_public_key, _certificate_message(device_id, sign_public_key), signature
    )


def seal_key(box_public_key: str, key: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(unb64(box_public_key))).encrypt(key))


def unseal_key(keys: DeviceKeys, sealed: bytes) -> bytes:
    try:
        key = bytes(SealedBox(keys.box).decrypt(sealed))
    except CryptoError as exc:
        raise DecryptionFailed("key") from exc
    if len(key) != KEY_BYTES:
        raise DecryptionFailed("key size")
    return key


def new_stream_key() -> bytes:
    return bytes(sodium.crypto_secretstream_xchacha20poly1305_keygen())


def encrypt_stream(key: bytes, plain: Iterator[bytes], ad: bytes) -> Iterator[bytes]:
    """Header, then each chunk as 4-byte length + ciphertext; the last carries TAG_FINAL
    so truncation is detected."""
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    yield sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    pending: bytes | None = None
    for block in plain:
        if pending is not None:
            yield _frame(sodium.crypto_secretstream_xchacha20poly1305_push(state, pending, ad))
        pending = block
    last = sodium.crypto_secretstream_xchacha20poly1305_push(state, pending or b"", ad, TAG_FINAL)
    yield _frame(last)


def _frame(cipher: bytes) -> bytes:
    return len(cipher).to_bytes(4, "big") + cipher


def decrypt_stream(key: bytes, read: ReadFn, ad: bytes) -> Iterator[bytes]:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = read(HEADER_BYTES)
    if len(header) != HEADER_BYTES:
        raise DecryptionFailed("header")
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    except CryptoError as exc:
        raise DecryptionFailed("header") from exc
    while True:
        size_bytes = read(4)
        if len(size_bytes) != 4:
            raise DecryptionFailed("truncated")
        size = int.from_bytes(size_bytes, "big")
        if size < A_BYTES or size > CHUNK + A_BYTES:
            raise DecryptionFailed("chunk size")
        cipher = read(size)
        if len(cipher) != size:
            raise DecryptionFailed("truncated")
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, cipher, ad)
        except CryptoError as exc:
            raise DecryptionFailed("chunk") from exc
        yield plain
        if tag == TAG_FINAL:
            if read(1):
                raise DecryptionFailed("trailing data")
            return
