"""The bundle file (.gsb): a zip of four stored members, read without extracting.

    manifest.json   what the bundle is (no personal data), with the sha256 of the others
    manifest.sig    Ed25519 signature of manifest.json by the sender
    key.sealed      the payload key, sealed to the recipient's X25519 key
    payload.enc     secretstream chunks of JSON lines

Reading checks, in order: size caps and zip structure; the signature against the keys
the reader knows (nothing is parsed before it verifies); the manifest; member hashes;
then decrypts chunk by chunk, so memory stays flat whatever the bundle's size.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gridapp import safe_json
from gridapp.errors import GridappError
from gridapp.files import atomic_output
from gridapp.sync import crypto
from gridapp.sync.crypto import DeviceKeys, PublicKeys

FORMAT = "gridapp-bundle"
#: Read: anything up to this. Written: 1 for sync bundles; 2 for roster bundles, whose
#: payload carries a `holds` record (docs/sync-bundles.md) an older laptop cannot read:
#: it refuses the file as "from a newer version" instead of ignoring what it must obey.
FORMAT_VERSION = 2
SUFFIX = ".gsb"
MEMBERS = ("manifest.json", "manifest.sig", "key.sealed", "payload.enc")

MAX_FILE_BYTES = 1 << 30  # 1 GiB: a year of one laptop is a few MB
MAX_MANIFEST_BYTES = 64 * 1024
MAX_LINE_BYTES = 4 * 1024 * 1024
MAX_RECIPIENTS = 64
# What zipfile raises on a damaged file; NotImplementedError comes from header values it
# does not handle (a version or flag bit flipped): all mean "not a whole bundle".
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError)


class BundleRefused(GridappError):
    """A bundle that must not be applied; `reason` is a stable code (docs/sync-bundles.md)."""

    key = "error.bundle.refused"

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(f"error.bundle.{reason}", **params)
        self.reason = reason
        self.sender = ""  # set once the signature verified: who sent it


@dataclass(frozen=True)
class Manifest:
    raw: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @property
    def kind(self) -> str:
        return str(self.raw["kind"])

    @property
    def sender(self) -> str:
        return str(self.raw["sender"])


def _lines(records: Iterable[Mapping[str, Any] | bytes]) -> Iterator[bytes]:
    """JSON lines, grouped into chunks of about crypto.CHUNK bytes (a record already
    encoded as one line of bytes goes as it is)."""
    buffer = io.BytesIO()
    for record in records:
        buffer.write(
            record
            if isinstance(record, bytes)
            else json.dumps(
                record, ensure_ascii=False, separators=(",", ":"), sort_keys=True
            ).encode("utf-8")
        )
        buffer.write(b"\n")
        if buffer.tell() >= crypto.CHUNK:
            data = buffer.getvalue()
            while len(data) >= crypto.CHUNK:
                yield data[: crypto.CHUNK]
                data = data[crypto.CHUNK :]
            buffer = io.BytesIO()
            buffer.write(data)
    if buffer.tell():
        yield buffer.getvalue()


def write_bundle(
    out: Path,
    manifest: dict[str, Any],
    records: Iterable[Mapping[str, Any] | bytes],
    sender: DeviceKeys,
    recipients: list[PublicKeys],
) -> dict[str, Any]:
    """Written through gridapp.files: a crash leaves either no file or a whole one (and
    a full or read-only disk says so). The payload key is sealed once per recipient (a
    team's laptops share one roster bundle)."""
    if not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise ValueError("a bundle needs 1 to 64 recipients")
    key = crypto.new_stream_key()
    sealed = b"".join(crypto.seal_key(r.box_public_key, key) for r in recipients)
    # The payload is bound to the bundle id, so chunks cannot be moved between bundles.
    ad = str(manifest["bundle_id"]).encode("ascii")
    counter = {"records": 0}

    def counted() -> Iterator[Mapping[str, Any] | bytes]:
        for record in records:
            counter["records"] += 1
            yield record

    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as payload:
        digest = hashlib.sha256()
        size = 0
        for block in crypto.encrypt_stream(key, _lines(counted()), ad):
            payload.write(block)
            digest.update(block)
            size += len(block)
        full = {
            **manifest,
            "format": FORMAT,
            "format_version": manifest.get("format_version", 1),
            "sender": sender.device_id,
            "recipients": [r.device_id for r in recipients],
            "records": counter["records"],
            "members": {
                "key.sealed": {"sha256": hashlib.sha256(sealed).hexdigest(), "size": len(sealed)},
                "payload.enc": {"sha256": digest.hexdigest(), "size": size},
            },
        }
        manifest_bytes = json.dumps(full, ensure_ascii=True, sort_keys=True, indent=1).encode()
        out.parent.mkdir(parents=True, exist_ok=True)
        with (
            atomic_output(out) as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as zf,
        ):
            zf.writestr("manifest.json", manifest_bytes)
            zf.writestr("manifest.sig", crypto.sign(sender, manifest_bytes))
            zf.writestr("key.sealed", sealed)
            payload.seek(0)
            with zf.open("payload.enc", "w", force_zip64=True) as member:
                while block := payload.read(1 << 20):
                    member.write(block)
    return full


class BundleReader:
    """Opens, checks and decrypts one bundle. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None
        self._zip: zipfile.ZipFile | None = None

    def __enter__(self) -> BundleReader:
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise BundleRefused("unreadable", file=self.path.name) from exc
        if size == 0:
            raise BundleRefused("empty", file=self.path.name)
        if size > MAX_FILE_BYTES:
            raise BundleRefused("too_large", file=self.path.name, size=size)
        self._file = open(self.path, "rb")
        try:
            self._zip = zipfile.ZipFile(self._file)
        except _ZIP_ERRORS as exc:
            self.close()
            raise BundleRefused("not_a_bundle", file=self.path.name) from exc
        try:
            self._check_structure(size)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if self._file is not None:
            self._file.close()
            self._file = None

    @property
    def zip(self) -> zipfile.ZipFile:
        assert self._zip is not None
        return self._zip

    def _check_structure(self, size: int) -> None:
        infos = self.zip.infolist()
        names = [i.filename for i in infos]
        if len(names) != len(set(names)):
            raise BundleRefused("members", file=self.path.name, detail="duplicate")
        if sorted(names) != sorted(MEMBERS):
            odd = sorted(set(names) ^ set(MEMBERS))
            raise BundleRefused("members", file=self.path.name, detail=", ".join(odd)[:120])
        total = 0
        for info in infos:
            # Stored only: a compressed member could expand without bound (zip bomb).
            if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
                raise BundleRefused("compressed", file=self.path.name, member=info.filename)
            if info.flag_bits & 0x1:
                raise BundleRefused("members", file=self.path.name, detail="encrypted zip")
            total += info.file_size
        if total > size:
            raise BundleRefused("not_a_bundle", file=self.path.name)
        if self.zip.getinfo("manifest.json").file_size > MAX_MANIFEST_BYTES:
            raise BundleRefused("too_large", file=self.path.name, size=size)
        if self.zip.getinfo("manifest.sig").file_size != crypto.SIGNATURE_BYTES:
            raise BundleRefused("bad_signature", file=self.path.name)
        sealed = self.zip.getinfo("key.sealed").file_size
        if (
            not sealed
            or sealed % crypto.SEALED_KEY_BYTES
            or sealed > crypto.SEALED_KEY_BYTES * MAX_RECIPIENTS
        ):
            raise BundleRefused("members", file=self.path.name, detail="key.sealed")

    def _member(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except _ZIP_ERRORS as exc:
            raise BundleRefused("not_a_bundle", file=self.path.name) from exc

    def unverified_manifest(self) -> dict[str, Any]:
        """The manifest before any check: only for a laptop's very first roster bundle,
        whose signer it does not know yet (trust on first use; the worker compares the
        fingerprint). Everything else goes through `verify`."""
        try:
            raw = safe_json.loads(self._member("manifest.json"), max_bytes=MAX_MANIFEST_BYTES)
        except ValueError as exc:
            raise BundleRefused("manifest", file=self.path.name, detail="json") from exc
        if not isinstance(raw, dict):
            raise BundleRefused("manifest", file=self.path.name, detail="json")
        return raw

    def verify(self, signers: Iterable[PublicKeys]) -> tuple[PublicKeys, Manifest]:
        """Find the signer among known keys, then (only then) parse the manifest."""
        manifest_bytes = self._member("manifest.json")
        signature = self._member("manifest.sig")
        signer = next(
            (k for k in signers if crypto.verify(k.sign_public_key, manifest_bytes, signature)),
            None,
        )
        if signer is None:
            raise BundleRefused("unknown_signer", file=self.path.name)
        try:
            raw = safe_json.loads(manifest_bytes, max_bytes=MAX_MANIFEST_BYTES)
        except ValueError as exc:
            raise BundleRefused("manifest", file=self.path.name, detail="json") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise BundleRefused("manifest", file=self.path.name, detail="format")
        version = raw.get("format_version")
        if not isinstance(version, int):
            raise BundleRefused("manifest", file=self.path.name, detail="format_version")
        if version > FORMAT_VERSION:
            raise BundleRefused("version_future", file=self.path.name, version=version)
        for field, kind in (
            ("sender", str),
            ("recipients", list),
            ("bundle_id", str),
            ("kind", str),
            ("created_at", str),
            ("members", dict),
        ):
            if not isinstance(raw.get(field), kind):
                raise BundleRefused("manifest", file=self.path.name, detail=field)
        if not _canonical_uuid(raw["bundle_id"]):
            # The id names files (held/<id>.gsb): a UUID in its one canonical form.
            raise BundleRefused("manifest", file=self.path.name, detail="bundle_id")
        if raw["sender"] != signer.device_id:
            raise BundleRefused("signer_mismatch", file=self.path.name)
        self._check_hashes(raw["members"])
        return signer, Manifest(raw)

    def _check_hashes(self, members: Mapping[str, Any]) -> None:
        for name in ("key.sealed", "payload.enc"):
            expected = members.get(name)
            if not isinstance(expected, dict):
                raise BundleRefused("manifest", file=self.path.name, detail=name)
            digest = hashlib.sha256()
            try:
                with self.zip.open(name) as member:
                    while block := member.read(1 << 20):
                        digest.update(block)
            except _ZIP_ERRORS as exc:
                raise BundleRefused("not_a_bundle", file=self.path.name) from exc
            if digest.hexdigest() != expected.get("sha256"):
                raise BundleRefused("tampered", file=self.path.name, member=name)

    def records(self, manifest: Manifest, keys: DeviceKeys) -> Iterator[dict[str, Any]]:
        """Decrypt and yield the payload's records one by one, as plain JSON (tools and
        tests; importers decode `lines` into typed records, sync/wire.py)."""
        for line in self.lines(manifest, keys):
            yield _record(line, self.path.name)

    def lines(self, manifest: Manifest, keys: DeviceKeys) -> Iterator[bytes]:
        """Decrypt and yield the payload's lines one by one, undecoded."""
        recipients = manifest["recipients"]
        if keys.device_id not in recipients:
            raise BundleRefused("not_for_us", file=self.path.name)
        sealed = self._member("key.sealed")
        index = recipients.index(keys.device_id)
        size = crypto.SEALED_KEY_BYTES
        try:
            key = crypto.unseal_key(keys, sealed[index * size : (index + 1) * size])
        except crypto.DecryptionFailed as exc:
            raise BundleRefused("not_for_us", file=self.path.name) from exc
        ad = str(manifest["bundle_id"]).encode("ascii")
        pending = b""
        count = 0
        try:
            with self.zip.open("payload.enc") as member:
                for plain in crypto.decrypt_stream(key, member.read, ad):
                    pending += plain
                    *lines, pending = pending.split(b"\n")
                    if len(pending) > MAX_LINE_BYTES:
                        raise BundleRefused("payload", file=self.path.name, detail="line")
                    for line in lines:
                        count += 1
                        yield line
        except crypto.DecryptionFailed as exc:
            raise BundleRefused("payload", file=self.path.name, detail=str(exc)) from exc
        except _ZIP_ERRORS as exc:
            raise BundleRefused("not_a_bundle", file=self.path.name) from exc
        if pending.strip():
            raise BundleRefused("payload", file=self.path.name, detail="unterminated")
        if count != manifest.get("records"):
            raise BundleRefused("payload", file=self.path.name, detail="count")


def _canonical_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def _record(line: bytes, name: str) -> dict[str, Any]:
    try:
        record = safe_json.loads(line, max_bytes=MAX_LINE_BYTES)
    except ValueError as exc:
        raise BundleRefused("payload", file=name, detail="json") from exc
    if not isinstance(record, dict):
        raise BundleRefused("payload", file=name, detail="record")
    return record
