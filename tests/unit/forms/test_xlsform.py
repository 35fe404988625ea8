"""XLSForm workbooks: authored in Excel, saved by LibreOffice, round-tripped; broken ones
refused with every problem by sheet, row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from gridapp.cli import main
from gridapp.errors import InvalidInput
from gridapp.forms.definition import DefinitionInvalid, load_definition
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_export import write_xlsform
from gridapp.resources import load_json
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from tests.unit.forms.workbooks import xlsform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forms"


def _questions(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    form = load_definition(doc)
    return [
        (
            q.name,
            q.type,
            q.label,
            q.required,
            q.other,
            q.groups,
            q.choices,
            q.minimum,
            q.maximum,
            q.relevant.source if q.relevant else None,
            q.constraint.source if q.constraint else None,
            q.calculation.source if q.calculation else None,
        )
        for q in form.questions
    ]


def test_excel_and_libreoffice_workbooks_read_the_same() -> None:
    authored = read_xlsform(FIXTURES / "fee_authored.xlsx")
    saved = read_xlsform(FIXTURES / "fee_libreoffice.xlsx")
    assert _questions(authored) == _questions(saved)
    form = load_definition(saved)
    assert (form.id, form.version) == ("fee_consultation", 2)
    assert form.title["en"] == "Fee consultation v2"
    reasons = form.question("reasons")
    assert reasons is not None and reasons.other and reasons.groups == ("why",)
    assert reasons.label == {"zh_CN": "不同意的原因（可多选）", "en": "Reasons"}
    assert form.question("satisfaction").type == "rating"  # type: ignore[union-attr]


@pytest.mark.parametrize("source", ["shipped", "authored"])
def test_round_trip_through_a_workbook(tmp_path: Path, source: str) -> None:
    doc = (
        load_json("content", "fee_consultation.v1.json")
        if source == "shipped"
        else read_xlsform(FIXTURES / "fee_authored.xlsx")
    )
    out = tmp_path / "exported.xlsx"
    write_xlsform(load_definition(doc), out)
    again = read_xlsform(out)
    assert _questions(again) == _questions(doc)
    assert load_definition(again).title == load_definition(doc).title


def _workbook(path: Path, survey: list[list[Any]], choices: list[list[Any]] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        other = book.create_sheet("choices")
        for row in choices:
            other.append(row)
    book.save(path)
    return path


def test_a_broken_workbook_lists_every_problem(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "broken.xlsx",
        [
            ["type", "name", "label::zh", "label::fr", "appearance", "relevant", "calculation"],
            ["text", "a", "甲", None, None, None, None],
            ["begin repeat", "kids", "子女", None, None, None, None],
            ["geopoint", "where", "位置", None, None, None, None],
            ["text", "a", "重复", None, None, None, None],
            ["select_one nolist", "pick", "选择", None, None, None, None],
            ["text", "b", "乙", "B", "multiline", "${ghost} = 1", None],
            ["calculate", "x", None, None, None, None, "${y} + 1"],
            ["calculate", "y", None, None, None, None, "${x} + 1"],
            ["end group", None, None, None, None, None, None],
        ],
        [["list_name", "name", "label::zh"], ["yes", "1", "是"]],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    found = {(p.where, p.key) for p in info.value.problems}
    assert ("survey!4:type", "error.xlsform.media_answer") in found  # geopoint
    assert ("survey!10:type", "error.xlsform.end_mismatch") in found  # ends a repeat
    assert ("survey!3:type", "error.xlsform.unclosed") in found  # the repeat
    assert ("survey!6:type", "error.form.no_choice_list") in found
    assert ("survey!7:relevant", "error.form.unknown_reference") in found
    assert ("survey!5:name", "error.form.duplicate_name") in found
    assert any(key == "error.form.cycle" and where.endswith(":calculation") for where, key in found)
    # appearance and a French label are XLSForm as the world writes it: no problem
    assert not any(where.startswith("survey!7:") and "label" in where for where, _ in found)
    assert not any(key == "error.xlsform.unsupported_column" for _, key in found)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("名称,类型\n", encoding="gbk")
    with pytest.raises(InvalidInput):
        read_xlsform(path)


def test_cli_import_publishes_a_new_version_and_exports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "office")
    assert main(["--data-dir", data, "demo", "--households", "30"]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "--data-dir",
                data,
                "questionnaire",
                "import",
                str(FIXTURES / "fee_libreoffice.xlsx"),
                "--use",
                "--json",
            ]
        )
        == 0
    )
    published = json.loads(capsys.readouterr().out)
    assert published["version"] == 2
    # the same version again is refused; nothing changes
    assert (
        main(["--data-dir", data, "questionnaire", "import", str(FIXTURES / "fee_authored.xlsx")])
        == 2
    )
    assert "版本" in capsys.readouterr().err
    out = tmp_path / "export.xlsx"
    assert (
        main(["--data-dir", data, "questionnaire", "export", "fee_consultation", "--out", str(out)])
        == 0
    )
    assert _questions(read_xlsform(out)) == _questions(read_xlsform(FIXTURES / "fee_authored.xlsx"))
    capsys.readouterr()
    assert main(["--data-dir", data, "questionnaire", "list", "--json"]) == 0
    versions = [q["version"] for q in json.loads(capsys.readouterr().out)["questionnaires"]]
    assert versions == [1, 2]


def test_cli_import_of_a_broken_workbook_lists_problems_and_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "office")
    assert main(["--data-dir", data, "demo", "--households", "30"]) == 0
    broken = _workbook(tmp_path / "broken.xlsx", [["type", "name", "label"], ["rank", "r", "排序"]])
    capsys.readouterr()
    assert main(["--data-dir", data, "questionnaire", "import", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "survey!2:type" in err and "rank" in err
    assert main(["--data-dir", data, "questionnaire", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["questionnaires"]) == 1


def test_old_answers_read_with_their_own_version_after_a_new_one(
    demo_services: Services,
) -> None:
    old_visit = demo_services.store.db.execute(
        "SELECT visit_id FROM answer WHERE question = 'stance' LIMIT 1"
    ).fetchone()[0]
    before = demo_services.read.visit_answers(old_visit)
    doc = read_xlsform(FIXTURES / "fee_authored.xlsx")
    record = demo_services.campaigns.publish_questionnaire(doc)
    campaign = demo_services.read.campaigns()[0]
    demo_services.campaigns.use_questionnaire(campaign["id"], record.id)
    assert demo_services.read.active_questionnaire()[0] == record.id  # type: ignore[index]
    assert demo_services.read.visit_answers(old_visit) == before
    assert any(
        r["question"] == "stance" and r["label"] == "您对本次物业费调价方案的态度是？"
        for r in before
    )
    household = demo_services.read.household_ids()[0]
    new = demo_services.visits.record(
        VisitInput(household, "W0101", "met", answers={"fee_now": 0.65, "stance": "agree"})
    )
    rows = demo_services.read.visit_answers(new.visit_id)
    assert {r["question"] for r in rows} >= {"fee_now", "stance"}
    assert any(r["label"] == "您对调价方案的态度？" for r in rows)


@pytest.mark.parametrize(
    ("written", "version"),
    [
        ("2024010101", 2024010101),
        (2024010101, 2024010101),
        ("202404111626", 202404111626),  # =TEXT(NOW(), "yyyymmddhhmm")
        ("2022-04-11T16:26", 202204111626),  # a date cell
        (7.0, 7),
        (None, 1),
        ("2.2", 2_002_000),  # major × 1,000,000 + minor × 1,000 + patch: order kept
        (1.5, 1_005_000),
        ("1.0.3", 1_000_003),
        ("10.0", 10_000_000),
    ],
)
def test_settings_versions(tmp_path: Path, written: Any, version: int) -> None:
    path = xlsform(
        tmp_path / "v.xlsx",
        [["type", "name", "label"], ["text", "a", "甲"]],
        settings=[["form_id", "version"], ["f", written]],
    )
    assert read_xlsform(path)["version"] == version


@pytest.mark.parametrize(
    "written",
    ["v2", "0", "123456789012345", "1e30", "2024091201-3", "vw6VTbhmVCMEtuN7Lh", "1.2345"],
)
def test_a_version_that_is_no_whole_number_is_refused(tmp_path: Path, written: Any) -> None:
    path = xlsform(
        tmp_path / "v.xlsx",
        [["type", "name", "label"], ["text", "a", "甲"]],
        settings=[["form_id", "version"], ["f", written]],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    assert [(p.where, p.key) for p in info.value.problems] == [
        ("settings!2:version", "error.xlsform.bad_version")
    ]


def test_a_list_two_questions_use_is_wrong_once(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "dup.xlsx",
        [["type", "name", "label"], ["select_one yn", "a", "甲"], ["select_one yn", "b", "乙"]],
        [["list_name", "name", "label"], ["yn", "y", "是"], ["yn", "y", "否"]],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    assert [(p.where, p.key) for p in info.value.problems] == [
        ("choices!3:name", "error.form.duplicate_choice")
    ]
