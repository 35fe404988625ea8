"""Hostile bundles: each is refused with a specific reason, nothing is applied, and the
file is kept aside under <data dir>/refused/."""

from __future__ import annotations

import gc
import json
import shutil
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store
from gridapp.sync import crypto
from gridapp.sync.container import MEMBERS, BundleReader, write_bundle
from gridapp.sync.crypto import DeviceKeys, PublicKeys
from gridapp.sync.importer import ImportResult
from tests.conftest import make_services

# Refusing a hostile bundle is what this module tests: each refusal is logged.
pytestmark = pytest.mark.expected_log(r"^refused \S+: error\.bundle\.")

M, S, K, P = MEMBERS  # manifest.json, manifest.sig, key.sealed, payload.enc
DEFLATED = zipfile.ZIP_DEFLATED


class ImportCrashed(AssertionError):
    """import_files raised instead of answering with an ImportResult."""


def keys(services: Services) -> DeviceKeys:
    return DeviceKeys.of(services.store.require_device())


def visit(services: Services) -> None:
    hid = services.read.household_ids()[0]
    services.visits.record(VisitInput(hid, "W0101", "met", answers={"stance": "agree"}))


def rezip(
    src: Path,
    dst: Path,
    members: Mapping[str, bytes | None] | None = None,
    compress: Mapping[str, int] | None = None,
    order: Sequence[str] | None = None,
) -> Path:
    """Rewrite a bundle: `members` replaces (None drops) or adds members, `compress` sets a
    member's compression, `order` lists the members written (a name may repeat)."""
    with zipfile.ZipFile(src) as zf:
        content = {name: zf.read(name) for name in zf.namelist()}
    for name, data in (members or {}).items():
        if data is None:
            del content[name]
        else:
            content[name] = data
    dst.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name"
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zf:
            for name in order or list(content):
                kind = (compress or {}).get(name, zipfile.ZIP_STORED)
                zf.writestr(name, content[name], compress_type=kind)
    return dst


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :]


