"""`questionnaire preview`: a workbook's questions, types and show conditions in words,
or its refusals by sheet, row and column; nothing stored either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.unit.cli.helpers import ok, run

FORMS = Path(__file__).resolve().parents[2] / "fixtures" / "forms"


def _questionnaires(capsys: pytest.CaptureFixture[str], folder: Path) -> list[dict[str, str]]:
    return list(json.loads(ok(capsys, folder, "questionnaire", "list", "--json"))["questionnaires"])


def test_preview_lists_questions_and_when_they_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, tmp_path, "init", "--role", "office", "--plain")
    out = ok(capsys, tmp_path, "questionnaire", "preview", str(FORMS / "fee_authored.xlsx"))
    assert "fee_consultation" in out and "[select_multiple]" in out
    assert "当 “您对调价方案的态度？” = “反对” 时显示" in out
    assert out.count("始终显示") == 8
    doc = json.loads(
        ok(capsys, tmp_path, "questionnaire", "preview", "--json", str(FORMS / "fee_authored.xlsx"))
    )
    reasons = next(q for q in doc["questions"] if q["path"] == "reasons")
    assert reasons["type"] == "select_multiple" and reasons["required"]
    assert doc["published"] is False
    assert _questionnaires(capsys, tmp_path) == []


def test_preview_names_the_refusals_by_sheet_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, tmp_path, "init", "--role", "office", "--plain")
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    for row in (["type", "name", "label"], ["text", "q1", "一"], ["text", "q1", "二"]):
        survey.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["dup", 1])
    path = tmp_path / "dup.xlsx"
    book.save(path)
    code, out, err = run(capsys, tmp_path, "questionnaire", "preview", str(path))
    assert code == 2 and not out
    assert "dup.xlsx" in err and "q1" in err and "重复" in err
    assert _questionnaires(capsys, tmp_path) == []
