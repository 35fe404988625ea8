"""Visit sheets per building, grid or team, with places named as people name them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gridapp.cli import main
from tests.unit.cli.helpers import run


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["--data-dir", str(tmp_path), "demo", "--households", "300", "--seed", "3"]) == 0
    return tmp_path


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_sheets_for_a_building_and_a_grid_by_name(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.pdf"
    code, _, err = run(capsys, demo, "sheets", "--building", "建业新村 1号", "--out", str(out))
    assert code == 0, err
    assert "建业新村1号" in _text(out).replace(" ", "")
    grid = tmp_path / "g.pdf"
    code, _, err = run(capsys, demo, "sheets", "--grid", "建业新村第1网格", "--out", str(grid))
    assert code == 0, err
    text = _text(grid).replace(" ", "")
    assert "建业新村1号" in text and "临沂二村" not in text
    by_code = tmp_path / "c.pdf"
    assert run(capsys, demo, "sheets", "--grid", "jyxc-g1", "--out", str(by_code))[0] == 0
    listed = run(capsys, demo, "household", "list", "--building", "建业新村１号")
    assert listed[0] == 0 and "JYXC-1-" in listed[1]


def test_an_ambiguous_or_unknown_place_says_so_and_writes_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.pdf"
    code, said, err = run(capsys, demo, "sheets", "--building", "1号", "--out", str(out))
    assert code == 2 and not said and not out.exists()
    assert "建业新村1号" in err and "临沂二村1号" in err and "请加上小区名" in err
    code, said, err = run(capsys, demo, "sheets", "--grid", "第9网格", "--out", str(out))
    assert code == 2 and "第9网格" in err and not out.exists()


def test_sheets_name_the_campaign_asked_for(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, demo, "campaign", "create", "--name", "四百走访", "--starts",
                       "2023-12-08", "--ends", "2024-03-31", "--compound", "建业新村",
                       "--draft")  # fmt: skip
    assert code == 0, err
    default, chosen = tmp_path / "default.pdf", tmp_path / "chosen.pdf"
    for out, extra in ((default, ()), (chosen, ("--campaign", "四百走访"))):
        code, _, err = run(capsys, demo, "sheets", "--building", "建业新村 1号",
                           "--out", str(out), *extra)  # fmt: skip
        assert code == 0, err
    # by default the campaign in progress (the demo's), not the draft
    assert "四百走访" in _text(chosen) and "四百走访" not in _text(default)
    code, _, err = run(capsys, demo, "sheets", "--building", "建业新村 1号", "--campaign",
                       "没有这个行动", "--out", str(tmp_path / "x.pdf"))  # fmt: skip
    assert code == 2 and "没有这个行动" in err