@dataclass
class World:
    """An office with the demo; a laptop on team 1 with one visit recorded; that visit's
    bundle b1.gsb, valid and not imported; tmp/pristine: the laptop's folder before it."""

    tmp: Path
    clock: FixedClock
    office: Services
    lap: Services = field(init=False)
    opened: list[Services] = field(default_factory=list)
    made: int = 0

    @property
    def bundle(self) -> Path:
        return self.tmp / "b1.gsb"

    @cached_property
    def data(self) -> bytes:
        return self.bundle.read_bytes()

    @cached_property
    def m(self) -> dict[str, bytes]:
        return members_of(self.bundle)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return dict(json.loads(self.m[M]))

    @property
    def n(self) -> int:
        return len(self.records)

    @cached_property
    def records(self) -> list[dict[str, Any]]:
        with BundleReader(self.bundle) as reader:
            _, manifest = reader.verify([keys(self.lap).public])
            return list(reader.records(manifest, keys(self.office)))

    def path(self) -> Path:
        self.made += 1
        return self.tmp / "hostile" / f"h{self.made}.gsb"

    def out(self, data: bytes) -> Path:
        path = self.path()
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path

    def services(self, folder: str, role: str = "") -> Services:
        """A new database of that role, or (no role) the existing one in `folder`."""
        s = Services(Store.open(self.tmp / folder / "gridapp.db", self.clock))
        if role:
            s.device.initialise(role, f"test {role}")
        self.opened.append(s)
        return s

    def enroll(self, folder: str, team: int) -> Services:
        """A new laptop on `team`; its first roster bundle is <folder>.gsb."""
        lap, request = self.services(folder, "field"), self.tmp / f"{folder}.json"
        lap.sync.request(request)
        self.office.sync.enroll(request, team, self.tmp / f"{folder}.gsb")
        return lap

    @cached_property
    def lap2(self) -> Services:
        return self.enroll("lap2", 2)

    def rezip(self, **kw: Any) -> Path:
        return rezip(kw.pop("src", self.bundle), self.path(), **kw)

    def put(self, name: str, data: bytes | None) -> Path:
        return self.rezip(members={name: data})

    def resign(
        self,
        src: Path | None = None,
        signer: DeviceKeys | None = None,
        members: Mapping[str, bytes] | None = None,
        **changes: Any,
    ) -> Path:
        """Change manifest fields (and members, fixing their hashes), sign again."""
        src, members = src or self.bundle, dict(members or {})
        manifest = json.loads(members_of(src)[M]) | changes
        for name, data in members.items():
            manifest["members"][name] = {"sha256": sha256(data).hexdigest(), "size": len(data)}
        raw = json.dumps(manifest, ensure_ascii=True, sort_keys=True, indent=1).encode()
        sig = crypto.sign(signer or keys(self.lap), raw)
        return self.rezip(src=src, members={**members, M: raw, S: sig})

    def forge(
        self,
        signer: DeviceKeys | None = None,
        to: list[PublicKeys] | None = None,
        records: list[dict[str, Any]] | None = None,
        **changes: Any,
    ) -> Path:
        """Written by write_bundle itself, from the good bundle's manifest and records."""
        fields = ("kind", "bundle_id", "created_at", "schema", "seq_from", "seq_to")
        manifest = {**{k: self.manifest[k] for k in fields}, **changes}
        path, sender = self.path(), signer or keys(self.lap)
        records = self.records if records is None else records
        write_bundle(path, manifest, records, sender, to or [keys(self.office).public])
        return path

    def reframe(self, keep: Callable[[list[bytes]], list[bytes]]) -> Path:
        """Re-encrypt one record per chunk, keep only some chunks, sign again."""
        key = crypto.new_stream_key()
        lines = [json.dumps(r).encode() + b"\n" for r in self.records]
        ad = self.manifest["bundle_id"].encode()
        header, *frames = crypto.encrypt_stream(key, iter(lines), ad)
        sealed = crypto.seal_key(keys(self.office).public.box_public_key, key)
        return self.resign(members={K: sealed, P: header + b"".join(keep(frames))})


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    w = World(tmp_path, clock, make_services(tmp_path / "office" / "gridapp.db", clock))
    build_demo(w.office, DemoOptions(households=60, seed=1))
    lap = w.enroll("lap", 1)
    assert lap.sync.import_files([tmp_path / "lap.gsb"])[0].status == "applied"
    clock.advance(days=30)  # the demo's visits are in Dec 2023
    lap.store.close()
    shutil.copytree(tmp_path / "lap", tmp_path / "pristine")
    w.lap = w.services("lap")
    visit(w.lap)
    w.lap.sync.export(w.bundle)
    yield w
    for s in [w.office, *w.opened]:
        s.store.close()


# -- builders that need more than one line -------------------------------------------


def zip_bomb_manifest(w: World) -> Path:
    path = w.put(M, None)
    info = zipfile.ZipInfo(M)
    info.compress_type = DEFLATED
    with zipfile.ZipFile(path, "a") as zf, zf.open(info, "w", force_zip64=True) as member:
        for _ in range(16):
            member.write(b" " * (1 << 20))  # 16 MiB of spaces in a few KB
    return path


def revoked(w: World) -> Path:
    assert w.office.sync.import_files([w.bundle])[0].status == "applied"
    w.office.sync.revoke(keys(w.lap).device_id)
    visit(w.lap)
    w.lap.sync.export(w.tmp / "b2.gsb")
    return w.tmp / "b2.gsb"


def cloned(w: World, visits: int) -> Path:
    """The laptop's disk copied before its visit; the copy records visits of its own."""
    clone = w.services("pristine")
    for _ in range(visits):
        visit(clone)
    clone.sync.export(w.tmp / "clone.gsb")
    assert w.office.sync.import_files([w.bundle])[0].status == "applied"
    return w.tmp / "clone.gsb"


def for_other_office(w: World) -> Path:
    """Sealed to another office's key, the manifest naming the real office."""
    other = keys(w.services("office2", "office")).public
    return w.resign(src=w.forge(to=[other]), recipients=[keys(w.office).device_id])


