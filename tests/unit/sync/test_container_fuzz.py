"""Fuzzing the bundle reader: whatever the bytes, it reads exactly the original records or
refuses with BundleRefused; it raises nothing else and never hangs. Through the office
service, a mutated bundle is refused with nothing applied, or applies like the clean one."""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store
from gridapp.sync.container import BundleReader, BundleRefused, write_bundle
from gridapp.sync.crypto import DeviceKeys, PublicKeys
from tests.conftest import START, make_services

pytestmark = pytest.mark.slow  # fuzzing: a minute and more

T = TypeVar("T")

SLOW_SECONDS = 5.0  # far above a normal read (milliseconds): anything slower is a hang


@dataclass(frozen=True)
class Setup:
    root: Path
    clock: FixedClock
    bundle: bytes  # a valid field bundle: the laptop's device row, a visit, its answers
    laptop: PublicKeys
    office: DeviceKeys
    records: list[dict[str, Any]]
    hot: list[int]  # offsets of zip header bytes, where flips are most interesting
    pristine: Path  # the office's folder before any import (store closed)
    before: tuple[Any, ...]  # the office's state before any import
    clean: tuple[Any, ...]  # its state after importing the clean bundle
    signer: DeviceKeys  # the laptop's own keys: its signature is valid on anything
    manifest: dict[str, Any]  # the clean bundle's manifest


def keys(services: Services) -> DeviceKeys:
    return DeviceKeys.of(services.store.require_device())


def state(s: Services) -> tuple[Any, ...]:
    db = s.store.db
    return (
        s.read.counts(),
        db.execute("SELECT count(*) FROM change_log").fetchone()[0],
        set(db.execute("SELECT * FROM _imported_bundle").fetchall()),
    )


def header_offsets(bundle: Path) -> list[int]:
    """Local headers (fixed part and name) and the whole central directory and end record."""
    size = bundle.stat().st_size
    with zipfile.ZipFile(bundle) as zf:
        local = [
            at
            for info in zf.infolist()
            for at in range(info.header_offset, info.header_offset + 30 + len(info.filename))
        ]
        return local + list(range(zf.start_dir, size))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    """Built once: hypothesis runs every example in the same (module-scoped) setup."""
    root = tmp_path_factory.mktemp("fuzz")
    clock = FixedClock(START)
    office = make_services(root / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=60, seed=1))
    lap = make_services(root / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(root / "req.json")
    office.sync.enroll(root / "req.json", 1, root / "roster.gsb")
    assert lap.sync.import_files([root / "roster.gsb"])[0].status == "applied"
    clock.advance(days=30)  # the demo's visits are in Dec 2023
    hid = lap.read.household_ids()[0]
    lap.visits.record(VisitInput(hid, "W0101", "met", answers={"stance": "agree"}))
    lap.sync.export(root / "b1.gsb")
    laptop, office_keys, signer = keys(lap).public, keys(office), keys(lap)
    with BundleReader(root / "b1.gsb") as reader:
        _, manifest = reader.verify([laptop])
        records = list(reader.records(manifest, office_keys))
    before = state(office)
    for s in (office, lap):
        s.store.close()
    clean = open_copy_and_import(root, clock, root / "office", root / "b1.gsb")
    assert clean[0] == "applied"
    yield Setup(
        root,
        clock,
        (root / "b1.gsb").read_bytes(),
        laptop,
        office_keys,
        records,
        header_offsets(root / "b1.gsb"),
        root / "office",
        before,
        clean[1],
        signer,
        {k: manifest.raw[k] for k in ("kind", "created_at", "schema", "seq_from", "seq_to")},
    )


def open_copy_and_import(
    root: Path, clock: FixedClock, pristine: Path, bundle: Path
) -> tuple[str, tuple[Any, ...]]:
    folder = Path(tempfile.mkdtemp(dir=root))
    shutil.copytree(pristine, folder / "office")
    office = Services(Store.open(folder / "office" / "gridapp.db", clock))
    try:
        [result] = office.sync.import_files([bundle])
        return result.status, state(office)
    finally:
        office.store.close()
        shutil.rmtree(folder)


@st.composite
def mutated(draw: st.DrawFn, original: bytes, hot: Sequence[int]) -> bytes:
    """Byte flips (anywhere, or in zip headers), truncation, insertion, deletion, or
    bytes at random."""
    data = bytearray(original)
    n = len(data)
    kind = draw(st.sampled_from(["flip", "flip_header", "truncate", "insert", "delete", "random"]))
    event(f"mutation: {kind}")
    if kind in ("flip", "flip_header"):
        where = st.integers(0, n - 1) if kind == "flip" else st.sampled_from(hot)
        flips = draw(st.lists(st.tuples(where, st.integers(1, 255)), min_size=1, max_size=8))
        for at, mask in flips:
            data[at] ^= mask
        if data == original:  # two flips cancelled out
            data[flips[0][0]] ^= 0xFF
    elif kind == "truncate":
        del data[draw(st.integers(0, n - 1)) :]
    elif kind == "insert":
        at = draw(st.integers(0, n))
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    elif kind == "delete":
        at = draw(st.integers(0, n - 1))
        del data[at : at + draw(st.integers(1, 64))]
    else:
        return draw(st.binary(max_size=4096))
    return bytes(data)


def guarded(call: Callable[[], T]) -> T | None:
    """`call()`; any exception propagates, a slow call or an open file left behind
    (ResourceWarning) fails the example."""
    started = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        result = call()
        gc.collect()  # a leaked file warns here, inside the check
    assert time.monotonic() - started < SLOW_SECONDS
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not leaks, leaks
    return result


def read_back(path: Path, s: Setup) -> list[dict[str, Any]] | str:
    """The bundle's records, or the reason it was refused."""
    try:
        with BundleReader(path) as reader:
            _, manifest = reader.verify([s.laptop])
            return list(reader.records(manifest, s.office))
    except BundleRefused as exc:
        return exc.key


def test_the_original_reads_back(setup: Setup) -> None:
    path = setup.root / "original.gsb"
    path.write_bytes(setup.bundle)
    assert read_back(path, setup) == setup.records
    assert len(setup.records) > 2  # a device row, a visit, its answers


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,  # write nothing into the project folder
)
@given(data=st.data())
def test_reader_reads_the_original_or_refuses(setup: Setup, data: st.DataObject) -> None:
    path = setup.root / "mutated.gsb"
    path.write_bytes(data.draw(mutated(setup.bundle, setup.hot), label="bundle"))
    outcome = guarded(lambda: read_back(path, setup))
    if isinstance(outcome, str):
        event(f"refused: {outcome}")
        assert outcome.startswith("error.bundle.")
    elif outcome is not None:
        event("read back: the change touched nothing that counts")
        assert outcome == setup.records


