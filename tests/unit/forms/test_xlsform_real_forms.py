"""Real XLSForms written by others (tests/fixtures/forms/SOURCES.md): the ones within the
questionnaire format import and survive a trip through our own workbook; the ones that need
a server, a device or a widget we do not have are refused, by feature, sheet, row and column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gridapp.errors import InvalidInput
from gridapp.forms.definition import DefinitionInvalid, Problem, load_definition
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_export import write_xlsform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forms"
IMPORTS = "imports"

#: What each gathered workbook must give: IMPORTS, or the features its refusal must name
#: (each by at least one problem located by sheet!row:column).
EXPECTED: dict[str, str | tuple[str, ...]] = {
    # import: repeats, nesting, languages, cascades, metadata, old spellings
    "ona_multi_lingual_form.xlsx": IMPORTS,  # English/Swahili/French without codes
    "ona_household.xlsx": IMPORTS,  # nested repeats, `name` in sibling repeats
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
    "correlaid_test_b.xlsx": IMPORTS,  # hyphens in names, normalize-space(), text version
    "odk_whova_form.xlsx": IMPORTS,  # WHO verbal autopsy: 592 rows, date(), int()
    # refuse: server or external data
    "pyxform_pull_data.xlsx": ("pulldata",),
    "hot_solidwaste.xlsx": ("select_one_from_file", "geopoint", "phonenumber"),
    "pyxform_ucl_biomass_plot_form.xlsx": ("select_one_from_file", "geopoint", "image"),
    "ona_external_choice_form_v1.xlsx": ("select_one_external", "geopoint", "image"),
    "pyxform_case_insensitivity.xlsx": ("select_one_external", "osm"),
    "odk_socio_economic_survey.xlsx": ("instance",),
    # refuse: device answers (location, media) and widgets outside the format
    "ona_mali_health.xlsx": ("geopoint",),
    "ona_childrens_survey_sw.xlsx": ("gps",),
    "ona_good_eats_multilang.xlsx": ("photo", "geopoint"),
    "hot_waste_collection.xlsx": ("geopoint", "audio", "image", "phonenumber"),
    "opengis_service_rating.xlsx": ("geopoint", "country"),
    "pyxform_xlsform_spec_test.xlsx": ("geopoint", "barcode", "image", "audio", "video"),
    "odk_all_question_types.xlsx": ("select_one_from_file", "geopoint", "image", "rank"),
    "unhcr_demo.xlsx": ("geopoint", "simserial", "phonenumber"),
    "pyxform_loop.xlsx": ("loop",),
    "correlaid_test_a.xlsx": ("range",),
    "correlaid_all_types_survey.xlsx": ("rank",),
}

#: Parameters that do not pass yet, and what they wait for.
DUPLICATE_CHOICE = (
    "waiting for forms-xls: duplicate choice code 'king' refused;"
    " settings allow_choice_duplicates=yes not honoured"
)
CRASH = "TypeError: Sheet.problem() got multiple values for argument 'column'"
PENDING: dict[str, str] = {
    "ona_household.xlsx": "waiting for forms-core: `name` in sibling repeats man/woman/child is"
    " refused as a duplicate name (XLSForm allows it: names are unique per repeat)",
    "ona_new_cascading_select.xlsx": DUPLICATE_CHOICE,
    "pyxform_choice_filter_test.xlsx": DUPLICATE_CHOICE,
    "ona_mch_v1.xlsx": "waiting for forms-xls: " + CRASH + "; then the old `bind:relevant`"
    " column refused instead of read as relevant",
    "correlaid_test_b.xlsx": "waiting for forms-xls/forms-core: hyphens in names (bad_name),"
    " ${a-b} references, text settings version, normalize-space()",
    "odk_whova_form.xlsx": "waiting for forms-xls/forms-core: " + CRASH + "; then read_only column"
    " refused, date() unknown, bare `null` for empty",
    "odk_socio_economic_survey.xlsx": "waiting for forms-xls: " + CRASH,
    "pyxform_xlsform_spec_test.xlsx": "waiting for forms-xls: " + CRASH,
    "unhcr_demo.xlsx": "waiting for forms-xls: " + CRASH,
}

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