def held_as(w: World, bundle_id: str) -> Path:
    """Ahead of the office's sequence, so it would be held as held/<bundle_id>.gsb."""
    return w.resign(bundle_id=bundle_id, seq_from=5, seq_to=9)


def office_own_roster(w: World) -> Path:
    w.office.sync.roster(1, w.tmp / "own-roster.gsb")
    return w.tmp / "own-roster.gsb"


def payload_of_another_bundle(w: World) -> Path:
    other = members_of(w.forge(bundle_id=w.lap.store.new_id()))
    return w.resign(members={K: other[K], P: other[P]})


def stranger_roster(w: World) -> Path:
    """Another office's roster bundle, for a laptop that already trusts its own office."""
    stranger = keys(w.services("stranger-office", "office"))
    office = {**stranger.public.__dict__, "name": "办公室"}
    return w.forge(stranger, [keys(w.lap).public], [], kind="roster", office=office)


def tampered_roster(w: World) -> Path:
    roster = w.tmp / "roster-again.gsb"
    w.office.sync.roster(1, roster)
    return w.rezip(src=roster, members={P: flip(members_of(roster)[P], 64)})


def other_laptop_roster(w: World) -> Path:
    assert w.lap2
    return w.tmp / "lap2.gsb"


Builder = Callable[[World], Path]
CASES: list[Any] = []  # the office imports
LAP_CASES: list[Any] = []  # the laptop imports


def case(reason: str, id: str, build: Builder, lap: bool = False, **params: Any) -> None:
    """`params`: some of the refusal's parameters, which say more than the reason."""
    (LAP_CASES if lap else CASES).append(pytest.param(build, reason, params, id=id))


def missing(name: str) -> Builder:
    return lambda w: w.put(name, None)


def manifest_not_json(w: World) -> Path:
    return w.rezip(members={M: b"{", S: crypto.sign(keys(w.lap), b"{")})


def entries_of_another_device(w: World) -> Path:
    other = keys(w.lap2).device_id
    return w.forge(records=[{**r, "device_id": other} for r in w.records])


