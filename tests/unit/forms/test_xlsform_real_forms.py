"""Real XLSForms written by others (tests/fixtures/forms/SOURCES.md): the ones within the
questionnaire format import and survive a trip through our own workbook; the ones that need
a server, a device or a widget we do not have are refused, by feature, sheet, row and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gridapp.errors import InvalidInput
from gridapp.forms.definition import (
    DefinitionInvalid,
    FormDefinition,
    Problem,
    Question,
    load_definition,
)
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_export import write_xlsform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forms"
IMPORTS = "imports"

#: What each gathered workbook must give: IMPORTS, or the features its refusal must name
#: (each by at least one problem located by sheet!row:column).
EXPECTED: dict[str, str | tuple[str, ...]] = {
    # import: repeats, nesting, languages, cascades, metadata, old spellings
    "ona_multi_lingual_form.xlsx": IMPORTS,  # English/Swahili/French without codes
    "ona_repeat_w_note.xlsx": IMPORTS,  # begin_repeat with a note inside
    "ona_double_repeat.xlsx": IMPORTS,  # repeat in a repeat
    "ona_new_cascading_select.xlsx": IMPORTS,  # choice_filter, allow_choice_duplicates
    "ona_cascading.xlsx": IMPORTS,  # choice_filter country=${country}
    "ona_mch_v1.xlsx": IMPORTS,  # `select one from X`, bind:relevant, nested groups
    "ona_battery_life.xlsx": IMPORTS,  # start/deviceid/end metadata
    "pyxform_choice_filter_test.xlsx": IMPORTS,  # ${state}=cf, allow_choice_duplicates
    "pyxform_field_list.xlsx": IMPORTS,  # unlabelled group, label::english + label
    "pyxform_group.xlsx": IMPORTS,  # label:English (en), phone number
    "pyxform_specify_other.xlsx": IMPORTS,  # `select one from X or specify other`
    "pyxform_xl_date_ambiguous_v1.xlsx": IMPORTS,  # date default as a date cell
    "correlaid_mitwirken_umfrage.xlsx": IMPORTS,  # Deutsch (de), field-list pages
    "odk_whova_form.xlsx": IMPORTS,  # WHO verbal autopsy: 592 rows, date(), int()
    "correlaid_test_a.xlsx": IMPORTS,  # range 0-100 by 5, likert, version 2.2
    # refuse: server or external data
    "pyxform_pull_data.xlsx": ("pulldata",),
    "pyxform_ucl_biomass_plot_form.xlsx": ("select_one_from_file", "geopoint", "image"),
    "ona_external_choice_form_v1.xlsx": ("select_one_external", "geopoint", "image"),
    "pyxform_case_insensitivity.xlsx": ("select_one_external", "osm"),
    "odk_socio_economic_survey.xlsx": ("instance",),
    # refuse: device answers (location, media) and widgets outside the format
    "ona_mali_health.xlsx": ("geopoint",),
    "ona_childrens_survey_sw.xlsx": ("gps",),
    "ona_good_eats_multilang.xlsx": ("photo", "geopoint"),
    "opengis_service_rating.xlsx": ("geopoint", "country"),
    "pyxform_xlsform_spec_test.xlsx": ("geopoint", "barcode", "image", "audio", "video"),
    "odk_all_question_types.xlsx": ("select_one_from_file", "geopoint", "image", "rank"),
    "unhcr_demo.xlsx": ("geopoint", "simserial", "phonenumber"),
    "pyxform_loop.xlsx": ("loop",),
    "correlaid_all_types_survey.xlsx": ("rank",),
    # refuse: what our format does not take (docs/xlsform.md, "Not taken")
    # A name is unique in the whole form here (answers and ${name} find it by name);
    # pyxform lets sibling repeats man/woman/child each have a `name`.
    "ona_household.xlsx": ("duplicate_name",),
    # A text version gives versions no order; names with '-' (project_role_project-alpha).
    "correlaid_test_b.xlsx": ("bad_version", "bad_name"),
}

#: Parameters that do not pass yet, and what they wait for (none left).
PENDING: dict[str, str] = {}


_LOCATED = re.compile(r"^[^!]+![0-9]+:.+$")


def _cases() -> list[Any]:
    return [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else [],
        )
        for name in EXPECTED
    ]


def _sourced() -> set[str]:
    text = (FIXTURES / "SOURCES.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| ([\w.-]+\.xlsx) \|", text, flags=re.MULTILINE))


def test_every_gathered_workbook_has_an_expectation() -> None:
    assert _sourced() == set(EXPECTED)
    for name in EXPECTED:
        assert (FIXTURES / name).stat().st_size < 300_000, name


def _names(problem: Problem, feature: str) -> bool:
    said = " ".join([problem.key, *(str(v) for v in problem.params.values())]).lower()
    return re.search(rf"(^|[^a-z_]){re.escape(feature)}($|[^a-z_])", said) is not None


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
@pytest.mark.parametrize("name", _cases())
def test_real_form(name: str, tmp_path: Path) -> None:
    expected = EXPECTED[name]
    if expected == IMPORTS:
        definition = load_definition(read_xlsform(FIXTURES / name))
        assert definition.questions
        out = tmp_path / name
        write_xlsform(definition, out)
        assert load_definition(read_xlsform(out)) == definition
        return
    with pytest.raises((DefinitionInvalid, InvalidInput)) as refused:
        load_definition(read_xlsform(FIXTURES / name))
    error = refused.value
    problems = (
        error.problems
        if isinstance(error, DefinitionInvalid)
        else [Problem(str(error.params.get("where", "")), "", error.key, dict(error.params))]
    )
    for feature in expected:
        naming = [p for p in problems if _names(p, feature)]
        assert naming, f"{name}: no problem names {feature!r}: {problems}"
        assert any(_LOCATED.match(p.where) for p in naming), (
            f"{name}: {feature!r} is not placed by sheet!row:column: {naming}"
        )


def _repeat(definition: FormDefinition, name: str) -> FormDefinition:
    question = definition.question(name)
    assert question is not None and question.type == "repeat" and question.body is not None
    return question.body


def _paths(definition: FormDefinition) -> dict[str, tuple[tuple[str, ...], Question]]:
    return {"/".join((*prefix, q.name)): (prefix, q) for prefix, q in definition.walk()}


def _double_repeat(form: FormDefinition) -> None:
    assert _repeat(_repeat(form, "bed_net"), "member").names == ("name",)


def _repeat_w_note(form: FormDefinition) -> None:
    assert [q.type for q in _repeat(form, "chrepeat").questions] == ["note", "text"]


def _languages(count: int) -> Callable[[FormDefinition], None]:
    def check(form: FormDefinition) -> None:
        assert len(form.languages) == count
        assert form.default_language in form.languages
        for _, question in form.walk():
            assert len(question.label) == count, question.name
            for choice in question.choices:
                assert len(choice.label) == count, (question.name, choice.value)

    return check


def _cascade(*filtered: str) -> Callable[[FormDefinition], None]:
    def check(form: FormDefinition) -> None:
        for name in filtered:
            question = form.find(name)
            assert question is not None and question.choice_filter is not None, name
            assert question.choice_filter.columns, name
            assert all(c.columns for c in question.choices), name

    return check


def _metadata(form: FormDefinition) -> None:
    assert [(q.name, q.meta) for q in form.questions if q.type == "meta"] == [
        ("start", "start"),
        ("deviceid", "deviceid"),
        ("end", "end"),
    ]


def _mch(form: FormDefinition) -> None:
    lab = form.find("HPlevel")
    assert lab is not None and lab.relevant is not None and "${lab}" in lab.relevant.source
    assert {g.name: g.relevant is not None for g in form.all_groups()}["anc"]
    months = form.find("month")
    assert months is not None and months.type == "select_one" and months.choices


def _phone(form: FormDefinition) -> None:
    phone = form.find("phone_number")
    assert phone is not None and (phone.type, phone.appearance) == ("text", "numbers")
    assert phone.constraint is not None and phone.constraint.source.startswith("regex(")


def _or_other(form: FormDefinition) -> None:
    sex = form.find("sex")
    assert sex is not None and sex.type == "select_one" and sex.other


def _date_default(form: FormDefinition) -> None:
    current = form.find("current_date")
    assert current is not None and current.default == "1900-01-01"


def _pages(form: FormDefinition) -> None:
    assert {g.appearance for g in form.all_groups()} == {"field-list"}


def _slider(form: FormDefinition) -> None:
    share = form.find("attribution_beruf")
    assert share is not None and share.type == "integer"
    assert (share.minimum, share.maximum) == (0, 100)
    assert share.constraint is not None and "mod 5" in share.constraint.source


def _whova(form: FormDefinition) -> None:
    assert len(_paths(form)) > 500
    year = form.find("Id10024")
    assert year is not None and year.constraint is not None


#: What must survive the import of a form beyond "it loads and round-trips".
CHECKS: dict[str, Callable[[FormDefinition], None]] = {
    "ona_double_repeat.xlsx": _double_repeat,
    "ona_repeat_w_note.xlsx": _repeat_w_note,
    "ona_multi_lingual_form.xlsx": _languages(3),
    "pyxform_choice_filter_test.xlsx": _cascade("county", "city"),
    "ona_new_cascading_select.xlsx": _cascade("county", "city"),
    "ona_cascading.xlsx": _cascade("cities"),
    "ona_battery_life.xlsx": _metadata,
    "ona_mch_v1.xlsx": _mch,
    "pyxform_group.xlsx": _phone,
    "pyxform_specify_other.xlsx": _or_other,
    "pyxform_xl_date_ambiguous_v1.xlsx": _date_default,
    "correlaid_mitwirken_umfrage.xlsx": _pages,
    "odk_whova_form.xlsx": _whova,
    "correlaid_test_a.xlsx": _slider,
}


def _checked() -> list[Any]:
    return [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else [],
        )
        for name in CHECKS
    ]


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
@pytest.mark.parametrize("name", _checked())
def test_what_a_real_form_says_survives_the_import(name: str) -> None:
    assert EXPECTED[name] == IMPORTS
    CHECKS[name](load_definition(read_xlsform(FIXTURES / name)))
