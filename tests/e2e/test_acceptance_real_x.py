"""The acceptance run: a field worker's day and the office's evening, on a real X screen.

The office is made with the CLI (`demo`), a field laptop is set up encrypted under its
worker's account (`init --worker`), enrolled by the office and given its roster bundle.
Then, on a private Xvfb at 1366×768 with real key presses and clicks (xdotool, XTEST),
the laptop's own `gridapp` process: sign in; find a household by its pinyin initials;
record a met visit (questionnaire, a policy explained with the reaction, a suggestion)
and 保存并打印回执 → the preview's 另存为 PDF → a file typed into the file dialog; record a
not-home visit with a callback tomorrow at 19:00 and see it in 今日工作; export a bundle
from the 同步 dialog. The office's `gridapp`: the dashboard, the bundle imported through
the 同步 dialog, the dashboard again, 办公 → 导出报表. Once in Chinese, once in English.

Each step leaves a screenshot in build/acceptance/<lang>/ (README, "The acceptance run").
Every wait is for a window (by title), a file or a count, never a bare sleep; the short
pauses before screenshots only let a repaint land. The outcome is checked where it lives
after each app has quit: the receipt PDF with pdftotext and a QR decoder (zxing-cpp),
verified by the office; the visits, the callback and 今日工作's list in the data folders;
the counts with `gridapp-cli stats`; the report workbook.

No window manager runs: the keyboard goes to the window xdotool focuses, and the app's
own focus order and shortcuts do the rest (Ctrl+L, Ctrl+R, Alt+1/2, Ctrl+2/3, Ctrl+N,
Ctrl+Enter, Ctrl+Shift+S, Alt+O). Clicks only where no key reaches: the preview's
"save as PDF" (the tool bar's last label, found on the screenshot), the tab bar (a click
and the wheel), a dialog's results table (to start its focus order from a known place).

`pytest -m acceptance` runs this module alone.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from gridapp.cli import main as cli_main
from gridapp.clock import CHINA_TZ
from gridapp.i18n import Catalog
from tests.gui.real_x import ROOT, XServer, running_xvfb, wait_for

pytestmark = [pytest.mark.acceptance, pytest.mark.gui]
T = TypeVar("T")

SCREEN = "1366x768x24"
SHOTS = ROOT / "build" / "acceptance"
WORKER, PIN = "W0101", "602184"
#: Qt's own dialog title (from Qt's translations, not our catalog).
PREVIEW_TITLE = {"zh_CN": "打印预览", "en": "Print Preview"}
ANSWER_TEXT = {"zh_CN": "希望公开维修基金账目", "en": "Publish the repair fund accounts"}
SUGGESTION_TEXT = {
    "zh_CN": "建议分期调价，先公示服务标准",
    "en": "Phase the rise in, publish standards",
}
#: Words that would mean a raw code reached the resident's paper.
RAW_CODES = ("not_home", "in_person", "(doubts)", "（doubts）", "[fee]", "True", "False", "None")


@pytest.fixture(scope="module")
def x() -> Iterator[XServer]:
    with running_xvfb(SCREEN) as server:
        yield server


def cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(argv))
    assert code == 0, f"gridapp-cli {' '.join(argv)}: {err.getvalue()}"
    return out.getvalue()


def cli_json(*argv: str) -> Any:
    return json.loads(cli(*argv, "--json"))


class Shots:
    """Numbered screenshots of the whole screen, one folder per language."""

    def __init__(self, x: XServer, lang: str) -> None:
        self.x, self.folder, self.n = x, SHOTS / lang, 0
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def __call__(self, name: str) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        self.x.screenshot(path)
        return path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """An office with a small demo campaign; a field laptop, encrypted under W0101's
    PIN, enrolled into team 1 with its first roster; two of its households not visited
    yet, each found alone by its head's pinyin initials."""
    monkeypatch.setenv("GRIDAPP_PIN", PIN)
    office, field = tmp_path / "office", tmp_path / "field"
    cli("--data-dir", str(office), "demo", "--households", "200", "--seed", "7")
    cli(
        "--data-dir", str(field), "init", "--role", "field", "--worker", WORKER,
        "--account-role", "field", "--name", "laptop-1",
    )  # fmt: skip
    request, roster = tmp_path / "request.json", tmp_path / "roster.gsb"
    cli("--data-dir", str(field), "--worker", WORKER, "device", "request", "--out", str(request))
    cli(
        "--data-dir", str(office), "device", "enroll", str(request), "--team", "1",
        "--out", str(roster),
    )  # fmt: skip
    cli("--data-dir", str(field), "--worker", WORKER, "bundle", "import", str(roster))
    chosen = found_alone(field, 2)
    assert len(chosen) == 2, "the demo roster has two unvisited households to find"
    return {"office": office, "field": field, "met": chosen[0], "away": chosen[1]}