# The container: size, zip structure, members.
case("not_a_bundle", "truncated_half", lambda w: w.out(w.data[: len(w.data) // 2]))
case("not_a_bundle", "truncated_last_byte", lambda w: w.out(w.data[:-1]))
case("empty", "empty_file", lambda w: w.out(b""))
case("not_a_bundle", "random_bytes", lambda w: w.out(bytes(range(256)) * 12))
case("not_a_bundle", "text_file", lambda w: w.out("走访记录 visit notes\n".encode() * 50))
case("compressed", "deflated_payload", lambda w: w.rezip(compress={P: DEFLATED}), member=P)
case("compressed", "zip_bomb_manifest", zip_bomb_manifest, member=M)
case("too_large", "stored_manifest_over_64k", lambda w: w.put(M, w.m[M] + b" " * 70_000))
case("members", "path_traversal_name", lambda w: w.rezip(members={M: None, f"../{M}": w.m[M]}))
case("members", "absolute_name", lambda w: w.rezip(members={M: None, f"/{M}": w.m[M]}))
case("members", "duplicate_name_extra", lambda w: w.rezip(order=[*MEMBERS, M]), detail="duplicate")
case("members", "duplicate_name_for_one", lambda w: w.rezip(order=[M, S, K, K]), detail="duplicate")
case("members", "extra_member", lambda w: w.put("readme.txt", b"hello"), detail="readme.txt")
for _name in MEMBERS:
    case("members", f"missing_{_name}", missing(_name), detail=_name)
case("bad_signature", "short_signature", lambda w: w.put(S, bytes(63)))
case("members", "key_sealed_odd_size", lambda w: w.put(K, w.m[K][:-1]), detail=K)
# Signatures and the integrity of the members.
case("unknown_signer", "seq_to_edited", lambda w: w.put(M, w.m[M].replace(b'to": ', b'to": 9')))
case("tampered", "payload_changed", lambda w: w.put(P, flip(w.m[P], 100)), member=P)
case("not_a_bundle", "payload_flipped_in_file", lambda w: w.out(flip(w.data, w.data.index(w.m[P]))))
case("tampered", "key_sealed_changed", lambda w: w.put(K, flip(w.m[K], 40)), member=K)
case("not_for_us", "key_sealed_changed_resigned", lambda w: w.resign(members={K: flip(w.m[K], 40)}))
case("signer_mismatch", "signed_by_other_laptop", lambda w: w.resign(signer=keys(w.lap2)))
case("signer_mismatch", "sender_is_not_signer", lambda w: w.resign(sender=keys(w.lap2).device_id))
case("unknown_signer", "never_enrolled_laptop", lambda w: w.forge(keys(w.services("x", "field"))))
case("unknown_signer", "office_own_roster", office_own_roster)
case("revoked", "revoked_laptop", revoked)
case("not_for_us", "not_in_recipients", lambda w: w.resign(recipients=[keys(w.lap2).device_id]))
case("not_for_us", "sealed_for_other_office", for_other_office)
# The manifest's content, signed by the enrolled laptop.
case("manifest", "manifest_not_json", manifest_not_json, detail="json")
case("manifest", "format_other", lambda w: w.resign(format="zip"), detail="format")
case("manifest", "version_text", lambda w: w.resign(format_version="1"), detail="format_version")
case("version_future", "format_version_99", lambda w: w.resign(format_version=99), version=99)
case("schema_future", "schema_from_future", lambda w: w.resign(schema="m999_future"))
case("clock", "created_2001", lambda w: w.resign(created_at="2001-06-01T09:00:00+08:00"))
case("clock", "created_2099", lambda w: w.resign(created_at="2099-06-01T09:00:00+08:00"))
case("manifest", "created_garbled", lambda w: w.resign(created_at="yesterday"), detail="created_at")
case("manifest", "seq_from_zero", lambda w: w.resign(seq_from=0), detail="seq")
case("manifest", "bundle_id_path", lambda w: held_as(w, "../../escaped"), detail="bundle_id")
case("manifest", "bundle_id_absolute", lambda w: held_as(w, str(w.tmp / "x")), detail="bundle_id")
case("manifest", "bundle_id_not_ascii", lambda w: held_as(w, "bündel-1"), detail="bundle_id")
case("wrong_kind", "roster_kind_from_laptop", lambda w: w.forge(kind="roster"), kind="roster")
# The payload.
case("payload", "record_count_differs", lambda w: w.resign(records=w.n + 1), detail="count")
case(
    "payload",
    "first_entry_dropped",
    lambda w: w.forge(records=w.records[1:]),
    detail="gap inside bundle",
)
case(
    "payload",
    "last_entry_dropped",
    lambda w: w.forge(records=w.records[:-1]),
    detail="missing entries",
)
case("payload", "entry_outside_seq_range", lambda w: w.resign(seq_to=w.n - 1), detail="seq range")
case("payload", "final_chunk_dropped", lambda w: w.reframe(lambda f: f[:-1]), detail="truncated")
case("payload", "every_other_chunk", lambda w: w.reframe(lambda f: f[::2]), detail="chunk")
case("payload", "chunks_reordered", lambda w: w.reframe(lambda f: f[::-1]), detail="chunk")
case("payload", "payload_of_another_bundle", payload_of_another_bundle, detail="chunk")
case("foreign_entry", "entries_of_another_device", entries_of_another_device)
case("cloned", "cloned_laptop_same_sequence", lambda w: cloned(w, visits=1))
case("cloned", "cloned_laptop_further_ahead", lambda w: cloned(w, visits=2))
# The laptop's side: roster bundles.
case("unknown_signer", "stranger_office", stranger_roster, lap=True)
case("not_for_us", "roster_of_other_laptop", other_laptop_roster, lap=True)
case("tampered", "tampered_roster", tampered_roster, lap=True, member=P)
case(
    "wrong_kind",
    "sync_kind_from_office",
    lambda w: w.forge(keys(w.office), [keys(w.lap).public], []),
    lap=True,
)
case("unknown_signer", "a_laptop_bundle", lambda w: w.bundle, lap=True)


def import_one(services: Services, path: Path) -> ImportResult:
    """Import one file: the product must answer, never raise, never leak an open file."""
    crash = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        try:
            [result] = services.sync.import_files([path])
        except Exception as exc:
            crash = f"{type(exc).__name__}: {exc}"
        if crash:
            gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    if crash:
        raise ImportCrashed(f"importing {path.name} raised {crash}; leaked: {leaks}")
    assert not leaks
    return result


def state(s: Services) -> tuple[Any, ...]:
    """What an import could change: counts, the change log, imported bundles, sync state."""
    db = s.store.db
    office = s.sync.status()["role"] == "office"
    return (
        s.read.counts(),
        db.execute("SELECT count(*) FROM change_log").fetchone()[0],
        set(db.execute("SELECT * FROM _imported_bundle").fetchall()),
        s.sync.status(),
        (_without_alarms(s.sync.peers()), s.sync.held(), s.sync.quarantined()) if office else None,
    )


def _without_alarms(peers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A refusal may raise an alarm (tests/unit/sync/test_authority.py checks them); it
    changes nothing else."""
    return [{k: v for k, v in p.items() if k not in ("alarms", "last_alarm")} for p in peers]


def assert_refused(s: Services, path: Path, reason: str = "") -> ImportResult:
    """Refused (for `reason`, if given), nothing changed, the file kept aside."""
    before = state(s)
    result = import_one(s, path)
    assert result.status == "refused", result
    assert result.reason == f"error.bundle.{reason}" or not reason, result
    assert result.applied == 0
    assert state(s) == before
    assert result.kept_at and Path(result.kept_at).read_bytes() == path.read_bytes()
    return result


def check(s: Services, path: Path, reason: str, params: dict[str, Any]) -> None:
    result = assert_refused(s, path, reason)
    assert result.params and {k: result.params.get(k) for k in params} == params


@pytest.mark.parametrize(("build", "reason", "params"), CASES)
def test_office_refuses(world: World, build: Builder, reason: str, params: dict[str, Any]) -> None:
    check(world.office, build(world), reason, params)


@pytest.mark.parametrize(("build", "reason", "params"), LAP_CASES)
def test_laptop_refuses(world: World, build: Builder, reason: str, params: dict[str, Any]) -> None:
    check(world.lap, build(world), reason, params)


@pytest.mark.parametrize(
    "build",
    [lambda w: w.rezip(), lambda w: w.resign(), lambda w: w.forge(), lambda w: w.reframe(list)],
    ids=["rezip", "resign", "forge", "reframe"],
)
def test_the_tools_alone_make_a_good_bundle(world: World, build: Builder) -> None:
    """Controls: the refusals above come from each change, not from the rewriting."""
    assert import_one(world.office, build(world)).applied == len(world.records) > 2


def test_a_good_bundle_applies_after_refusals(world: World) -> None:
    assert_refused(world.office, world.resign(format_version=99), "version_future")
    assert_refused(world.office, world.reframe(lambda f: f[:-1]), "payload")
    assert import_one(world.office, world.bundle).applied == len(world.records)


# -- bugs this suite found (fixed): odd headers and odd signed values ----------------------


@pytest.mark.parametrize(("offset", "bits"), [(6, 0xF0), (8, 0x20), (8, 0x40)])
def test_zip_header_values_zipfile_rejects(world: World, offset: int, bits: int) -> None:
    with zipfile.ZipFile(world.bundle) as zf:
        at = zf.start_dir + offset  # 6: version needed to extract, 8: flag bits
    data = bytearray(world.data)
    data[at] |= bits
    assert_refused(world.office, world.out(bytes(data)))


@pytest.mark.parametrize("change", [{"schema": ["m002_sync"]}, {"bundle_id": "０" * 32}])
def test_signed_manifest_odd_values(world: World, change: dict[str, Any]) -> None:
    assert_refused(world.office, world.resign(**change))


@pytest.mark.parametrize(
    "bundle_id", ["urn:uuid:" + "0" * 32, "{%s}" % ("1" * 32), " %s " % ("a" * 30)]
)
def test_bundle_id_not_in_canonical_form(world: World, bundle_id: str) -> None:
    assert_refused(world.office, held_as(world, bundle_id))
