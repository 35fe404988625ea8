"""gridapp-cli as a user drives it: exit codes, one-line errors, JSON documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(path), "demo", "--households", "300", "--seed", "3"]) == 0
    return path


def test_demo_then_stats_json(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "stats", "--json")
    assert code == 0
    counts = json.loads(out)
    assert counts["households"] == 300
    assert counts["teams"] == 16
    assert counts["compounds"] == 4
    assert set(counts) == {
        "compounds",
        "buildings",
        "households",
        "residents",
        "teams",
        "workers",
        "visits",
        "households_visited",
        "consultations",
        "online_answers",
        "policy_explanations",
        "suggestions",
        "callbacks_open",
        "conflicts_open",
    }


def test_stats_in_words(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "stats")
    assert code == 0 and "入户征询" in out
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", str(demo_dir), "stats")
    assert "consultations" in out


def test_campaign_show(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "campaign", "show", "--json")
    assert code == 0
    campaign = json.loads(out)["campaigns"][0]
    assert "建业新村" in campaign["compounds"]
    assert campaign["questionnaire"]["form_id"] == "fee_consultation"
    assert len(campaign["policy_items"]) == 9
    assert len(campaign["teams"]) == 16
    assert all(team["workers"] for team in campaign["teams"])
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "campaign", "show")
    assert "第16组" in out


def test_household_list_filters(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--data-dir", str(demo_dir), "household", "list", "--json")
    everyone = json.loads(out)["households"]
    assert len(everyone) == 300
    _, out, _ = run(
        capsys, "--data-dir", str(demo_dir), "household", "list", "--team", "1", "--json"
    )
    team = json.loads(out)["households"]
    assert 0 < len(team) < 300
    building = team[0]
    _, out, _ = run(capsys, "--data-dir", str(demo_dir), "household", "list", "--json")
    ids = {h["id"] for h in team}
    assert ids <= {h["id"] for h in everyone}
    # walking order inside a building: floor, then room
    same = [
        h
        for h in team
        if h["building_number"] == building["building_number"]
        and h["compound_name"] == building["compound_name"]
        and h["unit"] == building["unit"]
    ]
    assert [(h["floor"], h["room"]) for h in same] == sorted((h["floor"], h["room"]) for h in same)


def test_household_list_by_building(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gridapp.services import Services
    from gridapp.storage.store import Store

    store = Store.open_in(demo_dir)
    building = Services(store).read.buildings()[0]
    store.close()
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(demo_dir),
        "household",
        "list",
        "--building",
        building.id,
        "--json",
    )
    assert code == 0
    assert len(json.loads(out)["households"]) == building.households


def test_reading_commands_without_a_database_fail_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "none"), "stats")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "init" in err
    assert not (tmp_path / "none" / "gridapp.db").exists()


def test_demo_refuses_a_database_that_has_data(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = run(capsys, "--data-dir", str(demo_dir), "stats", "--json")[1]
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "demo")
    assert code == 2 and "--data-dir" in err
    assert run(capsys, "--data-dir", str(demo_dir), "stats", "--json")[1] == before


def test_bad_demo_size_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "demo", "--households", "0")
    assert code == 2 and "1" in err
    assert list(tmp_path.iterdir()) == []  # refused before a database was made


def test_init_field_then_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--data-dir", str(tmp_path), "init", "--role", "field", "--name", "第3组笔记本",
        "--plain",
    )  # fmt: skip
    assert code == 0 and "外勤" in out
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "init", "--role", "field")
    assert code == 2 and "已经初始化" in err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "demo")
    assert code == 2 and "办公室" in err


def test_english_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path / "x"), "stats")
    assert code == 2 and "No database" in err