def found_alone(field: Path, count: int) -> list[dict[str, Any]]:
    """Up to `count` unvisited households of the laptop, each with its head's pinyin
    initials (`initials`) that find it and no other."""
    from pypinyin import Style, lazy_pinyin

    listed = cli_json("--data-dir", str(field), "--worker", WORKER, "household", "list")
    chosen: list[dict[str, Any]] = []
    for household in listed["households"]:
        initials = "".join(lazy_pinyin(household["head_name"], style=Style.FIRST_LETTER))
        if household["visits"] or len(initials) < 3:
            continue
        found = cli_json(
            "--data-dir", str(field), "--worker", WORKER, "household", "find", initials
        )["households"]
        if [h["code"] for h in found] == [household["code"]]:
            chosen.append({**household, "initials": initials})
        if len(chosen) == count:
            break
    return chosen


class App:
    """gridapp in its own process on the test screen. Each wait fails at once when the
    app has died, and any failed wait says what the app printed and logged."""

    def __init__(self, x: XServer, data_dir: Path, lang: str, out: Path) -> None:
        self.x, self.data_dir, self.out = x, data_dir, out
        env = {
            **x.env,
            "PYTHONPATH": str(ROOT),
            # Qt's file dialogs remember folders in QSettings: keep that out of $HOME.
            "XDG_CONFIG_HOME": str(out.parent / "xdg-config"),
            # No file manager opens on the test screen (the report dialog shows its folder).
            "BROWSER": "true",
        }
        with out.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gridapp.app", "--data-dir", str(data_dir), "--lang", lang],
                env=env,
                cwd=out.parent,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )

    def said(self) -> str:
        log = self.data_dir / "logs" / "gridapp.log"
        logged = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
        printed = self.out.read_text(errors="replace")[-3000:] if self.out.exists() else ""
        return f"app output:\n{printed}\napp log (last lines):\n" + "\n".join(logged)

    def until(self, what: str, probe: Callable[[], T | None], timeout: float = 60.0) -> T:
        def alive() -> T | None:
            code = self.process.poll()
            if code is not None:
                raise AssertionError(f"gridapp exited ({code}) before {what}")
            return probe()

        try:
            return wait_for(what, alive, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.said()}") from None

    def window(self, part: str, what: str, timeout: float = 60.0) -> str:
        return self.until(what, lambda: self.x.find(part), timeout)

    def quit(self, main: str) -> None:
        self.x.key("ctrl+q", window=main)
        code = self.process.wait(timeout=60)
        assert code == 0, self.said()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def running_app(x: XServer, data_dir: Path, lang: str, out: Path) -> Iterator[App]:
    app = App(x, data_dir, lang, out)
    try:
        yield app
    finally:
        app.kill()


def main_window(x: XServer, title: str) -> str | None:
    for candidate in x.windows("."):
        with contextlib.suppress(AssertionError):
            if x.title(candidate) == title:
                return candidate
    return None


def gone(x: XServer, part: str) -> bool:
    return x.find(part) is None


def settle(seconds: float = 0.4) -> None:
    """For a screenshot only: let a repaint land (every outcome is waited for, or
    checked afterwards in the data)."""
    time.sleep(seconds)


def rightmost_label(png: Path, box: tuple[int, int, int, int], row: int) -> tuple[int, int] | None:
    """A point on the rightmost dark text in a strip of the screen: the last button of a
    tool bar (the print preview's "save as PDF", added after Qt's own buttons)."""
    from PIL import Image

    x0, y0, width, _height = box
    with Image.open(png) as image:
        gray = image.convert("L")
    pixels, stride = gray.tobytes(), gray.width
    for px in range(x0 + width - 4, x0, -1):
        if any(pixels[py * stride + px] < 110 for py in range(y0 + row - 6, y0 + row + 7)):
            return px - 8 - x0, row
    return None  # not painted yet


