"""Reports as the office opens them: the workbook in openpyxl and LibreOffice, the CSV
in Excel's encoding, the daily PDF with its font embedded and its headings findable."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest

from gridapp.errors import InvalidInput, ReadOnlyLocation
from gridapp.i18n import Catalog
from gridapp.services import Services

DAY = "2023-12-06"  # within the demo's week (60 % done: days 4–7 are idle)


@pytest.fixture
def workbook(demo_services: Services, tmp_path: Path) -> Path:
    out = tmp_path / "报表.xlsx"
    result = demo_services.reports.write(out, Catalog("zh_CN"), day=DAY)
    assert result.format == "xlsx" and result.day == DAY and out.exists()
    return out


def _sheet(path: Path, title: str) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book[title].iter_rows(values_only=True)]
    finally:
        book.close()


def test_the_workbook_has_its_sheets_and_the_counts(
    demo_services: Services, workbook: Path
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True)
    assert book.sheetnames == ["汇总", "楼栋", "走访", "意见建议", "问卷答案"]
    book.close()
    summary = _sheet(workbook, "汇总")
    assert summary[0] == ("项目", "数值")
    catalog = Catalog("zh_CN")
    counts = asdict(demo_services.read.counts())
    labels = [row[0] for row in summary]
    totals_at = labels.index("累计")
    values = {row[0]: row[1] for row in summary[totals_at + 1 : totals_at + 1 + len(counts)]}
    assert values == {catalog.tr(f"count.{k}"): v for k, v in counts.items()}
    assert ("报表日期", DAY) in summary
    day_at = labels.index(f"当日（{DAY}）")
    day_visits = summary[day_at + 1]
    assert day_visits[0] == "走访记录" and isinstance(day_visits[1], int) and day_visits[1] > 0


def test_buildings_add_up_to_the_counts(demo_services: Services, workbook: Path) -> None:
    rows = _sheet(workbook, "楼栋")
    assert rows[0] == (
        "小区", "楼栋", "小组", "户数", "已走访", "覆盖率", "入户征询",
        "同意", "尚未决定", "反对", "未征询",
    )  # fmt: skip
    counts = demo_services.read.counts()
    body = rows[1:]
    assert len(body) == counts.buildings
    assert sum(int(r[3]) for r in body) == counts.households  # type: ignore[call-overload]
    assert sum(int(r[4]) for r in body) == counts.households_visited  # type: ignore[call-overload]
    assert sum(int(r[6]) for r in body) == counts.consultations  # type: ignore[call-overload]
    for r in body:
        assert sum(int(x) for x in r[7:11]) == r[3]  # type: ignore[call-overload]


def test_visits_and_suggestions_list_no_resident_names_or_phones(
    demo_services: Services, workbook: Path
) -> None:
    visits = _sheet(workbook, "走访")
    assert visits[0] == (
        "时间", "小区", "楼栋", "单元", "室", "户编码", "网格员编号", "网格员",
        "方式", "结果", "宣讲条目数", "意见建议数",
    )  # fmt: skip
    counts = demo_services.read.counts()
    assert len(visits) - 1 == counts.visits
    assert sum(int(r[11]) for r in visits[1:] if r[9] == "见面") <= counts.suggestions  # type: ignore[call-overload]
    suggestions = _sheet(workbook, "意见建议")
    assert suggestions[0] == ("时间", "小区", "户编码", "类别", "内容", "状态")
    assert len(suggestions) - 1 == counts.suggestions
    cells = {
        str(c) for sheet in ("走访", "意见建议") for row in _sheet(workbook, sheet) for c in row
    }
    db = demo_services.store.db
    # Workers are staff, named on purpose; a resident may share a worker's name.
    workers = {r[0] for r in db.execute("SELECT name FROM worker").fetchall()}
    names = {r[0] for r in db.execute("SELECT name FROM resident").fetchall()} - workers
    phones = {r[0] for r in db.execute("SELECT number FROM phone").fetchall()}
    assert not cells & names and not cells & phones
    text = " ".join(cells)
    assert not any(p in text for p in list(phones)[:200])


@pytest.mark.slow
def test_libreoffice_converts_the_workbook(workbook: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/setup.sh installs it")
    out = tmp_path / "converted"
    # Its own profile: two conversions at once would otherwise share (and lock) one.
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr
    summary = (out / "报表-汇总.csv").read_text(encoding="utf-8")
    assert "专项行动" in summary and "入户征询" in summary
    visits = (out / "报表-走访.csv").read_text(encoding="utf-8").splitlines()
    assert visits[0].startswith("时间,小区,楼栋")
    assert len(visits) == len(_sheet(workbook, "走访"))


def test_the_csv_is_utf8_with_a_bom(demo_services: Services, tmp_path: Path) -> None:
    out = tmp_path / "visits.csv"
    result = demo_services.reports.write(out, Catalog("zh_CN"), day=DAY)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "小区", "楼栋"]
    assert len(rows) - 1 == result.rows == demo_services.read.counts().visits
    assert "\r\n" in raw.decode("utf-8-sig")  # Excel's line ends
    summary = tmp_path / "summary.csv"
    demo_services.reports.write(summary, Catalog("zh_CN"), day=DAY, sheet="summary")
    text = summary.read_text(encoding="utf-8-sig")
    assert f"入户征询,{demo_services.read.counts().consultations}" in text


def test_the_daily_pdf_embeds_its_font_and_reads_as_chinese(
    demo_services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "日报.pdf"
    pages: list[tuple[int, int]] = []
    result = demo_services.reports.write(
        out, Catalog("zh_CN"), day=DAY, progress=lambda n, t: pages.append((n, t))
    )
    assert result.rows == 2 and pages[-1] == (2, 2)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    lines = fonts.splitlines()[2:]
    assert lines and all(" yes " in line for line in lines), fonts
    assert any("WenQuanYi" in line for line in lines)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for heading in ("走访日报", "当日与累计", "每日进度", "各小组覆盖率", "当日走访结果"):
        assert heading in text, heading
    assert "表决预测" in text and "本预测依据入户征询结果推算，不是表决结果" in text
    for compound in demo_services.read.compound_names():
        assert compound[1] in text


def test_an_idle_day_still_makes_a_report(demo_services: Services, tmp_path: Path) -> None:
    out = tmp_path / "idle.pdf"
    demo_services.reports.write(out, Catalog("zh_CN"), day="2023-12-20")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "当日没有走访记录" in text


def test_bad_requests_are_refused_and_write_nothing(
    demo_services: Services, tmp_path: Path
) -> None:
    catalog = Catalog("zh_CN")
    with pytest.raises(InvalidInput) as caught:
        demo_services.reports.write(tmp_path / "r.docx", catalog)
    assert caught.value.key == "error.report.format"
    with pytest.raises(InvalidInput) as caught:
        demo_services.reports.write(tmp_path / "r.xlsx", catalog, day="2023-02-30")
    assert caught.value.key == "error.report.date"
    with pytest.raises(InvalidInput):
        demo_services.reports.write(tmp_path / "r.csv", catalog, sheet="people")
    with pytest.raises(ReadOnlyLocation):
        demo_services.reports.write(tmp_path / "missing" / "r.xlsx", catalog)
    assert list(tmp_path.iterdir()) == []


def test_english_sheet_names(demo_services: Services, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "en.xlsx"
    demo_services.reports.write(out, Catalog("en"), day=DAY)
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["Summary", "Buildings", "Visits", "Suggestions", "Answers"]
    book.close()


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv", "empty.pdf"])
def test_an_empty_database_still_reports(services: Services, tmp_path: Path, name: str) -> None:
    """A report of nothing is a readable report that says so: every count 0, the day's
    heading there, no visits listed."""
    out = tmp_path / name
    catalog = Catalog("zh_CN")
    services.reports.write(out, catalog, day=DAY, sheet="summary")
    counts = asdict(services.read.counts())
    assert counts and not any(counts.values())
    totals = {catalog.tr(f"count.{k}"): 0 for k in counts}
    if name.endswith(".xlsx"):
        summary = _sheet(out, "汇总")
        assert summary[0] == ("项目", "数值") and ("报表日期", DAY) in summary
        labels = [row[0] for row in summary]
        at = labels.index("累计")
        assert {row[0]: row[1] for row in summary[at + 1 : at + 1 + len(counts)]} == totals
        day_at = labels.index(f"当日（{DAY}）")
        assert summary[day_at + 1] == ("走访记录", 0)
        assert _sheet(out, "走访")[1:] == []  # the heading row only
    elif name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert rows[0] == ["项目", "数值"] and ["报表日期", DAY] in rows
        assert all([label, "0"] in rows for label in totals)
    else:
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "走访日报" in text and DAY in text
        assert "当日没有走访记录" in text


def test_a_report_of_the_campaign_chosen(demo_services: Services, tmp_path: Path) -> None:
    """The desktop's campaign switcher hands its choice to the report: a campaign with
    no visits yet reports none, and says its name."""
    from gridapp.services.campaign_create import CampaignPlan

    demo_services.act_as("B0001", "office")
    compound = demo_services.read.compounds()[0].id
    other = demo_services.campaigns.plan_campaign(
        CampaignPlan("四百走访", "2023-12-08", "2024-03-31", [compound], status="draft")
    )
    chosen, default = tmp_path / "chosen.csv", tmp_path / "default.csv"
    got = demo_services.reports.write(chosen, Catalog("zh_CN"), day=DAY, campaign_id=other.id)
    assert got.rows == 0
    assert demo_services.reports.write(default, Catalog("zh_CN"), day=DAY).rows > 0
    data = demo_services.reports.data(DAY, campaign_id=other.id)
    assert data.campaign == "四百走访"
