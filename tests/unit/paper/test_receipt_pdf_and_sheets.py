"""The PDFs as a printer and a scanner see them: the font embedded, the words
extractable, every QR decodable at 150 dpi (zxing-cpp) and saying the right thing."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from gridapp.cli.main import main
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import ReadOnlyLocation
from gridapp.paper.receipt_pdf import render_receipts
from gridapp.paper.sheet_pdf import render_sheets
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from tests.conftest import make_services
from tests.unit.paper.helpers import record_visit

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm, pdffonts) not installed"
)


def _run(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def _fonts_embedded(pdf: Path) -> None:
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        # name type encoding emb sub uni object ID: `emb` is the 4th column from the end
        # (types like "TrueType (CID)" have spaces, so count from the right)
        assert row.split()[-5] == "yes", row


def _qr_texts(pdf: Path, tmp_path: Path) -> list[list[str]]:
    """Per page, the text of every QR code zxing-cpp finds at 150 dpi."""
    prefix = tmp_path / pdf.stem
    _run("pdftoppm", "-r", "150", "-png", str(pdf), str(prefix))
    pages = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
    found = []
    for page in pages:
        with Image.open(page) as image:
            found.append([b.text for b in zxingcpp.read_barcodes(image)])
    return found


def _met_visits(services: Services, count: int) -> list[str]:
    return [record_visit(services, notes=f"第{n}次") for n in range(count)]


@pytest.mark.parametrize("layout", ["a5", "thermal80"])
def test_receipts_print_and_every_qr_verifies(
    demo_services: Services, tmp_path: Path, layout: str
) -> None:
    visits = _met_visits(demo_services, 3)
    docs = demo_services.paper.receipt_documents(visits)
    out = tmp_path / f"receipts-{layout}.pdf"
    seen: list[tuple[int, int]] = []
    assert render_receipts(docs, out, layout, progress=lambda d, t: seen.append((d, t))) == 3
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".part", ".tmp")]
    _fonts_embedded(out)
    text = _run("pdftotext", str(out), "-")
    for doc in docs:
        assert doc.compound in text and doc.room in text and doc.short_code in text
        assert doc.phone_masked and "****" in doc.phone_masked
    pages = _qr_texts(out, tmp_path)
    assert len(pages) == 3
    for page, doc in zip(pages, docs, strict=True):
        assert page == [doc.payload]
        assert demo_services.paper.verify(page[0]).status == "valid"


def test_a_receipt_never_prints_a_full_phone(demo_services: Services, tmp_path: Path) -> None:
    [doc] = demo_services.paper.receipt_documents(_met_visits(demo_services, 1))
    out = tmp_path / "r.pdf"
    render_receipts([doc], out)
    full = demo_services.store.db.execute("SELECT number FROM phone").fetchall()
    text = _run("pdftotext", str(out), "-")
    assert not any(number in text for (number,) in full)


def test_a_sheet_per_building_with_household_qrs(demo_services: Services, tmp_path: Path) -> None:
    building = demo_services.read.buildings()[0]
    sheet = demo_services.paper.sheet(building_id=building.id, mask_names=True)
    out = tmp_path / "sheet.pdf"
    pages = render_sheets(sheet, out)
    _fonts_embedded(out)
    text = _run("pdftotext", str(out), "-")
    rows = [r for g in sheet.groups for r in g.rows]
    assert building.compound_name in text and rows[0].room in text
    flat = "".join(text.split())  # pdftotext drops the spaces around "/"
    assert f"第1页/共{pages}页" in flat or "paper.sheet.page" in flat
    assert all("*" in r.head_name for r in rows if len(r.head_name) > 1)
    codes = [code for page in _qr_texts(out, tmp_path) for code in page]
    assert sorted(codes) == sorted(r.code for r in rows)
    assert all(demo_services.read.household_by_code(c) for c in codes)


def test_a_team_sheet_keeps_walking_order(demo_services: Services) -> None:
    sheet = demo_services.paper.sheet(team_number=1)
    ids = demo_services.read.household_ids(team_number=1)
    codes = [r.code for r in demo_services.read.household_rows(ids)]
    assert [r.code for g in sheet.groups for r in g.rows] == codes
    assert len({(g.compound, g.building) for g in sheet.groups}) == len(sheet.groups)


def test_an_unwritable_path_fails_clearly_and_leaves_nothing(
    demo_services: Services, tmp_path: Path
) -> None:
    docs = demo_services.paper.receipt_documents(_met_visits(demo_services, 1))
    with pytest.raises(ReadOnlyLocation) as missing_dir:
        render_receipts(docs, tmp_path / "no" / "such" / "dir" / "r.pdf")
    assert "r.pdf" in missing_dir.value.params["path"]
    # a file where a folder should be: refused even for root, who ignores permissions
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"")
    with pytest.raises(ReadOnlyLocation):
        render_sheets(demo_services.paper.sheet(team_number=1), blocker / "s.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_a_failure_while_drawing_keeps_the_old_file(
    demo_services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")
    docs = demo_services.paper.receipt_documents(_met_visits(demo_services, 2))

    def explode(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_receipts(docs, out, progress=explode)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_the_cli_prints_and_verifies(
    tmp_path: Path, clock: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from gridapp.clock import FixedClock

    assert isinstance(clock, FixedClock)
    data = tmp_path / "data"
    services = make_services(data / "gridapp.db", clock)
    build_demo(services, DemoOptions(households=80, seed=3))
    visit_id = record_visit(services)
    building = services.read.buildings()[0].id
    services.store.close()
    out = tmp_path / "r.pdf"
    base = ["--data-dir", str(data)]
    assert (
        main([*base, "receipt", "--visit", visit_id, "--out", str(out), "--layout", "thermal80"])
        == 0
    )
    assert out.exists()
    [payload] = [p for page in _qr_texts(out, tmp_path) for p in page]
    capsys.readouterr()
    assert main([*base, "receipt", "verify", payload]) == 0
    assert main([*base, "receipt", "verify", payload[:-30]]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert main([*base, "receipt", "verify", "--json", payload]) == 0
    assert '"verdict": "valid"' in capsys.readouterr().out
    assert main([*base, "receipt", "--visit", "nope", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "nope" in capsys.readouterr().err
    bad = tmp_path / "missing" / "x.pdf"
    assert main([*base, "receipt", "--visit", visit_id, "--out", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err and not bad.parent.exists()
    sheets = tmp_path / "s.pdf"
    assert (
        main([*base, "sheets", "--building", building, "--out", str(sheets), "--mask-names"]) == 0
    )
    assert sheets.exists()


def test_a_long_receipt_continues_on_a5_and_grows_on_thermal(
    demo_services: Services, tmp_path: Path
) -> None:
    """Nothing is left off: on A5 the rest goes on another page with its own QR (each
    page alone can be checked); the thermal slip grows."""
    [doc] = demo_services.paper.receipt_documents(_met_visits(demo_services, 1))
    long = dataclasses.replace(
        doc, suggestions=[("other", f"第{n}条建议，内容较长") for n in range(60)]
    )
    a5, thermal = tmp_path / "a5.pdf", tmp_path / "t.pdf"
    pages = render_receipts([long], a5, "a5")
    assert render_receipts([long], thermal, "thermal80") == 1
    a5_text = "".join(_run("pdftotext", str(a5), "-").split())
    assert pages > 1 and f"（第{pages}/{pages}页）" in a5_text
    assert all(f"第{n}条建议" in a5_text for n in range(60)) and "另有" not in a5_text
    assert "第59条" in _run("pdftotext", str(thermal), "-")
    assert _qr_texts(a5, tmp_path) == [[long.payload]] * pages


def test_a_receipt_speaks_in_labels_and_masks_numbers_typed_in_text(
    demo_services: Services, tmp_path: Path
) -> None:
    """Choices by their labels with the text typed for 其他; a phone or ID number typed
    into an answer or a suggestion is masked on paper (the database keeps it whole)."""
    services = demo_services
    household = services.read.household_ids()[0]
    answers = {
        "owner_present": True,
        "stance": "oppose",
        "reasons": ["fee_too_high", "other"],
        "reasons_other": "停车位不够",
        "satisfaction": 2,
        "comment": "请打 13912345678 约时间",
    }
    visit = services.visits.record(
        VisitInput(
            household,
            "W0101",
            "met",
            people_met=1,
            answers=answers,
            suggestions=(("service", "楼道灯坏了，联系 138 1234 5678，身份证310101199001011234"),),
        )
    ).visit_id
    [doc] = services.paper.receipt_documents([visit])
    out = tmp_path / "r.pdf"
    render_receipts([doc], out)
    text = "".join(_run("pdftotext", str(out), "-").split())
    assert "调价幅度过大、其他：停车位不够" in text and "other" not in text
    assert "139****5678" in text and "138****5678" in text and "310***********1234" in text
    for whole in ("13912345678", "12345678", "199001011234"):
        assert whole not in text
    assert "意见建议" in text and "楼道灯坏了" in text


def test_an_english_receipt_has_english_punctuation(
    demo_services: Services, tmp_path: Path
) -> None:
    """Address: …, (has doubts): never the Chinese colon, brackets or wide spaces."""
    from gridapp.i18n import Catalog

    services = demo_services
    household = services.read.household_ids()[0]
    policy = services.read.policy_item_id("FEE-Q1")
    visit = services.visits.record(
        VisitInput(household, "W0101", "met", people_met=1, explained=((policy, "doubts"),))
    ).visit_id
    [doc] = services.paper.receipt_documents([visit], lang="en")
    out = tmp_path / "r.pdf"
    render_receipts([doc], out, "a5", Catalog("en"))
    text = _run("pdftotext", str(out), "-")
    assert "Address: " in text and "Outcome: met" in text and "(has doubts)" in text
    # (the policy's own title is Chinese content: 一问：为什么要调整物业费？)
    for chinese in ("（", "）", "\u3000", "Address：", "Outcome："):
        assert chinese not in text, chinese