def field_day(
    x: XServer, world: dict[str, Any], lang: str, shots: Shots, tmp_path: Path
) -> dict[str, Path]:
    tr = Catalog(lang).tr
    met, away = world["met"], world["away"]
    receipt_pdf, usb = tmp_path / "receipt.pdf", tmp_path / "usb"
    usb.mkdir()
    log = tmp_path / "field-app.out"
    with running_app(x, world["field"], lang, log) as app:
        # Sign in: the code box has the keyboard; Tab to the PIN, Return.
        sign_in = app.window(tr("ui.sign_in.title"), "the sign-in dialog", timeout=120)
        x.type(WORKER, window=sign_in)
        x.key("Tab")
        x.type(PIN)
        shots("sign-in")
        x.key("Return")
        main = app.until("the main window", lambda: main_window(x, tr("ui.window_title")))
        settle(1.0)
        shots("today-at-start")

        # Find the household by its head's pinyin initials (Ctrl+L: the search box).
        x.key("ctrl+l", window=main)
        x.type(met["initials"])
        settle(0.6)  # the results pop up after a 120 ms pause in typing
        shots("search-by-initials")
        x.key("Return")
        settle()
        shots("household-page")

        # A met visit: the dialog's title names the household the search opened.
        x.key("ctrl+r", window=main)
        visit = app.window(met["address"], "the visit form of the household found")
        x.key("alt+1", window=visit)  # 见面
        # People met, the tab bar, the form's scroll area, the first question.
        x.key("Tab", "Tab", "Tab", "Tab")
        x.key("space", "Tab", "space")  # the owner or family: yes; stance: the first
        x.key("Tab", "Right", "Right", "Right", "space")  # satisfaction: arrows, then 4
        x.key("Tab")
        x.type("3")  # people living there
        x.key("Tab", "space", "Tab")  # will attend the owners' meeting: yes
        x.type(ANSWER_TEXT[lang])
        settle()
        shots("visit-questionnaire")
        x.key("ctrl+2")  # policies explained: the first, with the reaction 有疑虑
        x.key("Tab", "shift+Tab", "space", "Tab", "Down", "Down")
        settle()
        shots("visit-policies")
        x.key("ctrl+3", "ctrl+n")  # a suggestion: its words, then the category 收费
        x.type(SUGGESTION_TEXT[lang])
        x.key("shift+Tab", "Home", "Down")
        settle()
        shots("visit-suggestion")
        # 保存并打印回执 (two Backtabs before the category; the button is below the
        # screen's edge at 1366×768, so no click can reach it).
        x.key("shift+Tab", "shift+Tab", "space")
        preview = app.window(PREVIEW_TITLE[lang], "the receipt's print preview")
        app.until("the visit form closed", lambda: gone(x, met["address"]))
        settle(1.0)
        shots("receipt-preview")
        box, probe = x.geometry(preview), tmp_path / "preview.png"

        def save_as_pdf() -> tuple[int, int] | None:
            x.screenshot(probe)
            return rightmost_label(probe, box, 19)

        x.click(preview, *app.until("the preview's tool bar", save_as_pdf))  # 另存为 PDF
        save = app.window(tr("ui.paper.save_pdf"), "the save-as-PDF file dialog")
        settle()
        shots("receipt-save-as")
        x.key("ctrl+a", window=save)
        x.type(str(receipt_pdf))
        x.key("Return")
        app.until("the receipt PDF", lambda: receipt_pdf.exists() and receipt_pdf.stat().st_size)
        app.until("the file dialog closed", lambda: gone(x, tr("ui.paper.save_pdf")))
        x.key("Escape", window=preview)
        app.until("the preview closed", lambda: gone(x, PREVIEW_TITLE[lang]))

        # Nobody home at the second household: a callback tomorrow at 19:00.
        tomorrow = datetime.now(CHINA_TZ).date() + timedelta(days=1)
        x.key("ctrl+l", window=main)
        x.type(away["initials"])
        x.key("Return")
        x.key("ctrl+r", window=main)
        visit = app.window(away["address"], "the second visit form")
        x.key("alt+2", window=visit)  # 无人在家: the callback field opens
        settle(0.3)
        # Into the callback field from the outcome row (its first part, the year, chosen)
        x.key("Tab", "shift+Tab", "Tab")
        x.type(tomorrow.strftime("%Y%m%d") + "1900")
        settle()
        shots("not-home-callback")
        x.key("ctrl+Return")
        app.until("the second visit saved", lambda: gone(x, away["address"]))

        # 今日工作: the first tab of a laptop's window.
        x.click(main, 20, 66)
        settle(1.0)
        shots("today-callback")

        # 同步 → export to a "USB stick" folder typed into the folder dialog.
        x.key("ctrl+shift+s", window=main)
        sync = app.window(tr("ui.sync.title"), "the sync dialog")
        _sx, _sy, width, height = x.geometry(sync)
        x.click(sync, width // 2, height - 40)  # the results table, then back to 导出
        x.key("shift+Tab", "space")
        folder = app.window(tr("ui.sync.choose_folder"), "the folder dialog")
        x.type(str(usb), window=folder)
        x.key("Return")
        bundle = app.until("the exported bundle", lambda: next(usb.glob("*.gsb"), None))
        settle()
        shots("sync-exported")
        x.key("Escape", window=sync)
        app.quit(main)
    return {"receipt": receipt_pdf, "bundle": bundle}


def office_evening(
    x: XServer, world: dict[str, Any], lang: str, shots: Shots, bundle: Path, tmp_path: Path
) -> Path:
    tr = Catalog(lang).tr
    office = str(world["office"])
    report = tmp_path / "report.xlsx"
    log = tmp_path / "office-app.out"
    before = cli_json("--data-dir", office, "stats")
    with running_app(x, world["office"], lang, log) as app:
        main = app.until(
            "the office window", lambda: main_window(x, tr("ui.window_title")), timeout=120
        )
        # 进度总览: two turns of the wheel over the tab bar from 住户 (a click on a tab
        # does not take the keyboard).
        x.click(main, 20, 66)
        x.click(main, 20, 66, button=5)
        x.click(main, 20, 66, button=5)
        settle(1.5)  # the dashboard reads in the background
        shots("office-dashboard-before")

        x.key("ctrl+shift+s", window=main)
        sync = app.window(tr("ui.sync.title"), "the office's sync dialog")
        _sx, _sy, width, height = x.geometry(sync)
        x.click(sync, width // 2, height - 40)  # the results table; Tab: 导入同步包
        x.key("Tab", "space")
        chooser = app.window(tr("ui.sync.choose"), "the bundle file dialog")
        x.type(str(bundle), window=chooser)
        x.key("Return")
        app.until(
            "the bundle merged",
            lambda: cli_json("--data-dir", office, "stats")["visits"] > before["visits"],
        )
        settle(1.0)
        shots("office-imported")
        x.key("Escape", window=sync)
        settle(1.5)  # the dashboard re-reads after a merge
        shots("office-dashboard-after")

        x.key("alt+o", window=main)  # 办公: 导入名册, 新建专项行动, 导出报表…
        x.key("Down", "Down", "Return")
        dialog = app.window(tr("ui.report.title"), "the report dialog")
        x.key("shift+Tab", "shift+Tab", "shift+Tab", "ctrl+a", window=dialog)  # 保存到
        x.type(str(report))
        x.key("Return")
        app.until("the report", lambda: report.exists() and report.stat().st_size)
        settle(1.0)
        shots("office-report")
        x.key("Escape", window=dialog)
        app.quit(main)
    after = cli_json("--data-dir", office, "stats")
    moved = {k: after[k] - before[k] for k in ("visits", "households_visited", "suggestions")}
    assert moved == {"visits": 2, "households_visited": 2, "suggestions": 1}, moved
    assert after["callbacks_open"] >= before["callbacks_open"] + 1
    return report


def check_field_data(world: dict[str, Any]) -> None:
    """今日工作's list (the service behind it) holds tomorrow's callback."""
    from gridapp.services import Services
    from gridapp.services.session import SessionService
    from gridapp.storage.store import Store

    session = SessionService(world["field"]).sign_in(WORKER, PIN)
    services = Services(Store.open_in(world["field"], key=session.key))
    services.act_as(session.code, session.role)
    try:
        due = services.field.callbacks_due(None)
    finally:
        services.store.close()
    tomorrow = (datetime.now(CHINA_TZ).date() + timedelta(days=1)).isoformat()
    mine = [row for row in due if row["household_id"] == world["away"]["id"]]
    assert [row["due_at"][:16] for row in mine] == [f"{tomorrow}T19:00"], due
    assert not mine[0]["overdue"]


def check_office_data(world: dict[str, Any], lang: str) -> dict[str, Any]:
    """The two visits as merged at the office, every part the form recorded."""
    db = sqlite3.connect(world["office"] / "gridapp.db")
    try:
        visits = {
            outcome: vid
            for vid, outcome in db.execute(
                "SELECT id, outcome FROM visit WHERE household_id IN (?, ?)",
                (world["met"]["id"], world["away"]["id"]),
            )
        }
        assert set(visits) == {"met", "not_home"}, visits
        met = visits["met"]
        answers = {q: json.loads(v) for q, v in db.execute(
            "SELECT question, value FROM answer WHERE visit_id = ?", (met,)
        )}  # fmt: skip
        explained = db.execute(
            "SELECT p.title, e.reaction FROM explanation e"
            " JOIN policy_item p ON p.id = e.policy_item_id WHERE e.visit_id = ?",
            (met,),
        ).fetchall()
        suggestions = db.execute(
            "SELECT category, text FROM suggestion WHERE visit_id = ?", (met,)
        ).fetchall()
        callback = db.execute(
            "SELECT due_at FROM callback WHERE visit_id = ?", (visits["not_home"],)
        ).fetchall()
        receipt = db.execute(
            "SELECT short_code, payload FROM receipt WHERE visit_id = ?", (met,)
        ).fetchone()
    finally:
        db.close()
    assert 4 in answers.values() and 3 in answers.values(), answers
    assert ANSWER_TEXT[lang] in answers.values(), answers
    assert len(explained) == 1 and explained[0][1] == "doubts", explained
    assert suggestions == [("fee", SUGGESTION_TEXT[lang])]
    tomorrow = (datetime.now(CHINA_TZ).date() + timedelta(days=1)).isoformat()
    assert [due[:16] for (due,) in callback] == [f"{tomorrow}T19:00"], callback
    assert receipt is not None, "the receipt was issued with the visit"
    return {
        "short_code": receipt[0],
        "payload": receipt[1],
        "visit_id": met,
        "policy": explained[0][0],
    }


def check_receipt(pdf: Path, world: dict[str, Any], lang: str, issued: dict[str, Any]) -> None:
    import zxingcpp
    from PIL import Image

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert world["met"]["address"] in flat.replace(" ", "")
    wanted = (ANSWER_TEXT[lang], SUGGESTION_TEXT[lang], issued["short_code"], issued["policy"])
    for expected in wanted:
        assert " ".join(expected.split()) in flat, (expected, text)
    for raw in RAW_CODES:
        assert raw not in text, (raw, text)
    assert world["met"]["head_name"] not in text  # the paper names no resident
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    with Image.open(pdf.with_suffix(".png")) as page:
        codes = zxingcpp.read_barcodes(page)
    payloads = [c.text for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert payloads == [issued["payload"]], payloads
    verdict = cli_json("--data-dir", str(world["office"]), "receipt", "verify", payloads[0])
    assert verdict["verdict"] == "valid" and verdict["visit_id"] == issued["visit_id"], verdict


def check_report(report: Path, world: dict[str, Any], lang: str) -> None:
    """The workbook: four sheets and the answers sheet; the two visits a line each in
    the visits sheet (the met one with its policy and its suggestion counted), the
    suggestion's words, the met visit's answers in words on the answers sheet, no raw
    codes."""
    from openpyxl import load_workbook

    book = load_workbook(report, read_only=True)
    try:
        by_sheet = [
            [
                row
                for row in sheet.iter_rows(values_only=True)
                if any(value is not None for value in row)
            ]
            for sheet in book.worksheets
        ]
        sheets = book.sheetnames
    finally:
        book.close()
    assert len(sheets) == 5, sheets
    rows = [row for listing in by_sheet[:4] for row in listing]
    met = [r for r in rows if world["met"]["code"] in r and SUGGESTION_TEXT[lang] not in r]
    away = [r for r in rows if world["away"]["code"] in r]
    assert len(met) == 1 and met[0][-2:] == (1, 1), met
    assert len(away) == 1 and away[0][-2:] == (0, 0), away
    assert any(SUGGESTION_TEXT[lang] in r for r in rows)
    words = Catalog(lang).code  # the outcomes in words ("met" is also the English word)
    assert words("outcome", "met") in met[0] and words("outcome", "not_home") in away[0]
    for raw in ("not_home", "in_person"):
        assert raw not in met[0] + away[0], (raw, met, away)
    answered = [r for r in by_sheet[4][1:] if world["met"]["code"] in r]
    assert len(answered) == 1 and ANSWER_TEXT[lang] in answered[0], answered
    assert not [r for r in by_sheet[4] if world["away"]["code"] in r]
    for raw in RAW_CODES:
        assert raw not in answered[0], (raw, answered)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_field_day_and_the_office_evening(
    x: XServer, world: dict[str, Any], lang: str, tmp_path: Path
) -> None:
    shots = Shots(x, lang)
    made = field_day(x, world, lang, shots, tmp_path)
    check_field_data(world)
    report = office_evening(x, world, lang, shots, made["bundle"], tmp_path)
    issued = check_office_data(world, lang)
    check_receipt(made["receipt"], world, lang, issued)
    check_report(report, world, lang)
    assert os.listdir(shots.folder), "screenshots saved"