# most mutations are refused, and each refusal is logged (at least one in a run)
@pytest.mark.expected_log(r"^refused mutated-import\.gsb: error\.bundle\.")
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(data=st.data())
def test_office_import_refuses_or_applies_like_the_clean_bundle(
    setup: Setup, data: st.DataObject
) -> None:
    path = setup.root / "mutated-import.gsb"
    path.write_bytes(data.draw(mutated(setup.bundle, setup.hot), label="bundle"))
    outcome = guarded(lambda: open_copy_and_import(setup.root, setup.clock, setup.pristine, path))
    if outcome is None:
        return
    status, after = outcome
    event(f"status: {status}")
    assert status in ("refused", "applied")
    assert after == (setup.before if status == "refused" else setup.clean)


# -- validly signed bundles with arbitrary entries ---------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["met", "in_person", "2023-12-04T09:00:00+08:00", "0001-01-01T00:00:00"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def arbitrary_entries(draw: st.DrawFn, setup: Setup) -> list[dict[str, Any]]:
    """The honest entries, then a few more of any shape, still numbered and signed by
    the laptop: the office must refuse them or apply them, never crash."""
    from gridapp.sync.wire_tables import TABLES

    honest = setup.records
    last = honest[-1]
    extra = []
    for i in range(draw(st.integers(1, 3))):
        entity = draw(st.sampled_from([*TABLES, "account", "_audit", 'visit" --']))
        columns = list(TABLES.get(entity, {"id": None}))
        names = st.sampled_from([*columns, "x", 'id" ) --', "_purged"])
        fields = draw(st.dictionaries(names, _VALUES, max_size=6))
        known = [r["record_id"] for r in honest]
        record_id = draw(st.sampled_from([str(uuid.uuid4()), "1", *known]))
        if draw(st.booleans()):
            fields["id"] = record_id
        extra.append(
            {
                "t": "change",
                "device_id": last["device_id"],
                "seq": last["seq"] + 1 + i,
                "hlc": last["hlc"],
                "actor": draw(st.sampled_from(["W0101", "", "x" * 100])),
                "entity": entity,
                "record_id": record_id,
                "op": draw(st.sampled_from(["insert", "update", "delete", "drop"])),
                "fields": draw(st.sampled_from([fields, None, [fields]])),
                "base": draw(st.sampled_from([None, {}, fields])),
            }
        )
    return [*honest, *extra]


# arbitrary entries are refused, and each refusal is logged (at least one in a run)
@pytest.mark.expected_log(r"^refused signed-arbitrary\.gsb: error\.bundle\.")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(data=st.data())
def test_signed_bundles_with_arbitrary_entries(setup: Setup, data: st.DataObject) -> None:
    records = data.draw(arbitrary_entries(setup), label="records")
    path = setup.root / "signed-arbitrary.gsb"
    signer = setup.signer
    manifest = {**setup.manifest, "bundle_id": str(uuid.uuid4()), "seq_to": records[-1]["seq"]}
    write_bundle(path, manifest, records, signer, [setup.office.public])
    outcome = guarded(lambda: open_copy_and_import(setup.root, setup.clock, setup.pristine, path))
    assert outcome is not None
    status, after = outcome
    event(f"status: {status}")
    assert status in ("refused", "applied")
    if status == "refused":
        assert after == setup.before
