"""Issue 18 on a real X screen, with real keys (xdotool): an office that has only
imported its roster opens 办公 → 新建专项行动 and goes through the wizard with the keyboard
alone — name and purpose, both compounds, a questionnaire template, a new policy item
written in, its team and the team's buildings — and publishes; the campaign is there
with all of it. Screenshots in build/acceptance/wizard/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gridapp.i18n import Catalog
from tests.e2e.test_acceptance_real_x import (
    Shots,
    cli,
    gone,
    main_window,
    running_app,
    settle,
    x,  # noqa: F401  (the module's X server fixture)
)
from tests.gui.real_x import XServer
from tests.unit.roster.helpers import write_xlsx

pytestmark = [pytest.mark.acceptance, pytest.mark.gui]
NAME = "加装电梯意愿征询"
POLICY = ("加装电梯补贴", "每台电梯补贴最高二十八万元")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    cli("--data-dir", str(folder), "init", "--role", "office", "--plain")
    cli("--data-dir", str(folder), "roster", "import", str(write_xlsx(tmp_path / "roster.xlsx")))
    cli("--data-dir", str(folder), "team", "add", "1", "东片")
    return folder


def test_a_first_campaign_through_the_wizard_by_keyboard(
    x: XServer,  # noqa: F811
    office: Path,
    tmp_path: Path,
) -> None:
    tr = Catalog("zh_CN").tr
    shots = Shots(x, "wizard")
    with running_app(x, office, "zh_CN", tmp_path / "office-app.out") as app:
        main = app.until(
            "the office window", lambda: main_window(x, tr("ui.window_title")), timeout=120
        )
        x.key("alt+o", window=main)  # 办公: 导入名册, 新建专项行动
        x.key("Down", "Return")
        wizard = app.window(tr("ui.wizard.title"), "the campaign wizard")
        settle()
        x.type(NAME, window=wizard)  # the name box has the keyboard
        x.key("Tab")
        x.type("征询各门栋居民加装电梯的意愿")
        settle()
        shots("1-name")
        x.key("Tab", "Return")  # the start day's box: Return is 下一步
        settle()
        shots("2-compounds-before")
        x.key("space", "Down", "space")  # both compounds ticked
        settle()
        shots("2-compounds")
        x.key("Return")
        settle()
        shots("3-questionnaire")  # no form published yet: a template is chosen
        x.key("Return")
        settle()
        x.key("Tab")  # from the (empty) library to the new item's title
        x.type(POLICY[0])
        x.key("Tab")
        x.type(POLICY[1])
        x.key("Tab", "space")  # 添加条目
        settle()
        shots("4-policy")
        x.key("Tab", "Return")  # off the button; Return is 下一步
        settle()
        x.key("space", "Tab", "space", "Down", "space", "Down", "space")  # team 1, its buildings
        settle()
        shots("5-teams")
        x.key("Return")
        settle()
        shots("6-confirm")
        x.key("Return")  # 发布
        app.until("the wizard closed", lambda: gone(x, tr("ui.wizard.title")))
        settle(1.0)
        shots("published")
        app.quit(main)
    listed: list[dict[str, Any]] = json.loads(
        cli("--data-dir", str(office), "campaign", "list", "--json")
    )["campaigns"]
    assert [(c["name"], c["status"], c["compounds"], c["households"]) for c in listed] == [
        (NAME, "active", 2, 6)
    ]
    assert listed[0]["form_id"]
    shown = cli("--data-dir", str(office), "campaign", "show", NAME)
    assert POLICY[0] in shown and "东片" in shown
    for building in ("建业新村12号", "建业新村3号", "光鸿苑5号"):
        assert building in shown, shown
