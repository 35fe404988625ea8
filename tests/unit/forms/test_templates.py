"""The questionnaire templates a new campaign may start from: each loads as a valid
definition, and a template used again publishes as its next version."""

from __future__ import annotations

from gridapp.forms.definition import load_definition
from gridapp.forms.templates import as_next_version, templates


def test_every_template_loads() -> None:
    found = {t.key: load_definition(t.document) for t in templates()}
    assert {"lift_willingness", "property_satisfaction"} <= set(found)
    for template in templates():
        assert template.title("zh_CN") and template.title("en")


def test_the_satisfaction_template_rates_eight_dimensions() -> None:
    (template,) = [t for t in templates() if t.key == "property_satisfaction"]
    form = load_definition(template.document)
    rated = [q for q in form.questions if q.type == "rating"]
    assert len(rated) == 9  # 8 dimensions and the overall figure
    assert all(q.required for q in rated)


def test_a_template_used_again_is_the_next_version() -> None:
    doc = templates()[0].document
    assert as_next_version(doc, None)["version"] == doc["version"]
    assert as_next_version(doc, 3)["version"] == 4
    assert doc["version"] == 1  # the shipped document is not changed
