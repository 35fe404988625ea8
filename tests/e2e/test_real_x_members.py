"""Issues 16 and 18 on a real X screen, with real keys (xdotool): a household in two
running campaigns; the visit form asks which (a digit picks), and the chosen campaign's
questionnaire has a household-members repeat, filled for three people with the keyboard
alone (Tab to 添加成员 and Space, then Ctrl+Shift+Enter for each next person); the
laptop's bundle reaches the office, whose report has three rows for them.

Same harness as the acceptance run (tests/e2e/test_acceptance_real_x.py); screenshots
in build/acceptance/members/."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from gridapp.clock import CHINA_TZ
from gridapp.i18n import Catalog
from tests.e2e.test_acceptance_real_x import (
    PIN,
    WORKER,
    Shots,
    cli,
    cli_json,
    found_alone,
    gone,
    main_window,
    running_app,
    settle,
    x,  # noqa: F401  (the module's X server fixture)
)
from tests.gui.real_x import XServer

pytestmark = [pytest.mark.acceptance, pytest.mark.gui]
CAMPAIGN = "家庭成员登记"
PEOPLE = (("张建国", "45"), ("李秀英", "43"), ("张小明", "9"))


def members_workbook(path: Path) -> Path:
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label::中文 (zh)", "required"])
    survey.append(["begin repeat", "members", "家庭成员", ""])
    survey.append(["text", "who", "姓名", "yes"])
    survey.append(["select_one relation", "relation", "与户主关系", ""])
    survey.append(["integer", "age", "年龄", ""])
    survey.append(["end repeat", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list name", "name", "label::中文 (zh)"])
    for code, label in (("head", "户主"), ("spouse", "配偶"), ("child", "子女")):
        choices.append(["relation", code, label])
    settings = book.create_sheet("Settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["家庭成员登记表", "members", 1])
    book.save(path)
    return path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The demo office with a second running campaign over every compound, asking the
    members form; an encrypted laptop of team 1 with its roster; one household of it
    found alone by its head's pinyin initials."""
    monkeypatch.setenv("GRIDAPP_PIN", PIN)
    office, field = tmp_path / "office", tmp_path / "field"
    cli("--data-dir", str(office), "demo", "--households", "200", "--seed", "7")
    today = datetime.now(CHINA_TZ).date()
    compounds = [
        a
        for c in cli_json("--data-dir", str(office), "campaign", "show")["campaigns"][0][
            "compounds"
        ]
        for a in ("--compound", c)
    ]
    cli("--data-dir", str(office), "campaign", "create", "--name", CAMPAIGN,
        "--starts", today.isoformat(), "--ends", (today + timedelta(days=30)).isoformat(),
        "--xlsform", str(members_workbook(tmp_path / "members.xlsx")), *compounds)  # fmt: skip
    cli("--data-dir", str(office), "assign", "--campaign", CAMPAIGN, "--team", "1",
        *compounds)  # fmt: skip
    cli("--data-dir", str(field), "init", "--role", "field", "--worker", WORKER,
        "--account-role", "field", "--name", "laptop-1")  # fmt: skip
    request, roster = tmp_path / "request.json", tmp_path / "roster.gsb"
    cli("--data-dir", str(field), "--worker", WORKER, "device", "request", "--out", str(request))
    cli("--data-dir", str(office), "device", "enroll", str(request), "--team", "1",
        "--out", str(roster))  # fmt: skip
    cli("--data-dir", str(field), "--worker", WORKER, "bundle", "import", str(roster))
    (home,) = found_alone(field, 1)
    running = sorted(
        (c for c in cli_json("--data-dir", str(office), "campaign", "list")["campaigns"]),
        key=lambda c: c["id"],
    )
    # The question lists the latest started first (ties: in the order they were made).
    running.sort(key=lambda c: c["starts_on"], reverse=True)
    digit = 1 + [c["name"] for c in running].index(CAMPAIGN)
    return {"office": office, "field": field, "home": home, "digit": str(digit)}


def test_three_members_by_keyboard_in_the_campaign_chosen(
    x: XServer,  # noqa: F811
    world: dict[str, Any],
    tmp_path: Path,
) -> None:
    tr = Catalog("zh_CN").tr
    shots = Shots(x, "members")
    home, usb = world["home"], tmp_path / "usb"
    usb.mkdir()
    with running_app(x, world["field"], "zh_CN", tmp_path / "field-app.out") as app:
        sign_in = app.window(tr("ui.sign_in.title"), "the sign-in dialog", timeout=120)
        x.type(WORKER, window=sign_in)
        x.key("Tab")
        x.type(PIN)
        x.key("Return")
        main = app.until("the main window", lambda: main_window(x, tr("ui.window_title")))
        x.key("ctrl+l", window=main)
        x.type(home["initials"])
        settle(0.6)
        x.key("Return")
        settle()
        x.key("ctrl+r", window=main)
        choice = app.window(tr("ui.visit.which_campaign_title"), "the campaign question")
        settle()
        shots("which-campaign")
        x.key(world["digit"], window=choice)
        visit = app.window(home["address"], "the visit form in the campaign chosen")
        x.key("alt+1", window=visit)  # 见面
        # People met, the tab bar, the form's scroll area, then 添加家庭成员 (no one yet).
        x.key("Tab", "Tab", "Tab", "Tab", "space")
        for n, (name, age) in enumerate(PEOPLE):
            if n:
                x.key("ctrl+shift+Return")  # the next person, the cursor on their name
            x.type(name)
            x.key("Tab", *(["Down"] * n), "space", "Tab")  # relation: 户主, 配偶, 子女
            x.type(age)
        settle()
        shots("three-members")
        x.key("ctrl+Return")
        app.until("the visit saved", lambda: gone(x, home["address"]))
        settle()
        shots("saved")
        app.quit(main)
    bundle = tmp_path / "work.gsb"
    cli("--data-dir", str(world["field"]), "--worker", WORKER, "bundle", "export",
        "--out", str(bundle))  # fmt: skip
    office = str(world["office"])
    before = cli_json("--data-dir", office, "stats", "--campaign", CAMPAIGN)
    cli("--data-dir", office, "bundle", "import", str(bundle))
    after = cli_json("--data-dir", office, "stats", "--campaign", CAMPAIGN)
    assert after["visits"] == before["visits"] + 1 and after["consultations"] == 1
    report = tmp_path / "report.xlsx"
    cli("--data-dir", office, "report", "--campaign", CAMPAIGN, "--out", str(report))
    book = load_workbook(report, read_only=True)
    sheet = book["家庭成员"]
    rows = [[str(c) for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    people = [row for row in rows[1:] if row]
    assert len(people) == 3, rows
    for row, (name, age), relation in zip(people, PEOPLE, ("户主", "配偶", "子女"), strict=True):
        assert name in row and age in row and relation in row, row
