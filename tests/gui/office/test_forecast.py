"""The forecast screen: a compound's stances by building, both majorities against
their thresholds, the swing, and the reminder that it is no vote."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.office.forecast import ForecastView
from gridapp.ui.shell.fonts import install_cjk_font

pytestmark = pytest.mark.gui


def test_the_forecast_screen_shows_what_the_service_computes(
    qtbot: QtBot, demo_services: Services
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_cjk_font(app)
    view = ForecastView(demo_services.consultation, demo_services.read, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.resize(1180, 620)
    view.show()
    assert view.disclaimer.text() == "本预测依据入户征询结果推算，不是表决结果。"
    assert view.disclaimer.isVisible()
    compounds = demo_services.read.compound_names()
    assert view.compounds.count() == len(compounds)
    for compound_id, _ in compounds:
        view.select_compound(compound_id)
        expected = demo_services.consultation.forecast(compound_id).forecast
        assert view.forecast == expected
        assert view.verdict.text() == ("预测：通过" if expected.passes else "预测：不通过")
        buildings = demo_services.read.buildings(compound_id=compound_id, with_progress=False)
        assert view.table.rowCount() == len(buildings)
        cells = [view.table.item(r, 1) for r in range(view.table.rowCount())]
        households = sum(int(cell.text()) for cell in cells if cell is not None)
        assert households == expected.owners
        bar = view.conditions["participation_area"].bar
        assert bar.ratio == expected.participation_area.ratio
        assert bar.passed == expected.participation_area.passed
        assert bar.threshold == expected.participation_area.threshold
        verdict = view.conditions["approval_owners"].verdict.text()
        assert verdict == ("达到" if expected.approval_owners.passed else "未达到")
        assert "户" in view.swing.text()
    before = view.forecast
    assert before is not None
    view.attendance.setChecked(True)
    assert view.forecast is not None and view.forecast.require_attendance
    assert view.forecast.participating.households <= before.participating.households
    assert "愿意参加业主大会" in view.notes.text()
    view.grab().save(os.environ.get("GRIDAPP_SHOT_DIR", "/tmp") + "/reports-forecast.png")


def test_an_unknown_question_is_shown_not_raised(qtbot: QtBot, demo_services: Services) -> None:
    errors: list[object] = []
    view = ForecastView(
        demo_services.consultation, demo_services.read, Catalog("zh_CN"), question="stanse"
    )
    qtbot.addWidget(view)
    view.failed.connect(errors.append)
    view.reload()
    assert errors and "stanse" in view.verdict.text()
    assert view.forecast is None
